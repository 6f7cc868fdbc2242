//! Community sessions and the team views, on a fresh SQLite database and (with
//! TEST_DATABASE_URL) a scratch PostgreSQL one: volunteers and leads record sessions in
//! their own commune, once however often the form is sent; a lead sees their own team's
//! counts, an official the commune's teams — and over HTTP, nobody else sees either.

use crate::common::{self, Phone};
use app::domain::event::{Action, Event};
use app::domain::role::Role;
use server::db::accounts::{self, Account};
use server::db::team::{self, NewSession, SessionError};
use server::db::{areas, events, invitations, mentoring, now_ms, random_uuid, records, Db};

/// A commune with a village, its official, a lead with one volunteer in the team, and a
/// volunteer in no team; and another commune with its own official and volunteer.
struct Place {
    village: String,
    official: Account,
    lead: Account,
    in_team: Account,
    loose: Account,
    far_village: String,
    far_official: Account,
    far_volunteer: Account,
}

async fn account(
    db: &Db,
    by: &Account,
    role: Role,
    area: &str,
    lead: Option<&str>,
    name: &str,
) -> Account {
    // Logins are plain letters and digits; the name is what pages show.
    // (The random end of the id: its start is the time, the same within a millisecond.)
    let id = random_uuid();
    let login = format!("p.{}", &id[id.len() - 12..]);
    let issued = invitations::invite(db, by, role, area, lead, &login, now_ms())
        .await
        .unwrap();
    invitations::accept(db, &issued.token, &login, name, "mật khẩu dài", now_ms())
        .await
        .unwrap()
        .account
}

async fn place(db: &Db) -> Place {
    let province = server::places::load(&common::content_dir()).unwrap();
    areas::seed(db, &province, now_ms()).await.unwrap();
    let p = areas::the_province(db).await.unwrap().unwrap();
    let communes = areas::children(db, &p.area_id).await.unwrap();
    let (home, far) = (&communes[0].area_id, &communes[1].area_id);
    let village = areas::add(db, home, "bản", "Nà Khum", now_ms())
        .await
        .unwrap()
        .area_id;
    let far_village = areas::add(db, far, "bản", "Bản Xa", now_ms())
        .await
        .unwrap()
        .area_id;
    let admin = accounts::create_admin(
        db,
        &format!("admin.{}", &random_uuid()[24..]),
        "Chị Lan",
        "mật khẩu dài",
        now_ms(),
    )
    .await
    .unwrap();
    let official = account(db, &admin, Role::Official, home, None, "Anh Tuấn").await;
    let lead = account(db, &official, Role::Lead, home, None, "Chị Mai").await;
    let in_team = account(
        db,
        &official,
        Role::Volunteer,
        home,
        Some(&lead.account_id),
        "Em Hoa",
    )
    .await;
    let loose = account(db, &official, Role::Volunteer, home, None, "Em Minh").await;
    let far_official = account(db, &admin, Role::Official, far, None, "Anh Vũ").await;
    let far_volunteer = account(db, &far_official, Role::Volunteer, far, None, "Em Xa").await;
    Place {
        village,
        official,
        lead,
        in_team,
        loose,
        far_village,
        far_official,
        far_volunteer,
    }
}

fn session(village: Option<&str>, attendees: u32) -> NewSession {
    NewSession {
        session_id: random_uuid(),
        village_id: village.map(String::from),
        day: "2026-11-29".into(),
        place: "Nhà văn hoá bản".into(),
        topics: vec!["vneid-install".into()],
        attendees,
    }
}

#[tokio::test]
async fn sessions_are_recorded_once_by_volunteers_and_leads_of_their_own_commune() {
    for (db, _fresh) in common::fresh_databases().await {
        let p = place(&db).await;
        let t = now_ms();
        let first = session(Some(&p.village), 24);
        assert!(team::record_session(&db, &p.in_team, &first, t)
            .await
            .unwrap());
        assert!(
            !team::record_session(&db, &p.in_team, &first, t)
                .await
                .unwrap(),
            "sent again: one session"
        );
        // Someone else sending the same id changes nothing either.
        assert!(!team::record_session(&db, &p.loose, &first, t)
            .await
            .unwrap());
        assert!(team::record_session(&db, &p.lead, &session(None, 40), t)
            .await
            .unwrap());

        let refused = [
            team::record_session(&db, &p.official, &session(None, 5), t).await,
            team::record_session(&db, &p.in_team, &session(Some(&p.far_village), 5), t).await,
            team::record_session(&db, &p.in_team, &session(None, 0), t).await,
        ];
        assert!(matches!(refused[0], Err(SessionError::NotAllowed)));
        assert!(matches!(refused[1], Err(SessionError::BadVillage)));
        assert!(matches!(refused[2], Err(SessionError::Bad(_))));

        let ids = [
            p.in_team.account_id.clone(),
            p.loose.account_id.clone(),
            p.lead.account_id.clone(),
        ];
        let listed = team::sessions_by(&db, &p.in_team.area_id, &ids, 10)
            .await
            .unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed.iter().map(|s| s.attendees).sum::<i64>(), 64);
        assert!(listed
            .iter()
            .any(|s| s.by == "Em Hoa" && s.village.as_deref() == Some("Nà Khum")));
    }
}

#[tokio::test]
async fn a_lead_counts_their_team_and_an_official_the_communes_teams() {
    for (db, _fresh) in common::fresh_databases().await {
        let p = place(&db).await;
        // Em Hoa guides one household and visited it; she also ran a session.
        let code = mentoring::make_code(&db, &p.in_team, &p.village, now_ms())
            .await
            .unwrap();
        let phone = Phone::new();
        let household = phone.register(&db, None).await.household_id;
        let lan = random_uuid();
        let t = now_ms();
        let agreed = Event::new(
            &phone.id,
            &lan,
            random_uuid(),
            t,
            &Action::MentorPaired {
                code: code.code,
                consent: "2026-11-29".into(),
            },
        );
        events::push(&db, &phone.id, &[agreed], t).await.unwrap();
        let visit = Event::new(
            &records::device_of(&p.in_team),
            &p.in_team.account_id,
            random_uuid(),
            t,
            &Action::VisitRecorded {
                day: "2026-11-29".into(),
                minutes: 30,
                topics: vec!["vneid-install".into()],
                note: String::new(),
                by: "Em Hoa".into(),
            },
        );
        records::record(&db, &p.in_team, &household, &[visit], t)
            .await
            .unwrap();
        team::record_session(&db, &p.in_team, &session(None, 12), t)
            .await
            .unwrap();

        let mine = team::team_of(&db, &p.lead).await.unwrap();
        let names: Vec<_> = mine
            .volunteers
            .iter()
            .map(|m| m.account.display_name.as_str())
            .collect();
        assert_eq!(
            names,
            ["Em Hoa"],
            "a lead's team is the volunteers they lead"
        );
        let hoa = &mine.volunteers[0];
        assert_eq!((hoa.mentees, hoa.visits, hoa.sessions), (1, 1, 1));

        let commune = team::commune_teams(&db, &p.official.area_id).await.unwrap();
        assert_eq!(
            commune.len(),
            2,
            "the lead's team, and the volunteers in none"
        );
        assert_eq!(
            commune[0].lead.as_ref().unwrap().account.display_name,
            "Chị Mai"
        );
        let loose: Vec<_> = commune[1]
            .volunteers
            .iter()
            .map(|m| m.account.display_name.as_str())
            .collect();
        assert_eq!(loose, ["Em Minh"]);
        let far = team::commune_teams(&db, &p.far_official.area_id)
            .await
            .unwrap();
        let far_names: Vec<_> = far
            .iter()
            .flat_map(|t| &t.volunteers)
            .map(|m| m.account.display_name.as_str())
            .collect();
        assert_eq!(
            far_names,
            ["Em Xa"],
            "another commune's official sees only theirs"
        );
        let _ = &p.far_volunteer;
    }
}
