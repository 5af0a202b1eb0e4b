//! A small, fixed cast to try the tools on: three users with sessions, two organizations with
//! their members and an invitation, an OAuth token, and two JWT templates.

use serde_json::{Map, Value, json};

use crate::store::{NewOrganization, NewOrganizationInvitation, NewUser, Store};

/// The username of the cast's first user, whose active session the program's hint mints a
/// token for.
pub(crate) const ADA_USERNAME: &str = "ada";

struct DemoUser {
    first_name: &'static str,
    last_name: &'static str,
    email_address: &'static str,
    username: &'static str,
    phone_number: Option<&'static str>,
    external_id: &'static str,
    public_metadata: Value,
    /// Session statuses, oldest first.
    sessions: &'static [&'static str],
}

fn object(value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Adds the demo records. Whatever would clash with records already there (the same email
/// address or slug) is skipped, so seeding twice adds nothing the second time.
pub(crate) fn seed(store: &mut Store) {
    let cast = [
        DemoUser {
            first_name: "Ada",
            last_name: "Lovelace",
            email_address: "ada@example.com",
            username: ADA_USERNAME,
            phone_number: None,
            external_id: "demo-ada",
            public_metadata: json!({"role": "admin"}),
            sessions: &["ended", "active"],
        },
        DemoUser {
            first_name: "Grace",
            last_name: "Hopper",
            email_address: "grace@example.com",
            username: "grace",
            phone_number: None,
            external_id: "demo-grace",
            public_metadata: json!({"role": "member"}),
            sessions: &["active"],
        },
        DemoUser {
            first_name: "Alan",
            last_name: "Turing",
            email_address: "alan@example.com",
            username: "alan",
            phone_number: Some("+15555550100"),
            external_id: "demo-alan",
            public_metadata: json!({"role": "member"}),
            sessions: &["ended", "active"],
        },
    ];

    let mut user_ids = Vec::new();
    for person in cast {
        let new = NewUser {
            email_addresses: vec![person.email_address.to_owned()],
            phone_numbers: person.phone_number.map(str::to_owned).into_iter().collect(),
            username: Some(person.username.to_owned()),
            password: None,
            first_name: Some(person.first_name.to_owned()),
            last_name: Some(person.last_name.to_owned()),
            external_id: Some(person.external_id.to_owned()),
            public_metadata: object(person.public_metadata),
            private_metadata: None,
            unsafe_metadata: None,
            ..NewUser::default()
        };
        let Ok(user) = store.create_user(new) else { continue };
        let user_id = user.id.clone();
        // One browser per person: all of a person's sessions come from the same client.
        let client_id = store.new_id("client");
        for status in person.sessions {
            // The user was created just above, so this cannot fail.
            let _ = store.add_session(&user_id, &client_id, status);
        }
        user_ids.push(user_id);
    }

    let [ada, grace, alan] = user_ids.as_slice() else { return };
    // Ada has connected her Google account.
    let _ =
        store.add_oauth_token(ada, "oauth_google", "ya29.demo-google-access-token", &["openid", "email", "profile"]);

    let engine = NewOrganization {
        name: Some("Analytical Engine".to_owned()),
        created_by: Some(ada.clone()),
        slug: Some("analytical-engine".to_owned()),
        max_allowed_memberships: Some(5),
        public_metadata: object(json!({"founded": 1837})),
        private_metadata: None,
    };
    if let Ok(organization) = store.create_organization(engine) {
        let organization_id = organization.id.clone();
        store.add_member(&organization_id, alan, "org:member");
    }
    let compilers = NewOrganization {
        name: Some("Compilers Inc".to_owned()),
        created_by: Some(grace.clone()),
        slug: Some("compilers-inc".to_owned()),
        max_allowed_memberships: Some(10),
        public_metadata: object(json!({"founded": 1952})),
        private_metadata: None,
    };
    if let Ok(organization) = store.create_organization(compilers) {
        let organization_id = organization.id.clone();
        let invitation = NewOrganizationInvitation {
            email_address: Some("charles@example.com".to_owned()),
            role: Some("org:member".to_owned()),
            inviter_user_id: Some(grace.clone()),
            ..NewOrganizationInvitation::default()
        };
        let _ = store.create_organization_invitation(&organization_id, invitation);
    }

    let templates = [
        (
            "supabase",
            json!({"aud": "authenticated", "role": "authenticated", "email": "{{user.primary_email_address}}"}),
        ),
        (
            "hasura",
            json!({"https://hasura.io/jwt/claims": {"x-hasura-user-id": "{{user.id}}", "x-hasura-default-role": "user", "x-hasura-allowed-roles": ["user"]}}),
        ),
    ];
    for (name, claims) in templates {
        if let Some(claims) = object(claims) {
            let _ = store.add_jwt_template(name, claims);
        }
    }
}
