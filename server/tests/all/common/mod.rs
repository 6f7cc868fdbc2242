//! Builds the real app for integration tests: content from `content/`, a database that
//! is SQLite in a temporary file, or PostgreSQL when TEST_DATABASE_URL is set; and the
//! steps a phone takes, as the protocol asks (docs/SYNC.md).

#![allow(dead_code)]

pub mod api;

use app::domain::event::{Action, Event};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use server::db::devices::{self, NewDevice, Registration};
use server::db::{random_uuid, Db};
use server::state::AppState;
use std::path::Path;
use tower::ServiceExt;

/// When test events happen: a fixed time in the past (2026-09-21), as phones record.
pub const NOW: i64 = 1_790_000_000_000;

pub fn content_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

pub fn content() -> app::domain::content::Content {
    server::content::load(&content_dir()).expect("content loads")
}

/// The consent version the content asks for.
pub fn consent() -> String {
    content().consent_version().to_string()
}

/// A fresh SQLite database in its own temporary directory.
pub async fn sqlite() -> (Db, tempdir::Dir) {
    let dir = tempdir::Dir::new();
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path.display());
    (Db::connect(&url).await.expect("sqlite connects"), dir)
}

/// The PostgreSQL database of TEST_DATABASE_URL, if set.
pub async fn postgres() -> Option<Db> {
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    Some(Db::connect(&url).await.expect("postgres connects"))
}

/// Every database the tests should run against: SQLite always, PostgreSQL when
/// TEST_DATABASE_URL points at one.
pub async fn databases() -> Vec<(Db, Option<tempdir::Dir>)> {
    let (db, dir) = sqlite().await;
    let mut all = vec![(db, Some(dir))];
    if let Some(pg) = postgres().await {
        all.push((pg, None));
    }
    all
}

/// Every database, each new and empty: SQLite in a temporary file, and (with
/// TEST_DATABASE_URL) a scratch PostgreSQL database made for this test and dropped
/// after it — for tests that look at whole tables, which other tests share.
pub async fn fresh_databases() -> Vec<(Db, Fresh)> {
    let (db, dir) = sqlite().await;
    let mut all = vec![(db, Fresh::Sqlite(dir))];
    if let Some(scratch) = ScratchPg::new().await {
        let db = Db::connect(&scratch.url)
            .await
            .expect("scratch database connects");
        all.push((db, Fresh::Postgres(scratch)));
    }
    all
}

/// What keeps a fresh database alive until the test ends.
pub enum Fresh {
    Sqlite(tempdir::Dir),
    Postgres(ScratchPg),
}

impl Fresh {
    /// The database's URL.
    pub fn url(&self) -> String {
        match self {
            Fresh::Sqlite(dir) => format!("sqlite://{}/test.db?mode=rwc", dir.path.display()),
            Fresh::Postgres(pg) => pg.url.clone(),
        }
    }
}

/// A PostgreSQL database of its own, on the server of TEST_DATABASE_URL.
pub struct ScratchPg {
    pub url: String,
    pub name: String,
    admin: String,
}

impl ScratchPg {
    pub async fn new() -> Option<ScratchPg> {
        let admin = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let name = format!(
            "hocso_t_{}",
            server::db::hex(&server::db::random_bytes::<6>())
        );
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&admin)
            .await
            .expect("postgres connects");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&pool)
            .await
            .expect("a scratch database can be made");
        pool.close().await;
        let (base, query) = match admin.split_once('?') {
            Some((b, q)) => (b.to_string(), format!("?{q}")),
            None => (admin.clone(), String::new()),
        };
        let server = base.rsplit_once('/').map(|(s, _)| s).unwrap_or(&base);
        Some(ScratchPg {
            url: format!("{server}/{name}{query}"),
            name,
            admin,
        })
    }
}

impl Drop for ScratchPg {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Dropped outside any runtime the test may be in.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(pool) = sqlx::AnyPool::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&pool)
                        .await;
                }
            });
        })
        .join();
    }
}

/// The app's state over `db`.
pub fn state_on(db: Db) -> AppState {
    let content = content();
    let rules = server::coverage::rules::load(&content_dir(), &content).unwrap();
    let mut state = AppState::new(
        db,
        content,
        Path::new("target/site"),
        "127.0.0.1:3000".parse().unwrap(),
    );
    state.coverage = Some(std::sync::Arc::new(rules));
    state
}

pub async fn state() -> (AppState, tempdir::Dir) {
    let (db, dir) = sqlite().await;
    (state_on(db), dir)
}

/// The app over every database the tests have.
pub async fn apps() -> Vec<(Router, Db, Option<tempdir::Dir>)> {
    databases()
        .await
        .into_iter()
        .map(|(db, dir)| (server::routes::router(state_on(db.clone())), db, dir))
        .collect()
}

/// A phone's identity, made by the phone.
pub struct Phone {
    pub id: String,
    pub secret: String,
}

impl Phone {
    pub fn new() -> Phone {
        Phone {
            id: random_uuid(),
            secret: server::db::hex(&server::db::random_bytes::<32>()),
        }
    }

    pub fn auth(&self) -> String {
        format!("{}.{}", self.id, self.secret)
    }

    /// Registers this phone (in a new household, or the one of `code`).
    pub async fn register(&self, db: &Db, code: Option<&str>) -> Registration {
        let consent = consent();
        devices::register(
            db,
            &NewDevice {
                device_id: &self.id,
                secret: &self.secret,
                label: "test phone",
                consent: &consent,
                join_code: code,
                recover: None,
            },
            server::db::now_ms(),
        )
        .await
        .expect("registers")
        .0
    }

    /// An event of this phone.
    pub fn event(&self, profile: &str, action: Action) -> Event {
        Event::new(&self.id, profile, random_uuid(), NOW, &action)
    }

    pub fn completed(&self, profile: &str, lesson: &str) -> Event {
        self.event(
            profile,
            Action::LessonCompleted {
                lesson: lesson.into(),
            },
        )
    }
}

/// A fresh family code for the household, as its phone asks for one.
pub async fn code(db: &Db, household_id: &str) -> String {
    server::db::households::renew_code(db, household_id, server::db::now_ms())
        .await
        .expect("a code")
        .0
}

/// One HTTP request to the app; the status, the headers and the body as JSON (Null if
/// it is not JSON).
pub async fn call(
    app: &Router,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<String>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, format!("Bearer {a}"));
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body.unwrap_or_default())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// What the database holds, in numbers that any write changes: rows in each table, and
/// sums of the columns requests update (positions taken, devices seen, codes made). To
/// show a refused request changed nothing. (`rate_windows` is left out: a wrong family
/// code is counted there on purpose.)
pub async fn table_counts(db: &Db) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for (what, sql) in [
        ("households", "SELECT COUNT(*) FROM households"),
        ("devices", "SELECT COUNT(*) FROM devices"),
        ("events", "SELECT COUNT(*) FROM events"),
        ("revoked", "SELECT COUNT(*) FROM revoked"),
        (
            "positions",
            "SELECT CAST(COALESCE(SUM(last_seq), 0) AS BIGINT) FROM households",
        ),
        (
            "codes",
            "SELECT CAST(COALESCE(SUM(code_expires_ms / 1000), 0) AS BIGINT) FROM households",
        ),
        (
            "seen",
            "SELECT CAST(COALESCE(SUM(last_seen_ms / 1000), 0) AS BIGINT) FROM devices",
        ),
        ("consents", "SELECT COUNT(consent_version) FROM devices"),
        ("mentorships", "SELECT COUNT(*) FROM mentorships"),
    ] {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&db.pool).await.unwrap();
        out.push((what, n));
    }
    out
}

pub mod tempdir {
    /// A directory under the system temp dir, removed when dropped.
    pub struct Dir {
        pub path: std::path::PathBuf,
    }

    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!(
                "hocso-test-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Dir { path }
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// A volunteer of a commune with a village, made the way people are (the province
/// loaded, an administrator, an official invited by them, a volunteer invited by the
/// official), with logins unique to this call: (volunteer, village id, commune id).
pub async fn volunteer(db: &Db) -> (server::db::accounts::Account, String, String) {
    use app::domain::role::Role;
    use server::db::{accounts, areas, invitations, now_ms};
    let province = server::places::load(&content_dir()).unwrap();
    areas::seed(db, &province, now_ms()).await.unwrap();
    let p = areas::the_province(db).await.unwrap().unwrap();
    let commune = areas::children(db, &p.area_id).await.unwrap().remove(0);
    let village = match areas::add(db, &commune.area_id, "bản", "Nà Khum", now_ms()).await {
        Ok(v) => v,
        Err(_) => areas::children(db, &commune.area_id)
            .await
            .unwrap()
            .remove(0),
    };
    let id = random_uuid();
    let tag = &id[id.len() - 12..];
    let admin = accounts::create_admin(
        db,
        &format!("admin.{tag}"),
        "Chị Lan",
        "mật khẩu dài",
        now_ms(),
    )
    .await
    .unwrap();
    let mut made = admin;
    for (role, login) in [(Role::Official, "official"), (Role::Volunteer, "volunteer")] {
        let issued = invitations::invite(db, &made, role, &commune.area_id, None, login, now_ms())
            .await
            .unwrap();
        made = invitations::accept(
            db,
            &issued.token,
            &format!("{login}.{tag}"),
            "Em Hoa",
            "mật khẩu dài",
            now_ms(),
        )
        .await
        .unwrap()
        .account;
    }
    (made, village.area_id, commune.area_id)
}
