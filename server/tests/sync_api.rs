//! The sync API over HTTP, as a phone meets it — and as a stranger tries it: idempotent
//! registration, replays answered as duplicates, refusals in both languages that change
//! nothing, limits on guessing, and no way into another household. On SQLite, and on
//! PostgreSQL when TEST_DATABASE_URL is set.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::{call, table_counts, Phone};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use server::db::random_uuid;
use server::limits::{Limits, Policy};
use std::sync::Arc;
use tower::ServiceExt;

fn event(device: &str, lesson: &str) -> Value {
    json!({
        "event_id": random_uuid(), "device_id": device, "profile_id": random_uuid(),
        "kind": "lesson_completed", "schema_version": 1, "at_ms": common::NOW,
        "payload": { "lesson": lesson }
    })
}

fn registration(phone: &Phone, code: Option<&str>) -> String {
    let mut body = json!({ "device_id": phone.id, "secret": phone.secret, "consent": common::consent(), "label": "Minh's phone" });
    if let Some(c) = code {
        body["join_code"] = c.into();
    }
    body.to_string()
}

/// Registers a new phone over HTTP; its identity and the answer.
async fn registered(app: &Router, code: Option<&str>) -> (Phone, Value) {
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
async fn new_code(app: &Router, phone: &Phone) -> String {
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

fn sync_body(events: Vec<Value>) -> String {
    json!({ "events": events, "consent": common::consent() }).to_string()
}

/// A request that must be refused: method, path, credentials, body, status and code.
type Refused<'a> = (
    &'a str,
    &'a str,
    Option<String>,
    Option<String>,
    StatusCode,
    &'a str,
);

/// A refusal a person can read: its code, and a sentence in each language.
fn assert_refusal(body: &Value, code: &str) {
    assert_eq!(body["error"], code, "{body}");
    for lang in ["vi", "en"] {
        let text = body["messages"][lang].as_str().unwrap_or_default();
        assert!(
            text.len() > 5 && !text.starts_with("api."),
            "{lang}: {body}"
        );
    }
}

#[tokio::test]
async fn a_batch_sent_twice_is_applied_once_and_reported_as_duplicate() {
    for (app, _db, _dir) in common::apps().await {
        let (phone, _) = registered(&app, None).await;
        let batch = sync_body(vec![event(&phone.id, "a"), event(&phone.id, "b")]);
        let (status, _, first) = call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&phone.auth()),
            Some(batch.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(first["results"][0]["status"], "applied");
        assert_eq!(first["results"][1]["status"], "applied");
        let (_, _, second) = call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&phone.auth()),
            Some(batch),
        )
        .await;
        assert_eq!(second["results"][0]["status"], "duplicate");
        assert_eq!(second["results"][1]["status"], "duplicate");
    }
}

#[tokio::test]
async fn a_registration_whose_reply_was_lost_is_answered_the_same_when_asked_again() {
    for (app, _db, _dir) in common::apps().await {
        let phone = Phone::new();
        let ask = || {
            call(
                &app,
                "POST",
                "/api/v2/devices",
                None,
                Some(registration(&phone, None)),
            )
        };
        let (status, _, first) = ask().await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _, again) = ask().await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["household_id"], first["household_id"]);
        assert_eq!(again["cert"], first["cert"]);
        // The phone then syncs as if the first answer had arrived.
        let (status, _, synced) = call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&phone.auth()),
            Some(sync_body(vec![event(&phone.id, "zalo")])),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{synced}");
        assert_eq!(synced["results"][0]["status"], "applied");
        // Someone else with the same id and another secret is refused.
        let thief = Phone {
            id: phone.id.clone(),
            secret: Phone::new().secret,
        };
        let (status, _, body) = call(
            &app,
            "POST",
            "/api/v2/devices",
            None,
            Some(registration(&thief, None)),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_refusal(&body, "already_registered");
    }
}

#[tokio::test]
async fn bad_requests_get_a_clear_refusal_in_both_languages_and_change_nothing() {
    for (app, db, _dir) in common::apps().await {
        let (phone, _) = registered(&app, None).await;
        let auth = phone.auth();
        let before = table_counts(&db).await;
        let remove_self = format!("/api/v2/household/devices/{}", phone.id);
        let cases: Vec<Refused> = vec![
            ("POST", "/api/v2/sync", Some(auth.clone()), Some("{not json".into()), StatusCode::BAD_REQUEST, "malformed"),
            ("POST", "/api/v2/sync", Some(format!("{}.wrong", phone.id)), Some(sync_body(vec![])), StatusCode::UNAUTHORIZED, "unknown_device"),
            ("POST", "/api/v2/sync", None, Some(sync_body(vec![])), StatusCode::UNAUTHORIZED, "unauthorized"),
            ("POST", "/api/v2/sync", Some(auth.clone()), Some(sync_body((0..501).map(|_| event(&phone.id, "a")).collect())), StatusCode::UNPROCESSABLE_ENTITY, "batch_too_large"),
            ("POST", "/api/v2/sync", Some(auth.clone()), Some(json!({ "events": [{ "padding": "x".repeat(2 * 1024 * 1024) }] }).to_string()), StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ("POST", "/api/v2/sync", Some(auth.clone()), Some(json!({ "events": [event(&phone.id, "a")] }).to_string()), StatusCode::PRECONDITION_REQUIRED, "consent_required"),
            ("POST", "/api/v2/devices", None, Some(json!({ "device_id": "me", "secret": phone.secret, "consent": common::consent() }).to_string()), StatusCode::BAD_REQUEST, "bad_device"),
            ("POST", "/api/v2/devices", None, Some(json!({ "device_id": random_uuid(), "secret": "short", "consent": common::consent() }).to_string()), StatusCode::BAD_REQUEST, "bad_secret"),
            ("POST", "/api/v2/devices", None, Some(json!({ "device_id": random_uuid(), "secret": Phone::new().secret }).to_string()), StatusCode::PRECONDITION_REQUIRED, "consent_required"),
            ("POST", "/api/v2/devices", None, Some(json!({ "device_id": random_uuid(), "secret": Phone::new().secret, "consent": common::consent(), "label": "x".repeat(41) }).to_string()), StatusCode::BAD_REQUEST, "bad_label"),
            ("POST", "/api/v2/devices", None, Some(json!({ "device_id": random_uuid(), "secret": Phone::new().secret, "consent": common::consent(), "join_code": "WRONG23456" }).to_string()), StatusCode::NOT_FOUND, "unknown_join_code"),
            ("GET", "/api/v2/sync", Some(auth.clone()), None, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ("GET", "/api/v2/nothing-here", None, None, StatusCode::NOT_FOUND, "not_found"),
            ("POST", "/api/v1/sync", None, Some(json!({ "events": [], "cursor": 0 }).to_string()), StatusCode::GONE, "update_required"),
            ("POST", "/api/v1/devices", None, Some(json!({ "device_id": random_uuid() }).to_string()), StatusCode::GONE, "update_required"),
            ("DELETE", "/api/v2/household/devices/not-a-device", Some(auth.clone()), None, StatusCode::NOT_FOUND, "not_found"),
            ("DELETE", &remove_self, Some(auth.clone()), None, StatusCode::CONFLICT, "cannot_remove_self"),
        ];
        for (method, path, auth, body, status, code) in cases {
            let (got, headers, body) = call(&app, method, path, auth.as_deref(), body).await;
            assert_eq!(got, status, "{method} {path}: {body}");
            assert_refusal(&body, code);
            assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        }
        // Sent as text, not JSON.
        let req = Request::post("/api/v2/sync")
            .header(header::AUTHORIZATION, format!("Bearer {auth}"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(sync_body(vec![])))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let body: Value =
            serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_refusal(&body, "unsupported_media_type");
        // The wrong code cost a try, and changed nothing (counts are this database's,
        // so on a shared PostgreSQL only this phone's household is compared).
        if db.engine == server::db::Engine::Sqlite {
            assert_eq!(table_counts(&db).await, before);
        }
        assert_eq!(
            server::db::events::count(&db, &household_of(&db, &phone).await)
                .await
                .unwrap(),
            0
        );
    }
}

async fn household_of(db: &server::db::Db, phone: &Phone) -> String {
    match server::db::devices::authenticate(db, &phone.id, &phone.secret)
        .await
        .unwrap()
    {
        server::db::devices::Auth::Device { household_id, .. } => household_id,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refused_event_comes_back_with_its_reason_in_every_language() {
    for (app, _db, _dir) in common::apps().await {
        let (phone, _) = registered(&app, None).await;
        let mut ahead = event(&phone.id, "zalo");
        ahead["at_ms"] = (server::db::now_ms() + 3 * 24 * 3600 * 1000).into();
        let (status, _, body) = call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&phone.auth()),
            Some(sync_body(vec![ahead])),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let result = &body["results"][0];
        assert_eq!(result["status"], "rejected");
        assert_eq!(result["code"], "future");
        assert!(
            result["messages"]["vi"].as_str().unwrap().contains("giờ"),
            "{result}"
        );
        assert!(
            result["messages"]["en"].as_str().unwrap().contains("clock"),
            "{result}"
        );
    }
}

/// Every household route, tried with another household's phone: refused or scoped to
/// the asker's own household, and nothing of the first household changes.
#[tokio::test]
async fn a_phone_of_another_household_can_neither_see_nor_change_this_one() {
    for (app, db, _dir) in common::apps().await {
        let (a, _) = registered(&app, None).await;
        let code = new_code(&app, &a).await;
        let (b, _) = registered(&app, Some(&code)).await;
        let lan = random_uuid();
        let named = json!({
            "event_id": random_uuid(), "device_id": a.id, "profile_id": lan,
            "kind": "profile_saved", "schema_version": 1, "at_ms": common::NOW,
            "payload": { "name": "Bà Lan", "color": "green" }
        });
        call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&a.auth()),
            Some(sync_body(vec![named, event(&a.id, "zalo")])),
        )
        .await;
        let household = household_of(&db, &a).await;
        let (stranger, _) = registered(&app, None).await;
        let s = Some(stranger.auth());

        let (status, _, body) = call(
            &app,
            "DELETE",
            &format!("/api/v2/household/devices/{}", b.id),
            s.as_deref(),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(
            household_of(&db, &b).await,
            household,
            "b is still in its family"
        );

        let (_, _, list) = call(&app, "GET", "/api/v2/household/devices", s.as_deref(), None).await;
        let ids: Vec<_> = list["devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["device_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, vec![stranger.id.clone()]);

        let (_, _, export) =
            call(&app, "GET", "/api/v2/household/export", s.as_deref(), None).await;
        assert!(!export.to_string().contains("Bà Lan"), "{export}");
        assert_eq!(export["events"], json!([]));

        let (_, _, synced) = call(
            &app,
            "POST",
            "/api/v2/sync",
            s.as_deref(),
            Some(sync_body(vec![])),
        )
        .await;
        assert_eq!(
            synced["events"],
            json!([]),
            "a stranger's pull is its own household's"
        );

        let (status, _, _) = call(&app, "DELETE", "/api/v2/household", s.as_deref(), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            server::db::events::count(&db, &household).await.unwrap(),
            2,
            "the family's events stay"
        );
        assert_eq!(household_of(&db, &a).await, household);

        // Someone else's event, sent by the stranger's new phone, is refused.
        let (thief, _) = registered(&app, None).await;
        let mut forged = event(&a.id, "vneid");
        forged["event_id"] = random_uuid().into();
        let (_, _, body) = call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&thief.auth()),
            Some(sync_body(vec![forged])),
        )
        .await;
        assert_eq!(body["results"][0]["code"], "other_device");
    }
}

#[tokio::test]
async fn a_removed_phone_is_refused_at_once_and_the_family_sees_who_is_left() {
    for (app, _db, _dir) in common::apps().await {
        let (a, _) = registered(&app, None).await;
        let code = new_code(&app, &a).await;
        let (b, _) = registered(&app, Some(&code)).await;
        let (_, _, list) = call(
            &app,
            "GET",
            "/api/v2/household/devices",
            Some(&a.auth()),
            None,
        )
        .await;
        assert_eq!(list["devices"].as_array().unwrap().len(), 2);
        assert_eq!(list["this_device"], a.id.as_str());
        assert_eq!(list["devices"][0]["label"], "Minh's phone");
        assert!(list["devices"][0]["last_seen_ms"].as_i64().unwrap() > 0);

        let (status, _, _) = call(
            &app,
            "DELETE",
            &format!("/api/v2/household/devices/{}", b.id),
            Some(&a.auth()),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _, body) = call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&b.auth()),
            Some(sync_body(vec![event(&b.id, "zalo")])),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_refusal(&body, "device_removed");
        let (_, _, list) = call(
            &app,
            "GET",
            "/api/v2/household/devices",
            Some(&a.auth()),
            None,
        )
        .await;
        assert_eq!(list["devices"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn guessing_family_codes_is_limited_per_client_and_for_everyone_with_a_clear_429() {
    let (mut state, _dir) = common::state().await;
    state.client_ip_header = Some(header::HeaderName::from_static("x-forwarded-for"));
    state.limits = Arc::new(Limits::new(Policy {
        join_per_client: 3,
        failed_joins_overall: 5,
        ..Policy::default()
    }));
    let db = state.db.clone();
    let app = server::routes::router(state);
    let guess = |ip: &'static str| {
        let app = app.clone();
        async move {
            let phone = Phone::new();
            let req = Request::post("/api/v2/devices")
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-forwarded-for", format!("203.0.113.9, {ip}"))
                .body(Body::from(registration(&phone, Some("WRONG23456"))))
                .unwrap();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let retry = res
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.to_str().unwrap().to_string());
            let body: Value =
                serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes())
                    .unwrap();
            (status, retry, body)
        }
    };
    for _ in 0..3 {
        assert_eq!(guess("10.0.0.1").await.0, StatusCode::NOT_FOUND);
    }
    let (status, retry, body) = guess("10.0.0.1").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_refusal(&body, "too_many_requests");
    let wait: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another client may still try — until everyone's wrong codes reach the limit.
    assert_eq!(guess("10.0.0.2").await.0, StatusCode::NOT_FOUND);
    assert_eq!(guess("10.0.0.3").await.0, StatusCode::NOT_FOUND);
    let (status, _, body) = guess("10.0.0.4").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let (devices,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM devices")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(devices, 0, "no guess registered anything");
}

#[tokio::test]
async fn registering_is_limited_per_client() {
    let (mut state, _dir) = common::state().await;
    state.client_ip_header = Some(header::HeaderName::from_static("x-real-ip"));
    state.limits = Arc::new(Limits::new(Policy {
        register_per_client: 2,
        ..Policy::default()
    }));
    let app = server::routes::router(state);
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let req = Request::post("/api/v2/devices")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-real-ip", "198.51.100.7")
            .body(Body::from(registration(&Phone::new(), None)))
            .unwrap();
        statuses.push(app.clone().oneshot(req).await.unwrap().status());
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn the_family_exports_its_data_as_json_and_csv_then_deletes_it_and_its_other_phone_is_told() {
    for (app, db, _dir) in common::apps().await {
        let (a, _) = registered(&app, None).await;
        let code = new_code(&app, &a).await;
        let (b, b_reg) = registered(&app, Some(&code)).await;
        let lan = random_uuid();
        let events = vec![
            json!({
                "event_id": random_uuid(), "device_id": a.id, "profile_id": lan,
                "kind": "profile_saved", "schema_version": 1, "at_ms": common::NOW,
                "payload": { "name": "=HYPERLINK(\"http://x\")", "color": "green" }
            }),
            event(&a.id, "zalo"),
        ];
        call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&a.auth()),
            Some(sync_body(events)),
        )
        .await;

        let (status, _, json) = call(
            &app,
            "GET",
            "/api/v2/household/export",
            Some(&a.auth()),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json["devices"].as_array().unwrap().len(), 2);
        assert_eq!(json["events"].as_array().unwrap().len(), 2);
        assert!(
            json["people"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "=HYPERLINK(\"http://x\")"),
            "{json}"
        );
        assert_eq!(
            json["devices"][0]["consent_version"],
            common::consent().as_str()
        );
        assert!(json["events"][0]["time"]
            .as_str()
            .unwrap()
            .starts_with("2026-09-21T"));

        let req = Request::get("/api/v2/household/export.csv")
            .header(header::AUTHORIZATION, format!("Bearer {}", a.auth()))
            .body(Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "text/csv; charset=utf-8"
        );
        let csv = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec())
            .unwrap();
        assert!(
            csv.starts_with("\u{feff}record,id,time,name,kind,details\r\n"),
            "{csv}"
        );
        assert!(
            csv.contains("\"'=HYPERLINK"),
            "a formula is written as text: {csv}"
        );
        assert!(!csv.contains(",\"=HYPERLINK"), "{csv}");
        assert_eq!(
            csv.lines().filter(|l| l.starts_with("\"event\"")).count(),
            2,
            "{csv}"
        );

        let (status, _, deleted) =
            call(&app, "DELETE", "/api/v2/household", Some(&a.auth()), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(deleted, json!({ "events": 2, "devices": 2 }));
        // The other phone learns it at its next sync: its certificate cannot bring the
        // household back.
        let (status, _, body) = call(
            &app,
            "POST",
            "/api/v2/sync",
            Some(&b.auth()),
            Some(sync_body(vec![])),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_refusal(&body, "unknown_device");
        let back = json!({
            "device_id": b.id, "secret": b.secret, "consent": common::consent(),
            "recover": { "household_id": b_reg["household_id"], "cert": b_reg["cert"] }
        });
        let (status, _, body) = call(
            &app,
            "POST",
            "/api/v2/devices",
            None,
            Some(back.to_string()),
        )
        .await;
        assert_eq!(status, StatusCode::GONE);
        assert_refusal(&body, "household_deleted");
        assert!(
            server::db::households::read(&db, b_reg["household_id"].as_str().unwrap())
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn a_family_code_is_renewed_from_the_phone_and_the_old_one_stops_working() {
    for (app, _db, _dir) in common::apps().await {
        let (a, reg) = registered(&app, None).await;
        assert!(
            reg.get("join_code").is_none(),
            "no code until the family asks for one"
        );
        let old = new_code(&app, &a).await;
        let (status, _, fresh) = call(
            &app,
            "POST",
            "/api/v2/household/code",
            Some(&a.auth()),
            Some("{}".into()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{fresh}");
        let code = fresh["join_code"].as_str().unwrap();
        assert_ne!(code, old);
        assert!(fresh["code_expires_ms"].as_i64().unwrap() > server::db::now_ms());
        let (status, _, _) = call(
            &app,
            "POST",
            "/api/v2/devices",
            None,
            Some(registration(&Phone::new(), Some(&old))),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, joined) = call(
            &app,
            "POST",
            "/api/v2/devices",
            None,
            Some(registration(&Phone::new(), Some(code))),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(joined["household_id"], reg["household_id"]);
    }
}
