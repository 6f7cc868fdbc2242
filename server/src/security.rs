//! Headers every response carries: a Content-Security-Policy that lets only this site's
//! own files run (plus the one head script, by its hash, and WebAssembly), and the
//! headers that stop sniffing, framing, referrers and powerful features.

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// `'sha256-…'` of an inline script or style, as CSP names it.
pub fn csp_hash(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Every inline script a page has, allowed by its hash: the head script, and the two
/// Leptos writes for its hydration context (empty, since no page sends resources or
/// errors from the server; the islands read them, so they must run). A page with any
/// other inline script fails `server/tests/all/hardening.rs`.
pub const INLINE_SCRIPTS: [&str; 3] = [
    app::HEAD_SCRIPT,
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// The policy: scripts from this site, the inline ones above by hash, and wasm; styles
/// from this site (and the server-error page's own block, by hash); nothing framed, no
/// plugins, no base tag, forms only to this site.
pub fn content_security_policy() -> String {
    let scripts: Vec<String> = INLINE_SCRIPTS.iter().map(|s| csp_hash(s)).collect();
    [
        "default-src 'self'".to_string(),
        format!("script-src 'self' 'wasm-unsafe-eval' {}", scripts.join(" ")),
        format!(
            "style-src 'self' {}",
            csp_hash(crate::routes::ERROR_PAGE_STYLE)
        ),
        "img-src 'self'".into(),
        "connect-src 'self'".into(),
        "manifest-src 'self'".into(),
        "worker-src 'self'".into(),
        "object-src 'none'".into(),
        "base-uri 'none'".into(),
        "form-action 'self'".into(),
        "frame-ancestors 'none'".into(),
    ]
    .join("; ")
}

/// Features no page of this app uses, switched off for every page; the camera only for
/// this site itself (a household scans a volunteer's pairing QR code on the Tôi page),
/// never for a frame of another.
const PERMISSIONS_POLICY: &str =
    "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()";

/// Puts these headers on every response of `router` (unless a handler set its own).
/// `https`: the site is reached over HTTPS, so browsers are told never to use plain HTTP.
pub fn with_headers(router: Router, https: bool) -> Router {
    let set = |name: HeaderName, value: &str| {
        SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_str(value).expect("header values are ASCII"),
        )
    };
    let mut router = router
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            &content_security_policy(),
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Other sites learn nothing of where a reader came from; this site's own form
        // posts keep their Origin (with no-referrer a browser sends "null", and the form
        // guard in routes/people could not tell them from another site's).
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ))
        .layer(set(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ));
    if https {
        router = router.layer(set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ));
    }
    router
}
