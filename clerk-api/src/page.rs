//! One page of a list, in either of the shapes Clerk answers.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A page of `T`. The list operations that take `paginated` answer a bare JSON array, or
/// `{"data": [...], "total_count": n}` when asked with `paginated=true`; both decode here, in
/// one pass over the body (an untagged enum would buffer the whole answer and try each shape in
/// turn).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// How many items match across all pages, when Clerk says (`total_count`); a bare array
    /// says nothing.
    pub total_count: Option<i64>,
}

impl<T> Page<T> {
    /// Clerk's `total_count`, or the number of items on this page when Clerk gave none.
    pub fn total_count_or_len(&self) -> i64 {
        self.total_count.unwrap_or(self.data.len() as i64)
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.data.into_iter()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PageVisitor(PhantomData))
    }
}

struct PageVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list, or an object with `data` and `total_count`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Page<T>, A::Error> {
        let mut data = Vec::with_capacity(items.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = items.next_element()? {
            data.push(item);
        }
        Ok(Page { data, total_count: None })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<Page<T>, A::Error> {
        let mut page = Page { data: Vec::new(), total_count: None };
        while let Some(key) = fields.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "data" => page.data = fields.next_value::<Option<Vec<T>>>()?.unwrap_or_default(),
                "total_count" => page.total_count = fields.next_value()?,
                // Whatever else Clerk adds to a page is not an error.
                _ => {
                    fields.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(page)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Page<T>, E> {
        Ok(Page { data: Vec::new(), total_count: None })
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut page = serializer.serialize_struct("Page", 2)?;
        page.serialize_field("data", &self.data)?;
        if let Some(total_count) = self.total_count {
            page.serialize_field("total_count", &total_count)?;
        } else {
            page.skip_field("total_count")?;
        }
        page.end()
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn both_shapes_decode() {
        let bare: Page<u8> = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(bare, Page { data: vec![1, 2], total_count: None });
        assert_eq!(bare.total_count_or_len(), 2);
        let paged: Page<u8> = serde_json::from_str(r#"{"object":"x","data":[3],"total_count":40}"#).unwrap();
        assert_eq!(paged, Page { data: vec![3], total_count: Some(40) });
        let empty: Page<u8> = serde_json::from_str(r#"{"data":null,"total_count":null}"#).unwrap();
        assert_eq!(empty.total_count_or_len(), 0);
        assert_eq!(serde_json::from_str::<Page<u8>>("null").unwrap().data, Vec::<u8>::new());
        assert!(serde_json::from_str::<Page<u8>>(r#""text""#).is_err());
        assert!(serde_json::from_str::<Page<u8>>(r#"{"data":[1,"a"]}"#).is_err());
    }

    #[test]
    fn serializes_as_the_paginated_shape() {
        let page = Page { data: vec![1u8], total_count: Some(3) };
        assert_eq!(serde_json::to_string(&page).unwrap(), r#"{"data":[1],"total_count":3}"#);
        let bare = Page { data: vec![1u8], total_count: None };
        assert_eq!(serde_json::to_string(&bare).unwrap(), r#"{"data":[1]}"#);
    }
}
