//! The sync API, version 2 (docs/SYNC.md): phones register, sync, and manage their
//! household. Every route is in `routes()`, the one list the router and the bad-input
//! property test both read.

pub mod auth;
mod devices;
pub mod error;
mod household;
pub mod sync;

use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{delete, get, post, MethodRouter};
use axum::Router;

pub use household::{csv_cell, iso_utc};

/// One route of the API.
pub struct Route {
    pub method: Method,
    /// As axum writes it (`{id}` for a path parameter).
    pub path: &'static str,
    handler: MethodRouter<AppState>,
}

fn route(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> Route {
    Route {
        method,
        path,
        handler,
    }
}

/// Every API route.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::POST, "/api/v2/devices", post(devices::register)),
        route(Method::POST, "/api/v2/devices/join", post(devices::join)),
        route(
            Method::POST,
            "/api/v2/sync",
            post(sync::sync).layer(DefaultBodyLimit::max(sync::MAX_BODY_BYTES)),
        ),
        route(
            Method::POST,
            "/api/v2/household/code",
            post(household::renew_code),
        ),
        route(Method::GET, "/api/v2/household/devices", get(devices::list)),
        route(
            Method::GET,
            "/api/v2/household/mentors",
            get(household::mentors),
        ),
        route(
            Method::GET,
            "/api/v2/household/offers",
            get(household::offers),
        ),
        route(
            Method::POST,
            "/api/v2/household/mentors/end",
            post(sync::end_links),
        ),
        route(
            Method::DELETE,
            "/api/v2/household/devices/{id}",
            delete(devices::remove),
        ),
        route(
            Method::GET,
            "/api/v2/household/export",
            get(household::export_json),
        ),
        route(
            Method::GET,
            "/api/v2/household/export.csv",
            get(household::export_csv),
        ),
        route(
            Method::DELETE,
            "/api/v2/household",
            delete(household::delete),
        ),
        route(Method::POST, "/api/v1/devices", post(sync::version_1)),
        route(Method::POST, "/api/v1/devices/join", post(sync::version_1)),
        route(Method::POST, "/api/v1/sync", post(sync::version_1)),
    ]
}

/// The API, to nest under `/api`: its routes, JSON refusals for anything else, and the refusals'
/// sentences in every language.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for r in routes() {
        router = router.route(
            r.path
                .strip_prefix("/api")
                .expect("API paths start with /api"),
            r.handler
                .fallback(|| async { error::ApiError::from(error::Refusal::MethodNotAllowed) }),
        );
    }
    router
        .fallback(error::unknown_route)
        // Bodies are small JSON; only a sync batch may be larger (its own limit above).
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::with_messages,
        ))
}
