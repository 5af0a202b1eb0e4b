//! The operations of the generated client, read from the fixed document, and the table of them
//! that `clerk-api` carries (`clerk_api::OPERATIONS`).
//!
//! The rules give every operation an `operationId` in snake case, which progenitor keeps as the
//! name of its client method and as `OperationInfo::operation_id`. So every fact about an
//! operation (method, path, groups, summary, parameters) comes from the document, and the
//! generated code is only asked which builder each method returns. An operation without a method
//! of its name, or a method no operation explains, fails generation naming it.

use std::collections::{BTreeMap, BTreeSet};

use quote::{ToTokens, quote};

use crate::GenerateError;
use crate::features::{cfg_attribute, operation_features};

/// One generated operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The operationId after the rules: the client method's name and `OperationInfo::operation_id`.
    pub id: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path template, as the document writes it.
    pub path: String,
    /// The document's summary, or empty.
    pub summary: String,
    /// The document's tags.
    pub tags: Vec<String>,
    /// The cargo features that compile it, all of them needed: one per tag.
    pub features: Vec<String>,
    /// The request builder the client method returns, in the generated `builder` module.
    pub builder: String,
    /// Its parameters, path-level ones included, in the document's order.
    pub parameters: Vec<Parameter>,
    /// For a list that pages with `limit` and `offset`, the largest page the document allows
    /// (recorded by the rules as [`crate::normalize::PAGE_LIMIT`]).
    pub page_limit: Option<i64>,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether the document requires it.
    pub required: bool,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

impl Location {
    /// The location as OpenAPI names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

impl Operation {
    /// The parameters that are segments of the path.
    pub fn path_parameters(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters.iter().filter(|p| p.location == Location::Path)
    }

    /// Its query parameter `name`, if it has one.
    pub fn query_parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.location == Location::Query && p.name == name)
    }
}

/// Every operation of the fixed document, in its order, placed in the generated code: each has
/// the client method its id names, and each client method is one of them.
pub fn operations(spec: &openapiv3::OpenAPI, code: &syn::File) -> Result<Vec<Operation>, GenerateError> {
    let mut methods = client_methods(code);
    let mut found = Vec::new();
    for (path, item) in &spec.paths.paths {
        let Some(item) = item.as_item() else {
            return Err(unplaced(
                &format!("`{path}`"),
                "its path item is a reference, which the generator cannot follow",
            ));
        };
        for (method, operation) in item.iter() {
            let method = method.to_uppercase();
            let Some(id) = operation.operation_id.clone() else {
                return Err(unplaced(&format!("`{method} {path}`"), "it has no operationId"));
            };
            let Some(builder) = methods.remove(&id) else {
                return Err(unplaced(
                    &format!("`{method} {path}` (`{id}`)"),
                    &format!("the generated client has no method `{id}`"),
                ));
            };
            found.push(Operation {
                parameters: parameters(&item.parameters, &operation.parameters, spec),
                id,
                method,
                path: path.clone(),
                summary: operation.summary.clone().unwrap_or_default().trim().to_string(),
                tags: operation.tags.clone(),
                features: operation_features(operation),
                builder,
                page_limit: operation.extensions.get(crate::normalize::PAGE_LIMIT).and_then(serde_json::Value::as_i64),
            });
        }
    }
    if let Some((method, _)) = methods.into_iter().next() {
        return Err(unplaced(&format!("the client method `{method}`"), "no operation of the document has that id"));
    }
    Ok(found)
}

fn unplaced(what: &str, why: &str) -> GenerateError {
    GenerateError::Unplaced(format!("cannot place {what}: {why}"))
}

/// The path item's parameters overridden by the operation's own, as OpenAPI combines them.
fn parameters(
    shared: &[openapiv3::ReferenceOr<openapiv3::Parameter>],
    own: &[openapiv3::ReferenceOr<openapiv3::Parameter>],
    spec: &openapiv3::OpenAPI,
) -> Vec<Parameter> {
    let mut combined: Vec<Parameter> = Vec::new();
    for parameter in shared.iter().chain(own).filter_map(|p| resolve_parameter(p, spec)) {
        let data = parameter.parameter_data_ref();
        let location = match parameter {
            openapiv3::Parameter::Path { .. } => Location::Path,
            openapiv3::Parameter::Query { .. } => Location::Query,
            openapiv3::Parameter::Header { .. } => Location::Header,
            openapiv3::Parameter::Cookie { .. } => Location::Cookie,
        };
        let entry = Parameter { name: data.name.clone(), location, required: data.required };
        match combined.iter_mut().find(|p| p.name == entry.name && p.location == entry.location) {
            Some(existing) => *existing = entry,
            None => combined.push(entry),
        }
    }
    combined
}

/// Follows a `#/components/parameters/...` reference.
fn resolve_parameter<'a>(
    parameter: &'a openapiv3::ReferenceOr<openapiv3::Parameter>,
    spec: &'a openapiv3::OpenAPI,
) -> Option<&'a openapiv3::Parameter> {
    match parameter {
        openapiv3::ReferenceOr::Item(item) => Some(item),
        openapiv3::ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            spec.components.as_ref()?.parameters.get(name)?.as_item()
        }
    }
}

/// Client method -> the builder it returns, for every method of `impl Client` that starts a
/// request (returns `builder::X<'_>`).
pub(crate) fn client_methods(code: &syn::File) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for item in &code.items {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else { continue };
            let syn::ReturnType::Type(_, ty) = &function.sig.output else { continue };
            let syn::Type::Path(path) = ty.as_ref() else { continue };
            let segments: Vec<&syn::PathSegment> = path.path.segments.iter().collect();
            if let [module, builder] = segments.as_slice()
                && module.ident == "builder"
            {
                found.insert(function.sig.ident.to_string(), builder.ident.to_string());
            }
        }
    }
    found
}

/// `clerk_api::OPERATIONS`: every operation, sorted by id (so that `Operation::find` can search
/// it), each compiled with the features of its operation.
pub fn table(operations: &[Operation]) -> proc_macro2::TokenStream {
    let mut sorted: Vec<&Operation> = operations.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let entries = sorted.iter().map(|operation| {
        let cfg = cfg_attribute(&BTreeSet::from([operation.features.iter().cloned().collect()]));
        let Operation { id, method, path, summary, features, .. } = operation;
        quote! {
            #cfg
            crate::Operation { id: #id, method: #method, path: #path, groups: &[#(#features),*], summary: #summary }
        }
    });
    quote! {
        /// Every operation of Clerk's Backend API that the enabled API groups compile, sorted by
        /// id. [`Operation::find`](crate::Operation::find) looks one up by the id hooks receive in
        /// `OperationInfo::operation_id`.
        pub const OPERATIONS: &[crate::Operation] = &[#(#entries),*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(extra_path: Option<&str>) -> openapiv3::OpenAPI {
        let mut document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "v1"},
            "paths": {
                "/users/{user_id}": {
                    "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "get": {"operationId": "GetUser", "tags": ["Users"], "summary": " Retrieve a user ",
                            "parameters": [{"$ref": "#/components/parameters/Expand"}],
                            "responses": {"200": {"description": "ok"}}},
                },
                "/jwks": {"get": {"operationId": "GetJWKS", "responses": {"200": {"description": "ok"}}}},
            },
            "components": {"parameters": {"Expand": {"name": "expand", "in": "query", "schema": {"type": "string"}}}},
        });
        if let Some(path) = extra_path {
            document["paths"][path] = serde_json::json!({"get": {"responses": {"200": {"description": "ok"}}}});
        }
        let mut document = document;
        crate::normalize::normalize(&mut document);
        crate::to_openapi(&document, "test.json").expect("valid document")
    }

    fn generated(spec: &openapiv3::OpenAPI) -> syn::File {
        syn::parse2(crate::run_progenitor(spec).expect("progenitor generates")).expect("parses")
    }

    #[test]
    fn every_operation_is_read_from_the_document_and_placed() {
        let spec = document(None);
        let found = operations(&spec, &generated(&spec)).unwrap();
        let ids: Vec<(&str, &str, &str, &str)> =
            found.iter().map(|o| (o.id.as_str(), o.method.as_str(), o.path.as_str(), o.builder.as_str())).collect();
        assert_eq!(ids, [("get_user", "GET", "/users/{user_id}", "GetUser"), ("get_jwks", "GET", "/jwks", "GetJwks")]);
        assert_eq!(found[0].summary, "Retrieve a user");
        assert_eq!(found[0].features, ["users"]);
        assert_eq!(found[1].features, [crate::features::UNTAGGED]);
        let parameters: Vec<(&str, Location, bool)> =
            found[0].parameters.iter().map(|p| (p.name.as_str(), p.location, p.required)).collect();
        assert_eq!(parameters, [("user_id", Location::Path, true), ("expand", Location::Query, false)]);
    }

    #[test]
    fn an_operation_that_cannot_be_placed_fails_naming_it() {
        // progenitor needs an operationId, so the code comes from the document without that path.
        let err = operations(&document(Some("/anonymous")), &generated(&document(None))).unwrap_err().to_string();
        assert!(err.contains("`GET /anonymous`") && err.contains("no operationId"), "{err}");

        let spec = document(None);
        let mut code = generated(&spec);
        for item in &mut code.items {
            if let syn::Item::Impl(block) = item {
                block.items.retain(|m| !matches!(m, syn::ImplItem::Fn(f) if f.sig.ident == "get_jwks"));
            }
        }
        let err = operations(&spec, &code).unwrap_err().to_string();
        assert!(err.contains("`GET /jwks` (`get_jwks`)") && err.contains("no method `get_jwks`"), "{err}");

        let smaller = {
            let mut spec = spec.clone();
            spec.paths.paths.shift_remove("/jwks");
            spec
        };
        let err = operations(&smaller, &generated(&spec)).unwrap_err().to_string();
        assert!(err.contains("the client method `get_jwks`"), "{err}");
    }

    #[test]
    fn the_table_is_sorted_by_id_and_gated_like_its_operations() {
        let spec = document(None);
        let table = table(&operations(&spec, &generated(&spec)).unwrap()).to_string();
        let jwks = table.find("\"get_jwks\"").expect("get_jwks");
        let user = table.find("\"get_user\"").expect("get_user");
        assert!(jwks < user, "{table}");
        assert!(table.contains(r#"# [cfg (feature = "users")] crate :: Operation { id : "get_user" , method : "GET" , path : "/users/{user_id}" , groups : & ["users"] , summary : "Retrieve a user" }"#), "{table}");
    }
}
