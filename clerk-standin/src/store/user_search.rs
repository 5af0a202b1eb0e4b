//! The search of `GET /users` and `GET /users/count`, which the member list of organizations
//! shares.

use super::{
    Listed, Order, Page, SortKey, Store, User, needle, normalize_email, normalize_phone, ordered_page, text_key,
};

/// What `order_by` accepts on `GET /users`.
pub(crate) const USER_ORDER_FIELDS: &[&str] =
    &["created_at", "updated_at", "username", "first_name", "last_name", "email_address", "last_sign_in_at"];

impl User {
    /// The `query` search of `GET /users`: `needle` is already lowercase.
    fn matches(&self, needle: &str) -> bool {
        let full_name = match (&self.first_name, &self.last_name) {
            (Some(first), Some(last)) => Some(format!("{first} {last}")),
            _ => None,
        };
        let texts = [
            Some(self.id.as_str()),
            self.username.as_deref(),
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            full_name.as_deref(),
            self.external_id.as_deref(),
        ];
        let contact_points = self.email_addresses.iter().chain(&self.phone_numbers).map(|point| point.value.as_str());
        texts.into_iter().flatten().chain(contact_points).any(|text| text.to_lowercase().contains(needle))
    }

    /// The sort key of `field`, one of [`USER_ORDER_FIELDS`] or `phone_number`.
    pub(super) fn sort_key(&self, field: &str) -> Option<SortKey> {
        match field {
            "created_at" => Some(SortKey::Number(self.created_at)),
            "updated_at" => Some(SortKey::Number(self.updated_at)),
            "username" => self.username.as_deref().map(text_key),
            "first_name" => self.first_name.as_deref().map(text_key),
            "last_name" => self.last_name.as_deref().map(text_key),
            "email_address" => self.primary_email_address().map(text_key),
            "phone_number" => self.primary_phone_number().map(text_key),
            // Nobody signs in to the stand-in.
            _ => None,
        }
    }
}

/// The filters of `GET /users` and `GET /users/count` (and the member filters of
/// `GET /organizations/{organization_id}/memberships`): OR within a filter, AND across filters.
#[derive(Debug, Default)]
pub(crate) struct UserFilter {
    pub(crate) email_addresses: Vec<String>,
    pub(crate) phone_numbers: Vec<String>,
    pub(crate) usernames: Vec<String>,
    pub(crate) external_ids: Vec<String>,
    pub(crate) user_ids: Vec<String>,
    pub(crate) query: Option<String>,
}

impl UserFilter {
    /// Whether the filter lets every user through.
    fn is_empty(&self) -> bool {
        self.email_addresses.is_empty()
            && self.phone_numbers.is_empty()
            && self.usernames.is_empty()
            && self.external_ids.is_empty()
            && self.user_ids.is_empty()
            && needle(self.query.as_deref()).is_none()
    }

    /// The filter as a predicate, with the values normalized the way Clerk stores them.
    pub(super) fn matcher(&self) -> impl Fn(&User) -> bool + '_ {
        let emails: Vec<String> = self.email_addresses.iter().map(|email| normalize_email(email)).collect();
        let phones: Vec<String> = self.phone_numbers.iter().map(|phone| normalize_phone(phone)).collect();
        let usernames: Vec<String> = self.usernames.iter().map(|name| name.trim().to_lowercase()).collect();
        let needle = needle(self.query.as_deref());
        move |user: &User| {
            (emails.is_empty() || user.email_addresses.iter().any(|email| emails.contains(&email.value)))
                && (phones.is_empty() || user.phone_numbers.iter().any(|phone| phones.contains(&phone.value)))
                && (usernames.is_empty()
                    || user.username.as_deref().is_some_and(|name| usernames.contains(&name.to_lowercase())))
                && (self.external_ids.is_empty()
                    || user.external_id.as_deref().is_some_and(|ext| self.external_ids.iter().any(|id| id == ext)))
                && (self.user_ids.is_empty() || self.user_ids.contains(&user.id))
                && needle.as_deref().is_none_or(|needle| user.matches(needle))
        }
    }
}

impl Store {
    pub(crate) fn list_users(&self, filter: &UserFilter, order: Order, page: Page) -> Listed<&User> {
        if filter.is_empty() && order.field == "created_at" {
            return self.users_in_creation_order(order.descending, page);
        }
        self.sorted_users(filter, order, page)
    }

    /// Every user by `created_at`, Clerk's default order, which is the order they were created
    /// in: the page is read off the store's record of it, without sorting every user for it.
    fn users_in_creation_order(&self, descending: bool, page: Page) -> Listed<&User> {
        let ids = &self.users_by_creation;
        let ordered: Box<dyn Iterator<Item = &String>> =
            if descending { Box::new(ids.iter().rev()) } else { Box::new(ids.iter()) };
        let data = ordered.skip(page.offset).take(page.limit).filter_map(|id| self.users.get(id)).collect();
        Listed { data, total_count: ids.len() }
    }

    fn sorted_users(&self, filter: &UserFilter, order: Order, page: Page) -> Listed<&User> {
        let matches = filter.matcher();
        let users = self.users.values().filter(|user| matches(user));
        ordered_page(users, order, page, |user, field| (user.sort_key(field), user.created_at))
    }

    pub(crate) fn count_users(&self, filter: &UserFilter) -> usize {
        let matches = filter.matcher();
        self.users.values().filter(|user| matches(user)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewUser;

    /// The pages read off the creation order are the pages of the sorted list.
    #[test]
    fn unfiltered_pages_by_creation_are_the_sorted_pages() {
        let mut store = Store::new();
        let mut ids = Vec::new();
        for n in 0..40 {
            let new = NewUser { username: Some(format!("user{n:02}")), ..NewUser::default() };
            ids.push(store.create_user(new).unwrap().id.clone());
        }
        for id in [&ids[0], &ids[17], &ids[39]] {
            store.delete_user(id).unwrap();
        }
        let everyone = UserFilter::default();
        for descending in [true, false] {
            let order = Order { field: "created_at", descending };
            for (offset, limit) in [(0, 10), (5, 7), (30, 10), (36, 10), (37, 5), (50, 10)] {
                let page = Page { limit, offset };
                let fast = store.list_users(&everyone, order, page);
                let sorted = store.sorted_users(&everyone, order, page);
                let names = |listed: &Listed<&User>| -> Vec<String> {
                    listed.data.iter().map(|user| user.username.clone().unwrap()).collect()
                };
                assert_eq!(names(&fast), names(&sorted), "{descending} {offset} {limit}");
                assert_eq!(fast.total_count, 37);
                assert_eq!(sorted.total_count, 37);
            }
        }
        let newest =
            store.list_users(&everyone, Order { field: "created_at", descending: true }, Page { limit: 2, offset: 0 });
        let names: Vec<&str> = newest.data.iter().map(|user| user.username.as_deref().unwrap()).collect();
        assert_eq!(names, ["user38", "user37"]);
    }
}
