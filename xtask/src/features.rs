//! Cargo features per API group: each operation of the generated client, and every type only
//! it needs, compiles only when the feature of its tag is on, so a program that calls three
//! groups of Clerk's API does not build the other forty.
//!
//! # The groups
//!
//! Each tag of the document is a group, and its feature is the tag in kebab case: ASCII
//! letters and digits lowercased, every other run of characters one `-` (`Users` -> `users`,
//! `Allow-list / Block-list` -> `allow-list-block-list`, `Email & SMS Templates` ->
//! `email-sms-templates`). Operations without a tag form the group [`UNTAGGED`]. Only tags that
//! have a generated operation get a feature, so a tag a new revision adds becomes a feature, and
//! one it empties goes away, with no hand edit. An operation with several tags belongs to each of
//! their groups and is compiled when all of them are on: Clerk tags the billing operations of a
//! user `Users` and `Billing`, and a program that enables `users` alone does not build them, nor
//! the billing types only they need (with `any`, `users` alone compiled the `Commerce*` types,
//! about a quarter of its types' compile time). [`FULL`] enables every group and is the crate's
//! default feature.
//!
//! # Reachability, read from the generated code
//!
//! Everything is computed on progenitor's output, not the document, so it follows exactly what
//! the code references:
//!
//! - An operation is its `Client` method, named by its id in the fixed document
//!   ([`crate::operations`]), and the `builder::` struct that method returns, with that struct's
//!   impls. Its roots are the `types::X` and `types::builder::X` paths these mention. A builder
//!   no operation returns fails generation rather than compile whatever the features.
//! - A type is every item of `types` that belongs to it: its definition, its impls (`impl X`,
//!   `impl Trait for X`, and `impl From<X> for String`, which belongs to `X`), and its typify
//!   builder `types::builder::X` with that builder's impls. Its references are the identifiers
//!   those items mention that name a type or a `types::defaults` function, including the ones
//!   serde names inside attribute strings (`default = "defaults::x"`); doc comments do not
//!   count. A `defaults` function is a node of its own, compiled with the types that use it
//!   (and left out when only dropped builders used it).
//! - Each operation marks everything reachable from its roots with its condition, all of its
//!   features. An item reached from several groups gets `#[cfg(any(feature = "a", feature =
//!   "b"))]`, from one `#[cfg(feature = "a")]`, from an operation of two groups alone
//!   `#[cfg(all(feature = "a", feature = "b"))]`. A name that happens to match a type (a variant called like a
//!   type) can only make a type compile in more configurations, never fewer.
//!
//! # Always compiled
//!
//! The runtime items (`Client`, `ClientInfo`, `Error`, `ResponseValue`, `types::error`) carry no
//! `cfg`, and neither do [`ALWAYS_COMPILED`] and what it reaches: `ClerkErrors`, the error body
//! of every operation, which code decodes without naming an operation (`clerk-tools` turns any
//! failure into its error type through it). The hand-written `clerk-api/src/lib.rs` uses only
//! these, so the crate compiles with no group at all.
//!
//! A type no operation reaches (a schema of the document that no request or response uses) is
//! compiled with [`FULL`] only: it belongs to no group, and `full` is the whole API.
//!
//! # Leaner code: builders only where requests are built
//!
//! typify gives every object type a `types::builder::X` (a struct of `Result` fields, its
//! `Default`, a setter per field, `TryFrom` into the type and `From` back) and an
//! `X::builder()`. progenitor's request builders use them for request bodies (`.body_map(|b|
//! ...)`, `TryFrom<types::builder::X> for types::X`), and a caller builds a body, or a value
//! inside one, through them. Nobody builds a response: Clerk does. On the 2026-05-12 revision the
//! builders were half of the generated lines, mostly for response types. So builders are kept
//! for every type a request body reaches (the `body` of an operation's builder, then every type
//! its fields use, transitively) and dropped, with their `X::builder()`, for the others. A test
//! that needs a response value can still write a struct literal or parse JSON. On that revision
//! this took the generated module from 100,789 to 63,699 lines (66,515 with the `cfg`s) and the
//! macro-expanded crate from 277,000 to 235,000 lines.
//!
//! Derives and the conversion impls typify writes stay. serde's `Deserialize` derives are more
//! than half of the expanded crate, but parsing responses is the client's job; the ones on types
//! only requests carry are about 5 % of it, and parsing a request body from JSON (an import
//! file, an agent's arguments) is something callers do. `Serialize` on responses lets callers
//! pass them on. The string conversions of enums (`FromStr`, `TryFrom<&str>`, ...) are what the
//! builder setters accept.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, quote};

use crate::GenerateError;

/// The group of operations that have no tag.
pub const UNTAGGED: &str = "untagged";
/// The feature that enables every group.
pub const FULL: &str = "full";
/// Types compiled whatever the features, with everything they reach.
pub const ALWAYS_COMPILED: &[&str] = &["ClerkErrors"];
/// Name of the generated region of `clerk-api/Cargo.toml`.
pub const REGION: &str = "features";

/// One API group: a cargo feature of `clerk-api`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The feature name.
    pub feature: String,
    /// The document's tags that map to it (more than one only if two spell the same words).
    pub tags: Vec<String>,
    /// How many generated operations belong to it. An operation of two groups counts in both,
    /// though it compiles only when both are on.
    pub operations: usize,
}

/// What gating did, for the reports and the measurements.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GateSummary {
    /// Every group, by feature name.
    pub groups: Vec<Group>,
    /// Types compiled with no group at all.
    pub always: Vec<String>,
    /// Types no operation reaches, compiled with `full` only.
    pub unreached: Vec<String>,
    /// Types whose `types::builder::X` is kept (a request body reaches them).
    pub builders_kept: usize,
    /// Types whose builder was dropped (only responses reach them).
    pub builders_dropped: usize,
}

/// The generated client with its `cfg` attributes, and what they are.
pub struct Gated {
    /// The client, gated and without unneeded builders.
    pub file: syn::File,
    /// The groups and the numbers behind them.
    pub summary: GateSummary,
}

/// The feature of a tag: ASCII letters and digits lowercased, any other run of characters one
/// `-`, none at either end.
pub fn feature_name(tag: &str) -> String {
    let mut name = String::new();
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_string();
    if name.is_empty() { UNTAGGED.to_string() } else { name }
}

/// The features of an operation: one per tag, or [`UNTAGGED`].
pub fn operation_features(operation: &openapiv3::Operation) -> Vec<String> {
    let features: BTreeSet<String> = operation.tags.iter().map(|t| feature_name(t)).collect();
    if features.is_empty() { vec![UNTAGGED.to_string()] } else { features.into_iter().collect() }
}

/// Adds the `cfg` of each operation and type to the generated client, drops the builders of
/// types no request body reaches, and returns the groups.
pub fn gate(placed: &[crate::operations::Operation], mut file: syn::File) -> Result<Gated, GenerateError> {
    let operations = Operations::new(placed);
    let mut summary = GateSummary { groups: groups(placed), ..GateSummary::default() };

    let (types, builders) = module_items(&file);
    let graph = Graph::new(types, builders);
    let op_roots = operation_roots(&file, &graph);
    let body_roots: Vec<String> = op_roots.values().flat_map(|r| r.body.iter().cloned()).collect();
    let with_builders = graph.reach(body_roots.iter().map(String::as_str));
    let dropped: BTreeSet<String> =
        builders.iter().filter_map(|item| graph.owner(item)).filter(|o| !with_builders.contains(o)).collect();
    summary.builders_kept = graph.builder_owners.len() - dropped.len();
    summary.builders_dropped = dropped.len();
    // References made only by dropped builders no longer keep anything compiled.
    let graph = graph.without_builders(&dropped);

    // A builder no operation owns would compile whatever the features, and so would what it needs.
    if let Some(builder) = op_roots.keys().find(|builder| !operations.by_builder.contains_key(*builder)) {
        return Err(GenerateError::Unplaced(format!(
            "cannot place the generated request builder `{builder}`: no operation of the document returns it"
        )));
    }
    let always = graph.reach(ALWAYS_COMPILED.iter().copied());
    // Each node compiles when any operation that reaches it does.
    let mut features: BTreeMap<String, BTreeSet<Condition>> = BTreeMap::new();
    for (builder, roots) in &op_roots {
        let Some(op_features) = operations.by_builder.get(builder) else { continue };
        for node in graph.reach(roots.all.iter().map(String::as_str)) {
            features.entry(node).or_default().insert(op_features.clone());
        }
    }
    let node_cfg = |node: &str| -> Option<syn::Attribute> {
        if always.contains(node) {
            return None;
        }
        match features.get(node) {
            Some(conditions) => Some(cfg_attribute(conditions)),
            None => Some(cfg_attribute(&BTreeSet::from([BTreeSet::from([FULL.to_string()])]))),
        }
    };
    summary.always = graph.types.iter().filter(|t| always.contains(*t)).cloned().collect();
    summary.unreached =
        graph.types.iter().filter(|t| !always.contains(*t) && !features.contains_key(*t)).cloned().collect();

    for item in &mut file.items {
        match item {
            syn::Item::Mod(module) if module.ident == "types" => {
                let Some((_, items)) = &mut module.content else { continue };
                gate_types(items, &graph, &dropped, &node_cfg);
            }
            syn::Item::Mod(module) if module.ident == "builder" => {
                let Some((_, items)) = &mut module.content else { continue };
                for item in items.iter_mut() {
                    let Some(owner) = item_owner(item, None) else { continue };
                    if let Some(set) = operations.by_builder.get(&owner) {
                        push_attribute(item, cfg_attribute(&BTreeSet::from([set.clone()])));
                    }
                }
            }
            syn::Item::Impl(block) if is_client_operations(block) => {
                for member in &mut block.items {
                    let syn::ImplItem::Fn(function) = member else { continue };
                    if let Some(set) = operations.by_method.get(&function.sig.ident.to_string()) {
                        insert_attribute(&mut function.attrs, cfg_attribute(&BTreeSet::from([set.clone()])));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Gated { file, summary })
}

/// The `[features]` entries of the client's manifest (`clerk-api/Cargo.toml`), between the
/// region's marker lines; with `forward_to`, each group also turns on the group of the same
/// name in that package, the types crate. Without it, the types crate's entries.
pub fn cargo_region(summary: &GateSummary, forward_to: Option<&str>) -> String {
    let names: Vec<String> = summary.groups.iter().map(|g| format!("\"{}\"", g.feature)).collect();
    let (compiles, with_none, verb) = match forward_to {
        Some(_) => ("its operations and the types only they need", "the client, its errors and `types::", "compile"),
        None => ("the types only its operations need", "`", "compiles"),
    };
    let mut out = format!(
        "# @generated {REGION} begin: `{}` writes this region from the document's tags; do not edit.\n\
         # `{FULL}` is every API group. Each group (one per tag) compiles {compiles};\n\
         # with none, {with_none}{}` still {verb}.\n\
         {FULL} = [\n{}]\n",
        crate::COMMAND,
        ALWAYS_COMPILED.join("`, `types::"),
        names.iter().map(|n| format!("    {n},\n")).collect::<String>(),
    );
    for group in &summary.groups {
        let tags: Vec<String> = group.tags.iter().map(|t| format!("\"{t}\"")).collect();
        let noun = if group.operations == 1 { "operation" } else { "operations" };
        let enables = forward_to.map(|package| format!("\"{package}/{}\"", group.feature)).unwrap_or_default();
        out.push_str(&format!("{} = [{enables}] # {}, {} {noun}\n", group.feature, tags.join(", "), group.operations));
    }
    out.push_str(&format!("# @generated {REGION} end\n"));
    out
}

/// The features of each generated operation, by `Client` method and by builder struct.
#[derive(Default)]
struct Operations {
    by_method: BTreeMap<String, BTreeSet<String>>,
    by_builder: BTreeMap<String, BTreeSet<String>>,
}

impl Operations {
    fn new(placed: &[crate::operations::Operation]) -> Self {
        let mut found = Operations::default();
        for operation in placed {
            let set: BTreeSet<String> = operation.features.iter().cloned().collect();
            found.by_method.insert(operation.id.clone(), set.clone());
            found.by_builder.insert(operation.builder.clone(), set);
        }
        found
    }
}

/// One group per feature that has a generated operation, with the tags behind it.
fn groups(placed: &[crate::operations::Operation]) -> Vec<Group> {
    let mut groups: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
    for operation in placed {
        for feature in &operation.features {
            groups.entry(feature.clone()).or_default().1 += 1;
        }
        for tag in &operation.tags {
            if let Some(group) = groups.get_mut(&feature_name(tag)) {
                group.0.insert(tag.clone());
            }
        }
    }
    groups
        .into_iter()
        .map(|(feature, (tags, operations))| Group { feature, tags: tags.into_iter().collect(), operations })
        .collect()
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
/// The features an operation needs, all of them: one per tag.
type Condition = BTreeSet<String>;

/// `#[cfg]` for "any of `conditions`", each "all of its features". A condition that holds
/// whenever a smaller one does adds nothing and is left out (`users` or `users` and `billing`
/// is `users`).
pub(crate) fn cfg_attribute(conditions: &BTreeSet<Condition>) -> syn::Attribute {
    let needed = conditions.iter().filter(|c| !conditions.iter().any(|other| other != *c && other.is_subset(c)));
    let list: Vec<TokenStream> = needed
        .map(|condition| {
            let features: Vec<TokenStream> = condition.iter().map(|f| quote!(feature = #f)).collect();
            match features.as_slice() {
                [one] => one.clone(),
                _ => quote!(all(#(#features),*)),
            }
        })
        .collect();
    if let [one] = list.as_slice() {
        syn::parse_quote!(#[cfg(#one)])
    } else {
        syn::parse_quote!(#[cfg(any(#(#list),*))])
    }
}

/// Puts `attribute` after the doc comment, where a reader of the generated code looks for it.
fn insert_attribute(attrs: &mut Vec<syn::Attribute>, attribute: syn::Attribute) {
    let docs = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
    attrs.insert(docs, attribute);
}

fn push_attribute(item: &mut syn::Item, attribute: syn::Attribute) {
    let attrs = match item {
        syn::Item::Struct(s) => &mut s.attrs,
        syn::Item::Enum(e) => &mut e.attrs,
        syn::Item::Type(t) => &mut t.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Fn(f) => &mut f.attrs,
        syn::Item::Const(c) => &mut c.attrs,
        syn::Item::Static(s) => &mut s.attrs,
        syn::Item::Trait(t) => &mut t.attrs,
        _ => return,
    };
    insert_attribute(attrs, attribute);
}

/// The `impl Client` block that holds the operations (not the one with `new`).
fn is_client_operations(block: &syn::ItemImpl) -> bool {
    block.trait_.is_none()
        && block.self_ty.to_token_stream().to_string() == "Client"
        && block.items.iter().all(|m| !matches!(m, syn::ImplItem::Fn(f) if f.sig.ident == "new"))
}

/// The items of `types` and of `types::builder`.
fn module_items(file: &syn::File) -> (&[syn::Item], &[syn::Item]) {
    let types = submodule(&file.items, "types");
    (types, submodule(types, "builder"))
}

fn submodule<'a>(items: &'a [syn::Item], name: &str) -> &'a [syn::Item] {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

/// Gates the items of `types` and its `builder` and `defaults` modules, and drops the builders
/// of `dropped` with their `X::builder()`.
fn gate_types(
    items: &mut Vec<syn::Item>,
    graph: &Graph,
    dropped: &BTreeSet<String>,
    node_cfg: &dyn Fn(&str) -> Option<syn::Attribute>,
) {
    items.retain_mut(|item| {
        let owner = graph.owner(item);
        if let syn::Item::Impl(block) = item
            && block.trait_.is_none()
            && owner.is_some_and(|o| dropped.contains(&o))
        {
            block.items.retain(|m| !matches!(m, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
            return !block.items.is_empty();
        }
        true
    });
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(module) if module.ident == "builder" => {
                let Some((_, members)) = &mut module.content else { continue };
                members.retain(|member| !graph.owner(member).is_some_and(|o| dropped.contains(&o)));
                for member in members.iter_mut() {
                    if let Some(attribute) = graph.owner(member).and_then(|o| node_cfg(&o)) {
                        push_attribute(member, attribute);
                    }
                }
            }
            syn::Item::Mod(module) if module.ident == "defaults" => {
                let Some((_, members)) = &mut module.content else { continue };
                // A function only dropped builders used would be dead code.
                members.retain(|member| match member {
                    syn::Item::Fn(function) => graph.is_referenced(&defaults_node(&function.sig.ident.to_string())),
                    _ => true,
                });
                for member in members.iter_mut() {
                    let syn::Item::Fn(function) = member else { continue };
                    if let Some(attribute) = node_cfg(&defaults_node(&function.sig.ident.to_string())) {
                        insert_attribute(&mut function.attrs, attribute);
                    }
                }
            }
            syn::Item::Mod(_) => {}
            _ => {
                if let Some(attribute) = graph.owner(item).and_then(|o| node_cfg(&o)) {
                    push_attribute(item, attribute);
                }
            }
        }
    }
}

fn defaults_node(function: &str) -> String {
    format!("defaults::{function}")
}

/// Which types and `defaults` functions each type and function references.
struct Graph {
    /// Every type of the `types` module, in file order.
    types: Vec<String>,
    type_names: BTreeSet<String>,
    default_names: BTreeSet<String>,
    builder_owners: BTreeSet<String>,
    /// Node -> nodes it references, from its items outside `types::builder`.
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Node -> nodes its `types::builder` items reference.
    builder_edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn new(types: &[syn::Item], builders: &[syn::Item]) -> Self {
        let mut graph = Graph {
            types: Vec::new(),
            type_names: BTreeSet::new(),
            default_names: BTreeSet::new(),
            builder_owners: BTreeSet::new(),
            edges: BTreeMap::new(),
            builder_edges: BTreeMap::new(),
        };
        for item in types {
            let name = match item {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => continue,
            };
            graph.types.push(name.to_string());
        }
        graph.type_names = graph.types.iter().cloned().collect();
        for item in submodule(types, "defaults") {
            if let syn::Item::Fn(function) = item {
                graph.default_names.insert(function.sig.ident.to_string());
            }
        }
        for item in types {
            match item {
                syn::Item::Mod(_) => {}
                _ => {
                    // An item with no owner would be compiled always; so is what it references.
                    let owner = graph.owner(item).unwrap_or_else(|| ALWAYS_COMPILED[0].to_string());
                    let refs = graph.references(item);
                    graph.edges.entry(owner).or_default().extend(refs);
                }
            }
        }
        for item in submodule(types, "defaults") {
            if let syn::Item::Fn(function) = item {
                let refs = graph.references(item);
                graph.edges.entry(defaults_node(&function.sig.ident.to_string())).or_default().extend(refs);
            }
        }
        for item in builders {
            let Some(owner) = graph.owner(item) else { continue };
            graph.builder_owners.insert(owner.clone());
            let refs = graph.references(item);
            graph.builder_edges.entry(owner).or_default().extend(refs);
        }
        graph
    }

    /// Whether any item (of a type, a kept builder or a function) references `node`.
    fn is_referenced(&self, node: &str) -> bool {
        self.edges.values().chain(self.builder_edges.values()).any(|refs| refs.contains(node))
    }

    fn without_builders(mut self, dropped: &BTreeSet<String>) -> Self {
        self.builder_edges.retain(|owner, _| !dropped.contains(owner));
        self
    }

    /// The type an item of `types` (or `types::builder`) belongs to: its own name, the type it
    /// implements something for, or for `impl From<X> for String` the type in the trait.
    fn owner(&self, item: &syn::Item) -> Option<String> {
        item_owner(item, Some(&self.type_names))
    }

    fn references(&self, item: &syn::Item) -> BTreeSet<String> {
        let mut refs = BTreeSet::new();
        for token in flatten(item.to_token_stream()) {
            if let Token::Ident(ident) = token {
                if self.type_names.contains(&ident) {
                    refs.insert(ident);
                } else if self.default_names.contains(&ident) {
                    refs.insert(defaults_node(&ident));
                }
            }
        }
        refs
    }

    /// Every node reachable from `roots`, the roots included. A builder's references count as
    /// its type's: a kept builder is compiled with its type.
    fn reach<'a>(&self, roots: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut queue: VecDeque<String> =
            roots.filter(|r| self.type_names.contains(*r) || self.edges.contains_key(*r)).map(str::to_string).collect();
        while let Some(node) = queue.pop_front() {
            if !seen.insert(node.clone()) {
                continue;
            }
            for next in self.edges.get(&node).into_iter().chain(self.builder_edges.get(&node)).flatten() {
                if !seen.contains(next) {
                    queue.push_back(next.clone());
                }
            }
        }
        seen
    }
}

/// The name an item defines or implements something for. With `known`, a trait impl for a type
/// outside the set (`impl From<X> for String`) belongs to the first known type in the trait.
fn item_owner(item: &syn::Item, known: Option<&BTreeSet<String>>) -> Option<String> {
    let name = match item {
        syn::Item::Struct(s) => s.ident.to_string(),
        syn::Item::Enum(e) => e.ident.to_string(),
        syn::Item::Type(t) => t.ident.to_string(),
        syn::Item::Impl(block) => {
            let self_name = match block.self_ty.as_ref() {
                syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            match (self_name, known) {
                (Some(name), None) => name,
                (Some(name), Some(known)) if known.contains(&name) => name,
                (_, Some(known)) => {
                    let (_, path, _) = block.trait_.as_ref()?;
                    return flatten(path.to_token_stream()).into_iter().find_map(|t| match t {
                        Token::Ident(ident) if known.contains(&ident) => Some(ident),
                        _ => None,
                    });
                }
                (None, None) => return None,
            }
        }
        _ => return None,
    };
    Some(name)
}

/// The types an operation's builder struct and impls name: all of them, and the ones in its
/// `body` field (where the builders a caller needs start).
#[derive(Default)]
struct OperationRoots {
    all: BTreeSet<String>,
    body: BTreeSet<String>,
}

/// Builder struct name -> its roots, from the top-level `builder` module, where every type is
/// spelled `types::X` or `types::builder::X` (a bare `Client` there is the client, not
/// `types::Client`).
fn operation_roots(file: &syn::File, graph: &Graph) -> BTreeMap<String, OperationRoots> {
    let mut roots: BTreeMap<String, OperationRoots> = BTreeMap::new();
    let items = submodule(&file.items, "builder");
    for item in items {
        let Some(owner) = item_owner(item, None) else { continue };
        let entry = roots.entry(owner).or_default();
        let (all, through_builder) = types_paths(item.to_token_stream(), graph);
        entry.all.extend(all);
        entry.body.extend(through_builder);
        if let syn::Item::Struct(s) = item {
            for field in &s.fields {
                if field.ident.as_ref().is_some_and(|i| i == "body") {
                    entry.body.extend(types_paths(field.ty.to_token_stream(), graph).0);
                }
            }
        }
    }
    roots
}

/// The `X` of every `types::X` and `types::builder::X` in some tokens, and apart the ones
/// spelled through `builder` (the typify builders the request builder itself uses).
fn types_paths(tokens: TokenStream, graph: &Graph) -> (BTreeSet<String>, BTreeSet<String>) {
    let tokens = flatten(tokens);
    let (mut all, mut through_builder) = (BTreeSet::new(), BTreeSet::new());
    for (index, token) in tokens.iter().enumerate() {
        if !matches!(token, Token::Ident(i) if i == "types") {
            continue;
        }
        match &tokens[index + 1..] {
            [
                Token::Punct(':'),
                Token::Punct(':'),
                Token::Ident(b),
                Token::Punct(':'),
                Token::Punct(':'),
                Token::Ident(name),
                ..,
            ] if b == "builder" && graph.type_names.contains(name) => {
                all.insert(name.clone());
                through_builder.insert(name.clone());
            }
            [Token::Punct(':'), Token::Punct(':'), Token::Ident(name), ..] if graph.type_names.contains(name) => {
                all.insert(name.clone());
            }
            _ => {}
        }
    }
    (all, through_builder)
}

/// A token of an item, with groups flattened and doc comments left out.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Punct(char),
    /// A literal, or the edge of a group.
    Other,
}

/// Flattens tokens, skipping `#[doc = ...]` attributes and reading the string literals of other
/// attributes as code, since serde names functions and types in them.
fn flatten(tokens: TokenStream) -> Vec<Token> {
    let mut out = Vec::new();
    flatten_into(tokens, false, &mut out);
    out
}

fn flatten_into(tokens: TokenStream, in_attribute: bool, out: &mut Vec<Token>) {
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(group)) = iter.peek()
                    && group.delimiter() == Delimiter::Bracket
                {
                    let is_doc = matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc");
                    let stream = group.stream();
                    iter.next();
                    if !is_doc {
                        out.push(Token::Other);
                        flatten_into(stream, true, out);
                        out.push(Token::Other);
                    }
                } else {
                    out.push(Token::Punct('#'));
                }
            }
            TokenTree::Group(group) => {
                out.push(Token::Other);
                flatten_into(group.stream(), in_attribute, out);
                out.push(Token::Other);
            }
            TokenTree::Ident(ident) => out.push(Token::Ident(ident.to_string())),
            TokenTree::Punct(p) => out.push(Token::Punct(p.as_char())),
            TokenTree::Literal(literal) => {
                out.push(Token::Other);
                if in_attribute
                    && let syn::Lit::Str(text) = syn::Lit::new(literal)
                    && let Ok(code) = text.value().parse::<TokenStream>()
                {
                    flatten_into(code, false, out);
                    out.push(Token::Other);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(schema: &str) -> serde_json::Value {
        serde_json::json!({"$ref": format!("#/components/schemas/{schema}")})
    }

    /// An object whose properties are all required.
    fn object(properties: &[(&str, serde_json::Value)]) -> serde_json::Value {
        let names: Vec<&str> = properties.iter().map(|(name, _)| *name).collect();
        let properties: serde_json::Map<String, serde_json::Value> =
            properties.iter().map(|(name, schema)| (name.to_string(), schema.clone())).collect();
        serde_json::json!({"type": "object", "required": names, "properties": properties})
    }

    fn array(items: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"type": "array", "items": items})
    }

    fn operation(id: &str, tags: &[&str], success: &str) -> serde_json::Value {
        let body = |schema: &str| serde_json::json!({"application/json": {"schema": reference(schema)}});
        serde_json::json!({
            "operationId": id,
            "tags": tags,
            "responses": {
                "200": {"description": "ok", "content": body(success)},
                "400": {"description": "error", "content": body("ClerkErrors")},
            },
        })
    }

    /// Two tags that share a type, a request body with a nested type, an untagged operation, one
    /// with both tags, an error body every operation uses, and a schema nothing uses.
    fn document() -> serde_json::Value {
        let string = serde_json::json!({"type": "string"});
        let mut create_user = operation("create_user", &["Users"], "User");
        let body = serde_json::json!({"application/json": {"schema": reference("CreateUserBody")}});
        create_user["requestBody"] = serde_json::json!({"required": true, "content": body});
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "v1"},
            "paths": {
                "/users": {"post": create_user},
                "/sessions": {"get": operation("get_session", &["Sessions"], "Session")},
                "/both": {"get": operation("get_both", &["Users", "Sessions"], "Both")},
                "/jwks": {"get": operation("get_jwks", &[], "Jwks")},
            },
            "components": {"schemas": {
                "ClerkErrors": object(&[("errors", array(reference("ClerkError")))]),
                "ClerkError": object(&[("message", string.clone())]),
                "CreateUserBody": object(&[("name", string.clone()), ("address", reference("Address"))]),
                "Address": object(&[("city", string.clone())]),
                "User": object(&[("id", string.clone()), ("owner", reference("Owner"))]),
                "Session": object(&[("id", string.clone()), ("owner", reference("Owner"))]),
                "Owner": object(&[("id", string.clone())]),
                "Both": object(&[("id", string.clone())]),
                "Jwks": object(&[("keys", array(string))]),
                "Orphan": object(&[("id", serde_json::json!({"type": "string"}))]),
            }},
        })
    }

    fn gated() -> (syn::File, GateSummary) {
        let spec = crate::to_openapi(&document(), "test.json").expect("valid document");
        let file = syn::parse2(crate::run_progenitor(&spec).expect("progenitor generates")).expect("parses");
        let placed = crate::operations::operations(&spec, &file).expect("every operation is placed");
        let gated = gate(&placed, file).expect("gates");
        (gated.file, gated.summary)
    }

    /// The `cfg` of every item in `items` that defines or implements something for `name`.
    fn cfgs_of(items: &[syn::Item], name: &str) -> Vec<String> {
        items
            .iter()
            .filter(|item| item_owner(item, None).as_deref() == Some(name))
            .map(|item| {
                let attrs = match item {
                    syn::Item::Struct(s) => &s.attrs,
                    syn::Item::Enum(e) => &e.attrs,
                    syn::Item::Impl(i) => &i.attrs,
                    _ => return String::new(),
                };
                attrs
                    .iter()
                    .filter(|a| a.path().is_ident("cfg"))
                    .map(|a| a.to_token_stream().to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn one_cfg(items: &[syn::Item], name: &str) -> String {
        let cfgs = cfgs_of(items, name);
        assert!(!cfgs.is_empty(), "no item for {name}");
        assert!(cfgs.iter().all(|c| c == &cfgs[0]), "{name}: items disagree: {cfgs:?}");
        cfgs[0].clone()
    }

    #[test]
    fn feature_names_are_kebab_case_tags() {
        assert_eq!(feature_name("Users"), "users");
        assert_eq!(feature_name("Allow-list / Block-list"), "allow-list-block-list");
        assert_eq!(feature_name("Email & SMS Templates"), "email-sms-templates");
        assert_eq!(feature_name("OAuth Applications"), "oauth-applications");
        assert_eq!(feature_name("Sign-ups"), feature_name("Sign Ups"));
        assert_eq!(feature_name("M2M Tokens"), "m2m-tokens");
        assert_eq!(feature_name(" / "), UNTAGGED);
    }

    #[test]
    fn each_type_compiles_with_the_groups_that_reach_it() {
        let (file, summary) = gated();
        let types = submodule(&file.items, "types");
        let users = r#"# [cfg (feature = "users")]"#;
        let sessions = r#"# [cfg (feature = "sessions")]"#;
        let either = r#"# [cfg (any (feature = "sessions" , feature = "users"))]"#;
        let both = r#"# [cfg (all (feature = "sessions" , feature = "users"))]"#;
        assert_eq!(one_cfg(types, "User"), users);
        assert_eq!(one_cfg(types, "CreateUserBody"), users);
        assert_eq!(one_cfg(types, "Address"), users);
        assert_eq!(one_cfg(types, "Session"), sessions);
        // Reached from each group alone: either compiles it. Reached only by the operation that
        // has both tags: that needs both.
        assert_eq!(one_cfg(types, "Owner"), either);
        assert_eq!(one_cfg(types, "Both"), both);
        assert_eq!(one_cfg(types, "Jwks"), r#"# [cfg (feature = "untagged")]"#);
        assert_eq!(one_cfg(types, "Orphan"), r#"# [cfg (feature = "full")]"#);
        assert_eq!(one_cfg(types, "ClerkErrors"), "");
        assert_eq!(one_cfg(types, "ClerkError"), "");
        assert_eq!(summary.always, ["ClerkError", "ClerkErrors"]);
        assert_eq!(summary.unreached, ["Orphan"]);

        let operations = submodule(&file.items, "builder");
        assert_eq!(one_cfg(operations, "CreateUser"), users);
        assert_eq!(one_cfg(operations, "GetBoth"), both);
        let client = file.items.iter().find_map(|item| match item {
            syn::Item::Impl(block) if is_client_operations(block) => Some(block),
            _ => None,
        });
        let methods: Vec<String> = client
            .expect("operations")
            .items
            .iter()
            .filter_map(|m| match m {
                syn::ImplItem::Fn(f) => Some(format!(
                    "{} {}",
                    f.sig.ident,
                    f.attrs
                        .iter()
                        .filter(|a| a.path().is_ident("cfg"))
                        .map(|a| a.to_token_stream().to_string())
                        .collect::<String>()
                )),
                _ => None,
            })
            .collect();
        assert!(methods.contains(&format!("create_user {users}")), "{methods:?}");
        assert!(methods.contains(&format!("get_session {sessions}")), "{methods:?}");

        let features: Vec<(&str, usize)> = summary.groups.iter().map(|g| (g.feature.as_str(), g.operations)).collect();
        assert_eq!(features, [("sessions", 2), ("untagged", 1), ("users", 2)]);
        let region = cargo_region(&summary, None);
        assert!(region.contains("full = [\n    \"sessions\",\n    \"untagged\",\n    \"users\",\n]\n"), "{region}");
        assert!(region.contains("users = [] # \"Users\", 2 operations\n"), "{region}");
    }

    #[test]
    fn a_condition_implied_by_a_smaller_one_is_left_out() {
        let condition = |features: &[&str]| features.iter().map(|f| f.to_string()).collect::<Condition>();
        let cfg = |conditions: &[&[&str]]| {
            cfg_attribute(&conditions.iter().map(|c| condition(c)).collect()).to_token_stream().to_string()
        };
        assert_eq!(cfg(&[&["users"], &["billing", "users"]]), r#"# [cfg (feature = "users")]"#);
        assert_eq!(cfg(&[&["billing", "users"]]), r#"# [cfg (all (feature = "billing" , feature = "users"))]"#);
        assert_eq!(
            cfg(&[&["billing", "users"], &["billing", "organizations"]]),
            r#"# [cfg (any (all (feature = "billing" , feature = "organizations") , all (feature = "billing" , feature = "users")))]"#
        );
    }

    #[test]
    fn only_request_types_keep_their_builders() {
        let (file, summary) = gated();
        let types = submodule(&file.items, "types");
        let builders = submodule(types, "builder");
        let mut kept: Vec<String> = builders
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                _ => None,
            })
            .collect();
        kept.sort();
        assert_eq!(kept, ["Address", "CreateUserBody"]);
        assert_eq!(one_cfg(builders, "Address"), r#"# [cfg (feature = "users")]"#);
        assert_eq!((summary.builders_kept, summary.builders_dropped), (2, 8));
        let code = prettyplease::unparse(&file);
        assert!(code.contains("pub fn builder() -> builder::CreateUserBody"), "{code}");
        assert!(!code.contains("pub fn builder() -> builder::User"), "{code}");
    }
}
