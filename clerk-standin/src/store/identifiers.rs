//! The instance's allowlist and blocklist: email addresses (`*@domain` wildcards included),
//! phone numbers and web3 wallets that may, or may not, sign up.
//!
//! The stand-in has no sign-up, so the lists are only kept; like Clerk, the Backend API's own
//! user creation does not consult them.

use super::{Listed, NewInvitation, Page, Store, normalize_email, normalize_phone, valid_email, valid_phone};
use crate::error::ApiError;

/// Which of the two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Allow,
    Block,
}

impl ListKind {
    /// The `object` of its entries, and of their deleted objects.
    pub(crate) fn object(self) -> &'static str {
        match self {
            ListKind::Allow => "allowlist_identifier",
            ListKind::Block => "blocklist_identifier",
        }
    }

    fn name(self) -> &'static str {
        match self {
            ListKind::Allow => "allowlist",
            ListKind::Block => "blocklist",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            ListKind::Allow => "alid",
            ListKind::Block => "blid",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct IdentifierEntry {
    pub(crate) id: String,
    pub(crate) identifier: String,
    /// `email_address`, `phone_number` or `web3_wallet`.
    pub(crate) identifier_type: &'static str,
    /// The invitation sent when the entry was added with `notify` (allowlist only).
    pub(crate) invitation_id: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

fn web3_wallet(text: &str) -> bool {
    text.strip_prefix("0x").is_some_and(|hex| hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The identifier in the form Clerk stores it, with its type.
fn classify(identifier: &str) -> Result<(String, &'static str), ApiError> {
    let identifier = identifier.trim();
    if identifier.contains('@') {
        let email = normalize_email(identifier);
        // `*@example.com` stands for every address of the domain.
        let wildcard = email.strip_prefix("*@").is_some_and(|domain| valid_email(&format!("any@{domain}")));
        if wildcard || valid_email(&email) {
            return Ok((email, "email_address"));
        }
    } else if web3_wallet(identifier) {
        return Ok((identifier.to_owned(), "web3_wallet"));
    } else {
        let phone = normalize_phone(identifier);
        if valid_phone(&phone) {
            return Ok((phone, "phone_number"));
        }
    }
    Err(ApiError::format_invalid(
        "identifier",
        "identifier must be either a valid email address, a valid phone number according to E.164 international \
         standard or a valid web3 wallet.",
    ))
}

impl Store {
    fn identifier_list(&self, kind: ListKind) -> &std::collections::HashMap<String, IdentifierEntry> {
        match kind {
            ListKind::Allow => &self.allowlist,
            ListKind::Block => &self.blocklist,
        }
    }

    fn identifier_list_mut(&mut self, kind: ListKind) -> &mut std::collections::HashMap<String, IdentifierEntry> {
        match kind {
            ListKind::Allow => &mut self.allowlist,
            ListKind::Block => &mut self.blocklist,
        }
    }

    /// Adds `identifier` to the list. With `notify`, an allowlisted email address (not a
    /// wildcard) is also sent an invitation, as Clerk does, and the entry names it.
    pub(crate) fn add_identifier(
        &mut self,
        kind: ListKind,
        identifier: Option<String>,
        notify: bool,
    ) -> Result<IdentifierEntry, ApiError> {
        let identifier = identifier
            .filter(|identifier| !identifier.trim().is_empty())
            .ok_or_else(|| ApiError::param_missing("identifier", "identifier must be included."))?;
        let (identifier, identifier_type) = classify(&identifier)?;
        if self.identifier_list(kind).values().any(|entry| entry.identifier == identifier) {
            return Err(ApiError::duplicate_identifier(kind.name(), &identifier));
        }
        let invitation_id =
            if kind == ListKind::Allow && notify && identifier_type == "email_address" && !identifier.starts_with("*@")
            {
                let invitation = NewInvitation {
                    email_address: Some(identifier.clone()),
                    ignore_existing: true,
                    ..NewInvitation::default()
                };
                Some(self.create_invitation(invitation)?.id)
            } else {
                None
            };
        let now = self.clock.tick();
        let entry = IdentifierEntry {
            id: self.ids.next(kind.prefix()),
            identifier,
            identifier_type,
            invitation_id,
            created_at: now,
            updated_at: now,
        };
        self.identifier_list_mut(kind).insert(entry.id.clone(), entry.clone());
        Ok(entry)
    }

    pub(crate) fn remove_identifier(&mut self, kind: ListKind, id: &str) -> Result<IdentifierEntry, ApiError> {
        self.identifier_list_mut(kind).remove(id).ok_or_else(|| ApiError::not_found("Identifier"))
    }

    /// Oldest first, so that a list reads in the order the entries were added.
    pub(crate) fn list_identifiers(&self, kind: ListKind, page: Page) -> Listed<&IdentifierEntry> {
        let mut entries: Vec<&IdentifierEntry> = self.identifier_list(kind).values().collect();
        entries.sort_by_key(|entry| entry.created_at);
        Listed::paged(entries, page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_typed_and_normalized() {
        assert_eq!(classify(" Ada@Example.com ").unwrap(), ("ada@example.com".to_owned(), "email_address"));
        assert_eq!(classify("*@example.com").unwrap(), ("*@example.com".to_owned(), "email_address"));
        assert_eq!(classify("+1 (555) 555-0100").unwrap(), ("+15555550100".to_owned(), "phone_number"));
        let wallet = "0x52908400098527886E0F7030069857D2E4169EE7";
        assert_eq!(classify(wallet).unwrap(), (wallet.to_owned(), "web3_wallet"));
        for bad in ["*@", "ada@", "hello", "0x1234"] {
            assert!(classify(bad).is_err(), "{bad}");
        }
    }
}
