//! Which tools a host exposes: the curated tools, plus (feature `operations`) the generated
//! operation tools of the chosen toolsets; only those that change nothing (and hand out no
//! credentials unless allowed), those whose names match a few patterns, or both. The CLI's
//! `list`, `call` and the MCP server select with it; a program embedding the tools can do the
//! same.
//!
//! ```
//! use clerk_tools::ToolSelection;
//!
//! let selection = ToolSelection::all().read_only(true).patterns("clerk_get_*,clerk_list_users");
//! let tools = selection.resolve()?;
//! assert!(tools.iter().all(|tool| tool.nature.read_only));
//! assert!(tools.iter().any(|tool| tool.name == "clerk_list_users"));
//! # Ok::<(), clerk_tools::SelectionError>(())
//! ```

use crate::registry::{Tool, tools};

/// The toolset name that stands for every toolset.
pub const ALL_TOOLSETS: &str = "all";

/// A choice of tools: every tool, narrowed to the read-only ones and/or to those whose name
/// matches one of the patterns (both narrowings together keep what both keep).
///
/// Read-only is about harm as well as change: a tool that changes nothing but returns live
/// credentials ([`Tool::returns_credentials`]) lets whoever reads its output act as a user, so a
/// read-only selection leaves it out unless [`ToolSelection::allow_credentials`] says otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolSelection {
    read_only: bool,
    allow_credentials: bool,
    /// `None`: no pattern was asked for, so names do not narrow the choice.
    patterns: Option<Vec<String>>,
    /// The toolsets whose operation tools are added to the curated tools.
    toolsets: Vec<String>,
}

/// Why a selection cannot be used. A host should refuse to start on one rather than serve
/// fewer tools than its configuration names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SelectionError {
    /// A pattern matches no tool's name.
    #[error("the tool pattern `{pattern}` matches no tool; `clerk-tools list` shows their names")]
    NoMatch {
        /// The pattern, as given.
        pattern: String,
    },
    /// A pattern matches only tools that change something, and only read-only tools are
    /// selected.
    #[error(
        "the tool pattern `{pattern}` matches only tools that change something, and only read-only tools are selected"
    )]
    OnlyWritable {
        /// The pattern, as given.
        pattern: String,
    },
    /// A pattern matches only read-only tools that return credentials, and only read-only tools
    /// without credentials are selected.
    #[error(
        "the tool pattern `{pattern}` matches only tools that return credentials, which a read-only selection \
         leaves out unless credentials are allowed"
    )]
    OnlyCredentials {
        /// The pattern, as given.
        pattern: String,
    },
    /// Patterns were asked for, but the list holds none (`""`, `","`).
    #[error("the list of tool patterns is empty")]
    NoPattern,
    /// A toolset that does not exist.
    #[error("there is no toolset `{name}`; the toolsets are {known}, or `all`")]
    UnknownToolset {
        /// The name, as given.
        name: String,
        /// The toolsets there are, comma-separated.
        known: String,
    },
}

impl ToolSelection {
    /// Every tool.
    pub fn all() -> Self {
        Self::default()
    }

    /// Keeps only the tools that change nothing ([`crate::Nature::read_only`]) when `read_only`.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// With [`ToolSelection::read_only`], keeps the read-only tools that return credentials too
    /// (off by default). Without read-only it changes nothing: every tool is offered anyway.
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    /// Keeps only the tools whose name matches one of the comma-separated patterns, in which
    /// `*` stands for any run of characters (`clerk_get_*,clerk_list_users`). Entries are
    /// trimmed and empty ones dropped, as for every comma-separated input. Called again, it
    /// adds to the patterns.
    pub fn patterns(mut self, list: &str) -> Self {
        let given = list.split(',').map(str::trim).filter(|pattern| !pattern.is_empty()).map(str::to_string);
        self.patterns.get_or_insert_with(Vec::new).extend(given);
        self
    }

    /// Adds the generated operation tools of the comma-separated toolsets (API groups, as
    /// `clerk_tools::toolsets()` lists them, or `all`) to the curated tools. A generated tool
    /// of two groups is in both. Without any, only the curated tools are offered. Called again,
    /// it adds to the toolsets.
    pub fn toolsets(mut self, list: &str) -> Self {
        let given = list.split(',').map(str::trim).filter(|name| !name.is_empty()).map(str::to_string);
        self.toolsets.extend(given);
        self
    }

    /// Whether any toolset was asked for.
    pub fn has_toolsets(&self) -> bool {
        !self.toolsets.is_empty()
    }

    /// Whether `tool` is selected, without checking the patterns themselves (see
    /// [`ToolSelection::resolve`]): for a host deciding whether to run a call.
    pub fn admits(&self, tool: &Tool) -> bool {
        self.in_toolsets(tool)
            && (!self.read_only || (tool.nature.read_only && (self.allow_credentials || !tool.returns_credentials)))
            && self.patterns.as_ref().is_none_or(|patterns| patterns.iter().any(|p| glob_matches(p, tool.name)))
    }

    /// A curated tool, or a generated one of a chosen toolset.
    fn in_toolsets(&self, tool: &Tool) -> bool {
        tool.groups.is_empty()
            || self.toolsets.iter().any(|set| set == ALL_TOOLSETS || tool.groups.contains(&set.as_str()))
    }

    /// The selected tools: the curated ones in the order of [`tools()`], then the generated
    /// operation tools of the chosen toolsets in the document's order. An error names the
    /// first toolset that does not exist or pattern that selects nothing.
    pub fn resolve(&self) -> Result<Vec<&'static Tool>, SelectionError> {
        if self.toolsets.is_empty() {
            return self.resolve_from(tools());
        }
        let (known, generated) = generated_tools();
        if let Some(unknown) = self.toolsets.iter().find(|set| *set != ALL_TOOLSETS && !known.contains(&set.as_str())) {
            return Err(SelectionError::UnknownToolset { name: unknown.clone(), known: known.join(", ") });
        }
        let candidates: Vec<&'static Tool> =
            tools().iter().chain(generated.iter().filter(|tool| self.in_toolsets(tool))).collect();
        self.resolve_among(&candidates)
    }

    /// [`ToolSelection::resolve`] over the given tools.
    pub fn resolve_from<'a>(&self, tools: &'a [Tool]) -> Result<Vec<&'a Tool>, SelectionError> {
        let candidates: Vec<&'a Tool> = tools.iter().collect();
        self.resolve_among(&candidates)
    }

    fn resolve_among<'a>(&self, tools: &[&'a Tool]) -> Result<Vec<&'a Tool>, SelectionError> {
        if let Some(patterns) = &self.patterns {
            if patterns.is_empty() {
                return Err(SelectionError::NoPattern);
            }
            for pattern in patterns {
                let mut matching = tools.iter().copied().filter(|tool| glob_matches(pattern, tool.name)).peekable();
                if matching.peek().is_none() {
                    return Err(SelectionError::NoMatch { pattern: pattern.clone() });
                }
                if self.read_only {
                    let readable: Vec<&Tool> = matching.filter(|tool| tool.nature.read_only).collect();
                    if readable.is_empty() {
                        return Err(SelectionError::OnlyWritable { pattern: pattern.clone() });
                    }
                    if !readable.iter().any(|tool| self.admits(tool)) {
                        return Err(SelectionError::OnlyCredentials { pattern: pattern.clone() });
                    }
                }
            }
        }
        Ok(tools.iter().copied().filter(|tool| self.admits(tool)).collect())
    }
}

/// The toolsets and the generated operation tools this build has.
#[cfg(feature = "operations")]
fn generated_tools() -> (&'static [&'static str], &'static [Tool]) {
    (crate::operations::toolsets(), crate::operations::operation_tools())
}

/// Without the `operations` feature there are none.
#[cfg(not(feature = "operations"))]
fn generated_tools() -> (&'static [&'static str], &'static [Tool]) {
    (&[], &[])
}

/// Whether `name` matches `pattern`, in which `*` stands for any run of characters (none
/// included) and every other character for itself.
fn glob_matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    // Without a `*`, the one part is the whole name.
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            // The leftmost match leaves the most room for what follows.
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Nature;

    fn tool(name: &'static str, read_only: bool) -> Tool {
        let nature = Nature { read_only, destructive: !read_only, idempotent: true };
        Tool::sample(name, nature, name.ends_with("_token"))
    }

    fn sample() -> Vec<Tool> {
        vec![
            tool("clerk_list_users", true),
            tool("clerk_get_user", true),
            tool("clerk_delete_user", false),
            tool("clerk_get_session", true),
            tool("clerk_revoke_session", false),
            tool("clerk_get_user_oauth_token", true),
        ]
    }

    fn names(selection: &ToolSelection) -> Result<Vec<&'static str>, SelectionError> {
        let tools = sample();
        selection.resolve_from(&tools).map(|tools| tools.iter().map(|tool| tool.name).collect())
    }

    #[test]
    fn globs_match_whole_names_with_star_for_any_run() {
        for (pattern, name) in [
            ("clerk_get_user", "clerk_get_user"),
            ("*", "clerk_get_user"),
            ("clerk_get_*", "clerk_get_user"),
            ("*_user", "clerk_get_user"),
            ("clerk_*_user", "clerk_get_user"),
            ("*get*", "clerk_get_user"),
            ("clerk_get_user*", "clerk_get_user"),
            ("**", "x"),
            ("a*a", "aa"),
            ("a*b*c", "abbc"),
        ] {
            assert!(glob_matches(pattern, name), "{pattern} should match {name}");
        }
        for (pattern, name) in [
            ("clerk_get_use", "clerk_get_user"),
            ("lerk_get_user", "clerk_get_user"),
            ("clerk_get_*", "clerk_list_users"),
            ("*_users", "clerk_get_user"),
            ("a*a", "a"),
            ("a*b*c", "acb"),
            ("", "x"),
            ("CLERK_GET_USER", "clerk_get_user"),
        ] {
            assert!(!glob_matches(pattern, name), "{pattern} should not match {name}");
        }
    }

    #[test]
    fn all_keeps_every_tool_in_order() {
        assert_eq!(
            names(&ToolSelection::all()).unwrap(),
            [
                "clerk_list_users",
                "clerk_get_user",
                "clerk_delete_user",
                "clerk_get_session",
                "clerk_revoke_session",
                "clerk_get_user_oauth_token"
            ]
        );
    }

    #[test]
    fn read_only_leaves_out_credentials_unless_allowed() {
        let read_only = ToolSelection::all().read_only(true);
        assert_eq!(names(&read_only).unwrap(), ["clerk_list_users", "clerk_get_user", "clerk_get_session"]);
        assert!(!read_only.admits(&tool("clerk_get_user_oauth_token", true)));
        let allowed = read_only.clone().allow_credentials(true);
        assert_eq!(
            names(&allowed).unwrap(),
            ["clerk_list_users", "clerk_get_user", "clerk_get_session", "clerk_get_user_oauth_token"]
        );
        // Without read-only, every tool is offered; allowing credentials changes nothing.
        assert_eq!(names(&ToolSelection::all().allow_credentials(true)).unwrap().len(), 6);
        let only_tokens = read_only.patterns("*_oauth_token");
        let error = names(&only_tokens).unwrap_err();
        assert_eq!(error, SelectionError::OnlyCredentials { pattern: "*_oauth_token".into() });
        assert!(error.to_string().contains("return credentials"), "{error}");
        assert_eq!(names(&only_tokens.allow_credentials(true)).unwrap(), ["clerk_get_user_oauth_token"]);
    }

    #[test]
    fn read_only_and_patterns_intersect() {
        let read_only = ToolSelection::all().read_only(true);
        assert_eq!(names(&read_only).unwrap(), ["clerk_list_users", "clerk_get_user", "clerk_get_session"]);
        let by_name = ToolSelection::all().patterns(" *_user , clerk_revoke_session,,");
        assert_eq!(names(&by_name).unwrap(), ["clerk_get_user", "clerk_delete_user", "clerk_revoke_session"]);
        let both = by_name.clone().read_only(true);
        assert_eq!(names(&both).unwrap_err(), SelectionError::OnlyWritable { pattern: "clerk_revoke_session".into() });
        let both = ToolSelection::all().patterns("*_user").patterns("clerk_get_*").read_only(true);
        assert_eq!(names(&both).unwrap(), ["clerk_get_user", "clerk_get_session"]);
        assert!(both.admits(&tool("clerk_get_user", true)));
        assert!(!both.admits(&tool("clerk_delete_user", false)));
        assert!(!both.admits(&tool("clerk_list_users", true)));
    }

    #[test]
    fn a_pattern_that_selects_nothing_is_an_error_naming_it() {
        let selection = ToolSelection::all().patterns("clerk_get_*,clerk_fly_*");
        let error = names(&selection).unwrap_err();
        assert_eq!(error, SelectionError::NoMatch { pattern: "clerk_fly_*".into() });
        assert!(error.to_string().contains("`clerk_fly_*`"), "{error}");
        assert_eq!(names(&ToolSelection::all().patterns(" , ")).unwrap_err(), SelectionError::NoPattern);
    }

    #[test]
    fn the_real_table_resolves() {
        let read_only = ToolSelection::all().read_only(true).resolve().unwrap();
        assert!(!read_only.is_empty());
        assert!(read_only.iter().all(|tool| tool.nature.read_only && !tool.returns_credentials));
        assert_eq!(ToolSelection::all().resolve().unwrap().len(), tools().len());
        let with_credentials = ToolSelection::all().read_only(true).allow_credentials(true).resolve().unwrap();
        let credentials: Vec<&str> =
            with_credentials.iter().filter(|tool| tool.returns_credentials).map(|tool| tool.name).collect();
        assert_eq!(
            credentials,
            ["clerk_list_organization_invitations", "clerk_get_user_oauth_token", "clerk_list_invitations"]
        );
        let first = tools()[0].name;
        assert_eq!(ToolSelection::all().patterns(first).resolve().unwrap().len(), 1);
    }
}
