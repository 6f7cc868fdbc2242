//! Static files. Hashed assets under /pkg never change, so browsers may keep them for a
//! year; they are served precompressed when the build made .br/.gz copies.

use axum::http::{header, HeaderValue};
use leptos::config::LeptosOptions;
use std::path::Path;
use tower::Layer;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

pub fn hashed_assets(options: &LeptosOptions) -> SetResponseHeader<ServeDir, HeaderValue> {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    )
    .layer(files)
}
