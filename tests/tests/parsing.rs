//! Clerk's own payloads parse into the generated types, and keep parsing when Clerk leaves a
//! field out, sends `null`, or adds a field or an enum value the document does not know.
//!
//! The payloads come from material nobody here wrote: the examples of Clerk's webhook
//! document (`spec/clerk-webhooks-2025-04-15.yml`), whose `data` is the object exactly as the
//! Backend API serves it, and the minimal objects of Clerk's current API document. Each is then
//! mutated field by field.

use clerk_api::Page;
use clerk_api::types::{
    ClerkErrors, DeletedObject, EmailAddress, Organization, OrganizationMembership, PhoneNumber, Session, TotalCount,
    User,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The `data` of an event's example in Clerk's webhook document.
fn webhook_example(event: &str) -> Value {
    let bytes = workspace_tests::read("spec/clerk-webhooks-2025-04-15.yml");
    let document = xtask::load::parse_document("webhooks", &bytes).expect("Clerk's webhook document parses");
    let content = &document["x-webhooks"][event]["post"]["requestBody"]["content"]["application/json"];
    let example = match content.get("example") {
        Some(example) => example.clone(),
        None => {
            let reference = content["examples"]["default"]["$ref"].as_str().expect("an example reference");
            let name = reference.rsplit('/').next().unwrap_or_default();
            document["components"]["examples"][name]["value"].clone()
        }
    };
    assert_eq!(example["type"], event, "the example is of {event}");
    example["data"].clone()
}

fn parse<T: DeserializeOwned>(label: &str, value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|err| panic!("{label}: {err}\n{value:#}"))
}

/// Parses `payload`, then every variant of it with one field removed, one field `null`, and an
/// unknown field and value added; the same one level down in the objects of `nested` fields.
fn parses_whatever_clerk_leaves_out<T: DeserializeOwned>(label: &str, payload: &Value, nested: &[&str]) -> usize {
    let mut variants = vec![(format!("{label} as given"), payload.clone())];
    let object = payload.as_object().expect("an object payload");
    for field in object.keys() {
        let mut without = payload.clone();
        without.as_object_mut().unwrap().remove(field);
        variants.push((format!("{label} without `{field}`"), without));
        let mut nulled = payload.clone();
        nulled[field] = Value::Null;
        variants.push((format!("{label} with `{field}: null`"), nulled));
    }
    let mut grown = payload.clone();
    grown["field_clerk_adds_in_2027"] = json!({"nested": [1, "two"]});
    grown["object"] = json!("an_object_type_clerk_adds");
    variants.push((format!("{label} with an unknown field and object type"), grown));
    for list in nested {
        let Some(Value::Array(items)) = payload.get(*list) else { continue };
        let Some(Value::Object(first)) = items.first() else { continue };
        for field in first.keys() {
            for replacement in [None, Some(Value::Null)] {
                let mut changed = payload.clone();
                let item = changed[*list][0].as_object_mut().unwrap();
                match &replacement {
                    None => item.remove(field),
                    Some(value) => item.insert(field.clone(), value.clone()),
                };
                let how = if replacement.is_none() { "without" } else { "with null" };
                variants.push((format!("{label} with {list}[0] {how} `{field}`"), changed));
            }
        }
    }
    for (variant, value) in &variants {
        parse::<T>(variant, value);
    }
    variants.len()
}

#[test]
fn clerks_user_parses_with_any_field_missing_null_or_added() {
    let user = webhook_example("user.created");
    let parsed: User = parse("user.created", &user);
    assert_eq!(parsed.id.as_deref(), Some("user_2g7np7Hrk0SN6kj5EDMLDaKNL0S"));
    assert_eq!(parsed.first_name.as_deref(), Some("John"));
    assert_eq!(parsed.legal_accepted_at, Some(1_716_883_200_000));
    let checked = parses_whatever_clerk_leaves_out::<User>("user", &user, &[]);
    assert!(checked > 80, "{checked} variants");
    // Clerk's example has no email address; the tools' fixture has two, one with a
    // verification status and a link type the document does not know.
    let with_emails = fixture_user();
    let parsed: User = parse("user with emails", &with_emails);
    let statuses: Vec<Option<String>> =
        parsed.email_addresses.unwrap_or_default().into_iter().map(|e| e.verification.and_then(|v| v.status)).collect();
    assert_eq!(statuses, [Some("verified".to_string()), Some("transferable".to_string())]);
    parses_whatever_clerk_leaves_out::<User>("user", &with_emails, &["email_addresses", "phone_numbers"]);
}

fn fixture_user() -> Value {
    serde_json::from_slice(&workspace_tests::read("clerk-tools/tests/resources/user.json")).expect("fixture parses")
}

#[test]
fn email_addresses_and_phone_numbers_parse_with_any_field_missing_or_null() {
    let email = fixture_user()["email_addresses"][0].clone();
    parses_whatever_clerk_leaves_out::<EmailAddress>("email address", &email, &["linked_to"]);
    // The issue that started this: an email without `reserved` and without `object`.
    let bare: EmailAddress = parse("bare email", &json!({"id": "idn_1", "email_address": "a@b.co"}));
    assert_eq!(bare.reserved, None);
    let phone = json!({
        "id": "idn_phone", "object": "phone_number", "phone_number": "+15555550100", "reserved_for_second_factor": false,
        "default_second_factor": false, "reserved": false, "linked_to": [], "backup_codes": null,
        "verification": {"status": "verified", "strategy": "phone_code", "attempts": 1, "expire_at": 1_716_883_800_000_i64, "object": "verification_otp"},
        "created_at": 1_716_883_200_000_i64, "updated_at": 1_716_883_200_000_i64
    });
    parses_whatever_clerk_leaves_out::<PhoneNumber>("phone number", &phone, &[]);
}

#[test]
fn clerks_organization_parses_with_any_field_missing_null_or_added() {
    let organization = webhook_example("organization.created");
    let parsed: Organization = parse("organization.created", &organization);
    assert!(parsed.id.is_some_and(|id| id.starts_with("org_")));
    // The current document marks `private_metadata` optional: an organization without it.
    let mut without_private = organization.clone();
    without_private.as_object_mut().unwrap().remove("private_metadata");
    parse::<Organization>("organization without private_metadata", &without_private);
    parses_whatever_clerk_leaves_out::<Organization>("organization", &organization, &[]);
}

#[test]
fn clerks_sessions_parse_with_any_field_missing_null_or_added() {
    for event in ["session.created", "session.revoked", "session.ended"] {
        let session = webhook_example(event);
        let parsed: Session = parse(event, &session);
        assert!(parsed.id.is_some_and(|id| id.starts_with("sess_")), "{event}");
        parses_whatever_clerk_leaves_out::<Session>(event, &session, &[]);
    }
    // A session status Clerk adds later, and a session without `created_at`.
    let later: Session = parse("new status", &json!({"id": "sess_1", "status": "some_status_clerk_adds_in_2027"}));
    assert_eq!(later.status.as_deref(), Some("some_status_clerk_adds_in_2027"));
    assert_eq!(later.created_at, None);
}

#[test]
fn lists_parse_in_both_shapes() {
    let session = webhook_example("session.created");
    let minimal = json!({"id": "sess_minimal", "status": "active"});
    let bare: Page<Session> = parse("bare list", &json!([session, minimal]));
    assert_eq!((bare.data.len(), bare.total_count), (2, None));
    let paginated: Page<Session> =
        parse("paginated list", &json!({"data": [session, minimal], "total_count": 7, "next": "added later"}));
    assert_eq!((paginated.data.len(), paginated.total_count), (2, Some(7)));
    assert_eq!(paginated.data[0].id.as_deref(), session["id"].as_str());
    let empty: Page<Session> = parse("empty page", &json!({"data": null}));
    assert_eq!((empty.data.len(), empty.total_count_or_len()), (0, 0));
    // A list Clerk documents only as `{data, total_count}` reads a bare array too.
    let membership = webhook_example("organizationMembership.created");
    let members: Page<OrganizationMembership> = parse("bare membership list", &json!([membership]));
    assert_eq!(members.total_count_or_len(), 1);
}

#[test]
fn deleted_objects_and_counts_parse_with_any_field_missing_or_null() {
    let deleted = webhook_example("user.deleted");
    let parsed: DeletedObject = parse("user.deleted", &deleted);
    assert_eq!(parsed.deleted, Some(true));
    parses_whatever_clerk_leaves_out::<DeletedObject>("deleted object", &deleted, &[]);
    parses_whatever_clerk_leaves_out::<TotalCount>("count", &json!({"object": "total_count", "total_count": 3}), &[]);
}

#[test]
fn errors_parse_without_message_and_keep_code_and_trace_id() {
    let errors: ClerkErrors = parse(
        "message-less error",
        &json!({"errors": [{"code": "resource_not_found"}], "clerk_trace_id": "trace_123"}),
    );
    let first = errors.errors.unwrap_or_default().into_iter().next().expect("one error");
    assert_eq!(first.code.as_deref(), Some("resource_not_found"));
    assert_eq!(first.message, None);
    assert_eq!(errors.clerk_trace_id.as_deref(), Some("trace_123"));
    let full = json!({"errors": [{"message": "m", "long_message": "l", "code": "c", "meta": {"param_name": "x"}}], "meta": {}, "clerk_trace_id": "t"});
    parses_whatever_clerk_leaves_out::<ClerkErrors>("errors", &full, &["errors"]);
}
