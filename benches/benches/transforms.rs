//! The output mappings, bytes of Clerk JSON in, contract JSON out, serde included.

use clerk_api::Page;
use clerk_api::types::{Organization, User};
use clerk_tools::{GetUserOutput, ListOrganizationsOutput, ListUsersOutput, ListedUser, OrganizationObject};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// `clerk_list_users` on one page: what the tool does once the bytes have arrived.
pub fn list_users(page: &[u8], total_count: i64) -> Vec<u8> {
    let users: Vec<User> = serde_json::from_slice(page).expect("a Clerk user page");
    let output =
        ListUsersOutput { users: users.into_iter().map(ListedUser::from).collect(), total_count, success: true };
    serde_json::to_vec(&output).expect("serialises")
}

fn list_organizations(page: &[u8]) -> Vec<u8> {
    let page: Page<Organization> = serde_json::from_slice(page).expect("an organization page");
    let output = ListOrganizationsOutput {
        total_count: page.total_count_or_len(),
        organizations: page.data.into_iter().map(OrganizationObject::from).collect(),
        success: true,
    };
    serde_json::to_vec(&output).expect("serialises")
}

fn get_user(body: &[u8]) -> Vec<u8> {
    let user: User = serde_json::from_slice(body).expect("a Clerk user");
    serde_json::to_vec(&GetUserOutput::from(user)).expect("serialises")
}

fn transforms(c: &mut Criterion) {
    let users = clerk_benches::users_500();
    let organizations = clerk_benches::organizations_500();
    let user = clerk_benches::full_user();
    let mut group = c.benchmark_group("transforms");
    group.throughput(Throughput::Bytes(users.len() as u64));
    group.bench_function("list_users_500", |b| b.iter(|| list_users(black_box(&users), 500)));
    group.throughput(Throughput::Bytes(organizations.len() as u64));
    group.bench_function("list_organizations_500", |b| b.iter(|| list_organizations(black_box(&organizations))));
    group.throughput(Throughput::Bytes(user.len() as u64));
    group.bench_function("get_user_full", |b| b.iter(|| get_user(black_box(&user))));
    group.finish();
}

criterion_group!(benches, transforms);
criterion_main!(benches);
