//! `/v1/sessions...`: listing, reading and revoking sessions.

use axum::Json;
use axum::extract::{Path, RawQuery, State};

use super::{App, Reply, query};
use crate::store::SessionFilter;
use crate::wire;

/// A bare array unless asked for `paginated=true`.
pub(super) async fn list_sessions(State(app): State<App>, RawQuery(raw): RawQuery) -> Reply {
    let query = query(raw);
    let filter = SessionFilter {
        user_id: query.text("user_id"),
        client_id: query.text("client_id"),
        status: query.text("status"),
    };
    let page = query.page()?;
    let paginated = query.flag("paginated")?;
    let store = app.store();
    let sessions = store.list_sessions(&filter, page)?;
    Ok(Json(wire::list(sessions, !paginated, wire::session)))
}

pub(super) async fn get_session(State(app): State<App>, Path(session_id): Path<String>) -> Reply {
    Ok(Json(wire::session(app.store().session(&session_id)?)))
}

pub(super) async fn revoke_session(State(app): State<App>, Path(session_id): Path<String>) -> Reply {
    let mut store = app.store();
    let already_revoked = store.session(&session_id).is_ok_and(|session| session.status == "revoked");
    let session = wire::session(store.revoke_session(&session_id)?);
    if !already_revoked {
        app.webhooks.emit("session.revoked", &session);
    }
    Ok(Json(session))
}
