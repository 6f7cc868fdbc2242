//! The Học Số server: configuration, database, content and the HTTP routes. `main.rs`
//! only wires these together, so integration tests can build the same app.

pub mod config;
pub mod content;
pub mod db;
pub mod precache;
pub mod routes;
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
        .hash_files(hashed_build())
        .build()
}

/// cargo-leptos writes `hash.txt` beside the server binary when it hashes file names;
/// a plain `cargo build` (tests) has none.
fn hashed_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
        .unwrap_or(false)
}
