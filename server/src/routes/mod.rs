//! The HTTP surface: pages rendered by Leptos, the preferences form, the sync API,
//! static files with the right caching, and a health check — each response with the
//! security headers, a time limit, and a cap on how many are served at once.

pub mod api;
mod errors;
pub mod people;
mod prefs;
mod statics;

use crate::state::AppState;
use app::{shell, App};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

pub use errors::{layers as error_layers, server_error_page, STYLE as ERROR_PAGE_STYLE};

/// The release a response belongs to (the service worker keeps only its own).
pub const RELEASE_HEADER: &str = "x-hocso-release";
/// A request not answered in this time gets 408: a slow client cannot hold a slot.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A request body (at most 100 events, ~30 KB from a phone) must arrive in this time.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(20);

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let (content, assets, ask) = (
        state.content.clone(),
        state.assets.clone(),
        state.ask.clone(),
    );
    let context = move || {
        provide_context(content.clone());
        provide_context(assets.clone());
        provide_context(ask.clone());
    };
    let release = HeaderValue::from_str(&state.release).expect("the release is hex");
    let https = state.https;
    let router = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), shell)
        .route(app::pages::me::PREFS_PATH, post(prefs::save))
        .route("/healthz", get(health))
        .route("/sw.js", get(service_worker))
        .route(app::components::ask_box::INDEX_PATH, get(ask_index))
        .route("/words/{file}", get(words))
        .nest("/api", api::router(&state))
        .merge(people::routes().layer(axum::middleware::from_fn_with_state(
            state.clone(),
            people::same_origin,
        )))
        .nest_service("/pkg", statics::hashed_assets(&state.leptos))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context,
            |_| shell(),
        ))
        // What the people pages show is loaded before Leptos renders them.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            people::load,
        ))
        // Pages and unhashed files are revalidated each time; hashed assets set their own.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // Pages are compressed on the fly; static files arrive precompressed and pass.
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(RELEASE_HEADER),
            release,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // A body that trickles in is cut off sooner than the whole request.
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            one_of_many,
        ))
        .layer(errors::layers())
        .with_state(state);
    crate::security::with_headers(router, https)
}

/// Requests one client may have in flight at once: a client with slow bodies cannot take
/// every slot.
pub const MAX_PER_CLIENT: u32 = 32;

/// Serves the request if fewer than the configured number are being served, and fewer
/// than `MAX_PER_CLIENT` of this client's, else 503 at once: under a flood the server
/// stays responsive instead of queueing without end.
async fn one_of_many(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let client = crate::limits::client_key(api::auth::client_ip(
        req.headers(),
        req.extensions(),
        &state,
    ));
    let api = req.uri().path().starts_with("/api/");
    let Some(_mine) = InFlight::enter(&state.in_flight, client) else {
        return busy(&state, api);
    };
    let Ok(_slot) = state.requests.clone().try_acquire_owned() else {
        return busy(&state, api);
    };
    next.run(req).await
}

/// 503 with Retry-After: for the API its `busy` refusal with the sentences, for a page a
/// line in both languages.
fn busy(state: &AppState, api: bool) -> Response {
    if api {
        let body = serde_json::json!({
            "error": api::error::Refusal::Busy.code(),
            "retry_after_s": 2,
            "messages": api::error::messages(&state.content, "api.busy"),
        });
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "2")],
            axum::Json(body),
        )
            .into_response();
    }
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, "2"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        "Máy chủ đang bận, hãy thử lại sau ít giây. / The server is busy, try again in a few seconds.",
    )
        .into_response()
}

/// One request of a client, counted while it is served.
struct InFlight {
    counts: crate::state::InFlightCounts,
    client: std::net::IpAddr,
}

impl InFlight {
    fn enter(counts: &crate::state::InFlightCounts, client: std::net::IpAddr) -> Option<InFlight> {
        let mut map = counts.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.entry(client).or_insert(0);
        if *n >= MAX_PER_CLIENT {
            return None;
        }
        *n += 1;
        Some(InFlight {
            counts: counts.clone(),
            client,
        })
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.client);
            }
        }
    }
}

/// 200 when the database answers, 503 when it does not: for a load balancer.
async fn health(State(state): State<AppState>) -> StatusCode {
    if state.db.ping().await {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

/// The service worker, never cached by the HTTP cache: the browser must see each new
/// release's version to install it.
/// The lessons' index the Hỏi page searches on the phone (precache.rs `ask_index`).
async fn ask_index(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        state.ask_index.to_vec(),
    )
        .into_response()
}

/// The words `public/app.js` shows, in one language (`/words/vi.js`).
async fn words(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let found = file
        .strip_suffix(".js")
        .and_then(|lang| state.words.get(lang));
    match found {
        Some(script) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            script.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn service_worker(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        state.service_worker.to_string(),
    )
        .into_response()
}
