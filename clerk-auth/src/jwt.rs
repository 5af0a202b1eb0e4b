//! The compact JWS form (`header.payload.signature`, each base64url without padding) and the
//! header checks that come before any key is looked at.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::error::VerifyError;

/// The largest token accepted, in bytes. Clerk's session tokens are about a kilobyte and travel
/// in a cookie, which browsers cap at 4 KiB; anything much longer is refused before decoding.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The `cat` header values of Clerk's session tokens: the session category, and the value
/// instances that opted out of categories stamp on every token. Any other `cat` is a token of
/// another kind (an M2M token, a JWT template) signed by the same key.
const SESSION_CATEGORIES: &[&str] = &["cl_B7d4PD111AAA", "cl_I7d4PD111III"];

/// The only algorithm accepted.
const RS256: &str = "RS256";

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
    typ: Option<String>,
    cat: Option<String>,
    crit: Option<serde_json::Value>,
}

/// A token split and decoded, its header checked; the signature is not checked yet.
pub(crate) struct Jws<'a> {
    pub(crate) kid: Option<String>,
    /// `header.payload`, the bytes the signature covers.
    pub(crate) signing_input: &'a [u8],
    pub(crate) payload: Vec<u8>,
    pub(crate) signature: Vec<u8>,
}

impl<'a> Jws<'a> {
    /// Splits and decodes `token` and checks its header: RS256, no critical extensions, the
    /// type and category of a session token.
    pub(crate) fn parse(token: &'a str) -> Result<Self, VerifyError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(VerifyError::TooLarge { length: token.len(), limit: MAX_TOKEN_BYTES });
        }
        let mut parts = token.split('.');
        let (Some(header_part), Some(payload_part), Some(signature_part), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed("a JWT is three parts separated by dots"));
        };
        let signing_input = &token.as_bytes()[..header_part.len() + 1 + payload_part.len()];
        let decode = |part: &str| {
            URL_SAFE_NO_PAD.decode(part).map_err(|_| VerifyError::Malformed("a part is not base64url without padding"))
        };
        let header_json = decode(header_part)?;
        let payload = decode(payload_part)?;
        let signature = decode(signature_part)?;
        let header: Header = serde_json::from_slice(&header_json)
            .map_err(|_| VerifyError::Malformed("the header is not a JSON object of string fields"))?;
        match header.alg.as_deref() {
            Some(RS256) => {}
            Some(other) => return Err(VerifyError::UnsupportedAlgorithm(other.to_owned())),
            None => return Err(VerifyError::Malformed("the header has no alg")),
        }
        if header.crit.is_some() {
            // RFC 7515: extensions a verifier does not implement make the token invalid.
            return Err(VerifyError::Malformed(
                "the header lists critical extensions (crit), which this verifier does not implement",
            ));
        }
        if let Some(typ) = header.typ.as_deref()
            && typ != "JWT"
        {
            return Err(VerifyError::NotASessionToken(format!("its type (typ) is {typ:?}, not \"JWT\"")));
        }
        if let Some(cat) = header.cat.as_deref()
            && !SESSION_CATEGORIES.contains(&cat)
        {
            return Err(VerifyError::NotASessionToken(format!("its category (cat) is {cat:?}")));
        }
        Ok(Jws { kid: header.kid, signing_input, payload, signature })
    }
}
