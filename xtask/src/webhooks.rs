//! Generation of the `clerk-webhooks` event types from Clerk's webhook document.
//!
//! Clerk publishes its webhook payloads as an OpenAPI document whose `x-webhooks` map each
//! event type (`user.created`, ...) to a request body: the event envelope
//! (`WebhookEventPayload`) with a `data` property of the event's own schema. This module turns
//! that document into Rust in four steps, all pure functions of the document's bytes:
//!
//! 1. [`read_document`] finds the events, their `data` schemas and their examples, and repairs
//!    the document's one known slip ([`fix_nested_data`]);
//! 2. [`crate::lenient::open_definitions`] applies the leniency rules, the API client's;
//! 3. typify (the type generator progenitor is built on) turns the schemas into structs;
//! 4. the `Event` enum, one variant per event type plus `Unknown`, is generated beside them,
//!    with a decoder that reads the `type` first and then `data` as that type.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use quote::{format_ident, quote};
use serde_json::{Map, Value, json};

use crate::lenient::{Leniency, open_definitions, resolve};
use crate::{COMMAND, GenerateError, GeneratedFile, Source, load, sha256_hex};

/// Clerk's webhook document as shipped, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/clerk-webhooks-2025-04-15.yml";
/// The generated event types.
pub const GENERATED_PATH: &str = "clerk-webhooks/src/generated.rs";
/// The inventory of the generated events.
pub const INVENTORY_PATH: &str = "clerk-webhooks/EVENTS.md";
/// The typify release the generated code comes from (the one progenitor uses), as the lockfile
/// pins it.
pub const TYPIFY_VERSION: &str = env!("TYPIFY_VERSION");

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// One event type of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpec {
    /// The wire name, e.g. `user.created`.
    pub event_type: String,
    /// The `Event` variant, e.g. `UserCreated`.
    pub variant: String,
    /// The definition its `data` decodes as: a component name, or the name given to an inline
    /// schema. `None` when the document declares no `data` schema (it stays JSON).
    pub definition: Option<String>,
    /// The operation's description or summary.
    pub description: Option<String>,
    /// The example body, when the document has one.
    pub example: Option<Value>,
}

/// The document after reading, fixing and the leniency rules.
#[derive(Debug, Clone)]
pub struct WebhookDocument {
    /// The events, in document order.
    pub events: Vec<EventSpec>,
    /// Every schema typify receives (OpenAPI form, after the rules), by definition name.
    pub definitions: Map<String, Value>,
    /// Repairs of the document's slips, one sentence each.
    pub fixes: Vec<String>,
    /// What the leniency rules changed.
    pub leniency: Leniency,
}

fn spec_error(spec: Source<'_>, message: impl Into<String>) -> GenerateError {
    GenerateError::Spec { file: spec.label.to_string(), message: message.into() }
}

/// Runs every step and returns `clerk-webhooks/src/generated.rs` and `clerk-webhooks/EVENTS.md`.
pub fn generate_webhooks(spec: Source<'_>) -> Result<Vec<GeneratedFile>, GenerateError> {
    let document = read_document(spec)?;
    let (code, names) = generate_code(spec, &document)?;
    Ok(vec![
        GeneratedFile { path: GENERATED_PATH, contents: format!("{}{code}", header(spec)), region: None },
        GeneratedFile { path: INVENTORY_PATH, contents: inventory(spec, &document, &names), region: None },
    ])
}

/// Every example body of the document, with its event type, in document order.
pub fn examples(spec: Source<'_>) -> Result<Vec<(String, Value)>, GenerateError> {
    let document = read_document(spec)?;
    Ok(document.events.into_iter().filter_map(|event| Some((event.event_type, event.example?))).collect())
}

/// Step 1 and 2: parses the document, finds its events, fixes it and makes it lenient.
pub fn read_document(spec: Source<'_>) -> Result<WebhookDocument, GenerateError> {
    let document = load::parse_document(spec.label, spec.bytes)?;
    let version = document.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.") {
        return Err(spec_error(spec, format!("`openapi` is `{version}`; only OpenAPI 3 documents are supported")));
    }
    let Some(webhooks) = document.get("x-webhooks").and_then(Value::as_object) else {
        return Err(spec_error(spec, "there is no `x-webhooks` map of event types"));
    };
    let mut definitions = match document.pointer("/components/schemas") {
        Some(Value::Object(schemas)) => schemas.clone(),
        None => Map::new(),
        Some(_) => return Err(spec_error(spec, "`components.schemas` is not a map")),
    };
    let mut events = Vec::new();
    let mut variants = BTreeSet::new();
    for (event_type, item) in webhooks {
        let Some(operation) = item.get("post").or_else(|| item.as_object().and_then(|o| o.values().next())) else {
            return Err(spec_error(spec, format!("x-webhooks.{event_type}: no operation")));
        };
        let media = operation.pointer("/requestBody/content/application~1json").unwrap_or(&Value::Null);
        let components = document.get("components").unwrap_or(&Value::Null);
        let data = media.get("schema").and_then(|schema| data_schema(schema, components));
        let definition = match data {
            None => None,
            Some(schema) => Some(match schema.get("$ref").and_then(Value::as_str) {
                // A reference, whatever documentation sits beside it.
                Some(reference) => reference
                    .strip_prefix(SCHEMA_PREFIX)
                    .filter(|name| definitions.contains_key(*name))
                    .ok_or_else(|| spec_error(spec, format!("x-webhooks.{event_type}: unknown `$ref` {reference}")))?
                    .to_string(),
                _ => inline_definition(&mut definitions, event_type, schema),
            }),
        };
        let mut variant = pascal_case(event_type);
        if variant.is_empty() || variant == "Unknown" {
            variant = format!("Event{variant}");
        }
        let base = variant.clone();
        let mut counter = 2;
        while !variants.insert(variant.clone()) {
            variant = format!("{base}{counter}");
            counter += 1;
        }
        let description = ["description", "summary"]
            .iter()
            .find_map(|key| operation.get(*key).and_then(Value::as_str))
            .map(|text| text.trim().to_string());
        events.push(EventSpec {
            event_type: event_type.clone(),
            variant,
            definition,
            description,
            example: example(media, &document),
        });
    }
    let fixes = fix_nested_data(&mut definitions);
    let leniency = open_definitions(&mut definitions);
    Ok(WebhookDocument { events, definitions, fixes, leniency })
}

/// The schema of `data` in an event body: `allOf: [envelope, {properties: {data}}]` as Clerk
/// writes it, or `data` among the body's own properties.
fn data_schema(body: &Value, components: &Value) -> Option<Value> {
    let body = resolve(body, components);
    if let Some(data) = body.pointer("/properties/data") {
        return Some(data.clone());
    }
    body.get("allOf")?
        .as_array()?
        .iter()
        .find_map(|branch| resolve(branch, components).pointer("/properties/data").cloned())
}

/// Registers an inline `data` schema as a definition and returns its name: the resource's name
/// followed by `EventPayload` (Clerk's own naming, as in `SessionEventPayload`), shared by the
/// events whose inline schemas are identical.
fn inline_definition(definitions: &mut Map<String, Value>, event_type: &str, schema: Value) -> String {
    let resource = pascal_case(event_type.split('.').next().unwrap_or(event_type));
    let candidates = [format!("{resource}EventPayload"), format!("{}EventPayload", pascal_case(event_type))];
    for name in candidates.iter().cloned().chain((2..).map(|n| format!("{}EventPayload{n}", pascal_case(event_type)))) {
        match definitions.get(&name) {
            Some(existing) if *existing == schema => return name,
            Some(_) => continue,
            None => {
                definitions.insert(name.clone(), schema);
                return name;
            }
        }
    }
    unreachable!("the candidate names never run out")
}

/// The example of a request body: `example`, or the first of `examples` (following a
/// `#/components/examples` reference).
fn example(media: &Value, document: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let first = media.get("examples")?.as_object()?.values().next()?;
    let first = match first.get("$ref").and_then(Value::as_str) {
        Some(reference) => document.pointer(reference.strip_prefix('#')?)?,
        None => first,
    };
    first.get("value").cloned()
}

/// `user.created` -> `UserCreated`, `subscriptionItem.freeTrialEnding` ->
/// `SubscriptionItemFreeTrialEnding`: every run of letters and digits, first letter upper case.
pub fn pascal_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'E');
    }
    out
}

/// The document's one known slip: an `allOf` that extends an object with a `data` property
/// holding the extension, the envelope's pattern repeated one level too deep.
///
/// `organizationInvitation.created`, `.revoked` and `OrganizationInvitationAcceptedPayload`
/// extend `OrganizationInvitation` with `data: {public_organization_data}`; the Backend API
/// document's `OrganizationInvitationWithPublicOrganizationData`, the same object, has
/// `public_organization_data` beside the invitation's other fields. Read literally, the
/// field would never be filled. The rule lifts such a `data`'s properties into the extension
/// when the extended object has no `data` of its own.
pub fn fix_nested_data(definitions: &mut Map<String, Value>) -> Vec<String> {
    let snapshot = json!({ "schemas": definitions.clone() });
    let mut fixes = Vec::new();
    for (name, schema) in definitions.iter_mut() {
        let Some(branches) = schema.get_mut("allOf").and_then(Value::as_array_mut) else { continue };
        let base_has_data = branches.iter().any(|b| b.get("$ref").is_some() && has_property(b, "data", &snapshot, 0));
        let has_base = branches.iter().any(|b| b.get("$ref").is_some());
        if !has_base || base_has_data {
            continue;
        }
        for branch in branches.iter_mut().filter(|b| b.get("$ref").is_none()) {
            let Some(properties) = branch.get_mut("properties").and_then(Value::as_object_mut) else { continue };
            let Some(nested) =
                properties.get("data").and_then(|d| d.get("properties")).and_then(Value::as_object).cloned()
            else {
                continue;
            };
            properties.remove("data");
            let lifted: Vec<String> = nested.keys().map(|k| format!("`{k}`")).collect();
            properties.extend(nested);
            if let Some(required) = branch.get_mut("required").and_then(Value::as_array_mut) {
                required.retain(|r| r != "data");
            }
            fixes.push(format!(
                "`{name}`: {} lifted out of a nested `data` object into the payload itself",
                lifted.join(", ")
            ));
        }
    }
    fixes
}

/// Whether `schema` (followed through references and `allOf`) declares `name`.
fn has_property(schema: &Value, name: &str, components: &Value, depth: usize) -> bool {
    let schema = resolve(schema, components);
    schema.get("properties").and_then(|p| p.get(name)).is_some()
        || (depth < 8
            && schema
                .get("allOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(|b| has_property(b, name, components, depth + 1))))
}

/// OpenAPI 3.0 schema to the JSON Schema typify reads: references point at `definitions`,
/// `nullable` becomes a `null` type (except on properties and whole definitions, which are
/// optional wherever they are used) and what JSON Schema does not know is dropped.
/// `deprecated` moves into the description.
fn to_json_schema(schema: &Value, optional: bool) -> Value {
    let Some(map) = schema.as_object() else { return schema.clone() };
    let mut out = Map::new();
    let mut description = map.get("description").and_then(Value::as_str).map(|t| t.trim_end().to_string());
    if map.get("deprecated") == Some(&Value::Bool(true)) {
        description = Some(match description {
            Some(text) => format!("{text}\n\nDeprecated."),
            None => "Deprecated.".to_string(),
        });
    }
    for (key, value) in map {
        match key.as_str() {
            "$ref" => {
                let reference = value.as_str().unwrap_or_default();
                let name = reference.strip_prefix(SCHEMA_PREFIX).unwrap_or(reference);
                out.insert(key.clone(), Value::String(format!("#/definitions/{name}")));
            }
            "properties" => {
                let properties: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, child)| (name.clone(), to_json_schema(child, true)))
                    .collect();
                out.insert(key.clone(), Value::Object(properties));
            }
            "items" => {
                out.insert(key.clone(), to_json_schema(value, false));
            }
            "additionalProperties" if value.is_object() => {
                out.insert(key.clone(), to_json_schema(value, false));
            }
            "type" | "format" | "additionalProperties" | "title" => {
                out.insert(key.clone(), value.clone());
            }
            // Documentation, OpenAPI-only keywords and vendor extensions.
            _ => {}
        }
    }
    if let Some(text) = description {
        out.insert("description".to_string(), Value::String(text));
    }
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    if nullable && !optional {
        if let Some(Value::String(kind)) = out.get("type").cloned() {
            out.insert("type".to_string(), json!([kind, "null"]));
        } else if let Some(reference) = out.remove("$ref") {
            out.insert("anyOf".to_string(), json!([{"$ref": reference}, {"type": "null"}]));
        }
    }
    Value::Object(out)
}

/// The Rust name typify gave each definition, by definition name.
type Names = std::collections::BTreeMap<String, String>;

/// Step 3 and 4: typify's types in `mod types`, then the `Event` enum; formatted.
fn generate_code(spec: Source<'_>, document: &WebhookDocument) -> Result<(String, Names), GenerateError> {
    let mut definitions = Vec::with_capacity(document.definitions.len());
    for (name, schema) in &document.definitions {
        let json = to_json_schema(schema, true);
        let schema: schemars::schema::Schema = serde_json::from_value(json)
            .map_err(|err| spec_error(spec, format!("schema `{name}` is not usable: {err}")))?;
        definitions.push((name.clone(), schema));
    }
    let mut settings = typify::TypeSpaceSettings::default();
    settings.with_struct_builder(false).with_derive("PartialEq".to_string());
    let mut space = typify::TypeSpace::new(&settings);
    let typed = catch_unwind(AssertUnwindSafe(|| -> Result<(proc_macro2::TokenStream, Names), typify::Error> {
        space.add_ref_types(definitions)?;
        let mut names = Names::new();
        for name in document.definitions.keys() {
            let reference = schemars::schema::Schema::new_ref(format!("#/definitions/{name}"));
            let id = space.add_type(&reference)?;
            names.insert(name.clone(), space.get_type(&id)?.name());
        }
        Ok((space.to_stream(), names))
    }));
    let (types, names) = match typed {
        Ok(Ok(typed)) => typed,
        Ok(Err(err)) => return Err(spec_error(spec, format!("typify cannot generate the event types: {err}"))),
        Err(panic) => {
            let message = crate::panic_message(panic.as_ref());
            return Err(spec_error(spec, format!("typify cannot generate the event types: {message}")));
        }
    };
    let event = event_enum(&document.events, &names);
    let tokens = quote! {
        /// The types of the events' `data`, and of the envelope around it, generated by typify.
        pub mod types {
            #types

            /// Reads `null` as the empty value, so that a list or map Clerk sends as `null`
            /// decodes like an absent one.
            fn null_as_default<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
            where
                D: ::serde::Deserializer<'de>,
                T: ::serde::Deserialize<'de> + ::std::default::Default,
            {
                let value = <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(value.unwrap_or_default())
            }
        }

        #event
    };
    let mut file: syn::File = syn::parse2(tokens).map_err(|err| GenerateError::Format(err.to_string()))?;
    null_as_default(&mut file);
    Ok((prettyplease::unparse(&file), names))
}

/// Lists and maps that may be absent (`#[serde(default)]`) may also be `null`.
fn null_as_default(file: &mut syn::File) {
    let Some(items) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    for item in items {
        let syn::Item::Struct(item) = item else { continue };
        for field in item.fields.iter_mut() {
            let syn::Type::Path(path) = &field.ty else { continue };
            let Some(last) = path.path.segments.last() else { continue };
            if !matches!(last.ident.to_string().as_str(), "Vec" | "Map" | "HashMap" | "BTreeMap") {
                continue;
            }
            let defaulted = field.attrs.iter().any(|attr| {
                attr.path().is_ident("serde")
                    && quote::ToTokens::to_token_stream(&attr.meta).to_string().contains("default")
            });
            if defaulted {
                field.attrs.push(syn::parse_quote!(#[serde(deserialize_with = "null_as_default")]));
            }
        }
    }
}

/// The `Event` enum: one variant per event type, boxed (the payloads are large), and
/// `Unknown` for the rest; its decoder and its (untagged) serializer.
fn event_enum(events: &[EventSpec], names: &Names) -> proc_macro2::TokenStream {
    let payload = |event: &EventSpec| -> proc_macro2::TokenStream {
        match event.definition.as_ref().and_then(|d| names.get(d)) {
            Some(name) => {
                let ident = format_ident!("{}", name);
                quote!(types::#ident)
            }
            None => quote!(::serde_json::Value),
        }
    };
    let variants = events.iter().map(|event| {
        let ident = format_ident!("{}", event.variant);
        let ty = payload(event);
        let doc = match &event.description {
            Some(text) if !text.is_empty() => format!("`{}`: {}", event.event_type, text),
            _ => format!("`{}`", event.event_type),
        };
        quote! {
            #[doc = #doc]
            #ident(::std::boxed::Box<#ty>)
        }
    });
    let names_list: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    let count = proc_macro2::Literal::usize_unsuffixed(names_list.len());
    let type_arms = events.iter().map(|event| {
        let ident = format_ident!("{}", event.variant);
        let name = &event.event_type;
        quote!(Event::#ident(_) => ::std::option::Option::Some(#name))
    });
    let decode_arms = events.iter().map(|event| {
        let ident = format_ident!("{}", event.variant);
        let name = &event.event_type;
        let ty = payload(event);
        quote! {
            #name => Event::#ident(::std::boxed::Box::new(<#ty as ::serde::Deserialize>::deserialize(data)?))
        }
    });
    let serialize_arms = events.iter().map(|event| {
        let ident = format_ident!("{}", event.variant);
        quote!(Event::#ident(data) => ::serde::Serialize::serialize(data, serializer))
    });
    quote! {
        /// A webhook event's `data`, as the type its event `type` names.
        ///
        /// One variant per event type of Clerk's webhook document; a type this version does not
        /// know decodes to [`Event::Unknown`] with its `data` as JSON, so a new Clerk event
        /// never fails to decode.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants,)*
            /// An event type this version does not know: its `data` as sent.
            Unknown(::serde_json::Value),
        }

        impl Event {
            /// Every event type of the document, in its order.
            pub const TYPES: [&'static str; #count] = [#(#names_list),*];

            /// The event type of a known variant; `None` for [`Event::Unknown`].
            pub fn event_type(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(#type_arms,)*
                    Event::Unknown(_) => ::std::option::Option::None,
                }
            }

            /// Decodes an event's `data` as the type `event_type` names; an unknown type keeps
            /// the data as JSON.
            pub fn from_data<'de, D>(event_type: &str, data: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                Ok(match event_type {
                    #(#decode_arms,)*
                    _ => Event::Unknown(<::serde_json::Value as ::serde::Deserialize>::deserialize(data)?),
                })
            }
        }

        /// Serializes the `data` alone, as it came.
        impl ::serde::Serialize for Event {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                match self {
                    #(#serialize_arms,)*
                    Event::Unknown(data) => ::serde::Serialize::serialize(data, serializer),
                }
            }
        }
    }
}

/// The preamble of the generated module.
fn header(spec: Source<'_>) -> String {
    format!(
        "// @generated by `{COMMAND}`: do not edit. Change the spec, then run it again.\n\
         // Spec: {} (sha256 {})\n\
         // Generator: typify {TYPIFY_VERSION} and xtask/src/webhooks.rs, formatted by prettyplease.\n\n",
        spec.label,
        sha256_hex(spec.bytes),
    )
}

/// `clerk-webhooks/EVENTS.md`: every event with its variant and payload type, then what the
/// generator changed.
fn inventory(spec: Source<'_>, document: &WebhookDocument, names: &Names) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<!-- @generated by `{COMMAND}`: do not edit. -->\n# clerk-webhooks: the generated events\n\n"
    ));
    let with_examples = document.events.iter().filter(|e| e.example.is_some()).count();
    out.push_str(&format!(
        "{} event types ({with_examples} with an example), generated from `{}` (sha256 `{}`).\n\n",
        document.events.len(),
        spec.label,
        sha256_hex(spec.bytes)
    ));
    out.push_str(
        "`clerk_webhooks::Event` has one variant per event type, holding its `data` decoded as the \
         type in the third column (in `clerk_webhooks::types`), and `Unknown` for any other type.\n\n",
    );
    out.push_str("| Event type | `Event` variant | `data` type | Example |\n|---|---|---|---|\n");
    for event in &document.events {
        let payload = event
            .definition
            .as_ref()
            .and_then(|d| names.get(d))
            .map(|name| format!("`{name}`"))
            .unwrap_or_else(|| "JSON (no schema)".to_string());
        let example = if event.example.is_some() { "yes" } else { "-" };
        out.push_str(&format!("| `{}` | `{}` | {payload} | {example} |\n", event.event_type, event.variant));
    }
    out.push_str("\n## How the types differ from the document\n\n");
    out.push_str(
        "Decoding follows the rules of the API client, so that a Clerk release never breaks it: \
         unknown fields are ignored, enums are open strings (their known values are in the docs), \
         every property may be absent or `null` (`None`, or empty for lists and maps), and a \
         `oneOf` / `anyOf` / `allOf` is one struct with every branch's fields.\n\n",
    );
    let lenient = &document.leniency;
    out.push_str(&format!(
        "- {} schemas have only optional properties; {} schemas accept unknown fields; {} enums are open; \
         {} combinators merged; {} constraints relaxed.\n",
        lenient.optional.len(),
        lenient.open_objects.len(),
        lenient.open_enums.len(),
        lenient.merged.len(),
        lenient.relaxed.len()
    ));
    out.push_str("\n### Fixes to the document\n\n");
    if document.fixes.is_empty() {
        out.push_str("None needed.\n");
    }
    for fix in &document.fixes {
        out.push_str(&format!("- {fix}\n"));
    }
    out.push_str("\n### Combinators merged\n\n");
    for merge in &lenient.merged {
        out.push_str(&format!("- `{}`: `{}` of {}\n", merge.at, merge.keyword, merge.variants.join(", ")));
    }
    out.push_str("\n### Open enums\n\n");
    for (label, values) in &lenient.open_enums {
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        out.push_str(&format!("- `{label}`: {}\n", values.join(", ")));
    }
    out.push_str("\n### Objects that accept unknown fields\n\n");
    let open: Vec<String> = lenient.open_objects.iter().map(|label| format!("`{label}`")).collect();
    out.push_str(&format!("{}\n", if open.is_empty() { "None.".to_string() } else { open.join(", ") }));
    out.push_str("\n### Constraints relaxed\n\n");
    if lenient.relaxed.is_empty() {
        out.push_str("None.\n");
    }
    for (label, what) in &lenient.relaxed {
        out.push_str(&format!("- `{label}`: {what}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source<'_> {
        Source { label: "hooks.yml", bytes: text.as_bytes() }
    }

    #[test]
    fn variant_names() {
        assert_eq!(pascal_case("user.created"), "UserCreated");
        assert_eq!(pascal_case("subscriptionItem.freeTrialEnding"), "SubscriptionItemFreeTrialEnding");
        assert_eq!(pascal_case("a-b_c.d"), "ABCD");
        assert_eq!(pascal_case("3d.printed"), "E3dPrinted");
    }

    #[test]
    fn nested_data_in_an_extension_is_lifted() {
        let mut definitions: Map<String, Value> = serde_json::from_value(json!({
            "Invitation": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Accepted": {"allOf": [
                {"$ref": "#/components/schemas/Invitation"},
                {"properties": {"user_id": {"type": "string"}, "data": {"type": "object", "properties": {"org": {"type": "string"}}}},
                 "required": ["user_id", "data"]}]},
            "Envelope": {"allOf": [
                {"$ref": "#/components/schemas/Accepted"},
                {"properties": {"data": {"type": "object", "properties": {"x": {"type": "string"}}}}}]}
        }))
        .unwrap();
        let fixes = fix_nested_data(&mut definitions);
        assert_eq!(fixes.len(), 1, "{fixes:?}");
        let extension = &definitions["Accepted"]["allOf"][1];
        assert_eq!(extension["properties"]["org"], json!({"type": "string"}));
        assert!(extension["properties"].get("data").is_none());
        assert_eq!(extension["required"], json!(["user_id"]));
        // `Envelope` extends a schema that has a `data` of its own (through its `allOf`), so
        // its `data` is a real field and stays.
        assert!(definitions["Envelope"]["allOf"][1]["properties"].get("data").is_some());
    }

    const TINY: &str = r##"
openapi: 3.0.3
info: {title: t, version: v1}
x-webhooks:
  thing.made:
    post:
      description: A thing was made
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: '#/components/schemas/WebhookEventPayload'
                - properties:
                    data: {$ref: '#/components/schemas/Thing'}
            example: {type: thing.made, data: {id: t_1}}
  thing.gone:
    post:
      requestBody:
        content:
          application/json:
            schema:
              properties:
                data: {type: object, properties: {id: {type: string}, tags: {type: array, items: {type: string}}}}
components:
  schemas:
    WebhookEventPayload: {properties: {type: {type: string}}}
    Thing: {type: object, properties: {id: {type: string}, size: {type: integer, format: int32}}}
"##;

    #[test]
    fn generates_variants_payloads_and_the_inventory() {
        let files = generate_webhooks(source(TINY)).unwrap();
        let code = &files[0].contents;
        assert!(code.starts_with("// @generated by `cargo xtask generate`"), "{code}");
        assert!(code.contains("ThingMade(::std::boxed::Box<types::Thing>)"), "{code}");
        assert!(code.contains("ThingGone(::std::boxed::Box<types::ThingEventPayload>)"), "{code}");
        assert!(code.contains("pub const TYPES: [&'static str; 2] = [\"thing.made\", \"thing.gone\"];"), "{code}");
        assert!(code.contains("#[serde(deserialize_with = \"null_as_default\")]"), "{code}");
        assert!(code.contains("pub size: ::std::option::Option<i32>"), "{code}");
        let inventory = &files[1].contents;
        assert!(inventory.contains("| `thing.made` | `ThingMade` | `Thing` | yes |"), "{inventory}");
        assert!(inventory.contains("| `thing.gone` | `ThingGone` | `ThingEventPayload` | - |"), "{inventory}");
        assert_eq!(
            examples(source(TINY)).unwrap(),
            [("thing.made".to_string(), json!({"type": "thing.made", "data": {"id": "t_1"}}))]
        );
    }

    #[test]
    fn refuses_documents_it_cannot_use() {
        let err = generate_webhooks(source("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n")).unwrap_err();
        assert!(err.to_string().contains("no `x-webhooks`"), "{err}");
        let err = generate_webhooks(source("swagger: '2.0'\n")).unwrap_err();
        assert!(err.to_string().contains("only OpenAPI 3"), "{err}");
        let err = generate_webhooks(source("{not yaml: [")).unwrap_err();
        assert!(err.to_string().starts_with("hooks.yml:"), "{err}");
        let broken =
            TINY.replace("data: {$ref: '#/components/schemas/Thing'}", "data: {$ref: '#/components/schemas/Nope'}");
        let err = generate_webhooks(source(&broken)).unwrap_err();
        assert!(err.to_string().contains("unknown `$ref`"), "{err}");
    }
}
