//! The operations of the client as data, for what needs to know an operation by its id: tracing
//! and policies in hooks (which receive `OperationInfo::operation_id`), and tools that list or
//! pick operations by name.

/// One operation of Clerk's Backend API that this build of the client compiles. The generated
/// [`OPERATIONS`](crate::OPERATIONS) lists them all; [`Operation::find`] looks one up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The operation's id: the name of its `Client` method, and the `operation_id` of the
    /// `OperationInfo` hooks receive (`get_user_list`).
    pub id: &'static str,
    /// The HTTP method, in upper case (`GET`).
    pub method: &'static str,
    /// The path template below the base URL, as Clerk's document writes it (`/users/{user_id}`).
    pub path: &'static str,
    /// The API groups (cargo features) it belongs to; it compiles when all of them are on.
    pub groups: &'static [&'static str],
    /// The document's one-line summary, or empty when it has none.
    pub summary: &'static str,
}

impl Operation {
    /// The operation whose id is `id`, if this build compiles it.
    ///
    /// ```
    /// # #[cfg(feature = "users")] {
    /// let operation = clerk_api::Operation::find("get_user").unwrap();
    /// assert_eq!((operation.method, operation.path), ("GET", "/users/{user_id}"));
    /// # }
    /// ```
    pub fn find(id: &str) -> Option<&'static Operation> {
        let index = crate::OPERATIONS.binary_search_by(|operation| operation.id.cmp(id)).ok()?;
        crate::OPERATIONS.get(index)
    }
}

#[cfg(test)]
mod tests {
    use super::Operation;

    #[test]
    fn operations_are_sorted_by_id_so_that_find_can_search_them() {
        assert!(crate::OPERATIONS.windows(2).all(|pair| pair[0].id < pair[1].id));
        for operation in crate::OPERATIONS {
            assert_eq!(Operation::find(operation.id), Some(operation));
        }
        assert_eq!(Operation::find("no_such_operation"), None);
    }

    #[cfg(all(feature = "users", feature = "billing"))]
    #[test]
    fn an_operation_names_its_method_path_groups_and_summary() {
        let user = Operation::find("get_user").unwrap();
        assert_eq!(
            (user.method, user.path, user.groups, user.summary),
            ("GET", "/users/{user_id}", &["users"][..], "Retrieve a user")
        );
        let billing = Operation::find("get_user_billing_subscription").unwrap();
        assert_eq!(billing.groups, ["billing", "users"]);
    }
}
