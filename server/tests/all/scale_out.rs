//! Two server processes over one database act as one service: what a phone sends through
//! one is what its household's other phone reads through the other. This is the
//! scale-out path (stateless app servers behind a load balancer), run for real: two
//! copies of the built binary, PostgreSQL from TEST_DATABASE_URL (a shared SQLite file
//! when it is not set).

use crate::common;

use crate::common::Phone;
use serde_json::{json, Value};
use server::db::random_uuid;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server process, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start(database_url: &str, data_dir: &std::path::Path) -> Server {
    // Ask the OS for a free port, then hand it to the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("HOCSO_ADDR", &addr)
        .env("DATABASE_URL", database_url)
        .env("HOCSO_DATA_DIR", data_dir)
        .env("HOCSO_CONTENT_DIR", common::content_dir())
        .env("HOCSO_SITE_ROOT", data_dir)
        .env("HOCSO_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("server binary starts");
    let server = Server { child, addr };
    for _ in 0..100 {
        if let Ok((200, _)) = request(&server.addr, "GET", "/healthz", None, "").await {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server on {} did not become healthy", server.addr);
}

/// One HTTP/1.1 request on a fresh connection; returns the status and the body.
async fn request(
    addr: &str,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    let auth = auth
        .map(|a| format!("Authorization: Bearer {a}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Ok((status, if chunked { dechunk(body) } else { body.into() }))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

async fn post(server: &Server, path: &str, auth: Option<&str>, body: Value) -> (u16, Value) {
    let (status, text) = request(&server.addr, "POST", path, auth, &body.to_string())
        .await
        .expect("request completes");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn completed(device: &str, lesson: &str) -> Value {
    json!({
        "event_id": random_uuid(), "device_id": device, "profile_id": random_uuid(),
        "kind": "lesson_completed", "schema_version": 1, "at_ms": 1_700_000_000_000i64,
        "payload": { "lesson": lesson }
    })
}

#[tokio::test]
async fn two_servers_on_one_database_serve_a_household_as_one() {
    let dir = common::tempdir::Dir::new();
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| format!("sqlite://{}/shared.db?mode=rwc", dir.path.display()));
    let (a, b) = (start(&url, &dir.path).await, start(&url, &dir.path).await);

    // The first phone registers through server A and gets the household's family code.
    let consent = common::consent();
    let phone1 = Phone::new();
    let (status, reg1) = post(
        &a,
        "/api/v2/devices",
        None,
        json!({ "device_id": phone1.id, "secret": phone1.secret, "consent": consent }),
    )
    .await;
    assert_eq!(status, 201, "{reg1}");
    let auth1 = phone1.auth();

    // It asks for a family code through A; the second phone joins with it through B.
    let (status, code) = post(&a, "/api/v2/household/code", Some(&auth1), json!({})).await;
    assert_eq!(status, 200, "{code}");
    let phone2 = Phone::new();
    let (status, reg2) = post(
        &b,
        "/api/v2/devices",
        None,
        json!({ "device_id": phone2.id, "secret": phone2.secret, "consent": consent, "join_code": code["join_code"] }),
    )
    .await;
    assert_eq!(status, 201, "{reg2}");
    assert_eq!(reg2["household_id"], reg1["household_id"]);
    let auth2 = phone2.auth();

    // Phone 1 syncs through A; its credentials work on B too.
    let batch = json!({
        "events": [completed(&phone1.id, "vneid-install"), completed(&phone1.id, "scam-calls")],
        "consent": consent,
    });
    let (status, pushed) = post(&a, "/api/v2/sync", Some(&auth1), batch.clone()).await;
    assert_eq!(status, 200, "{pushed}");
    assert_eq!(pushed["results"][0]["status"], "applied");

    // The same batch replayed through B (a retry landing on the other server) is a
    // duplicate, not a second copy.
    let (status, replay) = post(&b, "/api/v2/sync", Some(&auth1), batch).await;
    assert_eq!(status, 200, "{replay}");
    assert_eq!(replay["results"][0]["status"], "duplicate");
    assert_eq!(replay["results"][1]["status"], "duplicate");

    // Phone 2 reads through B and finds exactly phone 1's two lessons.
    let (status, pulled) = post(
        &b,
        "/api/v2/sync",
        Some(&auth2),
        json!({ "events": [], "consent": consent }),
    )
    .await;
    assert_eq!(status, 200, "{pulled}");
    let mut lessons: Vec<&str> = pulled["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["payload"]["lesson"].as_str().unwrap())
        .collect();
    lessons.sort();
    assert_eq!(lessons, ["scam-calls", "vneid-install"]);
}
