//! Where the generated client uses clerk-api's runtime (`clerk-api/src/runtime.rs` and
//! `error.rs`) instead of progenitor-client's, rewritten by rule on progenitor's output:
//!
//! - `Error` is `clerk_api::Error`: the status travels with every error that came with an
//!   answer, and its `Display` is one line with Clerk's message, code and trace id;
//! - answers are decoded by `runtime::from_response`, which keeps the status and headers of an
//!   answer whose body does not decode (progenitor's drops them);
//! - path parameters are encoded by `runtime::encode_path`, which also escapes `\` (a URL
//!   reads it as `/`), and each is checked by `runtime::check_path_parameter` as soon as
//!   `send` has it, before anything else: a value that is empty or a dot segment (`.`, `..`)
//!   would send the request to another endpoint, so it fails naming the parameter and nothing is
//!   sent.
//!
//! Each rewrite expects progenitor's shapes; an operation whose code does not have them fails
//! generation naming it, rather than be left without the check.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

use crate::GenerateError;
use crate::operations::Operation;

/// The items of progenitor-client that clerk-api replaces.
const REPLACED: [&str; 2] = ["Error", "encode_path"];

/// The calls of the path-parameter test (`clerk-api/tests/path_parameters/main.rs`, hand-written),
/// relative to the workspace root.
pub const PATH_PARAMETERS_TEST_PATH: &str = "clerk-api/tests/path_parameters/cases.rs";

/// The path parameters each operation checks, by the names of their builder methods.
pub type PathParameters = Vec<(String, Vec<String>)>;

/// Applies every rewrite to the client (before its types are split off), and returns the path
/// parameters now checked.
pub fn use_clerk_runtime(file: &mut syn::File, operations: &[Operation]) -> Result<PathParameters, GenerateError> {
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
            "cannot use clerk-api's runtime: the generated client does not import `Error` and `encode_path` from \
             progenitor_client"
                .to_string(),
        ));
    }
    file.items.insert(
        0,
        syn::parse_quote! {
            #[allow(unused_imports)]
            use crate::{runtime::encode_path, Error};
        },
    );
    let builders = builder_items(file)?;
    for item in builders.iter_mut() {
        FromResponse.visit_item_mut(item);
    }
    operations.iter().map(|operation| Ok((operation.id.clone(), check_path_parameters(builders, operation)?))).collect()
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

/// In the operation's `send`, checks each path parameter right after it is taken from the
/// builder: before the other parameters and the body, so that nothing else can fail first.
/// Returns their names.
fn check_path_parameters(builders: &mut [syn::Item], operation: &Operation) -> Result<Vec<String>, GenerateError> {
    let fail = |why: &str| {
        GenerateError::Unplaced(format!(
            "cannot check the path parameters of `{} {}` (`{}`): {why}",
            operation.method, operation.path, operation.id
        ))
    };
    let send = builders
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Impl(block)
                if block.trait_.is_none()
                    && matches!(block.self_ty.as_ref(), syn::Type::Path(p)
                        if p.path.segments.last().is_some_and(|s| s.ident == operation.builder)) =>
            {
                block.items.iter_mut().find_map(|member| match member {
                    syn::ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
                    _ => None,
                })
            }
            _ => None,
        })
        .ok_or_else(|| fail(&format!("`builder::{}` has no `send`", operation.builder)))?;
    let names = url_parameters(&send.block.stmts).ok_or_else(|| fail("`send` builds no `url` with `format!`"))?;
    let expected = operation.path_parameters().count();
    if names.len() != expected {
        return Err(fail(&format!("the URL has {} parameters, the document {expected}", names.len())));
    }
    for name in &names {
        let taken = send
            .block
            .stmts
            .iter()
            .position(|stmt| is_taken(stmt, name))
            .ok_or_else(|| fail(&format!("`send` never takes `{name}` from the builder")))?;
        let ident = format_ident!("{}", name);
        let check: syn::Stmt = syn::parse_quote! {
            crate::runtime::check_path_parameter(#name, &#ident.to_string())?;
        };
        send.block.stmts.insert(taken + 1, check);
    }
    Ok(names)
}

/// The parameters of `let url = format!("...", client.baseurl, encode_path(&x.to_string()), ...)`.
fn url_parameters(stmts: &[syn::Stmt]) -> Option<Vec<String>> {
    let mac = stmts.iter().find_map(|stmt| match stmt {
        syn::Stmt::Local(local) if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "url") => {
            match local.init.as_ref()?.expr.as_ref() {
                syn::Expr::Macro(mac) if mac.mac.path.is_ident("format") => Some(&mac.mac),
                _ => None,
            }
        }
        _ => None,
    })?;
    let args = mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated).ok()?;
    args.iter()
        .skip(2)
        .map(|arg| {
            let syn::Expr::Call(call) = arg else { return None };
            let is_encode = matches!(call.func.as_ref(), syn::Expr::Path(p) if p.path.is_ident("encode_path"));
            let (Some(syn::Expr::Reference(reference)), 1) = (call.args.first(), call.args.len()) else { return None };
            let syn::Expr::MethodCall(to_string) = reference.expr.as_ref() else { return None };
            let syn::Expr::Path(receiver) = to_string.receiver.as_ref() else { return None };
            (is_encode && to_string.method == "to_string").then(|| receiver.path.get_ident().map(|i| i.to_string()))?
        })
        .collect()
}

/// `let name = name.map_err(Error::InvalidRequest)?;`
fn is_taken(stmt: &syn::Stmt, name: &str) -> bool {
    let syn::Stmt::Local(local) = stmt else { return false };
    let syn::Pat::Ident(pattern) = &local.pat else { return false };
    let Some(init) = &local.init else { return false };
    let expected: syn::Expr = syn::parse_str(&format!("{name}.map_err(Error::InvalidRequest)?")).expect("valid");
    pattern.ident == name && init.expr.to_token_stream().to_string() == expected.to_token_stream().to_string()
}

/// `clerk-api/tests/path_parameters/cases.rs`: for every path parameter of every operation, a
/// call with the value under test in it and valid values in the others, whose result the
/// hand-written test (`refused`) checks.
pub fn path_parameters_test(checked: &PathParameters) -> String {
    let mut calls = Vec::new();
    for (id, names) in checked {
        let method = format_ident!("{}", id);
        for refused in names {
            let setters = names.iter().map(|name| {
                let setter = format_ident!("{}", name);
                if name == refused { quote!(.#setter(value)) } else { quote!(.#setter("x")) }
            });
            calls.push(quote! {
                refused(client.#method() #(#setters)* .send().await, #refused, value);
            });
        }
    }
    let tokens: TokenStream = quote! {
        //! One call per path parameter of every operation, with `value` in that parameter.

        use super::refused;

        pub async fn each_path_parameter(client: &clerk_api::Client, value: &str) {
            #(#calls)*
        }
    };
    let file: syn::File = syn::parse2(tokens).expect("the test parses");
    format!(
        "// @generated by `{}`: do not edit. It follows the operations of the document.\n\n{}",
        crate::COMMAND,
        prettyplease::unparse(&file)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated() -> (Vec<Operation>, syn::File) {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "v1"},
            "paths": {
                "/users/{user_id}/passkeys/{passkey_id}": {"delete": {
                    "operationId": "user_passkey_delete",
                    "parameters": [
                        {"name": "user_id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "passkey_id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "reason", "in": "query", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
                "/jwks": {"get": {"operationId": "get_jwks", "responses": {"200": {"description": "ok"}}}},
            },
        });
        let spec = crate::to_openapi(&document, "test.json").unwrap();
        let file: syn::File = syn::parse2(crate::run_progenitor(&spec).unwrap()).unwrap();
        (crate::operations::operations(&spec, &file).unwrap(), file)
    }

    fn send_of(file: &syn::File, builder: &str) -> String {
        let items = file.items.iter().find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        });
        items
            .unwrap()
            .iter()
            .find_map(|item| match item {
                syn::Item::Impl(block) if block.self_ty.to_token_stream().to_string().starts_with(builder) => {
                    block.items.iter().find_map(|member| match member {
                        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f.block.to_token_stream().to_string()),
                        _ => None,
                    })
                }
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn path_parameters_are_checked_first_and_answers_decoded_by_clerk_api() {
        let (operations, mut file) = generated();
        let checked = use_clerk_runtime(&mut file, &operations).unwrap();
        assert_eq!(
            checked,
            [
                ("user_passkey_delete".to_string(), vec!["user_id".to_string(), "passkey_id".to_string()]),
                ("get_jwks".to_string(), vec![]),
            ]
        );
        let send = send_of(&file, "UserPasskeyDelete");
        let user = send.find("crate :: runtime :: check_path_parameter (\"user_id\"").expect(&send);
        let passkey = send.find("crate :: runtime :: check_path_parameter (\"passkey_id\"").expect(&send);
        let reason = send.find("let reason = reason . map_err").expect(&send);
        assert!(user < passkey && passkey < reason, "{send}");
        assert!(send.contains("crate :: runtime :: from_response (response)"), "{send}");
        assert!(!send.contains("ResponseValue :: from_response"), "{send}");
        let code = file.to_token_stream().to_string();
        assert!(code.contains("use crate :: { runtime :: encode_path , Error }"), "{code}");
        assert!(code.contains("pub use progenitor_client :: { ByteStream , ClientInfo , ResponseValue }"), "{code}");
        assert!(
            code.contains("use progenitor_client :: { ClientHooks , OperationInfo , RequestBuilderExt }"),
            "{code}"
        );
    }

    #[test]
    fn an_operation_without_progenitors_shapes_fails_naming_it() {
        let (operations, file) = generated();
        let code = file.to_token_stream().to_string();
        let mut changed: syn::File =
            syn::parse_str(&code.replace("let user_id = user_id", "let user_id = user_id . clone ()")).unwrap();
        let err = use_clerk_runtime(&mut changed, &operations).unwrap_err().to_string();
        assert!(err.contains("`DELETE /users/{user_id}/passkeys/{passkey_id}` (`user_passkey_delete`)"), "{err}");
        assert!(err.contains("never takes `user_id`"), "{err}");

        let mut fewer = operations.clone();
        fewer[0].parameters.remove(0);
        let err = use_clerk_runtime(&mut syn::parse_str(&code).unwrap(), &fewer).unwrap_err().to_string();
        assert!(err.contains("the URL has 2 parameters, the document 1"), "{err}");
    }

    #[test]
    fn the_test_calls_each_path_parameter_with_the_others_valid() {
        let checked = vec![("user_passkey_delete".to_string(), vec!["user_id".to_string(), "passkey_id".to_string()])];
        let test = path_parameters_test(&checked);
        assert!(test.starts_with("// @generated by `cargo xtask generate`"), "{test}");
        assert!(test.contains("pub async fn each_path_parameter(client: &clerk_api::Client, value: &str)"), "{test}");
        let compact: String = test.split_whitespace().collect();
        assert!(
            compact.contains(
                r#"refused(client.user_passkey_delete().user_id(value).passkey_id("x").send().await,"user_id",value,);"#
            ),
            "{test}"
        );
        assert!(compact.contains(r#"refused(client.user_passkey_delete().user_id("x").passkey_id(value).send().await,"passkey_id",value,);"#), "{test}");
    }
}
