//! Properties of the shared conventions, over arbitrary inputs.

use clerk_tools::conventions::{agent, is_path_safe, split_list};
use proptest::prelude::*;

proptest! {
    #[test]
    fn splitting_yields_only_trimmed_non_empty_entries(input in ".{0,200}") {
        for entry in split_list(Some(&input)) {
            prop_assert!(!entry.is_empty());
            prop_assert_eq!(entry.trim(), entry.as_str());
            prop_assert!(!entry.contains(','));
        }
    }

    #[test]
    fn splitting_round_trips(entries in proptest::collection::vec("[^,\\s]([^,]{0,20}[^,\\s])?", 0..10), padding in "[ \t]{0,3}") {
        let joined = entries.iter().map(|e| format!("{padding}{e}{padding}")).collect::<Vec<_>>().join(",");
        prop_assert_eq!(split_list(Some(&joined)), entries.clone());
        let rejoined = split_list(Some(&joined)).join(",");
        prop_assert_eq!(split_list(Some(&rejoined)), entries);
    }

    #[test]
    fn the_id_check_accepts_exactly_the_allowed_alphabet(id in "\\PC{0,40}") {
        let allowed = !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        prop_assert_eq!(is_path_safe(&id), allowed);
    }

    #[test]
    fn ids_from_the_alphabet_are_accepted(id in "[A-Za-z0-9_-]{1,60}") {
        prop_assert!(is_path_safe(&id));
    }

    #[test]
    fn metadata_parsing_never_panics(text in "\\PC{0,200}") {
        let parsed = agent::object(serde_json::Value::String(text.clone()));
        if let Ok(Some(map)) = parsed {
            prop_assert_eq!(serde_json::Value::Object(map), serde_json::from_str::<serde_json::Value>(&text).unwrap());
        }
    }
}
