//! Pages as the server renders them: language from the cookie, real 404s, a 500 page
//! that leaks nothing, and a preferences form that refuses bad input.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn post_prefs(form: &str) -> axum::response::Response {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    let req = Request::post("/prefs")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    app.oneshot(req).await.unwrap()
}

#[tokio::test]
async fn home_is_vietnamese_html_by_default() {
    let (status, html) = get("/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="vi""#), "{html}");
    assert!(html.contains("Bình dân học vụ số"));
    assert!(html.contains("Tiểu thương 4T"));
}

#[tokio::test]
async fn english_cookie_renders_english_and_large_text() {
    let (status, html) = get(
        "/lessons/scam-calls",
        Some("hocso_lang=en; hocso_size=large"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"<html lang="en" class="size-large""#),
        "{html}"
    );
    assert!(html.contains("Recognising scam calls"));
    assert!(!html.contains("Nhận biết cuộc gọi lừa đảo"));
}

#[tokio::test]
async fn pages_are_compressed_and_never_kept_stale_by_the_http_cache() {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    let req = Request::get("/lessons/scam-calls")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(Body::empty())
        .unwrap();
    let res = app.oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn unknown_lesson_and_unknown_address_are_404() {
    let (status, html) = get("/lessons/no-such-lesson", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy trang"));
    let (status, html) = get("/no/such/page", Some("hocso_lang=en")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn preferences_form_sets_cookies_and_sends_back() {
    let res = post_prefs("lang=en&size=xlarge&back=%2Flessons%2Fscam-calls").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/lessons/scam-calls");
    let cookies: Vec<_> = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("hocso_lang=en;")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("hocso_size=xlarge;")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn unknown_language_is_refused_and_sets_nothing() {
    let res = post_prefs("lang=klingon&back=/").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("This language is not available"));
}

#[tokio::test]
async fn a_server_failure_shows_a_bilingual_500_without_the_cause() {
    let app = axum::Router::new()
        .route(
            "/boom",
            axum::routing::get(|| async {
                if true {
                    panic!("secret database password");
                }
                "unreachable"
            }),
        )
        .layer(server::routes::error_layers());
    let res = app
        .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("Xin lỗi, máy chủ gặp sự cố"));
    assert!(body.contains("Sorry, the server ran into a problem"));
    assert!(!body.contains("secret"));
}

#[tokio::test]
async fn the_ask_page_answers_a_question_typed_without_accents_from_the_lessons() {
    let (status, html) = get("/ask?q=mat+khau+va+ma+otp", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"href="/lessons/passwords-otp""#),
        "the lesson that answers is linked: {html}"
    );
    assert!(html.contains("Mật khẩu"), "in the reader's language");
    let (_, html) = get("/ask?q=password+and+OTP", Some("hocso_lang=en")).await;
    assert!(html.contains(r#"href="/lessons/passwords-otp""#));
    // Nothing asked: suggestions; nothing found: says so; far too long: still a page.
    let (status, html) = get("/ask", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Mọi người thường hỏi"));
    assert!(!html.contains("/lessons/passwords-otp\""));
    let (status, _) = get(&format!("/ask?q={}", "a".repeat(5000)), None).await;
    assert_eq!(status, StatusCode::OK);
    // Every other page has the box that asks it.
    let (_, html) = get("/lessons/scam-calls", None).await;
    assert!(html.contains(r#"action="/ask""#));
}

/// The revision the worker checks a kept file against (precache.rs): the first 8 bytes
/// of its SHA-256, in hex.
fn revision(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(body)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn the_phone_gets_the_index_the_precache_list_names() {
    let (state, _dir) = common::state().await;
    let named = server::precache::manifest(std::path::Path::new("target/site"), &state.content)
        .assets
        .into_iter()
        .find(|a| a.url == "/ask/index.txt")
        .expect("the index is kept on the phone");
    let app = server::routes::router(state);
    let res = app
        .oneshot(Request::get("/ask/index.txt").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/plain; charset=utf-8"
    );
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        revision(&body),
        named.revision,
        "the bytes the worker checks"
    );
    let entries = app::domain::ask::entries_from_text(std::str::from_utf8(&body).unwrap())
        .expect("the phone can read it");
    assert_eq!(entries.len(), 80, "40 lessons in 2 languages");
}

#[tokio::test]
async fn each_language_has_the_words_the_page_script_shows_kept_like_a_file() {
    let (state, _dir) = common::state().await;
    let manifest = server::precache::manifest(std::path::Path::new("target/site"), &state.content);
    let app = server::routes::router(state);
    for (lang, says) in [
        ("vi", "Chỉ lưu trên máy này"),
        ("en", "On this phone only, not sent"),
    ] {
        let path = app::ui::words_path(lang);
        let named = manifest
            .assets
            .iter()
            .find(|a| a.url == path)
            .expect("the words are kept on the phone");
        let res = app
            .clone()
            .oneshot(Request::get(&path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            revision(&body),
            named.revision,
            "the bytes the worker checks"
        );
        let text = std::str::from_utf8(&body).unwrap();
        assert!(text.starts_with("self.HOCSO_WORDS={"), "{text}");
        assert!(text.contains(says), "{text}");
        // The page names its language's words, before the script that uses them.
        let (_, html) = get(&format!("/?lang={lang}"), None).await;
        let (words_at, app_at) = (html.find(&path), html.find("/app.js"));
        assert!(words_at.is_some() && words_at < app_at, "{lang}");
        assert!(!html.contains(says), "the page does not carry them itself");
    }
    let res = app
        .oneshot(Request::get("/words/xx.js").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
