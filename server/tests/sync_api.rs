//! The sync API over HTTP, as a phone meets it: registration, authenticated pushes,
//! replays answered as duplicates, and clear refusals that change nothing.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use server::db::devices::random_uuid;
use tower::ServiceExt;

async fn call(app: &Router, path: &str, auth: Option<&str>, body: String) -> (StatusCode, Value) {
    let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, format!("Bearer {a}"));
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn event(device: &str, lesson: &str) -> Value {
    json!({
        "event_id": random_uuid(), "device_id": device, "profile_id": random_uuid(),
        "kind": "lesson_completed", "schema_version": 1, "at_ms": 1_700_000_000_000i64,
        "payload": { "lesson": lesson }
    })
}

async fn registered(app: &Router) -> (String, String) {
    let device = random_uuid();
    let (status, reg) = call(
        app,
        "/api/v1/devices",
        None,
        json!({ "device_id": device }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
    (
        device.clone(),
        format!("{device}.{}", reg["secret"].as_str().unwrap()),
    )
}

#[tokio::test]
async fn a_batch_sent_twice_is_applied_once_and_reported_as_duplicate() {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    let (device, auth) = registered(&app).await;
    let batch =
        json!({ "events": [event(&device, "a"), event(&device, "b")], "cursor": 0 }).to_string();
    let (status, first) = call(&app, "/api/v1/sync", Some(&auth), batch.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["results"][0]["status"], "applied");
    assert_eq!(first["results"][1]["status"], "applied");
    let (_, second) = call(&app, "/api/v1/sync", Some(&auth), batch).await;
    assert_eq!(second["results"][0]["status"], "duplicate");
    assert_eq!(second["results"][1]["status"], "duplicate");
}

#[tokio::test]
async fn bad_requests_get_a_clear_refusal_and_store_nothing() {
    let (state, _dir) = common::state().await;
    let db = state.db.clone();
    let app = server::routes::router(state);
    let (device, auth) = registered(&app).await;

    let (status, body) = call(&app, "/api/v1/sync", Some(&auth), "{not json".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "malformed");
    assert!(body["message_vi"]
        .as_str()
        .unwrap()
        .contains("không đúng định dạng"));

    let (status, body) = call(
        &app,
        "/api/v1/sync",
        Some(&format!("{device}.wrong")),
        json!({}).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let many: Vec<Value> = (0..501).map(|_| event(&device, "a")).collect();
    let (status, body) = call(
        &app,
        "/api/v1/sync",
        Some(&auth),
        json!({ "events": many }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let huge = json!({ "events": [{ "padding": "x".repeat(2 * 1024 * 1024) }] }).to_string();
    let (status, body) = call(&app, "/api/v1/sync", Some(&auth), huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

    let (status, body) = call(
        &app,
        "/api/v1/devices",
        None,
        json!({ "device_id": "me" }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_second_phone_joins_with_the_code_and_receives_the_first_phones_events() {
    let (state, _dir) = common::state().await;
    let app = server::routes::router(state);
    let first = random_uuid();
    let (_, reg) = call(
        &app,
        "/api/v1/devices",
        None,
        json!({ "device_id": first }).to_string(),
    )
    .await;
    let first_auth = format!("{first}.{}", reg["secret"].as_str().unwrap());
    let sent = event(&first, "vneid-install");
    call(
        &app,
        "/api/v1/sync",
        Some(&first_auth),
        json!({ "events": [sent.clone()] }).to_string(),
    )
    .await;

    let second = random_uuid();
    let (status, joined) = call(
        &app,
        "/api/v1/devices",
        None,
        json!({ "device_id": second, "join_code": reg["join_code"] }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(joined["household_id"], reg["household_id"]);
    let second_auth = format!("{second}.{}", joined["secret"].as_str().unwrap());
    let (_, pulled) = call(
        &app,
        "/api/v1/sync",
        Some(&second_auth),
        json!({ "cursor": 0 }).to_string(),
    )
    .await;
    assert_eq!(pulled["events"], json!([sent]));
    let (_, again) = call(
        &app,
        "/api/v1/sync",
        Some(&second_auth),
        json!({ "cursor": pulled["cursor"] }).to_string(),
    )
    .await;
    assert_eq!(again["events"], json!([]));
}
