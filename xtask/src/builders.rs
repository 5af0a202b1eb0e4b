//! The two kinds of builders of the generated API, made to read well, by rule on the generated
//! code:
//!
//! - both modules are named `builder` by their generators (progenitor's request builders in the
//!   client, typify's body builders in the types), so each one's documentation says what it
//!   holds and names the other;
//! - a setter of an optional text field of a body builder takes `&str` as a required one does.
//!   typify's setters take `T: TryInto<Field>`, and `Option<String>` converts from `String` but
//!   not from `&str`, so `.slug("acme")` would not compile where `.name("Acme")` does. Those
//!   setters take `T: IntoOptionalString` instead (`clerk-api-types/src/lib.rs`), which `&str`,
//!   `String` and `Option`s of either implement.

use quote::ToTokens;

use crate::GenerateError;

/// The documentation of the client's `builder` module.
const REQUEST_BUILDERS: &str = "The request builders: one per operation, what each method of [`Client`](super::Client) \
     answers. Set the operation's parameters with the builder's methods of the same names and its body with `body(..)` \
     or `body_map(|body| ..)`, then `send()` it, or `stream()` every item of a list.\n\n\
     Not to be confused with [`types::builder`](super::types::builder), the builders of request bodies and of the \
     values inside them, which `body_map` hands you.";

/// The documentation of the types' `builder` module.
const BODY_BUILDERS: &str = "The builders of request bodies and of the values inside them: `X::builder()` for a type \
     `X`, and what a request builder's `body_map(|body| ..)` hands you. Each setter takes what converts into its field \
     (`&str` for a text field, optional or not); a body builder becomes its type with `TryFrom`, which fails naming a \
     required field left unset.\n\n\
     Not to be confused with `clerk_api::builder`, the request builders, one per operation.";

/// Documents the client's request builders beside the body builders.
pub fn document_request_builders(client: &mut syn::File) -> Result<(), GenerateError> {
    let module = builder_module(client)
        .ok_or_else(|| GenerateError::Unplaced("the generated client has no `builder` module".to_string()))?;
    set_doc(module, REQUEST_BUILDERS);
    Ok(())
}

/// Documents the body builders beside the request builders, and makes their optional text
/// setters take `&str`. The types of a document without request bodies have no builders.
pub fn improve_body_builders(types: &mut syn::File) -> Result<(), GenerateError> {
    let Some(module) = builder_module(types) else { return Ok(()) };
    set_doc(module, BODY_BUILDERS);
    let Some((_, items)) = module.content.as_mut() else { return Ok(()) };
    for item in items {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let builder = block.self_ty.to_token_stream().to_string();
        for member in &mut block.items {
            if let syn::ImplItem::Fn(setter) = member
                && takes_optional_string(setter)
            {
                take_str(setter).map_err(|why| {
                    GenerateError::Unplaced(format!(
                        "cannot make `builder::{builder}::{}` take `&str`: {why}",
                        setter.sig.ident
                    ))
                })?;
            }
        }
    }
    Ok(())
}

fn builder_module(file: &mut syn::File) -> Option<&mut syn::ItemMod> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => Some(module),
        _ => None,
    })
}

/// Replaces the module's documentation.
fn set_doc(module: &mut syn::ItemMod, doc: &str) {
    module.attrs.retain(|attr| !attr.path().is_ident("doc"));
    let doc: Vec<syn::Attribute> = doc
        .split('\n')
        .map(|line| {
            let line = format!(" {line}");
            syn::parse_quote!(#[doc = #line])
        })
        .collect();
    module.attrs.splice(0..0, doc);
}

/// Whether a setter is typify's for an `Option<String>` field: generic over `T:
/// TryInto<Option<String>>` with a displayable error.
fn takes_optional_string(setter: &syn::ImplItemFn) -> bool {
    let Some(clause) = &setter.sig.generics.where_clause else { return false };
    let expected: syn::WhereClause = syn::parse_quote! {
        where
            T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
            T::Error: ::std::fmt::Display,
    };
    clause.to_token_stream().to_string() == expected.to_token_stream().to_string()
}

/// `where T: crate::IntoOptionalString` and `self.field = Ok(value.into_optional_string());`, in
/// place of typify's `value.try_into().map_err(..)`.
fn take_str(setter: &mut syn::ImplItemFn) -> Result<(), String> {
    let field = match setter.block.stmts.first() {
        Some(syn::Stmt::Expr(syn::Expr::Assign(assign), _)) => match assign.left.as_ref() {
            syn::Expr::Field(field)
                if matches!(field.base.as_ref(), syn::Expr::Path(base) if base.path.is_ident("self"))
                    && assign.right.to_token_stream().to_string().starts_with("value . try_into ()") =>
            {
                field.member.to_token_stream()
            }
            _ => return Err("its first statement does not assign `value.try_into()` to a field".to_string()),
        },
        _ => return Err("its first statement does not assign `value.try_into()` to a field".to_string()),
    };
    setter.sig.generics.where_clause = Some(syn::parse_quote!(where T: crate::IntoOptionalString));
    setter.block.stmts[0] = syn::parse_quote! {
        self.#field = Ok(value.into_optional_string());
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_text_setters_take_str_and_others_are_left_alone() {
        let mut types: syn::File = syn::parse_quote! {
            /// Types for composing complex structures.
            pub mod builder {
                pub struct Body {
                    name: ::std::result::Result<::std::string::String, ::std::string::String>,
                    slug: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                }
                impl Body {
                    pub fn name<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::string::String>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.name = value.try_into().map_err(|e| format!("error converting supplied value for name: {e}"));
                        self
                    }
                    pub fn slug<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.slug = value.try_into().map_err(|e| format!("error converting supplied value for slug: {e}"));
                        self
                    }
                }
            }
        };
        improve_body_builders(&mut types).unwrap();
        let code: String = types.to_token_stream().to_string().split_whitespace().collect();
        assert!(
            code.contains(
                "pubfnslug<T>(mutself,value:T)->SelfwhereT:crate::IntoOptionalString{self.slug=Ok(value.into_optional_string());self}"
            ),
            "{code}"
        );
        assert!(code.contains("T:::std::convert::TryInto<::std::string::String>"), "{code}");
        assert!(code.contains("self.name=value.try_into()"), "{code}");
        assert!(code.starts_with("#[doc=\"Thebuildersofrequestbodies"), "{code}");
        assert!(!code.contains("complexstructures"), "{code}");
    }

    #[test]
    fn a_setter_of_another_shape_fails_naming_it() {
        let mut types: syn::File = syn::parse_quote! {
            pub mod builder {
                impl Body {
                    pub fn slug<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.other(value);
                        self
                    }
                }
            }
        };
        let err = improve_body_builders(&mut types).unwrap_err().to_string();
        assert_eq!(
            err,
            "cannot make `builder::Body::slug` take `&str`: its first statement does not assign `value.try_into()` to a field"
        );
    }

    #[test]
    fn the_request_builders_name_the_body_builders() {
        let mut client: syn::File = syn::parse_quote! {
            /// Types for composing operation parameters.
            pub mod builder {}
        };
        document_request_builders(&mut client).unwrap();
        let code = client.to_token_stream().to_string();
        assert!(code.contains("The request builders: one per operation"), "{code}");
        assert!(code.contains("[`types::builder`](super::types::builder)"), "{code}");
        assert!(!code.contains("composing operation parameters"), "{code}");
    }
}
