//! RSA public keys for RS256: read from a PEM (`CLERK_JWT_KEY`) or from a JWKS entry, checked
//! once when read, and used to check signatures.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};

use crate::error::KeyError;

/// The object identifier `rsaEncryption` (1.2.840.113549.1.1.1), DER-encoded.
const RSA_ENCRYPTION_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// The modulus sizes RS256 is verified with: 2048 bits is the least NIST allows (and what
/// Clerk uses), 8192 the most ring verifies.
const MIN_MODULUS_BITS: usize = 2048;
const MAX_MODULUS_BITS: usize = 8192;

/// An RSA public key that RS256 signatures can be checked with.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey {
    /// Big-endian, without leading zeros.
    modulus: Vec<u8>,
    exponent: Vec<u8>,
}

impl std::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaPublicKey").field("bits", &self.bits()).finish()
    }
}

impl RsaPublicKey {
    /// Reads a PEM public key the way Clerk's dashboard and SDKs hand it out: `-----BEGIN
    /// PUBLIC KEY-----` (or `RSA PUBLIC KEY`) with real line breaks, with the two-character
    /// sequence `\n` in their place (as environment files often hold it), or all on one line;
    /// the base64 body alone is taken too.
    ///
    /// # Errors
    ///
    /// When it is not base64 DER of an RSA public key, or the key does not fit RS256 (a modulus
    /// under 2048 or over 8192 bits, an unusual exponent).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let text = pem.trim().replace("\\r", "").replace("\\n", "\n");
        let (label, body) = pem_body(&text)?;
        let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = STANDARD_NO_PAD
            .decode(compact.trim_end_matches('='))
            .map_err(|_| KeyError::Malformed("the PEM body is not base64"))?;
        match label {
            Some("RSA PUBLIC KEY") => Self::from_pkcs1_der(&der),
            Some(_) => Self::from_spki_der(&der),
            // A bare body: whichever of the two it is.
            None => Self::from_spki_der(&der).or_else(|spki_error| Self::from_pkcs1_der(&der).map_err(|_| spki_error)),
        }
    }

    /// From a JWK's `n` and `e` (base64url, unpadded).
    ///
    /// # Errors
    ///
    /// When either is not base64url, or the key does not fit RS256.
    pub fn from_components(n: &str, e: &str) -> Result<Self, KeyError> {
        let decode = |value: &str| {
            URL_SAFE_NO_PAD
                .decode(value.trim_end_matches('='))
                .map_err(|_| KeyError::Malformed("the JWK's n or e is not base64url"))
        };
        Self::new(&decode(n)?, &decode(e)?)
    }

    /// A SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`): the algorithm must be `rsaEncryption`.
    fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        let mut outer = Der::new(der).sequence()?;
        let mut algorithm = outer.sequence()?;
        if algorithm.read(TAG_OID)? != RSA_ENCRYPTION_OID {
            return Err(KeyError::NotRsa);
        }
        let bits = outer.read(TAG_BIT_STRING)?;
        match bits.split_first() {
            Some((0, rsa_public_key)) => Self::from_pkcs1_der(rsa_public_key),
            _ => Err(KeyError::Malformed("the key's bit string is not whole bytes")),
        }
    }

    /// An RSAPublicKey (`BEGIN RSA PUBLIC KEY`): SEQUENCE { modulus INTEGER, exponent INTEGER }.
    fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        let mut key = Der::new(der).sequence()?;
        let modulus = key.unsigned_integer()?;
        let exponent = key.unsigned_integer()?;
        Self::new(modulus, exponent)
    }

    fn new(modulus: &[u8], exponent: &[u8]) -> Result<Self, KeyError> {
        let modulus = strip_leading_zeros(modulus);
        let exponent = strip_leading_zeros(exponent);
        let key = RsaPublicKey { modulus: modulus.to_vec(), exponent: exponent.to_vec() };
        let bits = key.bits();
        if !(MIN_MODULUS_BITS..=MAX_MODULUS_BITS).contains(&bits) {
            return Err(KeyError::UnsupportedSize { bits });
        }
        // ring verifies with an odd exponent of at least 3 and at most 33 bits (65537 in
        // practice); an even modulus is no RSA key at all.
        let odd = |bytes: &[u8]| bytes.last().is_some_and(|last| last & 1 == 1);
        let exponent_value =
            (exponent.len() <= 5).then(|| exponent.iter().fold(0u64, |value, byte| (value << 8) | u64::from(*byte)));
        let exponent_fits = exponent_value.is_some_and(|value| (3..1 << 33).contains(&value));
        if !odd(modulus) || !odd(exponent) || !exponent_fits {
            return Err(KeyError::Malformed("the modulus or the exponent is not that of an RSA key"));
        }
        Ok(key)
    }

    /// The size of the modulus in bits.
    pub fn bits(&self) -> usize {
        match self.modulus.first() {
            Some(first) => self.modulus.len() * 8 - first.leading_zeros() as usize,
            None => 0,
        }
    }

    /// Whether `signature` is an RS256 signature of `message` by this key.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        RsaPublicKeyComponents { n: &self.modulus, e: &self.exponent }
            .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
            .is_ok()
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|byte| *byte != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The label (`PUBLIC KEY`) and body of a PEM text, or the whole text as a body when it has
/// no `-----BEGIN` line.
fn pem_body(text: &str) -> Result<(Option<&str>, &str), KeyError> {
    let Some(begin) = text.find("-----BEGIN ") else {
        return Ok((None, text));
    };
    let after_begin = &text[begin + "-----BEGIN ".len()..];
    let label_end = after_begin.find("-----").ok_or(KeyError::Malformed("the PEM's BEGIN line is not closed"))?;
    let label = &after_begin[..label_end];
    if !label.ends_with("PUBLIC KEY") {
        return Err(KeyError::NotAPublicKey);
    }
    let body_and_end = &after_begin[label_end + "-----".len()..];
    let end = body_and_end.find("-----END ").ok_or(KeyError::Malformed("the PEM has no END line"))?;
    Ok((Some(label), &body_and_end[..end]))
}

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OID: u8 = 0x06;
const TAG_SEQUENCE: u8 = 0x30;

/// Just enough DER to read the two shapes of RSA public keys: definite lengths, one element
/// after another, every length checked against what is left.
struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Der { rest: bytes }
    }

    /// The contents of the next element, which must carry `tag`.
    fn read(&mut self, tag: u8) -> Result<&'a [u8], KeyError> {
        let malformed = KeyError::Malformed("the key is not well-formed DER");
        let (&found, rest) = self.rest.split_first().ok_or(malformed.clone())?;
        if found != tag {
            return Err(malformed);
        }
        let (&first, mut rest) = rest.split_first().ok_or(malformed.clone())?;
        let length = if first < 0x80 {
            usize::from(first)
        } else {
            // Long form: 1 to 3 length bytes are plenty for keys of up to 8192 bits.
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 3 || rest.len() < count {
                return Err(malformed);
            }
            let (length_bytes, after) = rest.split_at(count);
            rest = after;
            length_bytes.iter().fold(0usize, |length, byte| (length << 8) | usize::from(*byte))
        };
        if rest.len() < length {
            return Err(malformed);
        }
        let (contents, after) = rest.split_at(length);
        self.rest = after;
        Ok(contents)
    }

    fn sequence(&mut self) -> Result<Der<'a>, KeyError> {
        self.read(TAG_SEQUENCE).map(Der::new)
    }

    /// A non-negative INTEGER's big-endian bytes.
    fn unsigned_integer(&mut self) -> Result<&'a [u8], KeyError> {
        let bytes = self.read(TAG_INTEGER)?;
        match bytes.first() {
            Some(first) if first & 0x80 == 0 => Ok(bytes),
            _ => Err(KeyError::Malformed("the key holds a negative or empty integer")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_past_the_end_are_refused() {
        assert!(Der::new(&[0x30, 0x05, 0x02]).sequence().is_err());
        assert!(Der::new(&[0x30, 0x84, 0, 0, 0, 1, 0]).sequence().is_err());
        assert!(Der::new(&[0x30, 0x80]).sequence().is_err());
        assert!(Der::new(&[]).sequence().is_err());
    }

    #[test]
    fn small_moduli_are_refused() {
        let modulus = [0xff; 128]; // 1024 bits
        assert_eq!(RsaPublicKey::new(&modulus, &[1, 0, 1]), Err(KeyError::UnsupportedSize { bits: 1024 }));
    }

    #[test]
    fn even_or_tiny_exponents_are_refused() {
        let modulus = [0xff; 256];
        assert!(RsaPublicKey::new(&modulus, &[1, 0, 1]).is_ok());
        assert!(RsaPublicKey::new(&modulus, &[1]).is_err());
        assert!(RsaPublicKey::new(&modulus, &[2]).is_err());
        assert!(RsaPublicKey::new(&modulus, &[1, 0, 0, 0, 0, 1]).is_err());
    }
}
