//! The HTTP surface: pages rendered by Leptos, the preferences form, static files with
//! the right caching, and a health check.

mod errors;
mod prefs;
mod statics;
mod sync;

use crate::state::AppState;
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use errors::{layers as error_layers, server_error_page};

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let (content, assets) = (state.content.clone(), state.assets.clone());
    let context = move || {
        provide_context(content.clone());
        provide_context(assets.clone());
    };
    Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), shell)
        .route(app::pages::me::PREFS_PATH, post(prefs::save))
        .route("/healthz", get(health))
        .route("/sw.js", get(service_worker))
        .route("/api/v1/devices", post(sync::register))
        .route("/api/v1/devices/join", post(sync::join))
        .route(
            "/api/v1/sync",
            post(sync::sync).layer(axum::extract::DefaultBodyLimit::max(sync::MAX_BODY_BYTES)),
        )
        .nest_service("/pkg", statics::hashed_assets(&state.leptos))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context,
            |_| shell(),
        ))
        // Pages and unhashed files are revalidated each time; hashed assets set their own.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // Pages are compressed on the fly; static files arrive precompressed and pass.
        .layer(CompressionLayer::new())
        .layer(errors::layers())
        .with_state(state)
}

/// 200 when the database answers, 503 when it does not: for a load balancer.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::http::StatusCode {
    if state.db.ping().await {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    }
}

/// The service worker, never cached by the HTTP cache: the browser must see each new
/// release's version to install it.
async fn service_worker(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        state.service_worker.to_string(),
    )
        .into_response()
}
