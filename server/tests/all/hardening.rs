//! What every response carries and what no client can do to the server: the security
//! headers (a Content-Security-Policy that matches what the pages contain), cookies
//! marked Secure over HTTPS, redirects that stay on this site, a cut-off for clients that
//! trickle their headers, and a cap on requests served at once.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use server::security::csp_hash;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

async fn get(app: &axum::Router, path: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    for path in [
        "/",
        "/me",
        "/lessons/scam-calls",
        "/no/such/page",
        "/healthz",
        "/sw.js",
        "/api/v2/sync",
        "/pkg/missing.wasm",
    ] {
        let (_, headers, _) = get(&app, path).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{path}");
        assert!(
            headers["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=(self), microphone=()"),
            "{path}"
        );
        assert!(
            headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
            "no HSTS over plain HTTP"
        );
        assert!(headers.get("x-hocso-release").is_some(), "{path}");
    }
}

/// The policy allows exactly the inline code the pages have: the head script and Leptos's
/// two (empty) hydration-context scripts, by their hashes; no inline style attribute or
/// block anywhere.
#[tokio::test]
async fn the_pages_run_nothing_inline_but_the_head_script_the_policy_names() {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    for path in [
        "/",
        "/me",
        "/family",
        "/market",
        "/lessons/scam-calls",
        "/tracks/core",
        "/offline",
        "/nope",
    ] {
        let (_, headers, html) = get(&app, path).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        for script in server::security::INLINE_SCRIPTS {
            assert!(csp.contains(&csp_hash(script)), "{path}");
        }
        let inline_scripts: Vec<&str> = html
            .split("<script")
            .skip(1)
            .filter(|s| !s.trim_start().starts_with("src="))
            .filter_map(|s| {
                s.split_once('>')
                    .map(|(_, rest)| rest.split("</script>").next().unwrap_or(""))
            })
            .collect();
        assert_eq!(inline_scripts, server::security::INLINE_SCRIPTS, "{path}");
        assert!(
            !html.contains(" style="),
            "{path} has an inline style attribute"
        );
        assert!(!html.contains("<style"), "{path} has a style block");
    }
}

#[tokio::test]
async fn the_server_error_page_is_styled_within_the_policy() {
    let res = server::routes::server_error_page();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains(&format!(
        "<style>{}</style>",
        server::routes::ERROR_PAGE_STYLE
    )));
    assert!(server::security::content_security_policy()
        .contains(&csp_hash(server::routes::ERROR_PAGE_STYLE)));
}

async fn prefs(app: &axum::Router, form: &str) -> axum::response::Response {
    let req = Request::post("/prefs")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    app.clone().oneshot(req).await.unwrap()
}

#[tokio::test]
async fn the_preferences_redirect_stays_on_this_site() {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    for back in [
        "/%09/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example",
        "/%0A/evil.example",
    ] {
        let res = prefs(&app, &format!("lang=en&back={back}")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()[header::LOCATION], "/", "{back}");
    }
    let res = prefs(&app, "lang=en&back=/lessons/zalo").await;
    assert_eq!(res.headers()[header::LOCATION], "/lessons/zalo");
}

#[tokio::test]
async fn over_https_cookies_are_secure_and_browsers_are_told_to_stay_on_https() {
    let (mut state, _dir) = common::state().await;
    state.https = true;
    let app = server::routes::router(state);
    let res = prefs(&app, "lang=en&size=large&back=/").await;
    let cookies: Vec<_> = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(cookies.len(), 2);
    assert!(
        cookies
            .iter()
            .all(|c| c.ends_with("; Secure") && c.contains("SameSite=Lax")),
        "{cookies:?}"
    );
    assert!(res.headers()[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

#[tokio::test]
async fn requests_beyond_the_cap_are_refused_at_once_with_retry_after() {
    let (mut state, _dir) = common::state().await;
    state.requests = std::sync::Arc::new(tokio::sync::Semaphore::new(0));
    let app = server::routes::router(state);
    let (status, headers, body) = get(&app, "/").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[header::RETRY_AFTER], "2");
    assert!(body.contains("Máy chủ đang bận"));
    assert!(headers.get(header::CONTENT_SECURITY_POLICY).is_some());
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve::serve(
        listener,
        app,
        Duration::from_millis(300),
        async {
            let _ = stopped.await;
        },
    ));

    // A well-behaved request is served.
    let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    ok.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // A slow one: half the headers, then nothing.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    let cut = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut buf)).await;
    assert!(cut.is_ok(), "the server closed the connection");
    assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn events_are_indexed_by_device_for_joins_and_removals() {
    for (db, _dir) in common::databases().await {
        let sql = match db.engine {
            server::db::Engine::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_by_device'",
            server::db::Engine::Postgres => "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'events_by_device'",
        };
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&db.pool).await.unwrap();
        assert_eq!(n, 1, "{:?}", db.engine);
    }
}

#[tokio::test]
async fn one_client_cannot_hold_every_slot() {
    let (state, _dir) = common::state().await;
    let client = std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED);
    state
        .in_flight
        .lock()
        .unwrap()
        .insert(client, server::routes::MAX_PER_CLIENT);
    let app = server::routes::router(state.clone());
    let (status, _, _) = get(&app, "/").await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "this client has all it may have"
    );
    state.in_flight.lock().unwrap().clear();
    let (status, _, _) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
}
