//! Volunteers and households, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: a
//! household that agrees to a volunteer's pairing code is seen by that volunteer only,
//! until it ends the link; wrong and expired codes are refused and change nothing; a
//! household's agreement made offline counts by when it was made; joining a family
//! brings its volunteers along, and deleting the household removes them.

use crate::common;

use crate::common::Phone;
use app::domain::event::{Action, Event, Reason};
use server::db::events::{self, Outcome};
use server::db::mentoring::{self, MentorError, CODE_TTL_MS};
use server::db::{areas, family_data, now_ms, random_uuid, Db};

fn paired(code: &str) -> Action {
    Action::MentorPaired {
        code: code.into(),
        consent: "2026-11-28".into(),
    }
}

fn ended(code: &str) -> Action {
    Action::MentorEnded { code: code.into() }
}

fn at(phone: &Phone, profile: &str, at_ms: i64, action: Action) -> Event {
    Event::new(&phone.id, profile, random_uuid(), at_ms, &action)
}

async fn push(db: &Db, phone: &Phone, events: &[Event]) -> Vec<Outcome> {
    events::push(db, &phone.id, events, now_ms())
        .await
        .unwrap()
        .1
}

fn refused_for(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Rejected { code, .. } => Some(code),
        _ => None,
    }
}

#[tokio::test]
async fn a_household_that_agrees_is_seen_by_its_volunteer_only_until_it_ends() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, _) = common::volunteer(&db).await;
        let (minh, other_village, _) = common::volunteer(&db).await;
        let code = mentoring::make_code(&db, &hoa, &village, now_ms())
            .await
            .unwrap();
        mentoring::make_code(&db, &minh, &other_village, now_ms())
            .await
            .unwrap();

        let phone = Phone::new();
        let household = phone.register(&db, None).await.household_id;
        let lan = random_uuid();
        let t = now_ms();
        let outcomes = push(
            &db,
            &phone,
            &[
                at(
                    &phone,
                    &lan,
                    t,
                    Action::ProfileSaved {
                        name: "Bà Lan".into(),
                        color: "green".into(),
                    },
                ),
                at(
                    &phone,
                    &lan,
                    t,
                    Action::LessonCompleted {
                        lesson: "smartphone-basics".into(),
                    },
                ),
                at(&phone, &lan, t + 1, paired(&code.code)),
            ],
        )
        .await;
        assert!(
            outcomes.iter().all(|o| refused_for(o).is_none()),
            "{outcomes:?}"
        );

        let seen = mentoring::mentees(&db, &hoa.account_id).await.unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].household_id, household);
        assert_eq!(seen[0].village_name, "Nà Khum");
        let person = &seen[0].view.profiles[&lan];
        assert_eq!(person.name, "Bà Lan");
        assert!(person.progress.is_done("smartphone-basics"));
        assert!(
            mentoring::mentees(&db, &minh.account_id)
                .await
                .unwrap()
                .is_empty(),
            "another volunteer sees nothing of it"
        );
        let mentors = mentoring::mentors_of(&db, &household).await.unwrap();
        assert_eq!(mentors.len(), 1);
        assert!(mentors[0].active);
        assert_eq!(mentors[0].name, "Em Hoa");

        // The household ends it; an older agreement arriving late changes nothing.
        push(&db, &phone, &[at(&phone, &lan, t + 10, ended(&code.code))]).await;
        assert!(mentoring::mentees(&db, &hoa.account_id)
            .await
            .unwrap()
            .is_empty());
        push(&db, &phone, &[at(&phone, &lan, t + 5, paired(&code.code))]).await;
        assert!(
            mentoring::mentees(&db, &hoa.account_id)
                .await
                .unwrap()
                .is_empty(),
            "the latest word of the household wins, whatever order words arrive in"
        );
        assert!(!mentoring::mentors_of(&db, &household).await.unwrap()[0].active);

        // And agrees again later: seen again.
        push(&db, &phone, &[at(&phone, &lan, t + 20, paired(&code.code))]).await;
        assert_eq!(
            mentoring::mentees(&db, &hoa.account_id)
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn wrong_and_expired_codes_are_refused_and_an_offline_agreement_counts_when_made() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, _) = common::volunteer(&db).await;
        let made_at = now_ms() - CODE_TTL_MS - 3_600_000;
        let old = mentoring::make_code(&db, &hoa, &village, made_at)
            .await
            .unwrap();
        let phone = Phone::new();
        phone.register(&db, None).await;
        let p = random_uuid();
        let stored = |db: &Db| {
            let db = db.clone();
            async move {
                common::table_counts(&db)
                    .await
                    .into_iter()
                    .filter(|(what, _)| ["events", "positions", "mentorships"].contains(what))
                    .collect::<Vec<_>>()
            }
        };
        let before = stored(&db).await;
        let outcomes = push(
            &db,
            &phone,
            &[
                at(&phone, &p, now_ms(), paired("ABCDEFGHJK")),
                at(&phone, &p, now_ms(), paired(&old.code)),
                at(&phone, &p, now_ms(), ended("ABCDEFGHJK")),
            ],
        )
        .await;
        let codes: Vec<_> = outcomes.iter().map(refused_for).collect();
        let pairing = Some(Reason::PairingCode.code());
        assert_eq!(codes, vec![pairing, pairing, pairing]);
        assert_eq!(stored(&db).await, before, "nothing stored");

        // Agreed while the code worked, on a phone without signal for days: taken.
        let outcomes = push(
            &db,
            &phone,
            &[at(&phone, &p, made_at + 1000, paired(&old.code))],
        )
        .await;
        assert_eq!(refused_for(&outcomes[0]), None);
        assert_eq!(
            mentoring::mentees(&db, &hoa.account_id)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(mentoring::live_codes(&db, &hoa.account_id, now_ms())
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn only_a_volunteer_makes_codes_and_only_for_a_village_of_their_commune() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, commune) = common::volunteer(&db).await;
        let p = areas::the_province(&db).await.unwrap().unwrap();
        let communes = areas::children(&db, &p.area_id).await.unwrap();
        let elsewhere = communes.iter().find(|c| c.area_id != commune).unwrap();
        let far_village = areas::add(&db, &elsewhere.area_id, "bản", "Bản Xa", now_ms())
            .await
            .unwrap();
        for wrong in [
            &far_village.area_id,
            &commune,
            &p.area_id,
            &"no-such-place".to_string(),
        ] {
            assert!(matches!(
                mentoring::make_code(&db, &hoa, wrong, now_ms()).await,
                Err(MentorError::BadVillage)
            ));
        }
        let mut official = hoa.clone();
        official.role = app::domain::role::Role::Official;
        assert!(matches!(
            mentoring::make_code(&db, &official, &village, now_ms()).await,
            Err(MentorError::NotAllowed)
        ));
        let code = mentoring::make_code(&db, &hoa, &village, now_ms())
            .await
            .unwrap();
        assert!(app::domain::code::is_code(&code.code));
        assert_eq!(
            mentoring::live_codes(&db, &hoa.account_id, now_ms())
                .await
                .unwrap(),
            vec![code]
        );
    }
}

#[tokio::test]
async fn agreements_stay_with_the_family_that_made_them_and_go_with_it() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, _) = common::volunteer(&db).await;
        let code = mentoring::make_code(&db, &hoa, &village, now_ms())
            .await
            .unwrap();
        let t = now_ms();

        // Family 1: phone A agreed, phone B ended it later; then B joins family 2.
        let a = Phone::new();
        let first = a.register(&db, None).await.household_id;
        let b = Phone::new();
        b.register(&db, Some(&common::code(&db, &first).await))
            .await;
        push(&db, &a, &[at(&a, &random_uuid(), t, paired(&code.code))]).await;
        push(&db, &b, &[at(&b, &random_uuid(), t + 1, ended(&code.code))]).await;
        assert!(mentoring::mentees(&db, &hoa.account_id)
            .await
            .unwrap()
            .is_empty());
        let second_phone = Phone::new();
        let second = second_phone.register(&db, None).await.household_id;
        server::db::devices::join(&db, &b.id, &common::code(&db, &second).await, t)
            .await
            .unwrap();
        assert!(
            mentoring::mentees(&db, &hoa.account_id)
                .await
                .unwrap()
                .is_empty(),
            "the ending stays with the family that ended it; the family joined never agreed"
        );

        // A phone alone agreed, then joins family 2: the volunteer does not follow.
        let alone = Phone::new();
        alone.register(&db, None).await;
        push(
            &db,
            &alone,
            &[at(&alone, &random_uuid(), t + 2, paired(&code.code))],
        )
        .await;
        assert_eq!(
            mentoring::mentees(&db, &hoa.account_id)
                .await
                .unwrap()
                .len(),
            1
        );
        server::db::devices::join(&db, &alone.id, &common::code(&db, &second).await, t)
            .await
            .unwrap();
        assert!(mentoring::mentees(&db, &hoa.account_id)
            .await
            .unwrap()
            .is_empty());
        assert!(mentoring::mentors_of(&db, &second)
            .await
            .unwrap()
            .is_empty());

        // Family 2 agrees, then deletes itself: nothing of it is left for the volunteer.
        push(
            &db,
            &second_phone,
            &[at(&second_phone, &random_uuid(), t + 3, paired(&code.code))],
        )
        .await;
        assert_eq!(
            mentoring::mentees(&db, &hoa.account_id).await.unwrap()[0].household_id,
            second
        );
        family_data::delete(&db, &second, None, now_ms())
            .await
            .unwrap();
        assert!(mentoring::mentees(&db, &hoa.account_id)
            .await
            .unwrap()
            .is_empty());
        let (left,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM mentorships WHERE household_id = $1")
                .bind(&second)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(left, 0);
    }
}

#[tokio::test]
async fn a_code_long_expired_takes_no_new_agreement_whatever_the_phone_claims() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, _) = common::volunteer(&db).await;
        let long_ago = now_ms() - CODE_TTL_MS - mentoring::LATE_AGREEMENT_MS - 3_600_000;
        let old = mentoring::make_code(&db, &hoa, &village, long_ago)
            .await
            .unwrap();
        let phone = Phone::new();
        phone.register(&db, None).await;
        let backdated = at(&phone, &random_uuid(), long_ago + 1000, paired(&old.code));
        let outcomes = push(&db, &phone, &[backdated]).await;
        assert_eq!(refused_for(&outcomes[0]), Some(Reason::PairingCode.code()));
        assert!(mentoring::mentees(&db, &hoa.account_id)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn a_household_ends_a_link_even_after_withdrawing_its_consent_to_send() {
    for (db, _fresh) in common::fresh_databases().await {
        let app = server::routes::router(common::state_on(db.clone()));
        let (hoa, village, _) = common::volunteer(&db).await;
        let code = mentoring::make_code(&db, &hoa, &village, now_ms())
            .await
            .unwrap();
        let phone = Phone::new();
        phone.register(&db, None).await;
        let person = random_uuid();
        push(
            &db,
            &phone,
            &[at(&phone, &person, now_ms(), paired(&code.code))],
        )
        .await;
        let stranger = Phone::new();
        stranger.register(&db, None).await;

        // Not an ending: refused whole, nothing stored.
        let lesson = at(
            &phone,
            &person,
            now_ms(),
            Action::LessonCompleted {
                lesson: "zalo".into(),
            },
        );
        let body = serde_json::json!({ "events": [lesson] }).to_string();
        let (status, _, reply) = common::call(
            &app,
            "POST",
            "/api/v2/household/mentors/end",
            Some(&phone.auth()),
            Some(body),
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::BAD_REQUEST);
        common::api::assert_refusal(&reply, "malformed");

        // Another household's phone cannot end it for them: its event is its own.
        let theirs = at(&phone, &person, now_ms() + 1, ended(&code.code));
        let body = serde_json::json!({ "events": [theirs] }).to_string();
        let (status, _, reply) = common::call(
            &app,
            "POST",
            "/api/v2/household/mentors/end",
            Some(&stranger.auth()),
            Some(body),
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::OK);
        assert_eq!(reply[0]["code"], "other_device");
        assert_eq!(
            mentoring::mentees(&db, &hoa.account_id)
                .await
                .unwrap()
                .len(),
            1
        );
        let (status, _, _) = common::call(
            &app,
            "POST",
            "/api/v2/household/mentors/end",
            None,
            Some("{\"events\":[]}".into()),
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::UNAUTHORIZED);

        // The household's own ending: no consent version needed, taken at once.
        let mine = at(&phone, &person, now_ms() + 2, ended(&code.code));
        let body = serde_json::json!({ "events": [mine] }).to_string();
        let (status, _, reply) = common::call(
            &app,
            "POST",
            "/api/v2/household/mentors/end",
            Some(&phone.auth()),
            Some(body),
        )
        .await;
        assert_eq!(status, axum::http::StatusCode::OK);
        assert_eq!(reply[0]["status"], "applied");
        assert!(mentoring::mentees(&db, &hoa.account_id)
            .await
            .unwrap()
            .is_empty());
    }
}
