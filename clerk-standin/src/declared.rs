//! The request fields Clerk's document declares for a body, read from the generated request
//! type of `clerk-api-types`, so that the stand-in accepts exactly what the document allows and
//! no list of field names is kept by hand.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// The field names of the generated body type `T` as they appear on the wire, e.g.
/// `fields::<CreateUserBody>()`; empty for a type that is not a plain struct.
pub(crate) fn fields<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    // The derive hands its field list to `deserialize_struct`, whose answer, an error, ends it.
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

/// A deserializer that reads nothing: it only keeps the field list serde's derive passes it.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names read"))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use clerk_api_types::{CreateUserBody, UpdateUserBody};

    use super::fields;

    #[test]
    fn a_body_declares_the_fields_of_the_document() {
        let create = fields::<CreateUserBody>();
        assert!(create.contains(&"email_address") && create.contains(&"create_organizations_limit"), "{create:?}");
        let update = fields::<UpdateUserBody>();
        assert!(update.contains(&"notify_primary_email_address_changed"), "{update:?}");
        assert!(!update.contains(&"public_metadata"), "{update:?}");
        assert!(fields::<String>().is_empty());
    }
}
