//! What every request handler can reach.

use crate::db::Db;
use crate::limits::Limits;
use app::assets::Assets;
use app::domain::content::Content;
use axum::extract::FromRef;
use axum::http::HeaderName;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub content: Arc<Content>,
    /// The hashed names of the stylesheet, wasm and JS glue every page links.
    pub assets: Assets,
    pub db: Db,
    /// The service worker script with this release's precache manifest.
    pub service_worker: Arc<str>,
    /// This release's version (the precache's): every response names it, so the
    /// service worker keeps only pages of its own release.
    pub release: Arc<str>,
    /// How often strangers may try to register and to guess family codes.
    pub limits: Arc<Limits>,
    /// Behind a proxy: the header that carries the client's address (else the peer's).
    pub client_ip_header: Option<HeaderName>,
    /// Reached over HTTPS (through a proxy): cookies are `Secure`.
    pub https: bool,
    /// The site's public origin (`https://host`), when configured.
    pub public_origin: Option<String>,
    /// Requests served at once; more are refused with 503 until one finishes.
    pub requests: Arc<tokio::sync::Semaphore>,
    /// Requests in flight per client (routes/mod.rs).
    pub in_flight: InFlightCounts,
    /// The lessons made searchable for the Hỏi page, and the same as the phone gets it.
    pub ask: Arc<app::domain::ask::Index>,
    pub ask_index: Arc<[u8]>,
    /// Each language's words script for `public/app.js` (precache.rs `words`), by code.
    pub words: Arc<std::collections::HashMap<String, Arc<str>>>,
    /// What the coverage reports count (content/coverage.toml); none: no reports.
    pub coverage: Option<Arc<crate::coverage::rules::Rules>>,
}

/// Requests in flight, by client.
pub type InFlightCounts = Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, u32>>>;

/// Requests served at once unless configured otherwise.
pub const MAX_REQUESTS: usize = 512;

impl AppState {
    /// The state for a site built into `site_root`, serving `content` from `db`.
    pub fn new(
        db: Db,
        content: Content,
        site_root: &std::path::Path,
        addr: std::net::SocketAddr,
    ) -> AppState {
        let manifest = crate::precache::manifest(site_root, &content);
        AppState {
            leptos: crate::leptos_options(site_root, addr),
            service_worker: crate::precache::service_worker(site_root, &content).into(),
            release: manifest.version.into(),
            assets: crate::site_assets(site_root),
            ask: Arc::new(app::domain::ask::Index::new(app::domain::ask::entries(
                &content,
            ))),
            ask_index: crate::precache::ask_index(&content).into(),
            words: Arc::new(
                content
                    .locale_codes()
                    .into_iter()
                    .map(|lang| {
                        (
                            lang.to_string(),
                            crate::precache::words(&content, lang).into(),
                        )
                    })
                    .collect(),
            ),
            content: Arc::new(content),
            db,
            limits: Arc::new(Limits::default()),
            client_ip_header: None,
            https: false,
            public_origin: None,
            requests: Arc::new(tokio::sync::Semaphore::new(MAX_REQUESTS)),
            in_flight: InFlightCounts::default(),
            coverage: None,
        }
    }

    /// The version of the consent text a person must have accepted before their phone
    /// sends anything (content/ui: `consent.version`).
    pub fn consent_version(&self) -> &str {
        self.content.consent_version()
    }
}

impl AppState {
    /// The origin people reach this site at, for a request with these headers: the
    /// configured one, else the scheme HOCSO_HTTPS says and the request's Host.
    pub fn origin(&self, headers: &axum::http::HeaderMap) -> String {
        if let Some(origin) = &self.public_origin {
            return origin.clone();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| h.bytes().all(|b| b.is_ascii_graphic()))
            .unwrap_or("localhost");
        format!("{}://{host}", if self.https { "https" } else { "http" })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
