//! The sync API over HTTP, as a phone meets it: idempotent registration, replays answered
//! as duplicates, refused events and refused requests explained in both languages, and
//! nothing changed by a refusal. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is
//! set. (The household routes are in household_api.rs.)

use crate::common;

use crate::common::api::*;
use crate::common::{call, table_counts, Phone};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use server::db::random_uuid;
use tower::ServiceExt;

/// A request that must be refused: method, path, credentials, body, status and code.
type Refused<'a> = (
    &'a str,
    &'a str,
    Option<String>,
    Option<String>,
    StatusCode,
    &'a str,
);

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
