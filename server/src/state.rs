//! What every request handler can reach.

use crate::db::Db;
use app::assets::Assets;
use app::domain::content::Content;
use axum::extract::FromRef;
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
}

impl AppState {
    /// The state for a site built into `site_root`, serving `content` from `db`.
    pub fn new(
        db: Db,
        content: Content,
        site_root: &std::path::Path,
        addr: std::net::SocketAddr,
    ) -> AppState {
        AppState {
            leptos: crate::leptos_options(site_root, addr),
            service_worker: crate::precache::service_worker(site_root, &content).into(),
            assets: crate::site_assets(site_root),
            content: Arc::new(content),
            db,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
