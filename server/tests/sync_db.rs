//! The sync store on every database the tests have (SQLite always, PostgreSQL when
//! TEST_DATABASE_URL is set): devices prove who they are, each event is stored once at
//! the next position of its household, and the household's other phones receive it.

mod common;

use app::domain::event::{Action, Reason};
use common::{Phone, NOW};
use server::db::devices::{self, Auth, NewDevice, RegisterError};
use server::db::events::{self, Cursor, Outcome};
use server::db::{households, now_ms, random_uuid};

#[tokio::test]
async fn a_device_registers_and_only_its_secret_opens_its_household() {
    for (db, _dir) in common::databases().await {
        let phone = Phone::new();
        let reg = phone.register(&db, None).await;
        assert_eq!(
            devices::authenticate(&db, &phone.id, &phone.secret)
                .await
                .unwrap(),
            Auth::Device {
                device_id: phone.id.clone(),
                household_id: reg.household_id.clone()
            }
        );
        assert_eq!(
            devices::authenticate(&db, &phone.id, "guess")
                .await
                .unwrap(),
            Auth::Unknown
        );
        assert_eq!(
            devices::authenticate(&db, &random_uuid(), &phone.secret)
                .await
                .unwrap(),
            Auth::Unknown
        );
        assert!(
            reg.join_code.is_none(),
            "a household has no code until a phone asks"
        );
        let code = common::code(&db, &reg.household_id).await;
        let second = Phone::new().register(&db, Some(&code.to_lowercase())).await;
        assert_eq!(second.household_id, reg.household_id, "{:?}", db.engine);
    }
}

#[tokio::test]
async fn a_registration_asked_again_gets_the_same_answer_and_nobody_else_gets_the_id() {
    for (db, _dir) in common::databases().await {
        let phone = Phone::new();
        let consent = common::consent();
        let ask = |secret: String| {
            let (db, id, consent) = (db.clone(), phone.id.clone(), consent.clone());
            async move {
                devices::register(
                    &db,
                    &NewDevice {
                        device_id: &id,
                        secret: &secret,
                        label: "",
                        consent: &consent,
                        join_code: None,
                        recover: None,
                    },
                    now_ms(),
                )
                .await
            }
        };
        // The first answer is lost on the way; the phone asks again with what it kept.
        let (first, made) = ask(phone.secret.clone()).await.unwrap();
        assert!(made);
        let (again, made) = ask(phone.secret.clone()).await.unwrap();
        assert!(!made, "the retry makes nothing new");
        assert_eq!(again.household_id, first.household_id);
        assert_eq!(again.cert, first.cert);
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM households WHERE household_id = $1")
                .bind(&first.household_id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(n, 1);
        // Someone who learned the id but not the secret cannot take it over.
        assert!(matches!(
            ask(Phone::new().secret).await,
            Err(RegisterError::AlreadyRegistered)
        ));
    }
}

#[tokio::test]
async fn family_codes_expire_renew_and_wrong_ones_let_nobody_in() {
    for (db, _dir) in common::databases().await {
        let reg = Phone::new().register(&db, None).await;
        let (first, expires) = households::renew_code(&db, &reg.household_id, now_ms())
            .await
            .unwrap();
        assert!(expires <= now_ms() + households::CODE_TTL_MS);
        let (fresh, _) = households::renew_code(&db, &reg.household_id, now_ms())
            .await
            .unwrap();
        assert_ne!(fresh, first);
        let stranger = Phone::new();
        let consent = common::consent();
        let try_code = |code: String| {
            let (db, consent, id, secret) = (
                db.clone(),
                consent.clone(),
                stranger.id.clone(),
                stranger.secret.clone(),
            );
            async move {
                devices::register(
                    &db,
                    &NewDevice {
                        device_id: &id,
                        secret: &secret,
                        label: "",
                        consent: &consent,
                        join_code: Some(&code),
                        recover: None,
                    },
                    now_ms(),
                )
                .await
            }
        };
        assert!(
            matches!(try_code(first).await, Err(RegisterError::UnknownJoinCode)),
            "the renewed code replaced the old one"
        );
        assert!(matches!(
            try_code("ABCDE-23456".into()).await,
            Err(RegisterError::UnknownJoinCode)
        ));
        // An hour later the code no longer opens the household.
        sqlx::query("UPDATE households SET code_expires_ms = $1 WHERE household_id = $2")
            .bind(now_ms() - 1)
            .bind(&reg.household_id)
            .execute(&db.pool)
            .await
            .unwrap();
        assert!(matches!(
            try_code(fresh).await,
            Err(RegisterError::UnknownJoinCode)
        ));
        assert_eq!(
            devices::authenticate(&db, &stranger.id, &stranger.secret)
                .await
                .unwrap(),
            Auth::Unknown,
            "nothing was registered"
        );
    }
}

#[tokio::test]
async fn a_replayed_batch_is_stored_once() {
    for (db, _dir) in common::databases().await {
        let phone = Phone::new();
        let reg = phone.register(&db, None).await;
        let profile = random_uuid();
        let batch = vec![
            phone.completed(&profile, "zalo"),
            phone.completed(&profile, "vneid"),
        ];
        let (household, first) = events::push(&db, &phone.id, &batch, NOW).await.unwrap();
        assert_eq!(household, reg.household_id);
        assert!(
            first.iter().all(|o| matches!(o, Outcome::Applied { .. })),
            "{first:?}"
        );
        let (_, again) = events::push(&db, &phone.id, &batch, NOW).await.unwrap();
        assert!(
            again.iter().all(|o| matches!(o, Outcome::Duplicate { .. })),
            "{again:?}"
        );
        assert_eq!(events::count(&db, &reg.household_id).await.unwrap(), 2);
    }
}

#[tokio::test]
async fn an_event_repeated_inside_one_batch_is_applied_once_then_a_duplicate() {
    for (db, _dir) in common::databases().await {
        let phone = Phone::new();
        let reg = phone.register(&db, None).await;
        let event = phone.completed(&random_uuid(), "zalo");
        let (_, outcomes) = events::push(&db, &phone.id, &[event.clone(), event], NOW)
            .await
            .unwrap();
        assert!(
            matches!(outcomes[0], Outcome::Applied { .. }),
            "{outcomes:?}"
        );
        assert!(
            matches!(outcomes[1], Outcome::Duplicate { .. }),
            "{outcomes:?}"
        );
        assert_eq!(events::count(&db, &reg.household_id).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn a_reused_id_with_other_content_and_bad_events_are_rejected_and_change_nothing() {
    for (db, _dir) in common::databases().await {
        let phone = Phone::new();
        let reg = phone.register(&db, None).await;
        let profile = random_uuid();
        let original = phone.completed(&profile, "zalo");
        events::push(&db, &phone.id, std::slice::from_ref(&original), NOW)
            .await
            .unwrap();

        let mut forged = original.clone();
        forged.payload = serde_json::json!({ "lesson": "something-else" });
        let mut future = phone.completed(&profile, "a");
        future.at_ms = now_ms() + 7 * 24 * 3600 * 1000;
        let mut unknown = phone.completed(&profile, "a");
        unknown.kind = "grant_certificate".into();
        let other_device = Phone::new().completed(&profile, "a");
        let bad_colour = phone.event(
            &profile,
            Action::ProfileSaved {
                name: "Lan".into(),
                color: "red;background:url(//x)".into(),
            },
        );
        let (_, outcomes) = events::push(
            &db,
            &phone.id,
            &[forged, future, unknown, other_device, bad_colour],
            now_ms(),
        )
        .await
        .unwrap();
        let codes: Vec<_> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Rejected { code, .. } => code.clone(),
                other => panic!("expected a rejection, got {other:?}"),
            })
            .collect();
        let expected: Vec<_> = [
            Reason::IdReused,
            Reason::Future,
            Reason::Kind,
            Reason::OtherDevice,
            Reason::Payload,
        ]
        .iter()
        .map(|r| r.code().to_string())
        .collect();
        assert_eq!(codes, expected);
        assert_eq!(events::count(&db, &reg.household_id).await.unwrap(), 1);
        let reader = Phone::new();
        reader
            .register(
                &db,
                Some(common::code(&db, &reg.household_id).await.as_str()),
            )
            .await;
        let seen = events::pull(&db, &reg.household_id, &reader.id, None, 500)
            .await
            .unwrap();
        assert_eq!(seen.events, vec![original]);
    }
}

#[tokio::test]
async fn the_other_phone_of_the_household_receives_each_event_once() {
    for (db, _dir) in common::databases().await {
        let (a, b, stranger) = (Phone::new(), Phone::new(), Phone::new());
        let reg = a.register(&db, None).await;
        b.register(
            &db,
            Some(common::code(&db, &reg.household_id).await.as_str()),
        )
        .await;
        stranger.register(&db, None).await;
        let profile = random_uuid();
        let sent = vec![a.completed(&profile, "x"), a.completed(&profile, "y")];
        events::push(&db, &a.id, &sent, NOW).await.unwrap();
        events::push(&db, &stranger.id, &[stranger.completed(&profile, "z")], NOW)
            .await
            .unwrap();

        let got = events::pull(&db, &reg.household_id, &b.id, None, 500)
            .await
            .unwrap();
        assert_eq!(
            got.events, sent,
            "b sees a's events, in order, and not the stranger's"
        );
        assert!(!got.more && !got.reset);
        assert_eq!(got.cursor.seq, 2, "positions are the household's own: 1, 2");
        let again = events::pull(&db, &reg.household_id, &b.id, Some(&got.cursor), 500)
            .await
            .unwrap();
        assert!(again.events.is_empty() && !again.reset);
        assert_eq!(again.cursor, got.cursor);
        let own = events::pull(&db, &reg.household_id, &a.id, None, 500)
            .await
            .unwrap();
        assert!(
            own.events.is_empty(),
            "a device is not sent its own events back"
        );
        let paged = events::pull(&db, &reg.household_id, &b.id, None, 1)
            .await
            .unwrap();
        assert_eq!((paged.events.len(), paged.more), (1, true));
    }
}

/// Many phones of one household write at once while another pulls: every event is
/// pulled, none skipped. With one global sequence, an event numbered early but committed
/// late was passed over for good on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_in_one_household_never_make_a_pull_skip_an_event() {
    for (db, _dir) in common::databases().await {
        let reader = Phone::new();
        let reg = reader.register(&db, None).await;
        let writers: Vec<Phone> = (0..6).map(|_| Phone::new()).collect();
        for w in &writers {
            w.register(
                &db,
                Some(common::code(&db, &reg.household_id).await.as_str()),
            )
            .await;
        }
        let profile = random_uuid();
        let mut expected = std::collections::BTreeSet::new();
        let mut tasks = Vec::new();
        for w in writers {
            let batches: Vec<Vec<_>> = (0..15)
                .map(|i| {
                    (0..4)
                        .map(|j| w.completed(&profile, &format!("l-{i}-{j}")))
                        .collect()
                })
                .collect();
            for b in &batches {
                expected.extend(b.iter().map(|e| e.event_id.clone()));
            }
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                for batch in batches {
                    events::push(&db, &w.id, &batch, NOW).await.unwrap();
                }
            }));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut cursor: Option<Cursor> = None;
        let household = reg.household_id.clone();
        loop {
            let done = tasks.iter().all(|t| t.is_finished());
            let pulled = events::pull(&db, &household, &reader.id, cursor.as_ref(), 7)
                .await
                .unwrap();
            assert!(!pulled.reset);
            for e in &pulled.events {
                assert!(
                    seen.insert(e.event_id.clone()),
                    "pulled twice: {}",
                    e.event_id
                );
            }
            cursor = Some(pulled.cursor);
            if done && !pulled.more && pulled.events.is_empty() {
                break;
            }
            tokio::task::yield_now().await;
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(seen.len(), expected.len(), "{:?}", db.engine);
        assert_eq!(
            seen, expected,
            "{:?}: the reader saw every event",
            db.engine
        );
    }
}

/// Phone B was used alone, then joins A's household: A's phones pull B's history, and B
/// pulls A's.
#[tokio::test]
async fn joining_brings_history_both_ways() {
    for (db, _dir) in common::databases().await {
        let (a, b) = (Phone::new(), Phone::new());
        let reg_a = a.register(&db, None).await;
        let reg_b = b.register(&db, None).await;
        let (grandma, child) = (random_uuid(), random_uuid());
        let a_events = vec![
            a.completed(&grandma, "zalo"),
            a.completed(&grandma, "vneid"),
        ];
        let b_events = vec![
            b.event(
                &child,
                Action::ProfileSaved {
                    name: "Minh".into(),
                    color: "blue".into(),
                },
            ),
            b.completed(&child, "scam-calls"),
        ];
        events::push(&db, &a.id, &a_events, NOW).await.unwrap();
        events::push(&db, &b.id, &b_events, NOW).await.unwrap();
        // A has already pulled everything there was.
        let before = events::pull(&db, &reg_a.household_id, &a.id, None, 500)
            .await
            .unwrap();

        let code_a = common::code(&db, &reg_a.household_id).await;
        let joined = devices::join(&db, &b.id, &code_a, now_ms()).await.unwrap();
        assert_eq!(joined.household_id, reg_a.household_id);
        assert_ne!(reg_b.household_id, reg_a.household_id);

        let a_sees = events::pull(&db, &reg_a.household_id, &a.id, Some(&before.cursor), 500)
            .await
            .unwrap();
        assert_eq!(
            a_sees.events, b_events,
            "A's phone pulls B's history after its cursor"
        );
        let b_sees = events::pull(&db, &joined.household_id, &b.id, None, 500)
            .await
            .unwrap();
        assert_eq!(
            b_sees.events, a_events,
            "B pulls A's history from the start"
        );
        assert_eq!(events::count(&db, &reg_a.household_id).await.unwrap(), 4);
        // B's old household is gone with nobody in it.
        assert!(households::read(&db, &reg_b.household_id)
            .await
            .unwrap()
            .is_none());
        // Asked again (its answer lost), the join answers the same.
        let again = devices::join(&db, &b.id, &code_a, now_ms()).await.unwrap();
        assert_eq!(again.household_id, joined.household_id);
    }
}

#[tokio::test]
async fn a_removed_phone_is_refused_at_once_and_cannot_come_back() {
    for (db, _dir) in common::databases().await {
        let (a, b) = (Phone::new(), Phone::new());
        let reg = a.register(&db, None).await;
        let reg_b = b
            .register(
                &db,
                Some(common::code(&db, &reg.household_id).await.as_str()),
            )
            .await;
        events::push(&db, &b.id, &[b.completed(&random_uuid(), "zalo")], NOW)
            .await
            .unwrap();
        // A stranger's household cannot remove b.
        let stranger = Phone::new().register(&db, None).await;
        assert!(
            !devices::remove(&db, &stranger.household_id, &b.id, now_ms())
                .await
                .unwrap()
        );
        assert!(matches!(
            devices::authenticate(&db, &b.id, &b.secret).await.unwrap(),
            Auth::Device { .. }
        ));

        assert!(devices::remove(&db, &reg.household_id, &b.id, now_ms())
            .await
            .unwrap());
        assert_eq!(
            devices::authenticate(&db, &b.id, &b.secret).await.unwrap(),
            Auth::Removed
        );
        assert_eq!(
            events::count(&db, &reg.household_id).await.unwrap(),
            1,
            "what it sent stays the family's"
        );
        // Neither its certificate nor a fresh registration brings its id back.
        let consent = common::consent();
        let back = devices::register(
            &db,
            &NewDevice {
                device_id: &b.id,
                secret: &b.secret,
                label: "",
                consent: &consent,
                join_code: None,
                recover: Some((&reg.household_id, &reg_b.cert)),
            },
            now_ms(),
        )
        .await;
        assert!(matches!(back, Err(RegisterError::Removed)), "{back:?}");
    }
}

#[tokio::test]
async fn a_certificate_brings_a_phone_back_only_into_its_own_household() {
    for (db, _dir) in common::databases().await {
        let a = Phone::new();
        let reg = a.register(&db, None).await;
        let other = Phone::new().register(&db, None).await;
        // The server loses the phone (a restore from a backup made before it came).
        sqlx::query("DELETE FROM devices WHERE device_id = $1")
            .bind(&a.id)
            .execute(&db.pool)
            .await
            .unwrap();
        let consent = common::consent();
        let recover = |household: String, cert: String| {
            let (db, consent, id, secret) =
                (db.clone(), consent.clone(), a.id.clone(), a.secret.clone());
            async move {
                devices::register(
                    &db,
                    &NewDevice {
                        device_id: &id,
                        secret: &secret,
                        label: "",
                        consent: &consent,
                        join_code: None,
                        recover: Some((&household, &cert)),
                    },
                    now_ms(),
                )
                .await
            }
        };
        assert!(
            matches!(
                recover(other.household_id.clone(), reg.cert.clone()).await,
                Err(RegisterError::BadCertificate)
            ),
            "a certificate for one household does not open another"
        );
        assert!(matches!(
            recover(reg.household_id.clone(), "00".repeat(32)).await,
            Err(RegisterError::BadCertificate)
        ));
        let (back, _) = recover(reg.household_id.clone(), reg.cert.clone())
            .await
            .unwrap();
        assert_eq!(back.household_id, reg.household_id);
    }
}

#[tokio::test]
async fn export_holds_everything_and_deletion_leaves_nothing() {
    for (db, _dir) in common::databases().await {
        let (a, b) = (Phone::new(), Phone::new());
        let reg = a.register(&db, None).await;
        b.register(
            &db,
            Some(common::code(&db, &reg.household_id).await.as_str()),
        )
        .await;
        let neighbour = Phone::new();
        let theirs = neighbour.register(&db, None).await;
        let lan = random_uuid();
        // A name no other test uses, to look for it afterwards in the whole table.
        let name = format!("Bà Lan {}", &random_uuid()[24..]);
        let sent = vec![
            a.event(
                &lan,
                Action::ProfileSaved {
                    name: name.clone(),
                    color: "green".into(),
                },
            ),
            a.completed(&lan, "zalo"),
        ];
        events::push(&db, &a.id, &sent, NOW).await.unwrap();
        events::push(
            &db,
            &neighbour.id,
            &[neighbour.completed(&random_uuid(), "zalo")],
            NOW,
        )
        .await
        .unwrap();

        let export = households::export(&db, &reg.household_id).await.unwrap();
        assert_eq!(export.devices.len(), 2);
        let exported: Vec<_> = export.events.iter().map(|e| e.event.clone()).collect();
        assert_eq!(exported, sent);

        let deleted = households::delete(&db, &reg.household_id, None, now_ms())
            .await
            .unwrap()
            .unwrap();
        assert_eq!((deleted.events, deleted.devices), (2, 2));
        for (table, column) in [
            ("events", "household_id"),
            ("devices", "household_id"),
            ("households", "household_id"),
        ] {
            let (n,): (i64,) =
                sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"))
                    .bind(&reg.household_id)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap();
            assert_eq!(n, 0, "{table} still holds the household");
        }
        let (names,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events WHERE payload LIKE $1")
            .bind(format!("%{name}%"))
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(names, 0, "no trace of the family's names");
        // The neighbours keep theirs; the deleted family's phones are strangers now.
        assert_eq!(events::count(&db, &theirs.household_id).await.unwrap(), 1);
        assert_eq!(
            devices::authenticate(&db, &b.id, &b.secret).await.unwrap(),
            Auth::Unknown
        );
    }
}

#[tokio::test]
async fn the_retention_rule_deletes_only_households_silent_for_the_period() {
    for (db, _fresh) in common::fresh_databases().await {
        let (old, active) = (Phone::new(), Phone::new());
        let old_reg = old.register(&db, None).await;
        let active_reg = active.register(&db, None).await;
        events::push(&db, &old.id, &[old.completed(&random_uuid(), "zalo")], NOW)
            .await
            .unwrap();
        // Three years later the old household's phone has not synced since; the other has.
        let later = now_ms() + 3 * 365 * 24 * 3600 * 1000;
        events::push(&db, &active.id, &[], later).await.unwrap();
        let dry = server::retention::run(&db, 730, true, later).await.unwrap();
        assert_eq!(dry.households, 1);
        assert!(households::read(&db, &old_reg.household_id)
            .await
            .unwrap()
            .is_some());
        server::retention::run(&db, 730, false, later)
            .await
            .unwrap();
        assert!(households::read(&db, &old_reg.household_id)
            .await
            .unwrap()
            .is_none());
        assert!(households::read(&db, &active_reg.household_id)
            .await
            .unwrap()
            .is_some());
    }
}

#[tokio::test]
async fn sqlite_syncs_every_commit_to_disk_before_it_is_acknowledged() {
    let (db, _dir) = common::sqlite().await;
    let mut conn = db.pool.acquire().await.unwrap();
    let (level,): (i64,) = sqlx::query_as("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        level, 2,
        "synchronous = FULL: an acknowledged event survives a power cut"
    );
}

/// A phone that joined another family keeps its old certificate, but it no longer opens
/// the family it left.
#[tokio::test]
async fn a_phone_that_left_a_household_cannot_come_back_with_its_old_certificate() {
    for (db, _dir) in common::databases().await {
        let (a, d) = (Phone::new(), Phone::new());
        let reg_a = a.register(&db, None).await;
        let old = d
            .register(&db, Some(&common::code(&db, &reg_a.household_id).await))
            .await;
        let reg_b = Phone::new().register(&db, None).await;
        devices::join(
            &db,
            &d.id,
            &common::code(&db, &reg_b.household_id).await,
            now_ms(),
        )
        .await
        .unwrap();
        // D then leaves B too (B deletes itself): D's row is gone.
        households::delete(&db, &reg_b.household_id, None, now_ms())
            .await
            .unwrap();
        let consent = common::consent();
        let back = devices::register(
            &db,
            &NewDevice {
                device_id: &d.id,
                secret: &d.secret,
                label: "",
                consent: &consent,
                join_code: None,
                recover: Some((&reg_a.household_id, &old.cert)),
            },
            now_ms(),
        )
        .await;
        assert!(
            matches!(back, Err(RegisterError::BadCertificate)),
            "{back:?}"
        );
    }
}

/// A cursor is signed by the server: a member that sends a made-up position cannot make
/// the family's phones start over.
#[tokio::test]
async fn a_made_up_cursor_neither_resets_the_family_nor_skips_anything() {
    for (db, _dir) in common::databases().await {
        let (a, b) = (Phone::new(), Phone::new());
        let reg = a.register(&db, None).await;
        b.register(&db, Some(&common::code(&db, &reg.household_id).await))
            .await;
        events::push(&db, &a.id, &[a.completed(&random_uuid(), "zalo")], NOW)
            .await
            .unwrap();
        let honest = events::pull(&db, &reg.household_id, &b.id, None, 500)
            .await
            .unwrap();
        let forged = Cursor {
            seq: 1_000_000_000,
            sig: "00".repeat(32),
            ..honest.cursor.clone()
        };
        let pulled = events::pull(&db, &reg.household_id, &b.id, Some(&forged), 500)
            .await
            .unwrap();
        assert!(!pulled.reset, "a made-up cursor counts as none");
        assert_eq!(pulled.events.len(), 1, "pulled from the start");
        let still = events::pull(&db, &reg.household_id, &b.id, Some(&honest.cursor), 500)
            .await
            .unwrap();
        assert!(!still.reset, "the family's epoch did not change");
        assert_eq!(still.cursor.epoch, honest.cursor.epoch);
    }
}

/// A household cannot make the server store without end.
#[tokio::test]
async fn a_full_household_is_refused_and_nothing_of_the_batch_is_stored() {
    for (db, _dir) in common::databases().await {
        let a = Phone::new();
        let reg = a.register(&db, None).await;
        sqlx::query("UPDATE households SET last_seq = $1 WHERE household_id = $2")
            .bind(households::MAX_EVENTS - 1)
            .bind(&reg.household_id)
            .execute(&db.pool)
            .await
            .unwrap();
        let profile = random_uuid();
        let two = vec![a.completed(&profile, "a"), a.completed(&profile, "b")];
        assert!(matches!(
            events::push(&db, &a.id, &two, NOW).await,
            Err(events::PushError::Full)
        ));
        assert_eq!(events::count(&db, &reg.household_id).await.unwrap(), 0);
        let one = vec![a.completed(&profile, "c")];
        assert!(
            events::push(&db, &a.id, &one, NOW).await.is_ok(),
            "up to the cap"
        );
    }
}
