//! How a tool's input is declared, read and checked. Each input struct is declared once with
//! [`input!`]: its fields, their doc comments (the descriptions a model reads) and their rules
//! (a range, an ID that goes into a URL path, a required value, the allowed values, at least
//! one of a group). From that one declaration come the struct itself, the JSON Schema of the
//! input ([`crate::schema`]) and the checks every call runs before anything is sent; the names
//! of the inputs come from serde, which reads and writes them.
//!
//! The JSON interface reads each field in the forms agents send ([`Form`]) into the same Rust
//! types the typed methods take.

mod forms;
mod rules;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

pub(crate) use forms::*;
pub(crate) use rules::*;

use crate::error::Error;

/// The declaration of one input field, as [`input!`] records it.
#[derive(Debug)]
pub(crate) struct FieldSpec {
    /// The Rust field's name; the input's name is serde's (see [`Input::names`]).
    pub(crate) rust_name: &'static str,
    /// The doc comment, line by line.
    pub(crate) doc: &'static str,
    pub(crate) kind: Kind,
    pub(crate) rules: &'static [Rule],
}

impl FieldSpec {
    /// Whether the value goes into the URL path: it names what a call acts on.
    pub(crate) fn is_path_id(&self) -> bool {
        self.rules.contains(&Rule::PathId)
    }
}

/// The declaration of an input struct, as [`input!`] records it.
#[derive(Debug)]
pub(crate) struct InputSpec {
    /// The struct's doc comment, line by line.
    pub(crate) doc: &'static str,
    pub(crate) fields: &'static [FieldSpec],
    /// Fields (by Rust name) of which at least one must be given.
    pub(crate) at_least_one_of: &'static [&'static str],
    /// For an update or a merge, its verb: at least one field that is not an ID must be given,
    /// since Clerk answers an empty change with the object unchanged, which hides the caller's
    /// mistake.
    pub(crate) requires_change: Option<&'static str>,
}

/// A field of an input, as the checks see it.
pub(crate) trait Field {
    fn is_given(&self) -> bool;
    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error>;
}

impl<T: Form> Field for T {
    fn is_given(&self) -> bool {
        Form::is_given(self)
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        Form::check(self, name, rules)
    }
}

/// An input struct declared with [`input!`]. Its generic methods only hand the declaration and
/// the fields to code compiled once for every input.
pub(crate) trait Input: for<'de> Deserialize<'de> {
    /// Its declaration.
    const SPEC: &'static InputSpec;

    /// Its fields, in declaration order.
    fn fields(&mut self) -> Vec<&mut dyn Field>;

    /// The input names, in declaration order: serde's own, read from its derive.
    fn names() -> &'static [&'static str] {
        serde_field_names::<Self>()
    }

    /// Normalises every field and checks every rule; the first broken rule is the error.
    fn check(&mut self) -> Result<(), Error> {
        check_fields(Self::SPEC, Self::names(), self.fields())
    }

    /// The names of the inputs given whose declaration `keep` accepts, in declaration order.
    fn given_names(&mut self, keep: fn(&FieldSpec) -> bool) -> Vec<String> {
        given_names(Self::SPEC, Self::names(), self.fields(), keep)
    }
}

fn check_fields(spec: &InputSpec, names: &[&str], mut fields: Vec<&mut dyn Field>) -> Result<(), Error> {
    for ((field, declared), name) in fields.iter_mut().zip(spec.fields).zip(names) {
        field.check(name, declared.rules)?;
    }
    let given: Vec<bool> = fields.iter().map(|field| field.is_given()).collect();
    check_groups(spec, names, &given)
}

fn given_names(
    spec: &InputSpec,
    names: &[&str],
    fields: Vec<&mut dyn Field>,
    keep: fn(&FieldSpec) -> bool,
) -> Vec<String> {
    let given = fields.iter().zip(spec.fields).zip(names);
    given
        .filter(|((field, declared), _)| field.is_given() && keep(declared))
        .map(|(_, name)| name.to_string())
        .collect()
}

/// The rules on a group of fields: at least one of a group, something to change.
fn check_groups(spec: &InputSpec, names: &[&str], given: &[bool]) -> Result<(), Error> {
    let position = |rust_name: &str| spec.fields.iter().position(|field| field.rust_name == rust_name);
    if !spec.at_least_one_of.is_empty() {
        let group: Vec<usize> = spec.at_least_one_of.iter().filter_map(|name| position(name)).collect();
        if !group.iter().any(|&index| given.get(index).copied().unwrap_or(false)) {
            let group_names: Vec<&str> = group.iter().filter_map(|&index| names.get(index).copied()).collect();
            let first = group_names.first().copied().unwrap_or("input");
            return Err(Error::invalid(first, format!("give at least one of {}", either(&group_names))));
        }
    }
    if let Some(verb) = spec.requires_change {
        let changes: Vec<usize> = (0..spec.fields.len()).filter(|&index| !spec.fields[index].is_path_id()).collect();
        if !changes.iter().any(|&index| given.get(index).copied().unwrap_or(false)) {
            let change_names: Vec<&str> = changes.iter().filter_map(|&index| names.get(index).copied()).collect();
            return Err(Error::invalid(
                "input",
                format!("nothing to {verb}: give at least one of {}", change_names.join(", ")),
            ));
        }
    }
    Ok(())
}

/// `a`, `a or b`, `a, b or c`.
pub(crate) fn either(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The names serde reads a struct's fields by, in declaration order: the list its derive hands
/// to `deserialize_struct`, caught by a deserializer that reads nothing else.
fn serde_field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    struct Names(&'static [&'static str]);
    #[derive(Debug)]
    struct Caught;
    impl std::fmt::Display for Caught {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names caught")
        }
    }
    impl std::error::Error for Caught {}
    impl de::Error for Caught {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Caught
        }
    }
    impl<'de> Deserializer<'de> for &mut Names {
        type Error = Caught;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Caught> {
            Err(Caught)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Caught> {
            self.0 = fields;
            Err(Caught)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

/// Declares an input struct once: its fields with their doc comments and rules. It gives the
/// struct (with serde reading the agent forms into it), and its [`Input`] implementation, from
/// which the schema and the checks derive.
///
/// ```ignore
/// input! {
///     /// Input of `clerk_list_sessions`.
///     #[at_least_one_of(user_id, client_id)]
///     pub struct ListSessionsInput {
///         /// User ID to list sessions for.
///         pub user_id: Option<String>,
///         /// Number of results per page (default: 10).
///         #[rule(LIMIT)]
///         pub limit: Option<i64>,
///     }
/// }
/// ```
macro_rules! input {
    (
        $(#[doc = $doc:literal])*
        $(#[at_least_one_of($first:ident $(, $rest:ident)*)])?
        $(#[requires_change($verb:literal)])?
        pub struct $name:ident {
            $(
                $(#[doc = $field_doc:literal])*
                $(#[rule($rule:expr)])*
                pub $field:ident: $type:ty,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        $(
            #[doc = ""]
            #[doc = concat!(
                "At least one of `", stringify!($first), "`", $(" or `", stringify!($rest), "`",)* " is required."
            )]
        )?
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            $(
                $(#[doc = $field_doc])*
                pub $field: $type,
            )*
        }

        const _: () = {
            #[derive(Default, serde::Deserialize)]
            #[serde(rename_all = "camelCase", default, deny_unknown_fields)]
            struct Input {
                $($field: crate::input::Agent<$type>,)*
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let Input { $($field),* } = Input::deserialize(deserializer)?;
                    Ok($name { $($field: $field.0),* })
                }
            }
        };

        impl crate::input::Input for $name {
            const SPEC: &'static crate::input::InputSpec = &crate::input::InputSpec {
                doc: concat!($($doc, "\n"),*),
                fields: &[$(
                    crate::input::FieldSpec {
                        rust_name: stringify!($field),
                        doc: concat!($($field_doc, "\n"),*),
                        kind: <$type as crate::input::Form>::KIND,
                        rules: &[$($rule),*],
                    },
                )*],
                at_least_one_of: &[$(stringify!($first), $(stringify!($rest)),*)?],
                requires_change: crate::input::verb(&[$($verb)?]),
            };

            fn fields(&mut self) -> Vec<&mut dyn crate::input::Field> {
                vec![$(&mut self.$field),*]
            }
        }
    };
}
pub(crate) use input;

/// The verb of `#[requires_change]`, if given.
pub(crate) const fn verb(given: &[&'static str]) -> Option<&'static str> {
    match given {
        [verb] => Some(*verb),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;

    input! {
        /// Every form.
        #[at_least_one_of(text, list)]
        pub struct Forms {
            /// A number.
            #[rule(LIMIT)]
            pub number: Option<i64>,
            /// A flag.
            pub flag: Option<bool>,
            /// A list.
            pub list: Vec<String>,
            /// An object.
            pub object: Option<Map<String, Value>>,
            /// A text.
            pub text: Option<String>,
            /// An ID.
            #[rule(PATH_ID)]
            pub the_id: String,
        }
    }

    fn forms(value: Value) -> Result<Forms, String> {
        serde_json::from_value(value).map_err(|err| err.to_string())
    }

    #[test]
    fn names_come_from_serde() {
        assert_eq!(Forms::names(), ["number", "flag", "list", "object", "text", "theId"]);
        assert_eq!(Forms::SPEC.fields.len(), Forms::names().len());
        // Serde refuses what it does not know, for a program that reads inputs itself too.
        assert!(forms(json!({"theId": "u", "colour": 1})).unwrap_err().contains("unknown field `colour`"));
    }

    #[test]
    fn agent_forms_decode_into_rust_types() {
        let given = forms(json!({"number": " 25 ", "flag": "TRUE", "list": "a, ,b", "object": "{\"a\": 1}"})).unwrap();
        assert_eq!(given.number, Some(25));
        assert_eq!(given.flag, Some(true));
        assert_eq!(given.list, ["a", "b"]);
        assert_eq!(given.object.unwrap()["a"], 1);
        let plain = forms(json!({"number": 10.0, "flag": false, "list": ["x", "y,z"], "object": {}})).unwrap();
        assert_eq!((plain.number, plain.flag, plain.list.len()), (Some(10), Some(false), 3));
        let absent = forms(json!({"number": "", "flag": null, "list": null, "object": " "})).unwrap();
        assert_eq!((absent.number, absent.flag, absent.list.len(), absent.object), (None, None, 0, None));
    }

    #[test]
    fn agent_forms_explain_what_is_wrong_in_plain_words() {
        for (input, expected) in [
            (json!({"number": true}), "must be a whole number"),
            (json!({"number": "2.5"}), "must be a whole number"),
            (json!({"number": "ten"}), "must be a whole number"),
            (json!({"flag": "yes"}), "must be true or false"),
            (json!({"list": [1]}), "comma-separated string or a list of strings"),
            (json!({"list": 1}), "must be a comma-separated string or a list of strings"),
            (json!({"object": [1]}), "must be a JSON object"),
            (json!({"object": "nope"}), "must be a JSON object"),
            (json!({"text": 5}), "must be text"),
        ] {
            let message = forms(input.clone()).unwrap_err();
            assert!(message.contains(expected), "{input}: {message}");
            assert!(!message.contains("untagged") && !message.contains("variant"), "{message}");
        }
    }

    #[test]
    fn checks_normalise_then_apply_the_rules() {
        let mut given = Forms {
            the_id: "  user_1 ".into(),
            text: Some("  ".into()),
            list: vec![" a ".into(), "".into()],
            ..Default::default()
        };
        given.check().unwrap();
        assert_eq!(
            (given.the_id.as_str(), given.text.as_deref(), given.list.as_slice()),
            ("user_1", None, &["a".to_string()][..])
        );
        let error = |mut forms: Forms| forms.check().unwrap_err().to_string();
        assert_eq!(
            error(Forms { the_id: "u".into(), number: Some(0), list: vec!["a".into()], ..Default::default() }),
            "invalid input `number`: must be a whole number from 1 to 500"
        );
        assert_eq!(error(Forms { list: vec!["a".into()], ..Default::default() }), "invalid input `theId`: is required");
        assert_eq!(
            error(Forms { the_id: "u".into(), text: Some(" ".into()), ..Default::default() }),
            "invalid input `text`: give at least one of text or list"
        );
    }
}
