//! The operation tools of `clerk-tools` (`clerk-tools/src/operations/generated.rs`): one tool
//! per operation of the generated client, derived from the same fixed document and the same
//! generated code, so that regenerating on a newer document updates them with the client.
//!
//! Each tool is `clerk_api_` and the client method's name; its title is the operation's
//! summary, its description the summary and description; its nature follows the HTTP method
//! (GET reads, DELETE removes, PUT is idempotent); its groups are the operation's. Its input
//! is one flat object of Clerk's wire names: the path parameters, then the query parameters,
//! then the properties of a JSON object body. A name already taken by an earlier input is
//! given with the prefix of its location (`query_`, `body_`); a body that is not an object
//! with properties is one input, `body`. Every type comes from the builder the operation's
//! client method returns, so the tools call the client exactly as hand-written code would.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value, json};

use crate::operations::{Location, Operation};
use crate::{GenerateError, GeneratedFile};

/// The generated file, relative to the workspace root.
pub const PATH: &str = "clerk-tools/src/operations/generated.rs";
/// What every operation tool's name starts with.
pub const PREFIX: &str = "clerk_api_";

/// Properties of a response object whose value lets its reader act as a user or a client: an
/// operation answering one returns credentials, which a read-only selection leaves out unless
/// credentials are allowed. Conservative: a `url` may be a sign-in link.
const CREDENTIAL_PROPERTIES: &[&str] = &["token", "jwt", "secret", "client_secret", "private_key", "url"];

/// Nested objects of an input schema are inlined this deep; below, a value is described by its
/// type alone. Clerk's request bodies need two levels; the limit keeps a self-referencing
/// schema finite.
const MAX_DEPTH: usize = 4;

/// Schema keywords a model can use; everything else (examples, vendor extensions, XML hints)
/// is left out of the tools' input schemas.
const KEPT_KEYWORDS: &[&str] = &[
    "type",
    "description",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "format",
];

/// Where an input goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Path,
    Query,
    /// A property of the JSON object body.
    BodyProperty,
    /// The whole body.
    Body,
}

/// One input of an operation tool.
struct Input {
    /// The input's name in the tool's schema.
    name: String,
    /// Clerk's name for it.
    wire: String,
    place: Place,
    required: bool,
    schema: Value,
    /// The builder's setter (path and query parameters, and the body).
    setter: String,
    /// The type the setter takes.
    rust_type: TokenStream,
}

/// One operation tool.
struct OperationTool<'a> {
    operation: &'a Operation,
    description: String,
    inputs: Vec<Input>,
    returns_credentials: bool,
}

/// Generates the operation tools of the client `client` (the generated client module, its
/// `builder` module included) for the `placed` operations of `document`, the document after
/// the overlay: its request schemas still state what Clerk accepts (enums, patterns).
pub fn generate(
    document: &Value,
    placed: &[Operation],
    client: &syn::File,
    header: &str,
) -> Result<GeneratedFile, GenerateError> {
    let builders = builder_fields(client);
    let mut tools = Vec::new();
    for operation in placed {
        let Some(fields) = builders.iter().find(|(name, _)| *name == operation.builder).map(|(_, fields)| fields)
        else {
            return Err(unplaced(operation, &format!("the generated client has no builder `{}`", operation.builder)));
        };
        tools.push(tool(document, operation, fields)?);
    }
    let entries = tools.iter().map(declaration);
    let runs = tools.iter().map(run);
    let count = tools.len();
    let file: syn::File = syn::parse2(quote! {
        use super::{Declaration, Input, output};
        use crate::error::Error;
        use crate::execute::{ToolCall, send};
        use crate::registry::Nature;
        use futures_util::future::BoxFuture;
        use serde_json::Value;

        /// Every operation tool, in the document's order.
        pub(crate) static DECLARATIONS: [Declaration; #count] = [#(#entries),*];

        #(#runs)*
    })
    .map_err(|err| GenerateError::Format(format!("{PATH}: {err}")))?;
    Ok(GeneratedFile { path: PATH, contents: format!("{header}{}", prettyplease::unparse(&file)), region: None })
}

fn unplaced(operation: &Operation, why: &str) -> GenerateError {
    GenerateError::Unplaced(format!(
        "cannot make a tool of `{} {}` (`{}`): {why}",
        operation.method, operation.path, operation.id
    ))
}

/// The builder name -> its fields (name, the `T` of `Result<T, String>`, and whether `T` is an
/// `Option`).
fn builder_fields(client: &syn::File) -> Vec<(String, Vec<(String, syn::Type)>)> {
    let Some(items) = client.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(builder) => Some((
                builder.ident.to_string(),
                builder
                    .fields
                    .iter()
                    .filter_map(|field| {
                        let name = field.ident.as_ref()?.to_string();
                        (name != "client").then(|| Some((name, generic_argument(&field.ty, "Result")?)))?
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

/// `T` of `Wrapper<T, ...>`.
fn generic_argument(ty: &syn::Type, wrapper: &str) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) => syn::parse2(quote!(#inner)).ok(),
        _ => None,
    }
}

/// A type of the generated client as the tools name it: `types::X` is `clerk_api::types::X`,
/// and a body's `types::builder::X` is the type `X` it builds.
fn tools_type(ty: &syn::Type) -> TokenStream {
    let text = quote!(#ty).to_string().replace(' ', "");
    let text = text.replace("types::builder::", "types::");
    let text = match text.strip_prefix("types::") {
        Some(rest) => format!("clerk_api::types::{rest}"),
        None => text.replace("<types::", "<clerk_api::types::"),
    };
    text.parse().unwrap_or_else(|_| quote!(#ty))
}

fn tool<'a>(
    document: &Value,
    operation: &'a Operation,
    fields: &[(String, syn::Type)],
) -> Result<OperationTool<'a>, GenerateError> {
    let source = operation_object(document, operation)
        .ok_or_else(|| unplaced(operation, "the document has no such operation"))?;
    let mut inputs: Vec<Input> = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut name_for = |wire: &str, prefix: &str| {
        let mut name = wire.to_string();
        while taken.contains(&name) {
            name = format!("{prefix}_{name}");
        }
        taken.insert(name.clone());
        name
    };
    let parameter_schemas = parameter_objects(document, operation);
    for location in [Location::Path, Location::Query] {
        for parameter in operation.parameters.iter().filter(|p| p.location == location) {
            let words = crate::normalize::operation_words(&parameter.name).join("_");
            let Some((setter, ty)) =
                fields.iter().find(|(field, _)| *field == words || field.trim_end_matches('_') == words)
            else {
                return Err(unplaced(operation, &format!("its builder has no setter for `{}`", parameter.name)));
            };
            let object = parameter_schemas.iter().find(|p| p["name"] == parameter.name.as_str());
            let mut schema =
                object.map(|p| input_schema(document, &p["schema"], 0, &mut Vec::new())).unwrap_or(json!({}));
            if let Some(text) = object.and_then(|p| p["description"].as_str()) {
                describe(&mut schema, text);
            }
            let (place, prefix) =
                if location == Location::Path { (Place::Path, "path") } else { (Place::Query, "query") };
            let inner = generic_argument(ty, "Option");
            inputs.push(Input {
                name: name_for(&parameter.name, prefix),
                wire: parameter.name.clone(),
                place,
                required: parameter.required || location == Location::Path,
                schema,
                setter: setter.clone(),
                rust_type: tools_type(inner.as_ref().unwrap_or(ty)),
            });
        }
    }
    if let Some((_, body_type)) = fields.iter().find(|(field, _)| field == "body") {
        let body = request_body_schema(document, source);
        let rust_type = tools_type(body_type);
        match body.as_ref().and_then(|schema| object_properties(document, schema)) {
            Some((properties, required)) => {
                for (wire, property) in properties {
                    if property.get("readOnly") == Some(&Value::Bool(true)) {
                        continue;
                    }
                    inputs.push(Input {
                        name: name_for(&wire, "body"),
                        required: required.contains(&wire),
                        schema: input_schema(document, &property, 0, &mut Vec::new()),
                        wire,
                        place: Place::BodyProperty,
                        setter: "body".into(),
                        rust_type: rust_type.clone(),
                    });
                }
            }
            None => inputs.push(Input {
                name: name_for("body", "request"),
                wire: "body".into(),
                place: Place::Body,
                required: true,
                schema: body.map(|schema| input_schema(document, &schema, 0, &mut Vec::new())).unwrap_or(json!({})),
                setter: "body".into(),
                rust_type,
            }),
        }
    }
    let summary = operation.summary.trim().trim_end_matches('.').to_string();
    let long = source.get("description").and_then(Value::as_str).unwrap_or("").trim();
    let description = match (summary.is_empty(), long.is_empty()) {
        (_, true) => summary.clone(),
        (true, false) => long.to_string(),
        (false, false) if long.starts_with(&summary) => long.to_string(),
        (false, false) => format!("{summary}.\n\n{long}"),
    };
    Ok(OperationTool {
        operation,
        description: if description.is_empty() { operation.id.replace('_', " ") } else { description },
        inputs,
        returns_credentials: returns_credentials(document, source),
    })
}

/// The operation object of the document.
fn operation_object<'a>(document: &'a Value, operation: &Operation) -> Option<&'a Value> {
    document.get("paths")?.get(&operation.path)?.get(operation.method.to_lowercase())
}

/// The path item's and the operation's parameter objects, references followed.
fn parameter_objects(document: &Value, operation: &Operation) -> Vec<Value> {
    let item = document.get("paths").and_then(|paths| paths.get(&operation.path));
    let shared = item.and_then(|item| item.get("parameters")).and_then(Value::as_array);
    let own = operation_object(document, operation).and_then(|op| op.get("parameters")).and_then(Value::as_array);
    shared.into_iter().chain(own).flatten().map(|p| resolve(document, p).clone()).collect()
}

/// Follows `$ref`s within the document.
fn resolve<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else { return value };
        match reference.strip_prefix('#').and_then(|pointer| document.pointer(pointer)) {
            Some(target) => value = target,
            None => return value,
        }
    }
    value
}

/// The JSON schema of the operation's request body, if it has one.
fn request_body_schema(document: &Value, operation: &Value) -> Option<Value> {
    let body = resolve(document, operation.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    let media = content.get("application/json").or_else(|| content.values().next())?;
    Some(media.get("schema")?.clone())
}

/// An object schema's properties, by name, in order.
type Properties = Vec<(String, Value)>;

/// The properties (in order) and required names of an object schema, following `$ref` and
/// merging `allOf`; `None` for anything that is not an object with properties.
fn object_properties(document: &Value, schema: &Value) -> Option<(Properties, BTreeSet<String>)> {
    let schema = resolve(document, schema);
    let mut properties: Vec<(String, Value)> = Vec::new();
    let mut required = BTreeSet::new();
    let parts: Vec<&Value> = match schema.get("allOf").and_then(Value::as_array) {
        Some(parts) => parts.iter().map(|part| resolve(document, part)).collect(),
        None => vec![schema],
    };
    for part in parts {
        if part.get("type").is_some_and(|t| t != "object") {
            return None;
        }
        for (name, property) in part.get("properties").and_then(Value::as_object).into_iter().flatten() {
            match properties.iter_mut().find(|(known, _)| known == name) {
                Some(known) => known.1 = property.clone(),
                None => properties.push((name.clone(), property.clone())),
            }
        }
        for name in part.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(name) = name.as_str() {
                required.insert(name.to_string());
            }
        }
    }
    (!properties.is_empty()).then_some((properties, required))
}

/// Whether a success answer of the operation carries credentials: a property of
/// [`CREDENTIAL_PROPERTIES`] on the answered object, or on the items of an answered list.
fn returns_credentials(document: &Value, operation: &Value) -> bool {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else { return false };
    responses.iter().filter(|(status, _)| status.starts_with('2')).any(|(_, response)| {
        let response = resolve(document, response);
        let schema = response.pointer("/content/application~1json/schema").map(|s| resolve(document, s));
        let Some(schema) = schema else { return false };
        let items = schema.get("items").or_else(|| schema.pointer("/properties/data/items"));
        [Some(schema), items.map(|items| resolve(document, items))].into_iter().flatten().any(|object| {
            object_properties(document, object).is_some_and(|(properties, _)| {
                properties.iter().any(|(name, _)| CREDENTIAL_PROPERTIES.contains(&name.as_str()))
            })
        })
    })
}

/// An OpenAPI 3.0 schema as a self-contained JSON Schema for a model: references inlined (a
/// reference already being expanded, or one too deep, is described by its type alone),
/// `nullable` as a `null` type, and only [`KEPT_KEYWORDS`] and the structure kept.
fn input_schema(document: &Value, schema: &Value, depth: usize, expanding: &mut Vec<String>) -> Value {
    let reference = schema.get("$ref").and_then(Value::as_str).map(str::to_string);
    if let Some(reference) = &reference {
        if expanding.contains(reference) || depth > MAX_DEPTH {
            let target = resolve(document, schema);
            let mut short = Map::new();
            if let Some(ty) = target.get("type") {
                short.insert("type".into(), ty.clone());
            }
            return Value::Object(short);
        }
        expanding.push(reference.clone());
    }
    let source = resolve(document, schema);
    let mut out = Map::new();
    if let Some(object) = source.as_object() {
        for (key, value) in object {
            match key.as_str() {
                "format" if matches!(value.as_str(), Some("int32" | "int64" | "float" | "double")) => {}
                "properties" if depth < MAX_DEPTH => {
                    let properties: Map<String, Value> = value
                        .as_object()
                        .into_iter()
                        .flatten()
                        .filter(|(_, property)| property.get("readOnly") != Some(&Value::Bool(true)))
                        .map(|(name, property)| (name.clone(), input_schema(document, property, depth + 1, expanding)))
                        .collect();
                    out.insert(key.clone(), Value::Object(properties));
                }
                "required" if depth < MAX_DEPTH => {
                    out.insert(key.clone(), value.clone());
                }
                "items" => {
                    out.insert(key.clone(), input_schema(document, value, depth + 1, expanding));
                }
                "additionalProperties" if value.is_object() => {
                    out.insert(key.clone(), input_schema(document, value, depth + 1, expanding));
                }
                "additionalProperties" => {
                    out.insert(key.clone(), value.clone());
                }
                "allOf" | "oneOf" | "anyOf" => {
                    let parts: Vec<Value> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|part| input_schema(document, part, depth + 1, expanding))
                        .collect();
                    out.insert(key.clone(), Value::Array(parts));
                }
                key if KEPT_KEYWORDS.contains(&key) => {
                    out.insert(key.to_string(), value.clone());
                }
                _ => {}
            }
        }
    }
    if source.get("nullable") == Some(&Value::Bool(true)) {
        let combined = ["anyOf", "oneOf", "allOf"].iter().any(|key| out.contains_key(*key));
        match out.get("type").cloned() {
            Some(Value::String(one)) => {
                out.insert("type".into(), json!([one, "null"]));
            }
            None if combined => {
                let inner = Value::Object(std::mem::take(&mut out));
                out.insert("anyOf".into(), json!([inner, {"type": "null"}]));
            }
            _ => {}
        }
        if let Some(Value::Array(allowed)) = out.get_mut("enum")
            && !allowed.contains(&Value::Null)
        {
            allowed.push(Value::Null);
        }
    }
    if reference.is_some() {
        expanding.pop();
    }
    Value::Object(out)
}

/// Sets a schema's description, unless it already has one.
fn describe(schema: &mut Value, text: &str) {
    if let Some(object) = schema.as_object_mut()
        && !object.contains_key("description")
        && !text.trim().is_empty()
    {
        object.insert("description".into(), Value::String(text.trim().to_string()));
    }
}

/// The input schema of a tool: a flat object of its inputs.
fn tool_schema(tool: &OperationTool<'_>) -> Value {
    let properties: Map<String, Value> =
        tool.inputs.iter().map(|input| (input.name.clone(), input.schema.clone())).collect();
    let required: Vec<&str> =
        tool.inputs.iter().filter(|input| input.required).map(|input| input.name.as_str()).collect();
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), json!(required));
    }
    schema.insert("additionalProperties".into(), json!(false));
    Value::Object(schema)
}

fn declaration(tool: &OperationTool<'_>) -> TokenStream {
    let operation = tool.operation;
    let name = format!("{PREFIX}{}", operation.id);
    let id = &operation.id;
    let method = &operation.method;
    let groups = &operation.features;
    let title = if operation.summary.is_empty() { operation.id.replace('_', " ") } else { operation.summary.clone() };
    let description = &tool.description;
    let nature = match method.as_str() {
        "GET" | "HEAD" => quote!(Nature { read_only: true, destructive: false, idempotent: true }),
        "DELETE" => quote!(Nature { read_only: false, destructive: true, idempotent: true }),
        "PUT" => quote!(Nature { read_only: false, destructive: false, idempotent: true }),
        _ => quote!(Nature { read_only: false, destructive: false, idempotent: false }),
    };
    let credentials = tool.returns_credentials;
    let inputs = tool.inputs.iter().map(|input| &input.name);
    let schema = tool_schema(tool).to_string();
    let run = format_ident!("{}", operation.id);
    quote! {
        Declaration {
            name: #name,
            operation: #id,
            groups: &[#(#groups),*],
            title: #title,
            description: #description,
            nature: #nature,
            returns_credentials: #credentials,
            inputs: &[#(#inputs),*],
            input_schema: #schema,
            run: #run,
        }
    }
}

fn run(tool: &OperationTool<'_>) -> TokenStream {
    let operation = format_ident!("{}", tool.operation.id);
    let mut reads = Vec::new();
    let mut chain = Vec::new();
    let mut optional = Vec::new();
    for (index, input) in tool.inputs.iter().enumerate() {
        if input.place == Place::BodyProperty {
            continue;
        }
        let variable = format_ident!("input_{index}");
        let name = &input.name;
        let setter = format_ident!("{}", input.setter);
        let ty = &input.rust_type;
        match (input.place, input.required) {
            (Place::Path, _) => {
                reads.push(quote!(let #variable: String = input.path_id(#name)?;));
                chain.push(quote!(.#setter(#variable.clone())));
            }
            (_, true) => {
                reads.push(quote!(let #variable: #ty = input.required(#name)?;));
                chain.push(quote!(.#setter(#variable.clone())));
            }
            (_, false) => {
                reads.push(quote!(let #variable: Option<#ty> = input.optional(#name)?;));
                optional.push(quote!(, #setter = #variable.clone()));
            }
        }
    }
    let properties: Vec<&Input> = tool.inputs.iter().filter(|input| input.place == Place::BodyProperty).collect();
    if let Some(first) = properties.first() {
        let ty = &first.rust_type;
        let pairs = properties.iter().map(|input| {
            let (name, wire, required) = (&input.name, &input.wire, input.required);
            quote!((#name, #wire, #required))
        });
        reads.push(quote!(let body: #ty = input.body(&[#(#pairs),*])?;));
        chain.push(quote!(.body(body.clone())));
    }
    let parameter = if reads.is_empty() { quote!(_input: Input) } else { quote!(mut input: Input) };
    quote! {
        fn #operation<'a>(call: &'a ToolCall<'a>, #parameter) -> BoxFuture<'a, Result<Value, Error>> {
            Box::pin(async move {
                #(#reads)*
                output(send!(call, api.#operation() #(#chain)* #(#optional)*).await?)
            })
        }
    }
}
