//! Steps a phone takes over HTTP, for the API tests.

use super::{call, Phone};
use axum::http::StatusCode;
use axum::Router;
use serde_json::{json, Value};
use server::db::random_uuid;

pub fn event(device: &str, lesson: &str) -> Value {
    json!({
        "event_id": random_uuid(), "device_id": device, "profile_id": random_uuid(),
        "kind": "lesson_completed", "schema_version": 1, "at_ms": super::NOW,
        "payload": { "lesson": lesson }
    })
}

pub fn registration(phone: &Phone, code: Option<&str>) -> String {
    let mut body = json!({ "device_id": phone.id, "secret": phone.secret, "consent": super::consent(), "label": "Minh's phone" });
    if let Some(c) = code {
        body["join_code"] = c.into();
    }
    body.to_string()
}

/// Registers a new phone over HTTP; its identity and the answer.
pub async fn registered(app: &Router, code: Option<&str>) -> (Phone, Value) {
    let phone = Phone::new();
    let (status, _, reg) = call(
        app,
        "POST",
        "/api/v2/devices",
        None,
        Some(registration(&phone, code)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reg}");
    (phone, reg)
}

/// A family code, asked for by `phone` as the Tôi page does.
pub async fn new_code(app: &Router, phone: &Phone) -> String {
    let (status, _, body) = call(
        app,
        "POST",
        "/api/v2/household/code",
        Some(&phone.auth()),
        Some("{}".into()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["join_code"].as_str().unwrap().to_string()
}

pub fn sync_body(events: Vec<Value>) -> String {
    json!({ "events": events, "consent": super::consent() }).to_string()
}

/// A refusal a person can read: its code, and a sentence in each language.
pub fn assert_refusal(body: &Value, code: &str) {
    assert_eq!(body["error"], code, "{body}");
    for lang in ["vi", "en"] {
        let text = body["messages"][lang].as_str().unwrap_or_default();
        assert!(
            text.len() > 5 && !text.starts_with("api."),
            "{lang}: {body}"
        );
    }
}

pub async fn household_of(db: &server::db::Db, phone: &Phone) -> String {
    match server::db::devices::authenticate(db, &phone.id, &phone.secret)
        .await
        .unwrap()
    {
        server::db::devices::Auth::Device { household_id, .. } => household_id,
        other => panic!("{other:?}"),
    }
}
