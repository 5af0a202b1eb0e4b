//! Where the generated client uses clerk-api's runtime (`clerk-api/src/runtime.rs` and
//! `error.rs`) instead of progenitor-client's, rewritten by rule on progenitor's output:
//!
//! - `Error` is `clerk_api::Error`: the status travels with every error that came with an
//!   answer, and its `Display` is one line with Clerk's message, code and trace id;
//! - answers are decoded by `runtime::from_response`, which keeps the status and headers of an
//!   answer whose body does not decode (progenitor's drops them).

use syn::visit_mut::VisitMut;

use crate::GenerateError;

/// The items of progenitor-client that clerk-api replaces.
const REPLACED: [&str; 1] = ["Error"];

/// Applies every rewrite to the client (before its types are split off).
pub fn use_clerk_runtime(file: &mut syn::File) -> Result<(), GenerateError> {
    let mut imports_rewritten = false;
    for item in &mut file.items {
        if let syn::Item::Use(import) = item
            && remove_replaced(&mut import.tree)
        {
            imports_rewritten = true;
        }
    }
    if !imports_rewritten {
        return Err(GenerateError::Unplaced(
            "cannot use clerk-api's runtime: the generated client does not import `Error` from progenitor_client"
                .to_string(),
        ));
    }
    file.items.insert(
        0,
        syn::parse_quote! {
            #[allow(unused_imports)]
            use crate::Error;
        },
    );
    let builders = builder_items(file)?;
    for item in builders.iter_mut() {
        FromResponse.visit_item_mut(item);
    }
    Ok(())
}

/// Drops the [`REPLACED`] names from a `use progenitor_client::{...}`; whether it was one.
fn remove_replaced(tree: &mut syn::UseTree) -> bool {
    let syn::UseTree::Path(path) = tree else { return false };
    if path.ident != "progenitor_client" {
        return false;
    }
    let syn::UseTree::Group(group) = path.tree.as_mut() else { return false };
    let before = group.items.len();
    group.items = std::mem::take(&mut group.items)
        .into_iter()
        .filter(|item| !matches!(item, syn::UseTree::Name(name) if REPLACED.iter().any(|r| name.ident == r)))
        .collect();
    group.items.len() != before
}

fn builder_items(file: &mut syn::File) -> Result<&mut Vec<syn::Item>, GenerateError> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| GenerateError::Unplaced("the generated client has no `builder` module".to_string()))
}

/// `ResponseValue::from_response(..)` becomes `crate::runtime::from_response(..)`.
struct FromResponse;

impl VisitMut for FromResponse {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(function) = call.func.as_mut() {
            let segments: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
            if segments == ["ResponseValue", "from_response"] {
                function.path = syn::parse_quote!(crate::runtime::from_response);
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn answers_are_decoded_by_clerk_api_with_its_error() {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "v1"},
            "paths": {"/users": {"get": {"operationId": "get_users",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}}},
        });
        let spec = crate::to_openapi(&document, "test.json").unwrap();
        let mut file: syn::File = syn::parse2(crate::run_progenitor(&spec).unwrap()).unwrap();
        use_clerk_runtime(&mut file).unwrap();
        let code = file.to_token_stream().to_string();
        assert!(code.contains("crate :: runtime :: from_response (response)"), "{code}");
        assert!(!code.contains("ResponseValue :: from_response"), "{code}");
        assert!(code.contains("use crate :: Error ;"), "{code}");
        assert!(code.contains("pub use progenitor_client :: { ByteStream , ClientInfo , ResponseValue }"), "{code}");
    }
}
