//! The change report: what a newer document changes in the generated Rust API, compared with
//! the committed client, each change marked additive or breaking.
//!
//! Both sides are read from generated code (the client's operations and their builders, and
//! the types crate), so the report is about what callers compile against, after every rule and
//! fix. A change is breaking when code written against the committed client may stop compiling
//! or start failing: an operation, parameter, type, field or variant removed, a type changed, a
//! required parameter or field added. An addition is additive, with the one caveat of Rust's own:
//! a struct literal that names every field, or a `match` over every variant, must learn of it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use quote::ToTokens;

use crate::inventory::{builder_facts, type_text};
use crate::operations::client_methods;
use crate::{GENERATED_PATH, GeneratedFile, TYPES_PATH};

/// Whether a change can break code written against the committed client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled keeps compiling and working.
    Additive,
    /// Code that compiled may not compile, or may fail at run time.
    Breaking,
}

/// One change of the generated API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Additive or breaking.
    pub impact: Impact,
    /// What changed, in one line.
    pub what: String,
}

/// Every change, operations first, then types, each in name order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Changes {
    /// How many changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.impact == Impact::Breaking).count()
    }
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let breaking = self.breaking();
        writeln!(
            f,
            "{} change(s): {breaking} breaking, {} additive",
            self.changes.len(),
            self.changes.len() - breaking
        )?;
        for change in &self.changes {
            let mark = match change.impact {
                Impact::Additive => "additive",
                Impact::Breaking => "breaking",
            };
            writeln!(f, "  {mark}  {}", change.what)?;
        }
        Ok(())
    }
}

/// The generated API as callers see it.
#[derive(Debug, Default)]
struct Surface {
    /// Operation id -> what it is.
    operations: BTreeMap<String, OperationSurface>,
    /// Type name -> what it is.
    types: BTreeMap<String, TypeSurface>,
}

#[derive(Debug, Default)]
struct OperationSurface {
    /// `GET /users/{user_id}`, from `OPERATIONS`.
    route: String,
    /// Builder method -> (type, required).
    parameters: BTreeMap<String, (String, bool)>,
    success: String,
}

#[derive(Debug, PartialEq)]
enum TypeSurface {
    /// Field -> type.
    Struct(BTreeMap<String, String>),
    /// A struct of unnamed fields (a newtype), by their types.
    Tuple(String),
    /// Variant -> its fields, as text.
    Enum(BTreeMap<String, String>),
    /// A type alias, to the type.
    Alias(String),
}

impl TypeSurface {
    fn kind(&self) -> &'static str {
        match self {
            TypeSurface::Struct(_) | TypeSurface::Tuple(_) => "struct",
            TypeSurface::Enum(_) => "enum",
            TypeSurface::Alias(_) => "type",
        }
    }
}

/// The changes from the client committed under `root` to the generated `files`; `None` when
/// there is no committed client to compare with.
pub fn from_committed(root: &Path, files: &[GeneratedFile]) -> Result<Option<Changes>, String> {
    let parse =
        |path: &str, text: &str| syn::parse_file(text).map_err(|err| format!("{path} does not parse as Rust: {err}"));
    let generated = |path: &str| files.iter().find(|f| f.path == path).map(|f| f.contents.as_str());
    let (Some(new_client), Some(new_types)) = (generated(GENERATED_PATH), generated(TYPES_PATH)) else {
        return Ok(None);
    };
    let committed = |path: &str| std::fs::read_to_string(root.join(path)).ok();
    let (Some(old_client), Some(old_types)) = (committed(GENERATED_PATH), committed(TYPES_PATH)) else {
        return Ok(None);
    };
    Ok(Some(compare(
        &parse(GENERATED_PATH, &old_client)?,
        &parse(TYPES_PATH, &old_types)?,
        &parse(GENERATED_PATH, new_client)?,
        &parse(TYPES_PATH, new_types)?,
    )))
}

/// The changes from the `old` client and types (the committed files) to the `new` ones.
pub fn compare(
    old_client: &syn::File,
    old_types: &syn::File,
    new_client: &syn::File,
    new_types: &syn::File,
) -> Changes {
    let (old, new) = (surface(old_client, old_types), surface(new_client, new_types));
    let mut changes = Vec::new();
    let mut push = |impact, what: String| changes.push(Change { impact, what });

    for (id, operation) in &old.operations {
        if !new.operations.contains_key(id) {
            push(Impact::Breaking, format!("operation removed: `{id}` ({})", operation.route));
        }
    }
    for (id, operation) in &new.operations {
        let Some(before) = old.operations.get(id) else {
            push(Impact::Additive, format!("operation added: `{id}` ({})", operation.route));
            continue;
        };
        for (name, (ty, _)) in &before.parameters {
            if !operation.parameters.contains_key(name) {
                push(Impact::Breaking, format!("`{id}`: parameter removed: `{name}: {ty}`"));
            }
        }
        for (name, (ty, required)) in &operation.parameters {
            match before.parameters.get(name) {
                None if *required => {
                    push(Impact::Breaking, format!("`{id}`: required parameter added: `{name}: {ty}`"))
                }
                None => push(Impact::Additive, format!("`{id}`: parameter added: `{name}: {ty}`")),
                Some((old_ty, _)) if old_ty != ty => {
                    push(Impact::Breaking, format!("`{id}`: parameter `{name}` changed: `{old_ty}` -> `{ty}`"))
                }
                Some(_) => {}
            }
        }
        if before.success != operation.success {
            push(Impact::Breaking, format!("`{id}`: answer changed: `{}` -> `{}`", before.success, operation.success));
        }
    }

    for (name, ty) in &old.types {
        if !new.types.contains_key(name) {
            push(Impact::Breaking, format!("{} removed: `{name}`", ty.kind()));
        }
    }
    for (name, ty) in &new.types {
        let Some(before) = old.types.get(name) else {
            push(Impact::Additive, format!("{} added: `{name}`", ty.kind()));
            continue;
        };
        match (before, ty) {
            (TypeSurface::Struct(old_fields), TypeSurface::Struct(new_fields)) => {
                for (field, old_ty) in old_fields {
                    match new_fields.get(field) {
                        None => push(Impact::Breaking, format!("`{name}.{field}` removed (`{old_ty}`)")),
                        Some(new_ty) if new_ty != old_ty => {
                            push(Impact::Breaking, format!("`{name}.{field}` changed: `{old_ty}` -> `{new_ty}`"))
                        }
                        Some(_) => {}
                    }
                }
                for (field, new_ty) in new_fields {
                    if !old_fields.contains_key(field) {
                        let impact = if new_ty.starts_with("Option<") { Impact::Additive } else { Impact::Breaking };
                        push(impact, format!("`{name}.{field}` added: `{new_ty}`"));
                    }
                }
            }
            (TypeSurface::Enum(old_variants), TypeSurface::Enum(new_variants)) => {
                for (variant, fields) in old_variants {
                    match new_variants.get(variant) {
                        None => push(Impact::Breaking, format!("`{name}::{variant}` removed")),
                        Some(new_fields) if new_fields != fields => {
                            push(Impact::Breaking, format!("`{name}::{variant}` changed: `{fields}` -> `{new_fields}`"))
                        }
                        Some(_) => {}
                    }
                }
                for variant in new_variants.keys().filter(|v| !old_variants.contains_key(*v)) {
                    push(Impact::Additive, format!("`{name}::{variant}` added"));
                }
            }
            (before, after) if before != after => {
                push(Impact::Breaking, format!("`{name}` changed: {} -> {}", describe(before), describe(after)))
            }
            _ => {}
        }
    }
    Changes { changes }
}

fn describe(ty: &TypeSurface) -> String {
    match ty {
        TypeSurface::Struct(fields) => format!("a struct of {} fields", fields.len()),
        TypeSurface::Tuple(inner) => format!("`({inner})`"),
        TypeSurface::Enum(variants) => format!("an enum of {} variants", variants.len()),
        TypeSurface::Alias(target) => format!("`{target}`"),
    }
}

fn surface(client: &syn::File, types: &syn::File) -> Surface {
    let routes = routes(client);
    let builders = builder_facts(client);
    let mut surface = Surface::default();
    for (id, builder) in client_methods(client) {
        let facts = builders.get(&builder);
        let parameters = facts
            .map(|f| {
                f.fields
                    .iter()
                    .map(|(name, ty)| (name.clone(), (ty.clone(), name != "body" && !ty.starts_with("Option<"))))
                    .collect()
            })
            .unwrap_or_default();
        let operation = OperationSurface {
            route: routes.get(&id).cloned().unwrap_or_default(),
            parameters,
            success: facts.map(|f| f.success.clone()).unwrap_or_default(),
        };
        surface.operations.insert(id, operation);
    }
    for item in &types.items {
        let (name, ty) = match item {
            syn::Item::Struct(s) => (
                s.ident.to_string(),
                match &s.fields {
                    syn::Fields::Named(named) => TypeSurface::Struct(
                        named
                            .named
                            .iter()
                            .filter_map(|f| Some((f.ident.as_ref()?.to_string(), type_text(&f.ty))))
                            .collect(),
                    ),
                    other => TypeSurface::Tuple(type_text(&other.to_token_stream())),
                },
            ),
            syn::Item::Enum(e) => (
                e.ident.to_string(),
                TypeSurface::Enum(
                    e.variants.iter().map(|v| (v.ident.to_string(), type_text(&v.fields.to_token_stream()))).collect(),
                ),
            ),
            syn::Item::Type(t) => (t.ident.to_string(), TypeSurface::Alias(type_text(&t.ty))),
            _ => continue,
        };
        surface.types.insert(name, ty);
    }
    surface
}

/// Operation id -> `METHOD /path`, from the `OPERATIONS` table of the client.
fn routes(client: &syn::File) -> BTreeMap<String, String> {
    let mut routes = BTreeMap::new();
    let Some(table) = client.items.iter().find_map(|item| match item {
        syn::Item::Const(c) if c.ident == "OPERATIONS" => Some(c.expr.as_ref()),
        _ => None,
    }) else {
        return routes;
    };
    let syn::Expr::Reference(reference) = table else { return routes };
    let syn::Expr::Array(array) = reference.expr.as_ref() else { return routes };
    for element in &array.elems {
        let syn::Expr::Struct(entry) = element else { continue };
        let field = |name: &str| {
            entry.fields.iter().find_map(|f| match (&f.member, &f.expr) {
                (syn::Member::Named(ident), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }))
                    if ident == name =>
                {
                    Some(text.value())
                }
                _ => None,
            })
        };
        if let (Some(id), Some(method), Some(path)) = (field("id"), field("method"), field("path")) {
            routes.insert(id, format!("{method} {path}"));
        }
    }
    routes
}
