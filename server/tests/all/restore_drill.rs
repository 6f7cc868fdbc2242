//! The restore drill of docs/DEPLOY.md, run for real: back the database up (SQLite's
//! `VACUUM INTO`, PostgreSQL's `pg_dump`), let the phones sync more, restore the backup
//! (`pg_restore` into a fresh database), and let the phones sync again as the protocol
//! tells them (docs/SYNC.md, "After a restore"). Nothing any phone recorded is lost, the
//! server holds each event once, and every phone ends with the same view.

use crate::common;

use crate::common::{call, Fresh, Phone};
use app::domain::event::{Action, Event, HouseholdView};
use axum::http::StatusCode;
use axum::Router;
use serde_json::{json, Value};
use server::db::{random_uuid, Db};
use std::collections::BTreeMap;
use std::process::Command;

/// A phone following the protocol as public/sw.js does.
struct Handset {
    me: Phone,
    registered: bool,
    household_id: Option<String>,
    cert: Option<String>,
    cursor: Option<Value>,
    /// What it recorded and has not had acknowledged.
    outbox: Vec<Event>,
    /// Everything it knows: its own events and the family's.
    known: BTreeMap<String, Event>,
}

impl Handset {
    fn new() -> Handset {
        Handset {
            me: Phone::new(),
            registered: false,
            household_id: None,
            cert: None,
            cursor: None,
            outbox: vec![],
            known: BTreeMap::new(),
        }
    }

    fn record(&mut self, person: &str, action: Action) {
        let e = Event::new(&self.me.id, person, random_uuid(), common::NOW, &action);
        self.outbox.push(e.clone());
        self.known.insert(e.event_id.clone(), e);
    }

    async fn register(&mut self, app: &Router, code: Option<&str>, recover: bool) {
        let mut body = json!({ "device_id": self.me.id, "secret": self.me.secret, "consent": common::consent() });
        if let Some(c) = code {
            body["join_code"] = c.into();
        }
        if recover {
            body["recover"] = json!({ "household_id": self.household_id, "cert": self.cert });
        }
        let (status, _, reg) =
            call(app, "POST", "/api/v2/devices", None, Some(body.to_string())).await;
        assert!(status.is_success(), "{status} {reg}");
        self.registered = true;
        self.household_id = reg["household_id"].as_str().map(String::from);
        self.cert = reg["cert"].as_str().map(String::from);
    }

    /// Syncs until nothing waits; returns whether the server said the phone's cursor was
    /// void (a rewind).
    async fn sync(&mut self, app: &Router) -> bool {
        let mut rewound = false;
        let mut more = true;
        let mut recovered = false;
        while !self.outbox.is_empty() || more {
            let batch: Vec<Event> = self.outbox.iter().take(500).cloned().collect();
            let body =
                json!({ "events": batch, "cursor": self.cursor, "consent": common::consent() });
            let (status, _, res) = call(
                app,
                "POST",
                "/api/v2/sync",
                Some(&self.me.auth()),
                Some(body.to_string()),
            )
            .await;
            if status == StatusCode::UNAUTHORIZED && res["error"] == "unknown_device" && !recovered
            {
                // The server lost this phone: its certificate brings it back.
                self.register(app, None, true).await;
                recovered = true;
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{res}");
            for r in res["results"].as_array().unwrap() {
                assert_ne!(r["status"], "rejected", "{r}");
                self.outbox
                    .retain(|e| e.event_id != r["event_id"].as_str().unwrap());
            }
            for e in res["events"].as_array().unwrap() {
                let e: Event = serde_json::from_value(e.clone()).unwrap();
                self.known.insert(e.event_id.clone(), e);
            }
            if res["reset"] == true {
                rewound = true;
                let waiting: Vec<String> = self.outbox.iter().map(|e| e.event_id.clone()).collect();
                let mine = self
                    .known
                    .values()
                    .filter(|e| e.device_id == self.me.id && !waiting.contains(&e.event_id))
                    .cloned();
                self.outbox.extend(mine.collect::<Vec<_>>());
            }
            self.cursor = Some(res["cursor"].clone());
            more = res["more"] == true;
        }
        rewound
    }

    fn view(&self) -> HouseholdView {
        HouseholdView::from_events(self.known.values())
    }
}

fn app_on(db: Db) -> Router {
    server::routes::router(common::state_on(db))
}

/// Backs the database up the way docs/DEPLOY.md says; returns the backup's path.
async fn back_up(db: &Db, fresh: &Fresh, dir: &std::path::Path) -> std::path::PathBuf {
    match fresh {
        Fresh::Sqlite(_) => {
            let path = dir.join("backup.db");
            sqlx::query(&format!("VACUUM INTO '{}'", path.display()))
                .execute(&db.pool)
                .await
                .unwrap();
            path
        }
        Fresh::Postgres(pg) => {
            let path = dir.join("backup.dump");
            let out = Command::new("pg_dump")
                .args(["-Fc", "-d", &pg.url, "-f"])
                .arg(&path)
                .output()
                .expect("pg_dump runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            path
        }
    }
}

/// Restores the backup in place of the live database; returns the database to use.
async fn restore(
    db: Db,
    fresh: &Fresh,
    backup: &std::path::Path,
) -> (Db, Option<common::ScratchPg>) {
    db.pool.close().await;
    match fresh {
        Fresh::Sqlite(dir) => {
            // A stopped server's database is a file: the copy put in its place is what the
            // next start opens. (In this process the old pool's file handles may linger,
            // so the copy goes beside it, as a new server's data directory would.)
            let restored = dir.path.join("restored.db");
            std::fs::copy(backup, &restored).unwrap();
            let url = format!("sqlite://{}?mode=rwc", restored.display());
            (Db::connect(&url).await.unwrap(), None)
        }
        Fresh::Postgres(_) => {
            let target = common::ScratchPg::new().await.unwrap();
            let out = Command::new("pg_restore")
                .args(["--no-owner", "-d", &target.url])
                .arg(backup)
                .output()
                .expect("pg_restore runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (Db::connect(&target.url).await.unwrap(), Some(target))
        }
    }
}

#[tokio::test]
async fn after_a_restore_from_an_older_backup_the_phones_resend_and_converge() {
    for (db, fresh) in common::fresh_databases().await {
        let work = common::tempdir::Dir::new();
        let app = app_on(db.clone());
        let (lan, minh) = (random_uuid(), random_uuid());

        // A household of two phones, in sync.
        let mut a = Handset::new();
        a.record(
            &lan,
            Action::ProfileSaved {
                name: "Bà Lan".into(),
                color: "green".into(),
            },
        );
        a.record(
            &lan,
            Action::LessonCompleted {
                lesson: "zalo".into(),
            },
        );
        a.register(&app, None, false).await;
        a.sync(&app).await;
        let code = {
            let (_, _, c) = call(
                &app,
                "POST",
                "/api/v2/household/code",
                Some(&a.me.auth()),
                Some("{}".into()),
            )
            .await;
            c["join_code"].as_str().unwrap().to_string()
        };
        let mut b = Handset::new();
        b.record(
            &minh,
            Action::LessonCompleted {
                lesson: "vneid-install".into(),
            },
        );
        b.register(&app, Some(&code), false).await;
        b.sync(&app).await;
        a.sync(&app).await;

        let backup = back_up(&db, &fresh, &work.path).await;

        // After the backup: more learning, a phone that joins, everything acknowledged.
        a.record(
            &lan,
            Action::LessonCompleted {
                lesson: "scam-calls".into(),
            },
        );
        a.record(
            &lan,
            Action::ChecklistTicked {
                checklist: "digital-family".into(),
                item: "phone-lock".into(),
                on: true,
            },
        );
        a.sync(&app).await;
        let mut c = Handset::new();
        c.record(
            &minh,
            Action::ProfileSaved {
                name: "Minh".into(),
                color: "blue".into(),
            },
        );
        c.register(&app, Some(&code), false).await;
        c.sync(&app).await;
        b.sync(&app).await;
        assert!(a.outbox.is_empty() && b.outbox.is_empty() && c.outbox.is_empty());
        let everything: BTreeMap<String, Event> =
            [&a, &b, &c].iter().flat_map(|p| p.known.clone()).collect();
        assert_eq!(everything.len(), 6);

        // The server goes back to the backup.
        drop(app);
        let (db, _restored) = restore(db, &fresh, &backup).await;
        let app = app_on(db.clone());
        let household = a.household_id.clone().unwrap();
        assert_eq!(
            server::db::events::count(&db, &household).await.unwrap(),
            3,
            "the backup lacks three events ({:?})",
            db.engine
        );

        // Something new meanwhile, then every phone syncs as it would on its own.
        b.record(
            &minh,
            Action::LessonCompleted {
                lesson: "passwords-otp".into(),
            },
        );
        let b_rewound = b.sync(&app).await;
        let a_rewound = a.sync(&app).await;
        let c_rewound = c.sync(&app).await;
        assert!(
            a_rewound && b_rewound && c_rewound,
            "every phone noticed (a {a_rewound}, b {b_rewound}, c {c_rewound})"
        );
        for phone in [&mut a, &mut b, &mut c] {
            phone.sync(&app).await;
        }

        assert_eq!(
            server::db::events::count(&db, &household).await.unwrap(),
            7,
            "every event back on the server, each once"
        );
        let truth = HouseholdView::from_events(
            a.known
                .values()
                .chain(b.known.values())
                .chain(c.known.values()),
        );
        for (name, phone) in [("a", &a), ("b", &b), ("c", &c)] {
            assert_eq!(phone.known.len(), 7, "{name} knows every event");
            assert_eq!(phone.view(), truth, "{name} shows what the others show");
        }
        assert!(truth.profiles[&lan].progress.is_done("scam-calls"));
        assert_eq!(truth.profiles[&minh].name, "Minh");
    }
}
