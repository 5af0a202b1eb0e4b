//! Every tool through the real HTTP stack against the local Clerk stand-in, scenario by
//! scenario (`lifecycle`, `organizations`, `instance`), each with a stand-in of its own.
//!
//! The stand-in keeps a record of what it served; that the scenarios together run every tool
//! is checked from that record: each operation every tool declares was answered with success.

mod instance;
mod lifecycle;
mod organizations;

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use clerk_standin::{Exchange, StandIn};

/// What the stand-ins of the scenarios served, as they finished.
static SERVED: Mutex<Vec<Exchange>> = Mutex::new(Vec::new());

/// A scenario's stand-in and client, the stand-in recording what it serves.
fn recording<T>(started: (StandIn, T)) -> (StandIn, T) {
    started.0.record_exchanges();
    started
}

/// Ends a scenario: what its stand-in served goes to the record, and the stand-in stops.
async fn finish(standin: StandIn) {
    let served = standin.take_exchanges();
    SERVED.lock().unwrap_or_else(PoisonError::into_inner).extend(served);
    standin.shutdown().await;
}

/// The operations of the client the stand-in answered with success, by id: the method and
/// route of each exchange, looked up in the client's table of operations.
fn operations_served() -> BTreeSet<&'static str> {
    let served = SERVED.lock().unwrap_or_else(PoisonError::into_inner);
    served
        .iter()
        .filter(|exchange| (200..300).contains(&exchange.status))
        .filter_map(|exchange| {
            let route = exchange.route.as_deref()?.strip_prefix("/v1")?;
            clerk_api::OPERATIONS.iter().find(|op| op.method == exchange.method && op.path == route)
        })
        .map(|operation| operation.id)
        .collect()
}

#[tokio::test]
async fn every_tool_runs_end_to_end() {
    lifecycle::the_whole_lifecycle_through_every_tool().await;
    organizations::an_organization_from_creation_to_deletion_through_every_tool().await;
    instance::a_ban_revokes_sessions_and_locks_come_and_go().await;
    instance::oauth_tokens_come_back_for_the_provider_asked_for().await;
    instance::merged_metadata_reads_back_with_the_nulled_keys_gone().await;
    instance::the_allowlist_adds_lists_and_removes().await;
    instance::the_blocklist_adds_lists_and_removes().await;
    instance::jwt_templates_come_from_the_instance().await;
    instance::an_actor_token_is_created_once_and_revoked_once().await;
    instance::invitations_are_created_listed_by_status_and_revoked().await;

    let served = operations_served();
    let not_run: Vec<String> = clerk_tools::tools()
        .iter()
        .filter_map(|tool| {
            let missing: Vec<&str> = tool.operations.iter().copied().filter(|id| !served.contains(id)).collect();
            (!missing.is_empty()).then(|| format!("{} ({})", tool.name, missing.join(", ")))
        })
        .collect();
    assert!(not_run.is_empty(), "the stand-in served none of these operations: {not_run:?}");
}
