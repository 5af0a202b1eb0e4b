//! `.stream()` on the request builder of every list operation that pages with `limit` and
//! `offset`: a `clerk_api::ListStream` of its items, page after page (`clerk-api/src/list_stream.rs`
//! pages; this module writes the methods), by rule on progenitor's output.
//!
//! A list gets one when the document gives it optional `limit` and `offset` query parameters
//! and a largest page (the rules record it, [`crate::normalize::PAGE_LIMIT`]), and its `send`
//! answers one of the shapes of a list: `Page<T>` (either of Clerk's shapes), a bare `Vec<T>`,
//! or an object with one array of items and maybe `total_count` (`{m2m_tokens, total_count}`).
//! The stream asks for pages of the builder's `limit`, or of that largest page when it has none,
//! from its `offset`. A list that takes `paginated` is asked for `paginated=true`, so that Clerk
//! reports `total_count` and the stream knows the last page without asking for an empty one.
//! Any other list keeps `send` alone, and `API.md` names it with the reason.
//!
//! Each `stream` is `#[inline]`, which leaves its code (the paging, and above all the decoding
//! of the list's items) to be compiled in the crate that calls it, as the `send` futures
//! already are: clerk-api does not compile the decoding of every list for programs that stream
//! none.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use crate::GenerateError;
use crate::inventory::type_text;
use crate::operations::Operation;

/// What the rule made of the lists of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Streams {
    /// The lists that have a `stream`, in the document's order.
    pub streamed: Vec<Stream>,
    /// The operations that take `limit` and `offset` but have no `stream`, with why.
    pub unstreamed: Vec<(String, String)>,
}

/// One list's `stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    /// The operation's id: its client method.
    pub id: String,
    /// The type of its items, as `API.md` writes types.
    pub item: String,
    /// The size of its pages when the builder has no `limit`.
    pub page_limit: i64,
    /// Whether it asks for `paginated=true`.
    pub paginated: bool,
}

/// Adds `stream` to the request builder of every list that qualifies.
pub fn add_streams(file: &mut syn::File, operations: &[Operation]) -> Result<Streams, GenerateError> {
    let mut streams = Streams::default();
    let mut methods: BTreeMap<String, syn::ImplItem> = BTreeMap::new();
    {
        let types = module_items(file, "types").unwrap_or(&[]);
        let builders = module_items(file, "builder")
            .ok_or_else(|| GenerateError::Unplaced("the generated client has no `builder` module".to_string()))?;
        for operation in operations {
            if operation.query_parameter("limit").is_none() || operation.query_parameter("offset").is_none() {
                continue;
            }
            match stream_method(operation, builders, types)? {
                Ok((method, stream)) => {
                    methods.insert(operation.builder.clone(), method);
                    streams.streamed.push(stream);
                }
                Err(reason) => streams.unstreamed.push((operation.id.clone(), reason)),
            }
        }
    }
    for item in module_items_mut(file, "builder").into_iter().flatten() {
        if let syn::Item::Impl(block) = item
            && block.trait_.is_none()
            && let Some(method) = builder_name(block).and_then(|name| methods.remove(&name))
        {
            block.items.push(method);
        }
    }
    Ok(streams)
}

/// The `stream` of one list, or why it has none. Fails when the builder does not have
/// progenitor's shape.
fn stream_method(
    operation: &Operation,
    builders: &[syn::Item],
    types: &[syn::Item],
) -> Result<Result<(syn::ImplItem, Stream), String>, GenerateError> {
    let fail = |why: &str| {
        GenerateError::Unplaced(format!(
            "cannot write the stream of `{} {}` (`{}`): {why}",
            operation.method, operation.path, operation.id
        ))
    };
    let Some(page_limit) = operation.page_limit else {
        return Ok(Err("the document gives `limit` no `maximum` or `default`".to_string()));
    };
    let fields = builders
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == operation.builder => Some(&s.fields),
            _ => None,
        })
        .ok_or_else(|| fail(&format!("there is no struct `builder::{}`", operation.builder)))?;
    let field_type = |name: &str| {
        fields.iter().find(|field| field.ident.as_ref().is_some_and(|i| i == name)).map(|field| type_text(&field.ty))
    };
    for name in ["limit", "offset"] {
        match field_type(name).as_deref() {
            Some("Result<Option<i64>, String>") => {}
            Some(other) => {
                return Ok(Err(format!("its builder holds `{name}` as `{other}`, not an optional `i64`")));
            }
            None => return Err(fail(&format!("its builder has no field `{name}`"))),
        }
    }
    let paginated = operation.query_parameter("paginated").is_some()
        && field_type("paginated").as_deref() == Some("Result<Option<bool>, String>");
    let (block, send) = builders
        .iter()
        .find_map(|item| match item {
            syn::Item::Impl(block)
                if block.trait_.is_none() && builder_name(block).as_deref() == Some(&operation.builder) =>
            {
                block.items.iter().find_map(|member| match member {
                    syn::ImplItem::Fn(function) if function.sig.ident == "send" => Some((block, function)),
                    _ => None,
                })
            }
            _ => None,
        })
        .ok_or_else(|| fail(&format!("`builder::{}` has no `send`", operation.builder)))?;
    if block.items.iter().any(|member| matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "stream")) {
        return Ok(Err("its builder has a parameter named `stream`".to_string()));
    }
    let lifetime = block
        .generics
        .lifetimes()
        .next()
        .map(|lifetime| lifetime.lifetime.clone())
        .ok_or_else(|| fail(&format!("`builder::{}` has no lifetime", operation.builder)))?;
    let syn::ReturnType::Type(_, answer) = &send.sig.output else {
        return Err(fail("`send` answers nothing"));
    };
    let (success, error) = match type_arguments(answer, "Result").as_deref() {
        Some([response, error]) => match (type_arguments(response, "ResponseValue"), type_arguments(error, "Error")) {
            (Some(success), Some(error)) if success.len() == 1 && error.len() == 1 => (success[0], error[0]),
            _ => return Err(fail("`send` does not answer `Result<ResponseValue<_>, Error<_>>`")),
        },
        _ => return Err(fail("`send` does not answer `Result<ResponseValue<_>, Error<_>>`")),
    };
    let Some((item, parts)) = list_shape(success, types) else {
        return Ok(Err(format!("its answer, `{}`, is not a list of items", type_text(success))));
    };
    let ask_total = if paginated { quote!(.paginated(true)) } else { TokenStream::new() };
    let asking = if paginated { ", asking for `paginated=true` so that Clerk reports `total_count`" } else { "" };
    let doc = format!(
        " Every item of the list, page after page: pages of `limit` items ({page_limit} when unset, the largest page \
         the document allows) from `offset`{asking}. See [`ListStream`](crate::ListStream)."
    );
    let size = Literal::i64_unsuffixed(page_limit);
    let method: syn::ImplItem = syn::parse2(quote! {
        #[doc = #doc]
        #[inline]
        pub fn stream(self) -> crate::ListStream<#lifetime, #item, crate::Error<#error>> {
            let (limit, offset) = (self.limit.clone(), self.offset.clone());
            crate::ListStream::new(
                limit,
                offset,
                #size,
                |answer: #success| #parts,
                move |limit, offset| self.clone().limit(limit).offset(offset) #ask_total .send(),
            )
        }
    })
    .map_err(|err| fail(&format!("the method does not parse: {err}")))?;
    let stream = Stream { id: operation.id.clone(), item: type_text(&item), page_limit, paginated };
    Ok(Ok((method, stream)))
}

/// The item type of a list's answer, and the expression that splits `answer` into its items
/// and `total_count`; `None` when the answer is not a list.
fn list_shape(success: &syn::Type, types: &[syn::Item]) -> Option<(TokenStream, TokenStream)> {
    if let Some([item]) = type_arguments(success, "Page").as_deref() {
        return Some((item.to_token_stream(), quote!((answer.data, answer.total_count))));
    }
    if let Some([item]) = type_arguments(success, "Vec").as_deref() {
        return Some((item.to_token_stream(), quote!((answer, None))));
    }
    let syn::Type::Path(path) = success else { return None };
    let segments: Vec<&syn::PathSegment> = path.path.segments.iter().collect();
    let [module, name] = segments.as_slice() else { return None };
    if module.ident != "types" {
        return None;
    }
    let fields = types.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name.ident => Some(&s.fields),
        _ => None,
    })?;
    let arrays: Vec<(&syn::Ident, &syn::Type)> = fields
        .iter()
        .filter_map(|field| {
            let optional = type_arguments(&field.ty, "Option")?;
            let items = type_arguments(*optional.first()?, "Vec")?;
            Some((field.ident.as_ref()?, *items.first()?))
        })
        .collect();
    let [(field, item)] = arrays.as_slice() else { return None };
    let has_total = fields.iter().any(|field| field.ident.as_ref().is_some_and(|i| i == "total_count"));
    let total = if has_total { quote!(answer.total_count.map(|count| count as i64)) } else { quote!(None) };
    Some((in_types(item), quote!((answer.#field.unwrap_or_default(), #total))))
}

/// A type named inside the `types` module, as the client names it: a bare name is one of the
/// generated types.
fn in_types(ty: &syn::Type) -> TokenStream {
    match ty {
        syn::Type::Path(path)
            if path.qself.is_none() && path.path.leading_colon.is_none() && path.path.segments.len() == 1 =>
        {
            quote!(types::#path)
        }
        other => other.to_token_stream(),
    }
}

/// The type arguments of `ty` when it is a path whose last segment is `name`.
fn type_arguments<'a>(ty: &'a syn::Type, name: &str) -> Option<Vec<&'a syn::Type>> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return Some(Vec::new()) };
    Some(
        arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
    )
}

/// The name of the type an impl block is for.
fn builder_name(block: &syn::ItemImpl) -> Option<String> {
    match block.self_ty.as_ref() {
        syn::Type::Path(path) => path.path.segments.last().map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

fn module_items<'a>(file: &'a syn::File, name: &str) -> Option<&'a [syn::Item]> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_ref().map(|(_, items)| items.as_slice()),
        _ => None,
    })
}

fn module_items_mut<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn list(id: &str, parameters: Value, answer: Value) -> Value {
        json!({"get": {"operationId": id, "parameters": parameters,
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": answer}}}}}})
    }

    fn limit(schema: Value) -> Value {
        json!({"name": "limit", "in": "query", "schema": schema})
    }

    fn offset() -> Value {
        json!({"name": "offset", "in": "query", "schema": {"type": "integer"}})
    }

    /// The client of a document of lists, after the rules, with its streams.
    fn generated(paths: Value) -> (syn::File, Streams) {
        let mut document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "v1"},
            "paths": paths,
            "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}},
        });
        crate::normalize::normalize(&mut document);
        let spec = crate::to_openapi(&document, "test.json").unwrap();
        let mut file: syn::File = syn::parse2(crate::run_progenitor(&spec).unwrap()).unwrap();
        let operations = crate::operations::operations(&spec, &file).unwrap();
        let streams = add_streams(&mut file, &operations).unwrap();
        (file, streams)
    }

    /// The `stream` of a builder, its tokens without spaces.
    fn stream_of(file: &syn::File, builder: &str) -> Option<String> {
        module_items(file, "builder")?.iter().find_map(|item| match item {
            syn::Item::Impl(block) if builder_name(block).as_deref() == Some(builder) => {
                block.items.iter().find_map(|member| match member {
                    syn::ImplItem::Fn(function) if function.sig.ident == "stream" => {
                        Some(function.to_token_stream().to_string().split_whitespace().collect())
                    }
                    _ => None,
                })
            }
            _ => None,
        })
    }

    #[test]
    fn each_list_shape_is_split_into_items_and_count() {
        let things = json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}});
        let paginated = json!({"name": "paginated", "in": "query", "schema": {"type": "boolean"}});
        let (file, streams) = generated(json!({
            "/things": list("ListThings", json!([limit(json!({"type": "integer", "maximum": 50, "default": 10})), offset()]), things.clone()),
            "/pages": list("ListPages", json!([paginated, limit(json!({"type": "integer", "maximum": 20})), offset()]), things.clone()),
            "/tokens": list("ListTokens", json!([limit(json!({"type": "number", "default": 30})), {"name": "offset", "in": "query", "schema": {"type": "number"}}]),
                json!({"type": "object", "properties": {
                    "tokens": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
                    "total_count": {"type": "number"}}})),
            "/shared": {
                "parameters": [{"name": "offset", "in": "query", "schema": {"type": "number"}}],
                "get": list("ListShared", json!([limit(json!({"type": "integer", "maximum": 40}))]), things.clone())["get"].clone(),
            },
        }));
        assert_eq!(
            streams.streamed,
            [
                Stream { id: "list_things".into(), item: "Thing".into(), page_limit: 50, paginated: false },
                Stream { id: "list_pages".into(), item: "Thing".into(), page_limit: 20, paginated: true },
                Stream {
                    id: "list_tokens".into(),
                    item: "ListTokensResponseTokensItem".into(),
                    page_limit: 30,
                    paginated: false
                },
                // Its `offset` is the path's, a number made an integer.
                Stream { id: "list_shared".into(), item: "Thing".into(), page_limit: 40, paginated: false },
            ]
        );
        assert!(streams.unstreamed.is_empty(), "{streams:?}");

        let bare = stream_of(&file, "ListThings").unwrap();
        assert!(bare.starts_with("#[doc="), "{bare}");
        let bare = &bare[bare.find("#[inline]").unwrap()..];
        assert_eq!(
            bare,
            "#[inline]pubfnstream(self)->crate::ListStream<'a,types::Thing,crate::Error<()>>{let(limit,offset)=(self.limit.clone(),\
             self.offset.clone());crate::ListStream::new(limit,offset,50,|answer:::std::vec::Vec<types::Thing>|(answer,None),\
             move|limit,offset|self.clone().limit(limit).offset(offset).send(),)}"
        );
        let page = stream_of(&file, "ListPages").unwrap();
        assert!(page.contains("|answer:::clerk_api::Page<types::Thing,>|(answer.data,answer.total_count)"), "{page}");
        assert!(page.contains("self.clone().limit(limit).offset(offset).paginated(true).send()"), "{page}");
        let object = stream_of(&file, "ListTokens").unwrap();
        assert!(object.contains("crate::ListStream<'a,types::ListTokensResponseTokensItem,"), "{object}");
        assert!(
            object.contains(
                "|answer:types::ListTokensResponse|(answer.tokens.unwrap_or_default(),answer.total_count.map(|count|countasi64))"
            ),
            "{object}"
        );
    }

    #[test]
    fn a_list_without_a_page_size_or_an_array_has_no_stream_and_says_why() {
        let things = json!({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}});
        let (file, streams) = generated(json!({
            "/unbounded": list("ListUnbounded", json!([limit(json!({"type": "integer"})), offset()]), things.clone()),
            "/single": list("GetSingle", json!([limit(json!({"maximum": 5, "type": "integer"})), offset()]), json!({"$ref": "#/components/schemas/Thing"})),
            "/named": list("ListNamed", json!([limit(json!({"maximum": 5, "type": "integer"})), offset(),
                {"name": "stream", "in": "query", "schema": {"type": "string"}}]), things.clone()),
            "/required": list("ListRequired", json!([limit(json!({"maximum": 5, "type": "integer"})),
                {"name": "offset", "in": "query", "required": true, "schema": {"type": "integer"}}]), things.clone()),
            "/no_offset": list("ListWithoutOffset", json!([limit(json!({"maximum": 5, "type": "integer"}))]), things),
        }));
        assert!(streams.streamed.is_empty(), "{streams:?}");
        assert_eq!(
            streams.unstreamed,
            [
                ("list_unbounded".to_string(), "the document gives `limit` no `maximum` or `default`".to_string()),
                ("get_single".to_string(), "its answer, `Thing`, is not a list of items".to_string()),
                ("list_named".to_string(), "its builder has a parameter named `stream`".to_string()),
                (
                    "list_required".to_string(),
                    "its builder holds `offset` as `Result<i64, String>`, not an optional `i64`".to_string()
                ),
            ]
        );
        for builder in ["ListUnbounded", "GetSingle", "ListRequired", "ListWithoutOffset"] {
            assert_eq!(stream_of(&file, builder), None, "{builder}");
        }
    }
}
