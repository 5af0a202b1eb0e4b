//! The rules an input can carry, stated in its declaration: each is checked before anything is
//! sent, and [`crate::schema`] states it in the input's JSON Schema.

use crate::error::Error;

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

/// The largest page Clerk serves.
pub(crate) const LARGEST_PAGE: i64 = 500;
/// A page size: Clerk serves 1 to [`LARGEST_PAGE`] items a page.
pub(crate) const LIMIT: Rule = Rule::Range { min: 1, max: Some(LARGEST_PAGE) };
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

/// What a required input that is missing or blank is told.
pub(crate) const REQUIRED_REASON: &str = "is required";

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

/// Checks that an input is given when its rules require it.
pub(crate) fn required(name: &str, rules: &[Rule], given: bool) -> Result<(), Error> {
    if !given && rules.iter().any(|rule| matches!(rule, Rule::Required | Rule::PathId)) {
        return Err(Error::invalid(name, REQUIRED_REASON));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Form;

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
