//! What every request handler can reach.

use crate::db::Db;
use app::domain::content::Content;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub content: Arc<Content>,
    pub db: Db,
    /// The service worker script with this release's precache manifest.
    pub service_worker: Arc<str>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
