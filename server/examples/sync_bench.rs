//! Benchmark (not a test): how long the server takes to accept 1,000 events sent as two
//! batches of 500 through the real HTTP handler, on SQLite and (when
//! TEST_DATABASE_URL is set) PostgreSQL, and how many bytes the upload is, raw and
//! gzip-compressed. Run it with `bench/sync`.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use flate2::{write::GzEncoder, Compression};
use http_body_util::BodyExt;
use server::db::{hex, random_bytes, random_uuid, Db};
use server::state::AppState;
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use tower::ServiceExt;

const EVENTS: usize = 1000;
const BATCH: usize = 500;

async fn post(
    app: &axum::Router,
    path: &str,
    auth: Option<&str>,
    body: String,
) -> (StatusCode, serde_json::Value) {
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
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

async fn run(name: &str, db: Db) {
    let content =
        server::content::load(Path::new("content")).expect("run from the repository root");
    let state = AppState::new(
        db,
        content,
        Path::new("target/site"),
        "127.0.0.1:0".parse().unwrap(),
    );
    let state_consent = state.consent_version().to_string();
    let app = server::routes::router(state);
    let device = random_uuid();
    let secret = hex(&random_bytes::<32>());
    let consent = state_consent.clone();
    let (status, reg) = post(
        &app,
        "/api/v2/devices",
        None,
        serde_json::json!({ "device_id": device, "secret": secret, "consent": consent })
            .to_string(),
    )
    .await;
    assert!(status.is_success(), "{reg}");
    let auth = format!("{device}.{secret}");
    let profile = random_uuid();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let events: Vec<_> = (0..EVENTS)
        .map(|i| {
            serde_json::json!({
                "event_id": random_uuid(), "device_id": device, "profile_id": profile,
                "kind": if i % 2 == 0 { "lesson_completed" } else { "checklist_ticked" },
                "schema_version": 1, "at_ms": now - 1000 + i as i64,
                "payload": if i % 2 == 0 { serde_json::json!({ "lesson": format!("lesson-{}", i % 40) }) }
                           else { serde_json::json!({ "checklist": "digital-family", "item": format!("item-{}", i % 6), "on": i % 3 == 0 }) }
            })
        })
        .collect();
    let bodies: Vec<String> = events
        .chunks(BATCH)
        .map(|b| serde_json::json!({ "events": b, "consent": consent }).to_string())
        .collect();
    let raw: usize = bodies.iter().map(String::len).sum();
    let gz: usize = bodies
        .iter()
        .map(|b| {
            let mut enc = GzEncoder::new(Vec::new(), Compression::default());
            enc.write_all(b.as_bytes()).unwrap();
            enc.finish().unwrap().len()
        })
        .sum();
    let start = Instant::now();
    for body in bodies {
        let (status, res) = post(&app, "/api/v2/sync", Some(&auth), body).await;
        assert_eq!(status, StatusCode::OK, "{res}");
        assert!(res["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "applied"));
    }
    let took = start.elapsed();
    println!(
        "{name:<11} {EVENTS} events in {} batches: {:>7.1} ms  ({:>6.0} events/s)  upload {:>6.1} KB raw, {:>5.1} KB gzip",
        EVENTS / BATCH,
        took.as_secs_f64() * 1000.0,
        EVENTS as f64 / took.as_secs_f64(),
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("hocso-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display()))
        .await
        .unwrap();
    run("SQLite", sqlite).await;
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => run("PostgreSQL", Db::connect(&url).await.unwrap()).await,
        _ => println!("PostgreSQL  skipped: set TEST_DATABASE_URL"),
    }
    let _ = std::fs::remove_dir_all(dir);
}
