//! Where the signature headers come from: any map of names to values.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// Read access to a request's headers, whatever the web framework.
///
/// Implemented for `http::HeaderMap` (feature `http`, on by default), for slices, arrays and
/// vectors of `(name, value)` pairs, and for `HashMap` and `BTreeMap` from names to values.
/// Names compare without regard to case.
pub trait Headers {
    /// The value of the first header called `name` (given in lower case), if any.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl<T: Headers + ?Sized> Headers for &T {
    fn header(&self, name: &str) -> Option<&[u8]> {
        (**self).header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.iter().find(|(key, _)| key.as_ref().trim().eq_ignore_ascii_case(name)).map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<V: AsRef<[u8]>, S: BuildHasher> Headers for HashMap<String, V, S> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        match self.get(name) {
            Some(value) => Some(value.as_ref()),
            None => self.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_ref()),
        }
    }
}

impl<V: AsRef<[u8]>> Headers for BTreeMap<String, V> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        match self.get(name) {
            Some(value) => Some(value.as_ref()),
            None => self.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_ref()),
        }
    }
}

#[cfg(feature = "http")]
impl Headers for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        // HeaderMap stores names in lower case and looks them up the same way.
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case() {
        let pairs = [("Svix-Id", "msg_1"), ("svix-timestamp", "1")];
        assert_eq!(pairs.header("svix-id"), Some(&b"msg_1"[..]));
        assert_eq!(pairs.header("svix-signature"), None);
        let map: HashMap<String, String> = [("SVIX-ID".to_string(), "msg_2".to_string())].into();
        assert_eq!(map.header("svix-id"), Some(&b"msg_2"[..]));
        let map: BTreeMap<String, &str> = [("svix-id".to_string(), "msg_3")].into();
        assert_eq!(map.header("svix-id"), Some(&b"msg_3"[..]));
    }

    #[cfg(feature = "http")]
    #[test]
    fn header_map() {
        let mut map = http::HeaderMap::new();
        map.insert("Svix-Id", http::HeaderValue::from_static("msg_4"));
        assert_eq!(map.header("svix-id"), Some(&b"msg_4"[..]));
    }
}
