//! Property: whatever arrives at any API route — arbitrary JSON, valid requests with a
//! field broken, wrong or missing credentials and content types, odd sizes — the server
//! never answers 5xx, every refusal is a 4xx with a known code and a sentence in each
//! language, and a refusal changes nothing in the database. The routes come from
//! `routes::api::routes()`, the list the router is built from, so a new route is tried
//! too. On a fresh SQLite database, and a scratch PostgreSQL one with TEST_DATABASE_URL.

use crate::common;

use crate::common::{table_counts, Phone};
use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{json, Value};
use server::db::{random_uuid, Db};
use server::limits::{Limits, Policy};
use server::routes::api::error::Refusal;
use std::sync::Arc;
use tower::ServiceExt;

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::from),
        Just(json!("00000000-0000-7000-8000-000000000000")),
        Just(json!("x".repeat(5000))),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("events".to_string()),
                    Just("cursor".to_string()),
                    Just("consent".to_string()),
                    Just("device_id".to_string()),
                    Just("secret".to_string()),
                    Just("join_code".to_string()),
                    Just("payload".to_string()),
                    "[a-z_]{1,10}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A path argument that is not UTF-8 once decoded.
const BAD_UTF8: &str = "<bad utf-8>";

/// What the fuzzer sends as the body.
#[derive(Clone, Debug)]
enum Payload {
    Json(Value),
    /// A valid request with the value at one place replaced (or removed, when `None`).
    Broken(usize, Option<Value>),
    Bytes(Vec<u8>),
    Size(usize),
    Empty,
}

#[derive(Clone, Debug)]
enum Auth {
    None,
    Valid,
    Garbage(String),
    WrongSecret,
}

#[derive(Clone, Debug)]
struct Case {
    route: usize,
    path_arg: String,
    auth: Auth,
    content_type: Option<&'static str>,
    payload: Payload,
}

fn case(routes: usize) -> impl Strategy<Value = Case> {
    (
        0..routes,
        prop_oneof![
            Just(String::new()),
            ".{0,20}",
            Just(BAD_UTF8.to_string()),
            Just(random_uuid())
        ],
        prop_oneof![
            Just(Auth::None),
            Just(Auth::Valid),
            Just(Auth::Valid),
            ".{0,80}".prop_map(Auth::Garbage),
            Just(Auth::WrongSecret),
        ],
        prop_oneof![
            Just(Some("application/json")),
            Just(Some("application/json; charset=utf-8")),
            Just(Some("text/plain")),
            Just(None),
        ],
        prop_oneof![
            any_json().prop_map(Payload::Json),
            (0..40usize, proptest::option::of(any_json())).prop_map(|(i, v)| Payload::Broken(i, v)),
            proptest::collection::vec(any::<u8>(), 0..200).prop_map(Payload::Bytes),
            prop_oneof![Just(64 * 1024 + 1), Just(1024 * 1024 + 1), Just(3_000_000)]
                .prop_map(Payload::Size),
            Just(Payload::Empty),
        ],
    )
        .prop_map(|(route, path_arg, auth, content_type, payload)| Case {
            route,
            path_arg,
            auth,
            content_type,
            payload,
        })
}

/// A request that would succeed at `path`, to break one piece of.
fn valid_body(path: &str, phone: &Phone) -> Value {
    let event = json!({
        "event_id": random_uuid(), "device_id": phone.id, "profile_id": random_uuid(),
        "kind": "checklist_ticked", "schema_version": 1, "at_ms": common::NOW,
        "payload": { "checklist": "digital-family", "item": "phone-lock", "on": true }
    });
    match path {
        "/api/v2/devices" => {
            json!({ "device_id": random_uuid(), "secret": Phone::new().secret, "consent": common::consent(), "label": "x" })
        }
        "/api/v2/devices/join" => json!({ "join_code": "ABCDE-23456" }),
        "/api/v2/sync" => {
            json!({ "events": [event], "cursor": { "epoch": "x", "seq": 1, "event_id": null }, "consent": common::consent() })
        }
        _ => json!({}),
    }
}

/// Every place in a JSON value, in a fixed order.
fn places(v: &Value, at: Vec<Place>, out: &mut Vec<Vec<Place>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let mut next = at.clone();
                next.push(Place::Key(k.clone()));
                places(child, next, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let mut next = at.clone();
                next.push(Place::Index(i));
                places(child, next, out);
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Place {
    Key(String),
    Index(usize),
}

fn break_at(v: &mut Value, at: &[Place], with: Option<Value>) {
    let Some((last, parent)) = at.split_last() else {
        *v = with.unwrap_or(Value::Null);
        return;
    };
    let mut node = v;
    for p in parent {
        node = match p {
            Place::Key(k) => &mut node[k.as_str()],
            Place::Index(i) => &mut node[*i],
        };
    }
    match (last, with) {
        (Place::Key(k), Some(x)) => node[k.as_str()] = x,
        (Place::Key(k), None) => {
            if let Some(m) = node.as_object_mut() {
                m.remove(k);
            }
        }
        (Place::Index(i), Some(x)) => node[*i] = x,
        (Place::Index(i), None) => {
            if let Some(a) = node.as_array_mut() {
                a.remove(*i);
            }
        }
    }
}

async fn try_case(
    app: &Router,
    db: &Db,
    phone: &std::sync::Mutex<Phone>,
    case: &Case,
) -> Result<(), TestCaseError> {
    // A case may have deleted the test household or removed its phone: the next one
    // starts with a phone that is registered again, so signed-in cases keep reaching the
    // routes' bodies.
    let current = phone.lock().unwrap().auth();
    let (id, secret) = current.split_once('.').unwrap();
    if !matches!(
        server::db::devices::authenticate(db, id, secret)
            .await
            .unwrap(),
        server::db::devices::Auth::Device { .. }
    ) {
        let fresh = Phone::new();
        fresh.register(db, None).await;
        *phone.lock().unwrap() = fresh;
    }
    let phone = &{
        let current = phone.lock().unwrap();
        Phone {
            id: current.id.clone(),
            secret: current.secret.clone(),
        }
    };
    let routes = server::routes::api::routes();
    let route = &routes[case.route];
    let arg = if case.path_arg == BAD_UTF8 {
        "%FF%FE".to_string()
    } else {
        urlencode(&case.path_arg)
    };
    let path = route.path.replace("{id}", &arg);
    let body: Vec<u8> = match &case.payload {
        Payload::Json(v) => v.to_string().into_bytes(),
        Payload::Broken(i, with) => {
            let mut v = valid_body(route.path, phone);
            let mut all = Vec::new();
            places(&v, vec![], &mut all);
            let at = &all[i % all.len()];
            break_at(&mut v, at, with.clone());
            v.to_string().into_bytes()
        }
        Payload::Bytes(b) => b.clone(),
        Payload::Size(n) => {
            let mut s = String::from("{\"events\":[],\"pad\":\"");
            s.push_str(&"x".repeat(*n));
            s.push_str("\"}");
            s.into_bytes()
        }
        Payload::Empty => vec![],
    };
    let mut req = Request::builder()
        .method(route.method.clone())
        .uri(path.as_str());
    if let Some(t) = case.content_type {
        req = req.header(header::CONTENT_TYPE, t);
    }
    match &case.auth {
        Auth::None => {}
        Auth::Valid => req = req.header(header::AUTHORIZATION, format!("Bearer {}", phone.auth())),
        Auth::WrongSecret => {
            req = req.header(
                header::AUTHORIZATION,
                format!("Bearer {}.{}", phone.id, Phone::new().secret),
            )
        }
        Auth::Garbage(g) => {
            if let Ok(v) = header::HeaderValue::from_str(g) {
                req = req.header(header::AUTHORIZATION, v);
            }
        }
    }
    let before = table_counts(db).await;
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    prop_assert!(
        status.as_u16() < 500,
        "{} {path}: {status} {}",
        route.method,
        String::from_utf8_lossy(&bytes)
    );
    if status.is_client_error() {
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let code = body["error"].as_str().unwrap_or_default();
        prop_assert!(
            Refusal::ALL.iter().any(|r| r.code() == code),
            "{path}: {status} {body}"
        );
        prop_assert!(
            body["messages"]["vi"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{body}"
        );
        prop_assert!(
            body["messages"]["en"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{body}"
        );
        prop_assert_eq!(
            table_counts(db).await,
            before,
            "a refusal changed the database: {} {}",
            path,
            body
        );
    }
    Ok(())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn no_input_makes_the_api_fail_or_write_half() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let routes = server::routes::api::routes().len();
    let databases = rt.block_on(common::fresh_databases());
    for (db, _fresh) in &databases {
        let mut state = common::state_on(db.clone());
        // The limits have their own test; here they would only turn cases into 429s.
        state.limits = Arc::new(Limits::new(Policy {
            register_per_client: 1_000_000,
            register_overall: 1_000_000,
            join_per_client: 1_000_000,
            join_overall: 1_000_000,
            failed_joins_overall: 1_000_000,
            sign_in_per_client: 1_000_000,
            sign_in_overall: 1_000_000,
        }));
        let app = server::routes::router(state);
        let first = Phone::new();
        rt.block_on(first.register(db, None));
        let phone = std::sync::Mutex::new(first);
        let config = ProptestConfig {
            cases: 400,
            failure_persistence: None,
            ..ProptestConfig::default()
        };
        proptest!(config, |(case in case(routes))| {
            rt.block_on(try_case(&app, db, &phone, &case))?;
        });
    }
}
