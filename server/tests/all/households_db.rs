//! Devices and households on every database the tests have (SQLite always, PostgreSQL
//! when TEST_DATABASE_URL is set): a phone proves who it is, a registration asked again is
//! the same registration, family codes expire, a removed phone or a departed member stays
//! out, and the family's data is exported, deleted, and deleted when silent too long.

use crate::common;

use crate::common::{Phone, NOW};
use app::domain::event::Action;
use server::db::devices::{self, Auth, NewDevice, RegisterError};
use server::db::{events, family_data, households, now_ms, random_uuid};

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

        let export = family_data::export(&db, &reg.household_id).await.unwrap();
        assert_eq!(export.devices.len(), 2);
        let exported: Vec<_> = export.events.iter().map(|e| e.event.clone()).collect();
        assert_eq!(exported, sent);

        let deleted = family_data::delete(&db, &reg.household_id, None, now_ms())
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
        family_data::delete(&db, &reg_b.household_id, None, now_ms())
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

/// The first registration was made but its answer lost; the person then typed the family
/// code. The retry carries the code, and the phone ends in that family.
#[tokio::test]
async fn a_registration_asked_again_with_a_family_code_joins_that_family() {
    for (db, _dir) in common::databases().await {
        let family = Phone::new().register(&db, None).await;
        let code = common::code(&db, &family.household_id).await;
        let phone = Phone::new();
        let alone = phone.register(&db, None).await;
        assert_ne!(alone.household_id, family.household_id);
        let again = phone.register(&db, Some(&code)).await;
        assert_eq!(again.household_id, family.household_id);
        assert_eq!(
            devices::authenticate(&db, &phone.id, &phone.secret)
                .await
                .unwrap(),
            Auth::Device {
                device_id: phone.id.clone(),
                household_id: family.household_id.clone()
            }
        );
    }
}
