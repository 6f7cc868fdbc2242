//! The sync store on every database the tests have (SQLite always, PostgreSQL when
//! TEST_DATABASE_URL is set): each event is stored once at the next position of its
//! household, the household's other phones receive it, however many write at once, and
//! a joining phone's history reaches the family.

use crate::common;

use crate::common::{Phone, NOW};
use app::domain::event::{Action, Reason};
use server::db::devices;
use server::db::events::{self, Cursor, Outcome};
use server::db::{households, now_ms, random_uuid};

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

/// A cursor is signed by the server: a member that sends a made-up position starts over
/// itself, but cannot make the family's phones start over.
#[tokio::test]
async fn a_made_up_cursor_resets_only_its_sender() {
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
        assert!(
            pulled.reset,
            "the sender of a made-up cursor starts over itself"
        );
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
