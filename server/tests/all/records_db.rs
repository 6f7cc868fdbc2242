//! What a volunteer records about a household, on SQLite and (with TEST_DATABASE_URL)
//! PostgreSQL: a sign-off and a visit reach the household's phones and count as the
//! volunteer's, once however often sent; another volunteer, a volunteer whose household
//! ended the link, and a household phone pretending to be a volunteer are refused and
//! change nothing.

use crate::common::{self, Phone};
use app::domain::event::{Action, Event, HouseholdView, Reason};
use server::db::accounts::Account;
use server::db::events::{self, Outcome};
use server::db::mentoring;
use server::db::records::{self, Handoff, RecordError};
use server::db::{now_ms, random_uuid, Db};

fn signed_off(by: &Account, person: &str, at_ms: i64) -> Event {
    Event::new(
        &records::device_of(by),
        person,
        random_uuid(),
        at_ms,
        &Action::SkillConfirmed {
            checklist: "digital-identity".into(),
            item: "level2".into(),
            on: true,
            by: by.display_name.clone(),
        },
    )
}

fn visited(by: &Account, at_ms: i64) -> Event {
    Event::new(
        &records::device_of(by),
        &by.account_id,
        random_uuid(),
        at_ms,
        &Action::VisitRecorded {
            day: "2026-11-29".into(),
            minutes: 40,
            topics: vec!["vneid-install".into()],
            note: "Bà muốn học chuyển tiền".into(),
            by: by.display_name.clone(),
        },
    )
}

/// A household with one person, Bà Lan, that agreed to `volunteer`'s code.
async fn mentee(db: &Db, volunteer: &Account, village: &str) -> (Phone, String, String) {
    let code = mentoring::make_code(db, volunteer, village, now_ms())
        .await
        .unwrap();
    let phone = Phone::new();
    let household = phone.register(db, None).await.household_id;
    let lan = random_uuid();
    let t = now_ms();
    let saved = phone.event(
        &lan,
        Action::ProfileSaved {
            name: "Bà Lan".into(),
            color: "green".into(),
        },
    );
    let agreed = Event::new(
        &phone.id,
        &lan,
        random_uuid(),
        t,
        &Action::MentorPaired {
            code: code.code.clone(),
            consent: "2026-11-29".into(),
        },
    );
    let (_, outcomes) = events::push(db, &phone.id, &[saved, agreed], t)
        .await
        .unwrap();
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied { .. })),
        "{outcomes:?}"
    );
    (phone, household, lan)
}

fn refused(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Rejected { code, .. } => Some(code),
        _ => None,
    }
}

#[tokio::test]
async fn a_sign_off_and_a_visit_reach_the_household_once_and_show_whose_they_are() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, _) = common::volunteer(&db).await;
        let (phone, household, lan) = mentee(&db, &hoa, &village).await;
        let t = now_ms();
        let sent = [signed_off(&hoa, &lan, t), visited(&hoa, t)];
        let outcomes = records::record(&db, &hoa, &household, &sent, t)
            .await
            .unwrap();
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o, Outcome::Applied { .. })),
            "{outcomes:?}"
        );
        // Sent again (the answer was lost): stored once.
        let again = records::record(&db, &hoa, &household, &sent, t)
            .await
            .unwrap();
        assert!(
            again.iter().all(|o| matches!(o, Outcome::Duplicate { .. })),
            "{again:?}"
        );

        // The family's phone receives both on its next pull.
        let pulled = events::pull(&db, &household, &phone.id, None, 500)
            .await
            .unwrap();
        let view = HouseholdView::from_events(&pulled.events);
        let seen = view.confirmed[&lan]
            .get("digital-identity", "level2")
            .unwrap();
        assert!(seen.on);
        assert_eq!(seen.by, "Em Hoa");
        assert!(
            !view.ticks.contains_key(&lan),
            "a sign-off is not the person's own tick"
        );
        assert_eq!(view.visits.len(), 1);

        // The volunteer's page shows them.
        let mine = mentoring::mentees(&db, &hoa.account_id).await.unwrap();
        assert!(mine[0].view.confirmed[&lan].is_on("digital-identity", "level2"));
        assert_eq!(mine[0].view.visits.len(), 1);
        assert!(
            !mine[0].view.profiles.contains_key(&hoa.account_id),
            "a visit makes no learner"
        );
    }
}

#[tokio::test]
async fn the_wrong_volunteer_a_former_one_and_a_household_phone_are_refused_and_change_nothing() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, _) = common::volunteer(&db).await;
        let (minh, _, _) = common::volunteer(&db).await;
        let (phone, household, lan) = mentee(&db, &hoa, &village).await;
        let before = events::count(&db, &household).await.unwrap();
        let t = now_ms();

        // Another volunteer: refused, whatever they send.
        for sent in [signed_off(&minh, &lan, t), visited(&minh, t)] {
            let err = records::record(&db, &minh, &household, &[sent], t)
                .await
                .unwrap_err();
            assert!(matches!(err, RecordError::NotMentee), "{err:?}");
        }
        // A household that does not exist reads the same as one that is not yours.
        let err = records::record(&db, &hoa, &random_uuid(), &[visited(&hoa, t)], t)
            .await
            .unwrap_err();
        assert!(matches!(err, RecordError::NotMentee));

        // The right volunteer, but not in their own name, about someone not of this
        // household, or signing as another volunteer's device: refused one by one.
        let mut not_me = signed_off(&hoa, &lan, t);
        not_me.payload["by"] = "Em Minh".into();
        let stranger = signed_off(&hoa, &random_uuid(), t);
        let mut other_device = signed_off(&hoa, &lan, t);
        other_device.device_id = records::device_of(&minh);
        let outcomes = records::record(&db, &hoa, &household, &[not_me, stranger, other_device], t)
            .await
            .unwrap();
        let codes: Vec<_> = outcomes.iter().map(refused).collect();
        assert_eq!(
            codes,
            [Some("payload"), Some("bad_profile"), Some("other_device")]
        );

        // A phone of the household cannot sign itself off.
        let forged = Event::new(
            &phone.id,
            &lan,
            random_uuid(),
            t,
            &Action::SkillConfirmed {
                checklist: "digital-identity".into(),
                item: "level2".into(),
                on: true,
                by: "Em Hoa".into(),
            },
        );
        let (_, outcomes) = events::push(&db, &phone.id, &[forged], t).await.unwrap();
        assert_eq!(refused(&outcomes[0]), Some(Reason::Kind.code()));
        assert_eq!(
            events::count(&db, &household).await.unwrap(),
            before,
            "nothing was stored"
        );

        // The household ends the link: from then on its former volunteer is refused.
        let code = first_code(&db, &household).await;
        let ended = Event::new(
            &phone.id,
            &lan,
            random_uuid(),
            t + 1,
            &Action::MentorEnded { code },
        );
        events::push(&db, &phone.id, &[ended], t + 1).await.unwrap();
        let err = records::record(&db, &hoa, &household, &[visited(&hoa, t + 2)], t + 2)
            .await
            .unwrap_err();
        assert!(matches!(err, RecordError::NotMentee));
        assert!(mentoring::mentees(&db, &hoa.account_id)
            .await
            .unwrap()
            .is_empty());
    }
}

async fn first_code(db: &Db, household: &str) -> String {
    mentoring::mentors_of(db, household).await.unwrap()[0]
        .code
        .clone()
}

/// The household code its phone shows, from its agreement as the server has it.
async fn handoff(db: &Db, household: &str) -> String {
    // As another phone of the family pulls it (a phone is not sent its own events).
    let pulled = events::pull(db, household, &random_uuid(), None, 500)
        .await
        .unwrap();
    let agreed = pulled
        .events
        .iter()
        .find(|e| e.kind == "mentor_paired")
        .unwrap();
    app::domain::mentor::handoff_of(&agreed.event_id).unwrap()
}

#[tokio::test]
async fn a_household_code_names_a_household_to_its_own_volunteer_only() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, _) = common::volunteer(&db).await;
        let (minh, minh_village, _) = common::volunteer(&db).await;
        let (phone, household, lan) = mentee(&db, &hoa, &village).await;
        let code = handoff(&db, &household).await;

        // Her own household, and the person who agreed (whom a sign-off is for).
        let t = now_ms();
        let found = records::by_handoff(&db, &hoa.account_id, &code, t)
            .await
            .unwrap();
        assert_eq!(
            found,
            Handoff::Found {
                household_id: household.clone(),
                person: lan.clone()
            }
        );
        // Another volunteer learns nothing from the same code, nor from a code of a
        // household that agreed to them that is typed wrong.
        assert_eq!(
            records::by_handoff(&db, &minh.account_id, &code, t)
                .await
                .unwrap(),
            Handoff::NotYet
        );
        let (_, _, _) = mentee(&db, &minh, &minh_village).await;
        let wrong = if code == "AAAAA" { "BBBBB" } else { "AAAAA" };
        assert_eq!(
            records::by_handoff(&db, &minh.account_id, wrong, t)
                .await
                .unwrap(),
            Handoff::NotYet
        );
        // Long after agreeing, a household is named by name, not by its code.
        assert_eq!(
            records::by_handoff(
                &db,
                &hoa.account_id,
                &code,
                t + records::HANDOFF_WINDOW_MS + 1
            )
            .await
            .unwrap(),
            Handoff::NotYet
        );

        // Once the household ends the link, its code finds nothing either.
        let t = now_ms() + 1;
        let ended = Event::new(
            &phone.id,
            &lan,
            random_uuid(),
            t,
            &Action::MentorEnded {
                code: first_code(&db, &household).await,
            },
        );
        events::push(&db, &phone.id, &[ended], t).await.unwrap();
        assert_eq!(
            records::by_handoff(&db, &hoa.account_id, &code, now_ms())
                .await
                .unwrap(),
            Handoff::NotYet
        );
    }
}
