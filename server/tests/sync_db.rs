//! The sync store on every database the tests have (SQLite always, PostgreSQL when
//! TEST_DATABASE_URL is set): devices prove who they are, each event is stored once,
//! and a household's other phones receive it.

mod common;

use app::domain::event::{Action, Event};
use server::db::devices::{self, random_uuid, RegisterError};
use server::db::events::{self, Outcome};

const NOW: i64 = 1_790_000_000_000;

fn completed(device: &str, profile: &str, lesson: &str) -> Event {
    Event::new(
        device,
        profile,
        random_uuid(),
        NOW,
        &Action::LessonCompleted {
            lesson: lesson.into(),
        },
    )
}

#[tokio::test]
async fn a_device_registers_and_only_its_secret_opens_its_household() {
    for (db, _dir) in common::databases().await {
        let phone = random_uuid();
        let reg = devices::register(&db, &phone, None, NOW).await.unwrap();
        assert_eq!(
            devices::authenticate(&db, &phone, &reg.secret)
                .await
                .unwrap(),
            Some(reg.household_id.clone())
        );
        assert_eq!(
            devices::authenticate(&db, &phone, "guess").await.unwrap(),
            None
        );
        assert_eq!(
            devices::authenticate(&db, &random_uuid(), &reg.secret)
                .await
                .unwrap(),
            None
        );

        let second = random_uuid();
        let joined = devices::register(&db, &second, Some(&reg.join_code.to_lowercase()), NOW)
            .await
            .unwrap();
        assert_eq!(joined.household_id, reg.household_id, "{:?}", db.engine);

        assert!(matches!(
            devices::register(&db, &phone, None, NOW).await,
            Err(RegisterError::AlreadyRegistered)
        ));
        assert!(matches!(
            devices::register(&db, &random_uuid(), Some("NOPE2345"), NOW).await,
            Err(RegisterError::UnknownJoinCode)
        ));
    }
}

#[tokio::test]
async fn a_replayed_batch_is_stored_once() {
    for (db, _dir) in common::databases().await {
        let phone = random_uuid();
        let reg = devices::register(&db, &phone, None, NOW).await.unwrap();
        let profile = random_uuid();
        let batch = vec![
            completed(&phone, &profile, "zalo"),
            completed(&phone, &profile, "vneid"),
        ];
        let first = events::push(&db, &reg.household_id, &phone, &batch, NOW)
            .await
            .unwrap();
        assert!(
            first.iter().all(|o| matches!(o, Outcome::Applied { .. })),
            "{first:?}"
        );
        let again = events::push(&db, &reg.household_id, &phone, &batch, NOW)
            .await
            .unwrap();
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
        let phone = random_uuid();
        let reg = devices::register(&db, &phone, None, NOW).await.unwrap();
        let event = completed(&phone, &random_uuid(), "zalo");
        let batch = vec![event.clone(), event];
        let outcomes = events::push(&db, &reg.household_id, &phone, &batch, NOW)
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
        let phone = random_uuid();
        let reg = devices::register(&db, &phone, None, NOW).await.unwrap();
        let profile = random_uuid();
        let original = completed(&phone, &profile, "zalo");
        events::push(
            &db,
            &reg.household_id,
            &phone,
            std::slice::from_ref(&original),
            NOW,
        )
        .await
        .unwrap();

        let mut forged = original.clone();
        forged.payload = serde_json::json!({ "lesson": "something-else" });
        let mut future = completed(&phone, &profile, "a");
        future.at_ms = NOW + 7 * 24 * 3600 * 1000;
        let mut unknown = completed(&phone, &profile, "a");
        unknown.kind = "grant_certificate".into();
        let other_device = completed(&random_uuid(), &profile, "a");
        let outcomes = events::push(
            &db,
            &reg.household_id,
            &phone,
            &[forged, future, unknown, other_device],
            NOW,
        )
        .await
        .unwrap();
        let reasons: Vec<_> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Rejected { reason, .. } => reason.clone(),
                other => panic!("expected a rejection, got {other:?}"),
            })
            .collect();
        assert!(reasons[0].contains("different event"), "{reasons:?}");
        assert!(reasons[1].contains("future"), "{reasons:?}");
        assert!(reasons[2].contains("unknown event type"), "{reasons:?}");
        assert!(reasons[3].contains("another device"), "{reasons:?}");
        assert_eq!(events::count(&db, &reg.household_id).await.unwrap(), 1);
        let reader = random_uuid();
        devices::register(&db, &reader, Some(&reg.join_code), NOW)
            .await
            .unwrap();
        let seen = events::pull(&db, &reg.household_id, &reader, 0, 500)
            .await
            .unwrap();
        assert_eq!(seen.events, vec![original]);
    }
}

#[tokio::test]
async fn the_other_phone_of_the_household_receives_each_event_once() {
    for (db, _dir) in common::databases().await {
        let (a, b) = (random_uuid(), random_uuid());
        let reg = devices::register(&db, &a, None, NOW).await.unwrap();
        devices::register(&db, &b, Some(&reg.join_code), NOW)
            .await
            .unwrap();
        let stranger = random_uuid();
        let other = devices::register(&db, &stranger, None, NOW).await.unwrap();
        let profile = random_uuid();
        let sent = vec![completed(&a, &profile, "x"), completed(&a, &profile, "y")];
        events::push(&db, &reg.household_id, &a, &sent, NOW)
            .await
            .unwrap();
        events::push(
            &db,
            &other.household_id,
            &stranger,
            &[completed(&stranger, &profile, "z")],
            NOW,
        )
        .await
        .unwrap();

        let got = events::pull(&db, &reg.household_id, &b, 0, 500)
            .await
            .unwrap();
        assert_eq!(
            got.events, sent,
            "b sees a's events, in order, and not the stranger's"
        );
        assert!(!got.more);
        let again = events::pull(&db, &reg.household_id, &b, got.cursor, 500)
            .await
            .unwrap();
        assert!(again.events.is_empty());
        assert_eq!(again.cursor, got.cursor);
        let own = events::pull(&db, &reg.household_id, &a, 0, 500)
            .await
            .unwrap();
        assert!(
            own.events.is_empty(),
            "a device is not sent its own events back"
        );
        let paged = events::pull(&db, &reg.household_id, &b, 0, 1)
            .await
            .unwrap();
        assert_eq!((paged.events.len(), paged.more), (1, true));
    }
}
