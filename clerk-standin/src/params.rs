//! Reading query strings and JSON bodies, with Clerk's error codes for what is wrong in them.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::declared;
use crate::error::ApiError;
use crate::store::{Order, Page, UserFilter};

/// A query string kept as its ordered pairs, because Clerk's list filters repeat a key for
/// each value (`email_address=a&email_address=b`).
#[derive(Debug, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Query {
        let pairs = raw.map(|raw| form_urlencoded::parse(raw.as_bytes()).into_owned().collect()).unwrap_or_default();
        Query { pairs }
    }

    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    pub(crate) fn first(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The first value of `key`, trimmed, if it is not blank.
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        self.first(key).map(str::trim).filter(|value| !value.is_empty()).map(str::to_owned)
    }

    /// Every value of a repeated `key`, as given.
    pub(crate) fn texts(&self, key: &str) -> Vec<String> {
        self.all(key).into_iter().map(str::to_owned).collect()
    }

    pub(crate) fn page(&self) -> Result<Page, ApiError> {
        Ok(Page { limit: self.limit()?, offset: self.offset()? })
    }

    /// The user filters shared by `GET /users`, `GET /users/count` and the membership list.
    pub(crate) fn user_filter(&self) -> UserFilter {
        UserFilter {
            email_addresses: self.texts("email_address"),
            phone_numbers: self.texts("phone_number"),
            usernames: self.texts("username"),
            external_ids: self.texts("external_id"),
            user_ids: self.texts("user_id"),
            query: self.first("query").map(str::to_owned),
        }
    }

    fn limit(&self) -> Result<usize, ApiError> {
        match self.first("limit") {
            None => Ok(10),
            Some(raw) => match raw.trim().parse::<u64>() {
                Ok(n @ 1..=500) => Ok(n as usize),
                _ => Err(ApiError::value_invalid("limit", "limit must be an integer between 1 and 500.")),
            },
        }
    }

    fn offset(&self) -> Result<usize, ApiError> {
        match self.first("offset") {
            None => Ok(0),
            Some(raw) => raw.trim().parse::<usize>().map_err(|_| {
                ApiError::value_invalid("offset", "offset must be an integer greater than or equal to 0.")
            }),
        }
    }

    /// Absent means false; anything but `true`/`false` is refused rather than guessed.
    pub(crate) fn flag(&self, key: &str) -> Result<bool, ApiError> {
        match self.first(key).map(str::trim) {
            None => Ok(false),
            Some(raw) if raw.eq_ignore_ascii_case("true") => Ok(true),
            Some(raw) if raw.eq_ignore_ascii_case("false") => Ok(false),
            Some(_) => Err(ApiError::value_invalid(key, format!("{key} must be true or false."))),
        }
    }

    /// `order_by` as `field`, `+field` or `-field`; without it, newest first like Clerk.
    pub(crate) fn order_by(&self, fields: &[&'static str]) -> Result<Order, ApiError> {
        let raw = self.first("order_by").map(str::trim_end).unwrap_or("-created_at");
        let (descending, name) = match raw.strip_prefix('-') {
            Some(name) => (true, name),
            // A literal `+` in a query string decodes to a space, so both mean ascending.
            None => (false, raw.strip_prefix(['+', ' ']).unwrap_or(raw)),
        };
        match fields.iter().find(|field| **field == name) {
            Some(field) => Ok(Order { field, descending }),
            None => Err(ApiError::value_invalid(
                "order_by",
                format!("order_by must be one of {}, optionally prefixed with + or -.", fields.join(", ")),
            )),
        }
    }
}

/// A JSON request body. `null` counts as absent, as it does for Clerk's optional fields.
#[derive(Debug, Default)]
pub(crate) struct Body {
    fields: Map<String, Value>,
}

impl Body {
    pub(crate) fn parse(bytes: &[u8]) -> Result<Body, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body::default());
        }
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(fields)) => Ok(Body { fields }),
            _ => Err(ApiError::body_invalid()),
        }
    }

    /// Parses the body of an endpoint whose generated request type is `T`, refusing any field
    /// the document does not declare for it, so that a misspelt field is not silently dropped.
    /// Declared fields the stand-in does not model are accepted and not read.
    pub(crate) fn declared_by<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<Body, ApiError> {
        let body = Body::parse(bytes)?;
        body.only(declared::fields::<T>())?;
        Ok(body)
    }

    /// Refuses any field not in `allowed`.
    fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        match self.fields.keys().find(|key| !allowed.contains(&key.as_str())) {
            Some(unknown) => Err(ApiError::param_unknown(unknown)),
            None => Ok(()),
        }
    }

    fn present(&self, key: &str) -> Option<&Value> {
        self.fields.get(key).filter(|value| !value.is_null())
    }

    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::format_invalid(key, format!("{key} must be a string."))),
        }
    }

    /// An array of strings; a single string is taken as a one-element array.
    pub(crate) fn strings(&self, key: &str) -> Result<Vec<String>, ApiError> {
        let invalid = || ApiError::format_invalid(key, format!("{key} must be an array of strings."));
        match self.present(key) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(Value::Array(items)) => {
                items.iter().map(|item| item.as_str().map(str::to_owned).ok_or_else(invalid)).collect()
            }
            Some(_) => Err(invalid()),
        }
    }

    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::format_invalid(key, format!("{key} must be true or false."))),
        }
    }

    pub(crate) fn integer(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.present(key) {
            None => Ok(None),
            Some(value) => match value.as_i64() {
                Some(n) => Ok(Some(n)),
                None => Err(ApiError::format_invalid(key, format!("{key} must be an integer."))),
            },
        }
    }

    pub(crate) fn object(&self, key: &str) -> Result<Option<Map<String, Value>>, ApiError> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map.clone())),
            Some(_) => Err(ApiError::format_invalid(key, format!("{key} must be a JSON object."))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_all_kept_in_order() {
        let query = Query::parse(Some("email_address=a%40x.com&limit=5&email_address=b%40x.com"));
        assert_eq!(query.all("email_address"), ["a@x.com", "b@x.com"]);
        assert_eq!(query.limit().unwrap(), 5);
    }

    #[test]
    fn order_by_accepts_prefixes_and_refuses_unknown_fields() {
        let fields = ["created_at", "username"];
        let order = |raw: &str| Query::parse(Some(raw)).order_by(&fields);
        assert!(order("order_by=-username").unwrap().descending);
        assert!(!order("order_by=%2Busername").unwrap().descending);
        assert!(!order("order_by=+username").unwrap().descending);
        assert!(!order("order_by=username").unwrap().descending);
        assert!(order("order_by=nope").is_err());
        let default = Query::default().order_by(&fields).unwrap();
        assert_eq!((default.field, default.descending), ("created_at", true));
    }
}
