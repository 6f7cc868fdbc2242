//! The household routes over HTTP, as a family uses them and as a stranger tries them:
//! every route reaches only the asker's household, a removed phone is refused at once,
//! guessing family codes and registering are limited with a clear 429, and the family
//! exports and deletes its data. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is
//! set.

use crate::common;

use crate::common::api::*;
use crate::common::{call, Phone};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use server::db::random_uuid;
use server::limits::{Limits, Policy};
use std::sync::Arc;
use tower::ServiceExt;

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
    // Wrong codes are counted per minute of the clock: start early in a minute, so that
    // the count is not reset half-way.
    let into_minute = server::db::now_ms().rem_euclid(60_000);
    if into_minute > 45_000 {
        tokio::time::sleep(std::time::Duration::from_millis(
            (60_000 - into_minute + 100) as u64,
        ))
        .await;
    }
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
