//! How a tool's input is declared, read and checked. Each input struct is declared once with
//! [`input!`]: its fields, their doc comments (the descriptions a model reads) and their rules
//! (a range, an ID that goes into a URL path, a required value, the allowed values, at least
//! one of a group). From that one declaration come the struct itself, the JSON Schema of the
//! input ([`crate::schema`]) and the checks every call runs before anything is sent; the names
//! of the inputs come from serde, which reads and writes them.
//!
//! The JSON interface takes the looser forms agents send (numbers as strings, `"true"`,
//! comma-separated lists, metadata as JSON text) and reads them into the same Rust types the
//! typed methods take: each field type is a [`Form`], which says how it is read, how its
//! schema reads and what counts as given.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::secret::Password;

/// A rule on one input, checked before anything is sent and stated in the input's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// The value must be given (a blank text or an empty list is not given).
    Required,
    /// The value goes into a segment of the URL path: required, and [`is_path_safe`] once
    /// trimmed.
    PathId,
    /// A whole number from `min` to `max` (no upper bound without one).
    Range { min: i64, max: Option<i64> },
    /// One of these values, exactly.
    OneOf(&'static [&'static str]),
}

/// A page size: Clerk serves 1 to 500 items a page.
pub(crate) const LIMIT: Rule = Rule::Range { min: 1, max: Some(500) };
/// A count that may be zero: an offset, a capacity where 0 means unlimited.
pub(crate) const ZERO_OR_MORE: Rule = Rule::Range { min: 0, max: None };
/// A duration in seconds.
pub(crate) const SECONDS: Rule = Rule::Range { min: 1, max: None };
/// An invitation's lifetime in days: Clerk takes 1 to 365.
pub(crate) const DAYS: Rule = Rule::Range { min: 1, max: Some(365) };
/// See [`Rule::Required`].
pub(crate) const REQUIRED: Rule = Rule::Required;
/// See [`Rule::PathId`].
pub(crate) const PATH_ID: Rule = Rule::PathId;

/// The longest ID accepted in a URL path: Clerk's IDs are about 30 characters, slugs a few
/// dozen.
pub(crate) const MAX_PATH_ID_LEN: usize = 128;

/// Whether `id` may go into a URL path segment: 1 to [`MAX_PATH_ID_LEN`] characters of
/// `A-Z a-z 0-9 _ -`. Nothing else is needed for a Clerk ID or slug, and nothing in it can
/// change the path (`..`, `/`, `%2e`, `?`, `#`, white space).
pub(crate) fn is_path_safe(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_PATH_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// What an input that is not text is told.
pub(crate) const NOT_TEXT: &str = "must be text";
/// What a required input that is missing or blank is told.
const REQUIRED_REASON: &str = "is required";
/// What a true-or-false input that is neither is told.
const NOT_A_FLAG: &str = "must be true or false";

/// Checks an ID that goes into a URL path, already trimmed: the error names `name`.
pub(crate) fn check_path_id(name: &str, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::invalid(name, REQUIRED_REASON));
    }
    if id.len() > MAX_PATH_ID_LEN {
        return Err(Error::invalid(name, format!("must be at most {MAX_PATH_ID_LEN} characters long")));
    }
    if !is_path_safe(id) {
        return Err(Error::invalid(name, "may contain only letters, digits, `_` and `-`"));
    }
    Ok(())
}

/// What kind of value a field holds, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text (trimmed; blank is absent).
    Text,
    /// A password: sent exactly as given; blank is absent.
    Password,
    /// A whole number.
    Number,
    /// `true` or `false`.
    Flag,
    /// A list of texts.
    List,
    /// A JSON object (metadata, claims, an actor).
    Object,
}

/// A field type of the tools' inputs.
pub(crate) trait Form {
    /// What kind of value it holds.
    const KIND: Kind;

    /// Reads the value in any of the forms agents send; the error is what the caller reads.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>
    where
        Self: Sized;

    /// Whether a value was given: a blank text, an empty list or a missing value was not.
    fn is_given(&self) -> bool;

    /// Normalises the value (trims texts, drops blank ones) and checks `rules`, naming the
    /// input `name` in the error.
    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error>;
}

/// A field as serde reads it from JSON: in any of the forms agents send ([`Form::read`]). Each
/// input is read through a mirror struct of these fields, so that serde compiles one reader per
/// form rather than one per field.
#[derive(Default)]
pub(crate) struct Agent<T>(pub(crate) T);

impl<'de, T: Form> Deserialize<'de> for Agent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Agent)
    }
}

fn required(name: &str, rules: &[Rule], given: bool) -> Result<(), Error> {
    if !given && rules.iter().any(|rule| matches!(rule, Rule::Required | Rule::PathId)) {
        return Err(Error::invalid(name, REQUIRED_REASON));
    }
    Ok(())
}

/// The text of an optional or required text input, `null` read as absent.
fn read_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text)),
        _ => Err(de::Error::custom(NOT_TEXT)),
    }
}

impl Form for String {
    const KIND: Kind = Kind::Text;

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_text(deserializer).map(Option::unwrap_or_default)
    }

    fn is_given(&self) -> bool {
        !self.trim().is_empty()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        let trimmed = self.trim();
        if trimmed.len() != self.len() {
            *self = trimmed.to_string();
        }
        required(name, rules, Form::is_given(self))?;
        if rules.contains(&Rule::PathId) {
            check_path_id(name, self)?;
        }
        Ok(())
    }
}

impl Form for Option<String> {
    const KIND: Kind = Kind::Text;

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_text(deserializer)
    }

    fn is_given(&self) -> bool {
        self.as_deref().is_some_and(|text| !text.trim().is_empty())
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        *self = self.as_deref().map(str::trim).filter(|text| !text.is_empty()).map(str::to_string);
        required(name, rules, self.is_some())?;
        for rule in rules {
            if let (Rule::OneOf(values), Some(value)) = (rule, self.as_deref())
                && !values.contains(&value)
            {
                return Err(Error::invalid(name, format!("must be one of {}", values.join(", "))));
            }
        }
        Ok(())
    }
}

impl Form for Option<Password> {
    const KIND: Kind = Kind::Password;

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_text(deserializer).map(|text| text.map(Password::new))
    }

    fn is_given(&self) -> bool {
        self.as_ref().is_some_and(|password| !password.expose().trim().is_empty())
    }

    /// A password is sent exactly as given, spaces included; only a blank one is absent.
    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        if !Form::is_given(self) {
            *self = None;
        }
        required(name, rules, self.is_some())
    }
}

/// The longest integer that survives a trip through a JSON double.
const SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Form for Option<i64> {
    const KIND: Kind = Kind::Number;

    /// A JSON number or a string holding one; `null` and a blank string are absent.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let whole = |f: f64| (f.is_finite() && f.fract() == 0.0 && f.abs() <= SAFE_INTEGER).then_some(f as i64);
        let parsed: Option<Option<i64>> = match Value::deserialize(deserializer)? {
            Value::Null => Some(None),
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)).map(Some),
            Value::String(text) if text.trim().is_empty() => Some(None),
            Value::String(text) => {
                let text = text.trim();
                text.parse::<i64>().ok().or_else(|| text.parse::<f64>().ok().and_then(whole)).map(Some)
            }
            _ => None,
        };
        parsed.ok_or_else(|| de::Error::custom("must be a whole number, given as a number or a string holding one"))
    }

    fn is_given(&self) -> bool {
        self.is_some()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        required(name, rules, self.is_some())?;
        for rule in rules {
            if let (Rule::Range { min, max }, Some(n)) = (rule, *self)
                && (n < *min || max.is_some_and(|max| n > max))
            {
                let reason = match max {
                    Some(max) => format!("must be a whole number from {min} to {max}"),
                    None => format!("must be a whole number of at least {min}"),
                };
                return Err(Error::invalid(name, reason));
            }
        }
        Ok(())
    }
}

impl Form for Option<bool> {
    const KIND: Kind = Kind::Flag;

    /// `true` or `false`, or the strings `"true"`/`"false"` in any case; `null` and a blank
    /// string are absent.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(de::Error::custom(NOT_A_FLAG)),
            },
            _ => Err(de::Error::custom(NOT_A_FLAG)),
        }
    }

    fn is_given(&self) -> bool {
        self.is_some()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        required(name, rules, self.is_some())
    }
}

impl Form for Vec<String> {
    const KIND: Kind = Kind::List;

    /// A "comma-separated for multiple" input, or a JSON array of such strings; `null` is
    /// empty.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let not_a_list = || de::Error::custom("must be a comma-separated string or a list of strings");
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(Vec::new()),
            Value::String(text) => Ok(split_list(&text)),
            Value::Array(items) => items.iter().try_fold(Vec::new(), |mut entries, item| match item {
                Value::String(text) => {
                    entries.extend(split_list(text));
                    Ok(entries)
                }
                _ => Err(not_a_list()),
            }),
            _ => Err(not_a_list()),
        }
    }

    fn is_given(&self) -> bool {
        self.iter().any(|entry| !entry.trim().is_empty())
    }

    /// Entries are trimmed and empty ones dropped, so that an empty list is not sent.
    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        if self.iter().any(|entry| entry.trim().len() != entry.len() || entry.is_empty()) {
            *self = self.iter().map(|entry| entry.trim()).filter(|e| !e.is_empty()).map(str::to_string).collect();
        }
        required(name, rules, !self.is_empty())
    }
}

impl Form for Option<Map<String, Value>> {
    const KIND: Kind = Kind::Object;

    /// A JSON object, given as an object or as a string holding one; `null` and a blank
    /// string are absent.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let not_object = || de::Error::custom("must be a JSON object, given as an object or as a string holding one");
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            Value::Object(map) => Ok(Some(map)),
            Value::String(text) if text.trim().is_empty() => Ok(None),
            Value::String(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => Ok(Some(map)),
                _ => Err(not_object()),
            },
            _ => Err(not_object()),
        }
    }

    fn is_given(&self) -> bool {
        self.is_some()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        required(name, rules, self.is_some())
    }
}

/// Splits a "comma-separated for multiple" input: entries trimmed, empty entries dropped.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|entry| !entry.is_empty()).map(str::to_string).collect()
}

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

/// The JSON Schema of one input field: its form's types, its rules, then its description.
pub(crate) fn field_schema(kind: Kind, rules: &[Rule], description: String) -> Value {
    let mut schema = Map::new();
    let types = match kind {
        Kind::Text if rules.iter().any(|rule| matches!(rule, Rule::Required | Rule::PathId)) => json!("string"),
        Kind::Text | Kind::Password => json!(["string", "null"]),
        Kind::Number => json!(["integer", "string"]),
        Kind::Flag => json!(["boolean", "string"]),
        Kind::List => json!("string"),
        Kind::Object => json!(["object", "string"]),
    };
    schema.insert("type".into(), types);
    for rule in rules {
        match rule {
            Rule::Range { min, max } => {
                schema.insert("minimum".into(), json!(min));
                if let Some(max) = max {
                    schema.insert("maximum".into(), json!(max));
                }
            }
            Rule::OneOf(values) => {
                let mut allowed: Vec<Value> = values.iter().map(|value| json!(value)).collect();
                // A nullable input may be null, which the allowed values must then include.
                if schema.get("type").and_then(Value::as_array).is_some_and(|types| types.contains(&json!("null"))) {
                    allowed.push(Value::Null);
                }
                schema.insert("enum".into(), Value::Array(allowed));
            }
            Rule::Required | Rule::PathId => {}
        }
    }
    schema.insert("description".into(), Value::String(description));
    Value::Object(schema)
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
            #[serde(rename_all = "camelCase", default)]
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

    /// IDs as Clerk issues them, and IDs that could change the path or that no Clerk ID looks
    /// like: an oracle of examples, not a second statement of the rule.
    #[test]
    fn known_ids_are_accepted_and_known_hostile_ones_refused() {
        for good in ["user_2x1Ada0LoveLace9Q", "org_2Xyz", "sess_29w83sxmDNGwOuEthce5gg56FcC", "acme-inc", "A9_-z", "x"]
        {
            assert!(is_path_safe(good), "{good}");
        }
        let long = "a".repeat(MAX_PATH_ID_LEN + 1);
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "..%2f",
            "%2e%2e",
            "user 1",
            "user\n1",
            "a?b",
            "a#b",
            "a;b",
            "é",
            "user_1\u{0}",
            "ü",
            &long,
        ] {
            assert!(!is_path_safe(bad), "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ids_of_the_alphabet_are_accepted(id in "[A-Za-z0-9_-]{1,128}") {
            proptest::prop_assert!(is_path_safe(&id));
        }

        #[test]
        fn one_character_outside_the_alphabet_is_refused(
            before in "[A-Za-z0-9_-]{0,40}",
            outside in "[^A-Za-z0-9_-]",
            after in "[A-Za-z0-9_-]{0,40}",
        ) {
            let id = format!("{before}{outside}{after}");
            proptest::prop_assert!(!is_path_safe(&id), "{:?}", id);
        }

        #[test]
        fn ids_longer_than_any_clerk_issues_are_refused(id in "[A-Za-z0-9_-]{129,300}") {
            proptest::prop_assert!(!is_path_safe(&id));
        }

        #[test]
        fn splitting_yields_only_trimmed_non_empty_entries(input in ".{0,200}") {
            for entry in split_list(&input) {
                proptest::prop_assert!(!entry.is_empty());
                proptest::prop_assert_eq!(entry.trim(), entry.as_str());
                proptest::prop_assert!(!entry.contains(','));
            }
        }

        #[test]
        fn splitting_round_trips(
            entries in proptest::collection::vec("[^,\\s]([^,]{0,20}[^,\\s])?", 0..10),
            padding in "[ \t]{0,3}",
        ) {
            let joined = entries.iter().map(|e| format!("{padding}{e}{padding}")).collect::<Vec<_>>().join(",");
            proptest::prop_assert_eq!(split_list(&joined), entries.clone());
            let rejoined = split_list(&joined).join(",");
            proptest::prop_assert_eq!(split_list(&rejoined), entries);
        }

        #[test]
        fn metadata_given_as_text_reads_as_the_object_it_holds(text in "\\PC{0,200}") {
            let parsed = <Option<Map<String, Value>> as Form>::read(Value::String(text.clone()));
            if let Ok(Some(map)) = parsed {
                proptest::prop_assert_eq!(Value::Object(map), serde_json::from_str::<Value>(&text).unwrap());
            }
        }
    }

    #[test]
    fn path_ids_allow_only_the_safe_alphabet_and_length() {
        let long = "a".repeat(MAX_PATH_ID_LEN + 1);
        for bad in ["..", ".", "a/b", "%2e%2e", "user 1", "", "   ", "a?b", "a#b", "é", long.as_str()] {
            let mut id = bad.to_string();
            let err = Form::check(&mut id, "userId", &[PATH_ID]).unwrap_err();
            assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "userId"), "{bad}: {err}");
        }
        let mut huge = "a".repeat(100_000);
        assert!(Form::check(&mut huge, "userId", &[PATH_ID]).unwrap_err().to_string().len() < 200);
    }
}
