//! What a person sees when the server itself fails: a short page in both languages,
//! status 500, and nothing of the cause (that goes to the log).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::any::Any;
use tower_http::catch_panic::CatchPanicLayer;

/// The page's own style block: it must show even when the site's files cannot be
/// served; the Content-Security-Policy allows it by its hash.
pub const STYLE: &str = "body{font:1.125rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:32rem;padding:0 1rem;color:#1b1b1b}a{color:#0b5e44}";

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lỗi máy chủ · Server error · Học Số</title>
"#;

const BODY: &str = r#"</head><body><main>
<h1>Xin lỗi, máy chủ gặp sự cố</h1>
<p>Những gì bạn đã học vẫn được lưu trên điện thoại. Hãy thử lại sau ít phút.</p>
<h2 lang="en">Sorry, the server ran into a problem</h2>
<p lang="en">What you have learned is still saved on this phone. Please try again in a few minutes.</p>
<p><a href="/">Về trang chủ · Home</a></p>
</main></body></html>"#;

/// The 500 response: the same page whatever went wrong.
pub fn server_error_page() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("{HEAD}<style>{STYLE}</style>\n{BODY}"),
    )
        .into_response()
}

fn on_panic(err: Box<dyn Any + Send + 'static>) -> Response {
    let cause = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(%cause, "request handler panicked");
    server_error_page()
}

type PanicHandler = fn(Box<dyn Any + Send + 'static>) -> Response;

/// Turns a panic in any handler into the 500 page.
pub fn layers() -> CatchPanicLayer<PanicHandler> {
    CatchPanicLayer::custom(on_panic as PanicHandler)
}
