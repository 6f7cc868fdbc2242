//! The Học Số server: configuration, database, content and the HTTP routes. `main.rs`
//! only wires these together, so integration tests can build the same app.

pub mod config;
pub mod content;
pub mod coverage;
pub mod db;
pub mod limits;
pub mod passwords;
pub mod places;
pub mod precache;
pub mod qr;
pub mod retention;
pub mod routes;
pub mod security;
pub mod serve;
pub mod state;

use leptos::config::LeptosOptions;
use std::path::Path;

/// Leptos settings for a site built by cargo-leptos into `site_root`.
pub fn leptos_options(site_root: &Path, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("hocso")
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The release's hashed file names, read from the built site once.
pub fn site_assets(site_root: &Path) -> app::assets::Assets {
    let names: Vec<String> = std::fs::read_dir(site_root.join("pkg"))
        .map(|dir| {
            dir.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    app::assets::Assets::from_names("hocso", names.iter().map(String::as_str))
}
