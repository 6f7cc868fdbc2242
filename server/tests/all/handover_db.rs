//! A volunteer who left, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: the
//! commune's official closes the account (no sign-in, codes stopped), offers the
//! households to another volunteer, and each household decides — the new volunteer sees
//! one only after it agrees; one that declines is never shown to them.

use crate::common::{self, Phone};
use app::domain::event::{Action, Event};
use app::domain::role::Role;
use server::db::accounts::{self, Account};
use server::db::events::{self, Outcome};
use server::db::handover::{self, HandoverError};
use server::db::{invitations, mentoring, now_ms, random_uuid, Db};

/// A household with one person that agreed to `code`; returns the phone and household.
async fn agreeing(db: &Db, code: &str, at_ms: i64) -> (Phone, String, String) {
    let phone = Phone::new();
    let household = phone.register(db, None).await.household_id;
    let person = random_uuid();
    let saved = phone.event(
        &person,
        Action::ProfileSaved {
            name: "Bà Lan".into(),
            color: "green".into(),
        },
    );
    let agreed = answer(&phone, &person, code, true, at_ms);
    let (_, outcomes) = events::push(db, &phone.id, &[saved, agreed], at_ms)
        .await
        .unwrap();
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied { .. })),
        "{outcomes:?}"
    );
    (phone, household, person)
}

fn answer(phone: &Phone, person: &str, code: &str, yes: bool, at_ms: i64) -> Event {
    let action = if yes {
        Action::MentorPaired {
            code: code.into(),
            consent: "2026-11-29".into(),
        }
    } else {
        Action::MentorEnded { code: code.into() }
    };
    Event::new(&phone.id, person, random_uuid(), at_ms, &action)
}

async fn another_volunteer(db: &Db, official: &Account, commune: &str, name: &str) -> Account {
    let issued = invitations::invite(
        db,
        official,
        Role::Volunteer,
        commune,
        None,
        "lan",
        now_ms(),
    )
    .await
    .unwrap();
    let login = format!("lan.{}", &random_uuid()[24..]);
    invitations::accept(db, &issued.token, &login, name, "mật khẩu dài", now_ms())
        .await
        .unwrap()
        .account
}

#[tokio::test]
async fn a_left_volunteers_households_choose_whether_to_take_the_one_offered() {
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, commune) = common::volunteer(&db).await;
        let official = accounts::get(&db, hoa.invited_by.as_deref().unwrap())
            .await
            .unwrap()
            .unwrap();
        let lan = another_volunteer(&db, &official, &commune, "Em Lan").await;
        let code = mentoring::make_code(&db, &hoa, &village, now_ms())
            .await
            .unwrap()
            .code;
        let t = now_ms();
        let (phone, household, person) = agreeing(&db, &code, t).await;
        let (phone_b, household_b, person_b) = agreeing(&db, &code, t).await;

        // Nothing to offer while she is still there; only the commune's official closes.
        let err = handover::offer(&db, &official, &hoa.account_id, &lan.account_id, t)
            .await
            .unwrap_err();
        assert!(matches!(err, HandoverError::NotAllowed));
        for not_official in [&hoa, &lan] {
            let err = handover::close(&db, not_official, &hoa.account_id, t)
                .await
                .unwrap_err();
            assert!(matches!(err, HandoverError::NotAllowed));
        }
        handover::close(&db, &official, &hoa.account_id, t)
            .await
            .unwrap();
        let login = accounts::get(&db, &hoa.account_id)
            .await
            .unwrap()
            .unwrap()
            .login;
        assert!(
            accounts::sign_in(&db, &login, "mật khẩu dài", t)
                .await
                .unwrap()
                .is_none(),
            "a closed account cannot sign in"
        );
        assert!(mentoring::live_codes(&db, &hoa.account_id, t)
            .await
            .unwrap()
            .is_empty());
        assert!(
            mentoring::mentors_of(&db, &household).await.unwrap()[0].left,
            "the household sees she left"
        );

        // Offered to Lan, not to someone who left; Lan sees nothing before they agree.
        let err = handover::offer(&db, &official, &lan.account_id, &hoa.account_id, t)
            .await
            .unwrap_err();
        assert!(matches!(err, HandoverError::NotAllowed));
        let n = handover::offer(&db, &official, &hoa.account_id, &lan.account_id, t)
            .await
            .unwrap();
        assert_eq!(n, 2);
        let again = handover::offer(&db, &official, &hoa.account_id, &lan.account_id, t)
            .await
            .unwrap();
        assert_eq!(again, 0, "sent twice: each household asked once");
        assert!(
            mentoring::live_codes(&db, &lan.account_id, t)
                .await
                .unwrap()
                .is_empty(),
            "an offer's code is not one Lan shows to anyone"
        );
        assert!(mentoring::mentees(&db, &lan.account_id)
            .await
            .unwrap()
            .is_empty());
        let offers = handover::offers_for(&db, &household, t).await.unwrap();
        assert_eq!(offers.len(), 1);
        assert_eq!(
            (offers[0].name.as_str(), offers[0].replaces.as_str()),
            ("Em Lan", "Em Hoa")
        );
        let left = handover::left_in_commune(&db, &commune, t).await.unwrap();
        assert_eq!((left[0].households, left[0].offered), (2, 2));

        // An offer's code is its household's alone: the other household cannot take it.
        let taken = answer(&phone_b, &person_b, &offers[0].code, true, t + 1);
        let (_, outcomes) = events::push(&db, &phone_b.id, &[taken], t + 1)
            .await
            .unwrap();
        assert!(
            matches!(&outcomes[0], Outcome::Rejected { code, .. } if code == "pairing_code"),
            "{outcomes:?}"
        );

        // The official offers them to Mai instead; the first household had already agreed
        // to Lan on its phone with no signal: that answer still counts when it arrives,
        // and it is not asked again. The second declines Mai.
        let mai = another_volunteer(&db, &official, &commune, "Em Mai").await;
        let n = handover::offer(&db, &official, &hoa.account_id, &mai.account_id, t + 2)
            .await
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            handover::offers_for(&db, &household_b, t + 2)
                .await
                .unwrap()[0]
                .name,
            "Em Mai",
            "the new offer replaces the one before"
        );
        let yes = answer(&phone, &person, &offers[0].code, true, t + 1);
        let (_, outcomes) = events::push(&db, &phone.id, &[yes], t + 3).await.unwrap();
        assert!(
            matches!(outcomes[0], Outcome::Applied { .. }),
            "{outcomes:?}"
        );
        let offer_b = handover::offers_for(&db, &household_b, t + 3)
            .await
            .unwrap();
        let no = answer(&phone_b, &person_b, &offer_b[0].code, false, t + 3);
        events::push(&db, &phone_b.id, &[no], t + 3).await.unwrap();
        let hers = mentoring::mentees(&db, &lan.account_id).await.unwrap();
        assert_eq!(hers.len(), 1);
        assert_eq!(hers[0].household_id, household);
        assert!(mentoring::mentees(&db, &mai.account_id)
            .await
            .unwrap()
            .is_empty());
        for h in [&household, &household_b] {
            assert!(handover::offers_for(&db, h, t + 4)
                .await
                .unwrap()
                .is_empty());
        }
        assert!(
            handover::left_in_commune(&db, &commune, t + 4)
                .await
                .unwrap()
                .is_empty(),
            "both answered: nobody waits"
        );
        let again = handover::offer(&db, &official, &hoa.account_id, &lan.account_id, t + 4)
            .await
            .unwrap();
        assert_eq!(again, 0, "an answer is not asked again");
    }
}
