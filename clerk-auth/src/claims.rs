//! Clerk's session token claims, typed: the user, the session, its status, the active
//! organization (in both the original and the version 2 format), the actor of an
//! impersonation, and the factor verification age.

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::VerifyError;

/// A verified Clerk session token: who is signed in, in which session, and the rest of its
/// claims.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Session {
    /// The signed-in user (`sub`, `user_...`).
    pub user_id: String,
    /// The session (`sid`, `sess_...`).
    pub session_id: String,
    /// The session's status (`sts`), on instances that include it: a pending session has
    /// signed in but still has tasks to complete (such as choosing an organization).
    pub status: Option<SessionStatus>,
    /// The active organization, if any (`o` in version 2 tokens, `org_*` before).
    pub organization: Option<ActiveOrganization>,
    /// Who is acting on the user's behalf (`act`), when the session is an impersonation.
    pub actor: Option<Actor>,
    /// The origin the token was made for (`azp`).
    pub authorized_party: Option<String>,
    /// The instance's Frontend API URL (`iss`).
    pub issuer: Option<String>,
    /// When the token expires (`exp`), in Unix seconds.
    pub expires_at: i64,
    /// When the token was issued (`iat`), in Unix seconds.
    pub issued_at: Option<i64>,
    /// When the token starts to be valid (`nbf`), in Unix seconds.
    pub not_before: Option<i64>,
    /// How long ago the user last verified a first and a second factor (`fva`), on instances
    /// that include it.
    pub factor_verification_age: Option<FactorVerificationAge>,
    /// The version of the claims' format (`v`): 2 for the current one, absent for the first.
    pub version: Option<u64>,
    /// The payload as it was signed, for claims of your own (from the session token's
    /// customization) and anything not typed here.
    claims: String,
}

impl Session {
    /// The whole payload as a JSON object.
    pub fn claims(&self) -> Map<String, Value> {
        // It was parsed as a JSON object during verification.
        serde_json::from_str(&self.claims).unwrap_or_default()
    }

    /// The payload as it was signed (JSON text).
    pub fn claims_json(&self) -> &str {
        &self.claims
    }

    /// One claim, decoded as `T`: `None` when absent or of another shape.
    ///
    /// ```
    /// # fn show(session: &clerk_auth::Session) {
    /// let plan: Option<String> = session.claim("plan");
    /// # }
    /// ```
    pub fn claim<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.claims().remove(name).and_then(|value| serde_json::from_value(value).ok())
    }
}

/// The status of a session (`sts`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionStatus {
    /// Signed in, nothing left to do.
    Active,
    /// Signed in with tasks left (such as choosing an organization); treat as signed out
    /// where the tasks matter.
    Pending,
    /// A status this version does not know.
    Other(String),
}

impl SessionStatus {
    fn parse(status: String) -> Self {
        match status.as_str() {
            "active" => SessionStatus::Active,
            "pending" => SessionStatus::Pending,
            _ => SessionStatus::Other(status),
        }
    }
}

/// The organization active in the session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActiveOrganization {
    /// `org_...`
    pub id: String,
    /// The organization's slug.
    pub slug: Option<String>,
    /// The user's role in it, with its `org:` prefix (`org:admin`), whichever format the token
    /// has.
    pub role: Option<String>,
    /// The user's permissions in it (`org:feature:permission`), decoded from the feature and
    /// permission claims of version 2 tokens (`fea`, `o.per`, `o.fpm`) or read from
    /// `org_permissions`.
    pub permissions: Vec<String>,
}

/// The actor of an impersonation (`act`): who is signed in as the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Actor {
    /// The impersonator's user id (`act.sub`).
    pub subject: String,
    /// The kind of actor (`act.type`), such as `agent`, when given.
    pub kind: Option<String>,
}

/// How long ago the user verified each factor (`fva`, in minutes); `None` for a factor
/// never verified in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FactorVerificationAge {
    /// Since the first factor (a password, a code, ...) was verified.
    pub first_factor: Option<Duration>,
    /// Since the second factor was verified.
    pub second_factor: Option<Duration>,
}

impl FactorVerificationAge {
    fn from_minutes(minutes: [i64; 2]) -> Self {
        let age = |minutes: i64| u64::try_from(minutes).ok().map(|minutes| Duration::from_secs(minutes * 60));
        FactorVerificationAge { first_factor: age(minutes[0]), second_factor: age(minutes[1]) }
    }
}

/// The payload as Clerk writes it. Registered claims are checked by the verifier; the rest is
/// read as given, and anything else is ignored here (and kept in [`Session::claims`]).
#[derive(Deserialize)]
pub(crate) struct Payload {
    sub: Option<String>,
    sid: Option<String>,
    #[serde(default, deserialize_with = "numeric_date")]
    exp: Option<i64>,
    #[serde(default, deserialize_with = "numeric_date")]
    nbf: Option<i64>,
    #[serde(default, deserialize_with = "numeric_date")]
    iat: Option<i64>,
    azp: Option<String>,
    iss: Option<String>,
    sts: Option<String>,
    act: Option<ActorClaim>,
    v: Option<u64>,
    fva: Option<[i64; 2]>,
    fea: Option<String>,
    o: Option<OrganizationClaim>,
    org_id: Option<String>,
    org_slug: Option<String>,
    org_role: Option<String>,
    org_permissions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct ActorClaim {
    sub: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct OrganizationClaim {
    id: String,
    slg: Option<String>,
    rol: Option<String>,
    per: Option<String>,
    fpm: Option<String>,
}

/// A NumericDate: seconds since the epoch, an integer or (rarely) a fraction, floored.
fn numeric_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    let number = Option::<serde_json::Number>::deserialize(deserializer)?;
    Ok(number.and_then(|number| number.as_i64().or_else(|| number.as_f64().map(|seconds| seconds.floor() as i64))))
}

impl Payload {
    pub(crate) fn parse(json: &[u8]) -> Result<Self, VerifyError> {
        serde_json::from_slice(json).map_err(|err| {
            if err.is_data() {
                VerifyError::InvalidClaims(format!("a claim has the wrong type ({err})"))
            } else {
                VerifyError::Malformed("the payload is not a JSON object")
            }
        })
    }

    /// The session, if the claims every session token has are there: `sub`, `sid`, `exp`.
    /// `json` is the payload's text.
    pub(crate) fn into_session(self, json: Vec<u8>) -> Result<Session, VerifyError> {
        let missing = |claim: &str| VerifyError::InvalidClaims(format!("a session token has `{claim}`"));
        let expires_at = self.exp.ok_or_else(|| missing("exp"))?;
        let user_id = self.sub.ok_or_else(|| missing("sub"))?;
        let session_id = self.sid.ok_or_else(|| missing("sid"))?;
        let organization = match (self.v, self.o) {
            (Some(2..), Some(o)) => {
                let permissions = organization_permissions(self.fea.as_deref(), o.per.as_deref(), o.fpm.as_deref());
                Some(ActiveOrganization {
                    id: o.id,
                    slug: o.slg,
                    role: o.rol.map(|role| format!("org:{role}")),
                    permissions,
                })
            }
            (Some(2..), None) => None,
            _ => self.org_id.map(|id| ActiveOrganization {
                id,
                slug: self.org_slug,
                role: self.org_role,
                permissions: self.org_permissions.unwrap_or_default(),
            }),
        };
        Ok(Session {
            user_id,
            session_id,
            status: self.sts.map(SessionStatus::parse),
            organization,
            actor: self.act.map(|act| Actor { subject: act.sub, kind: act.kind }),
            authorized_party: self.azp,
            issuer: self.iss,
            expires_at,
            issued_at: self.iat,
            not_before: self.nbf,
            factor_verification_age: self.fva.map(FactorVerificationAge::from_minutes),
            version: self.v,
            // Valid UTF-8: serde_json parsed it.
            claims: String::from_utf8(json).unwrap_or_default(),
        })
    }
}

/// The organization permissions of a version 2 token. `fea` lists features with their scope
/// (`o:memberships,u:billing`); the organization-scoped ones, in order, each get a mask in
/// `fpm` (decimal) whose bit `i` grants the `i`th permission of `per`. A malformed mask grants
/// nothing, as in Clerk's SDKs.
fn organization_permissions(features: Option<&str>, permissions: Option<&str>, masks: Option<&str>) -> Vec<String> {
    let (Some(features), Some(permissions), Some(masks)) = (features, permissions, masks) else {
        return Vec::new();
    };
    let permissions: Vec<&str> = permissions.split(',').map(str::trim).collect();
    // A feature without its scope would shift every mask after it: grant nothing instead.
    let Some(features) = features.split(',').map(|feature| feature.trim().split_once(':')).collect::<Option<Vec<_>>>()
    else {
        return Vec::new();
    };
    let organization_features =
        features.into_iter().filter(|(scope, _)| matches!(*scope, "o" | "ou" | "uo")).map(|(_, name)| name);
    let mut granted = Vec::new();
    for (feature, mask) in organization_features.zip(masks.split(',')) {
        let Some(bits) = decimal_bits(mask.trim()) else { continue };
        for (permission, bit) in permissions.iter().zip(bits) {
            if bit {
                granted.push(format!("org:{feature}:{permission}"));
            }
        }
    }
    granted
}

/// The bits of a decimal number of any length, least significant first; `None` unless it is
/// digits only.
fn decimal_bits(decimal: &str) -> Option<Vec<bool>> {
    if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits: Vec<u8> = decimal.bytes().map(|b| b - b'0').collect();
    let mut bits = Vec::new();
    while digits.iter().any(|digit| *digit != 0) {
        // Long division by two, most significant digit first.
        let mut remainder = 0;
        for digit in &mut digits {
            let value = remainder * 10 + *digit;
            *digit = value / 2;
            remainder = value % 2;
        }
        bits.push(remainder == 1);
    }
    Some(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_masks_of_any_length() {
        assert_eq!(decimal_bits("0"), Some(vec![]));
        assert_eq!(decimal_bits("6"), Some(vec![false, true, true]));
        assert_eq!(decimal_bits("-1"), None);
        assert_eq!(decimal_bits("1.5"), None);
        // 2^70: longer than any machine integer.
        let bits = decimal_bits("1180591620717411303424").unwrap();
        assert_eq!(bits.len(), 71);
        assert!(bits[70] && bits[..70].iter().all(|bit| !bit));
    }

    // The cases of Clerk's own SDK tests (packages/shared, jwtPayloadParser).
    #[test]
    fn version_2_permissions_as_clerk_decodes_them() {
        let decode = |fea: &str, per: &str, fpm: &str| {
            let mut permissions = organization_permissions(Some(fea), Some(per), Some(fpm));
            permissions.sort();
            permissions
        };
        assert_eq!(
            decode("o:impersonation,o:memberships", "read,manage", "1,3"),
            ["org:impersonation:read", "org:memberships:manage", "org:memberships:read"]
        );
        assert_eq!(
            decode("uo:impersonation,o:memberships,uo:feature3", "read,manage", "1,3,1"),
            ["org:feature3:read", "org:impersonation:read", "org:memberships:manage", "org:memberships:read"]
        );
        assert_eq!(decode("o:impersonation,o:memberships,o:feature3", "read,manage", "1,3,0").len(), 3);
        assert_eq!(decode("o:feature", "read,manage", "1invalid"), Vec::<String>::new());
        assert_eq!(
            decode("u:billing,o:memberships", "read,manage", "3"),
            ["org:memberships:manage", "org:memberships:read"]
        );
    }
}
