//! Places and the people who work with households, on a fresh SQLite database and (with
//! TEST_DATABASE_URL) a scratch PostgreSQL one: the province's communes load once,
//! villages import idempotently and keep their ids when renamed, accounts sign in with
//! sessions that rotate and end everywhere, and invitations follow the roles and work
//! once.

use crate::common;

use app::domain::role::Role;
use server::db::accounts::{self, Account};
use server::db::areas::{self, Level, PlaceError};
use server::db::invitations::{self, InviteError};
use server::db::{now_ms, Db};
use std::io::Write;
use std::process::{Command, Stdio};

async fn seeded(db: &Db) -> (areas::Area, Vec<areas::Area>) {
    let province = server::places::load(&common::content_dir()).unwrap();
    areas::seed(db, &province, now_ms()).await.unwrap();
    let p = areas::the_province(db).await.unwrap().unwrap();
    let communes = areas::children(db, &p.area_id).await.unwrap();
    (p, communes)
}

async fn admin(db: &Db) -> Account {
    seeded(db).await;
    accounts::create_admin(db, "0912000001", "Chị Lan", "mật khẩu dài", now_ms())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_province_and_its_38_communes_load_once() {
    for (db, _fresh) in common::fresh_databases().await {
        let province = server::places::load(&common::content_dir()).unwrap();
        assert_eq!(areas::seed(&db, &province, now_ms()).await.unwrap(), 39);
        assert_eq!(
            areas::seed(&db, &province, now_ms()).await.unwrap(),
            0,
            "only into an empty database"
        );
        let (p, communes) = seeded(&db).await;
        assert_eq!((p.name.as_str(), p.level), ("Lai Châu", Level::Province));
        assert_eq!(communes.len(), 38);
        assert_eq!(communes.iter().filter(|c| c.kind == "phường").count(), 2);
        assert!(communes.iter().all(|c| c.level == Level::Commune));
    }
}

#[tokio::test]
async fn villages_import_once_report_what_they_could_not_take_and_keep_their_ids() {
    for (db, _fresh) in common::fresh_databases().await {
        let (_, communes) = seeded(&db).await;
        let commune = &communes[0];
        let csv = "kind,name\nbản,Bản Hon\nbản,Nà Khum\nbản,\nthôn,Bản hon\n";
        let first = areas::import(&db, &commune.area_id, csv, now_ms())
            .await
            .unwrap();
        assert_eq!(first.add.len(), 2);
        assert_eq!(first.problems, vec![(4, "empty_name"), (5, "repeated")]);
        let again = areas::import(&db, &commune.area_id, csv, now_ms())
            .await
            .unwrap();
        assert!(again.add.is_empty(), "an import repeated adds nothing");
        assert_eq!(again.present.len(), 2);
        let villages = areas::children(&db, &commune.area_id).await.unwrap();
        assert_eq!(villages.len(), 2);
        assert!(villages.iter().all(|v| v.level == Level::Village));

        let hon = villages.iter().find(|v| v.name == "Bản Hon").unwrap();
        areas::rename(&db, &hon.area_id, "Bản Hon Mới", now_ms())
            .await
            .unwrap();
        let renamed = areas::get(&db, &hon.area_id).await.unwrap().unwrap();
        assert_eq!(renamed.name, "Bản Hon Mới", "same id, new name");
        assert!(matches!(
            areas::rename(&db, &hon.area_id, "nà  khum", now_ms()).await,
            Err(PlaceError::Taken)
        ));
        assert!(matches!(
            areas::add(&db, &commune.area_id, "bản", "Nà Khum", now_ms()).await,
            Err(PlaceError::Taken)
        ));
        assert!(matches!(
            areas::add(&db, &hon.area_id, "xóm", "Xóm 1", now_ms()).await,
            Err(PlaceError::NoChildren)
        ));
        let added = areas::add(&db, &commune.area_id, "bản", "  Pá  Khôm ", now_ms())
            .await
            .unwrap();
        assert_eq!(added.name, "Pá Khôm");
        assert!(areas::is_within(&db, &added.area_id, &commune.area_id)
            .await
            .unwrap());
        assert!(!areas::is_within(&db, &added.area_id, &communes[1].area_id)
            .await
            .unwrap());
    }
}

#[tokio::test]
async fn sessions_are_new_at_every_sign_in_and_end_here_or_everywhere() {
    for (db, _fresh) in common::fresh_databases().await {
        let lan = admin(&db).await;
        let now = now_ms();
        assert!(accounts::sign_in(&db, "0912000001", "wrong password", now)
            .await
            .unwrap()
            .is_none());
        assert!(accounts::sign_in(&db, "0999999999", "mật khẩu dài", now)
            .await
            .unwrap()
            .is_none());
        let (who, first) = accounts::sign_in(&db, "+84 912 000 001", "mật khẩu dài", now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(who.account_id, lan.account_id);
        let (_, second) = accounts::sign_in(&db, "0912000001", "mật khẩu dài", now)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(first, second, "a sign-in makes a new session");
        let (stored,): (String,) = sqlx::query_as("SELECT session_hash FROM sessions LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_ne!(stored, first.0, "only a hash of the id is kept");
        assert!(accounts::session(&db, &first.0, now)
            .await
            .unwrap()
            .is_some());
        assert!(
            accounts::session(&db, &first.0, now + accounts::SESSION_TTL_MS + 1)
                .await
                .unwrap()
                .is_none(),
            "an unused session expires"
        );
        accounts::sign_out(&db, &first.0).await.unwrap();
        assert!(accounts::session(&db, &first.0, now)
            .await
            .unwrap()
            .is_none());
        assert!(accounts::session(&db, &second.0, now)
            .await
            .unwrap()
            .is_some());
        let (_, third) = accounts::sign_in(&db, "0912000001", "mật khẩu dài", now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            accounts::sign_out_everywhere(&db, &lan.account_id)
                .await
                .unwrap(),
            2
        );
        for token in [&second, &third] {
            assert!(accounts::session(&db, &token.0, now)
                .await
                .unwrap()
                .is_none());
        }
    }
}

#[tokio::test]
async fn invitations_follow_the_roles_work_once_and_expire() {
    for (db, _fresh) in common::fresh_databases().await {
        let lan = admin(&db).await;
        let (province, communes) = seeded(&db).await;
        let (home, other) = (&communes[0], &communes[1]);
        let now = now_ms();

        // The administrator invites an official of a commune; the official accepts with the
        // typed code.
        let issued = invitations::invite(
            &db,
            &lan,
            Role::Official,
            &home.area_id,
            None,
            "Anh Tuấn",
            now,
        )
        .await
        .unwrap();
        assert!(
            matches!(
                invitations::invite(&db, &lan, Role::Official, &province.area_id, None, "x", now)
                    .await,
                Err(InviteError::BadArea)
            ),
            "an official belongs to a commune"
        );
        let invitations::Accepted {
            account: tuan,
            session,
            ..
        } = invitations::accept(
            &db,
            &issued.code.to_lowercase(),
            "tuan.official",
            "Anh Tuấn",
            "mật khẩu của Tuấn",
            now,
        )
        .await
        .unwrap();
        assert_eq!(
            (tuan.role, tuan.area_id.as_str()),
            (Role::Official, home.area_id.as_str())
        );
        assert_eq!(tuan.invited_by.as_deref(), Some(lan.account_id.as_str()));
        assert!(accounts::session(&db, &session.0, now)
            .await
            .unwrap()
            .is_some());
        assert!(
            matches!(
                invitations::accept(&db, &issued.token, "someone.else", "X", "mật khẩu dài", now)
                    .await,
                Err(InviteError::NotFound)
            ),
            "an invitation works once"
        );

        // The official invites a lead and a volunteer of the commune, and nobody else.
        let lead_inv =
            invitations::invite(&db, &tuan, Role::Lead, &home.area_id, None, "Chị Mai", now)
                .await
                .unwrap();
        let invitations::Accepted { account: mai, .. } = invitations::accept(
            &db,
            &lead_inv.token,
            "0912000003",
            "Chị Mai",
            "mật khẩu của Mai",
            now,
        )
        .await
        .unwrap();
        let vol_inv = invitations::invite(
            &db,
            &tuan,
            Role::Volunteer,
            &home.area_id,
            Some(&mai.account_id),
            "Em Hoa",
            now,
        )
        .await
        .unwrap();
        for (role, area, lead, expected) in [
            (Role::Volunteer, other.area_id.as_str(), None, "BadArea"),
            (Role::Official, home.area_id.as_str(), None, "NotAllowed"),
            (
                Role::Volunteer,
                home.area_id.as_str(),
                Some(tuan.account_id.as_str()),
                "BadLead",
            ),
        ] {
            let err = invitations::invite(&db, &tuan, role, area, lead, "x", now)
                .await
                .unwrap_err();
            assert!(format!("{err:?}").starts_with(expected), "{err:?}");
        }
        assert!(matches!(
            invitations::invite(&db, &mai, Role::Volunteer, &home.area_id, None, "x", now).await,
            Err(InviteError::NotAllowed)
        ));
        assert!(
            matches!(
                invitations::accept(
                    &db,
                    &vol_inv.code,
                    "hoa",
                    "Em Hoa",
                    "mật khẩu của Hoa",
                    now + invitations::INVITE_TTL_MS + 1
                )
                .await,
                Err(InviteError::NotFound)
            ),
            "an invitation expires"
        );
        let invitations::Accepted {
            account: hoa,
            session: hoa_session,
            ..
        } = invitations::accept(&db, &vol_inv.code, "hoa", "Em Hoa", "mật khẩu của Hoa", now)
            .await
            .unwrap();
        assert_eq!(hoa.lead_id.as_deref(), Some(mai.account_id.as_str()));

        // Hoa forgets her password: only the official who invited her can let her set one;
        // doing so ends her sessions.
        assert!(matches!(
            invitations::invite_reset(&db, &lan, &hoa.account_id, now).await,
            Err(InviteError::NotAllowed)
        ));
        let reset = invitations::invite_reset(&db, &tuan, &hoa.account_id, now)
            .await
            .unwrap();
        let invitations::Accepted {
            account: again,
            reset: was_reset,
            ..
        } = invitations::accept(&db, &reset.token, "", "", "mật khẩu mới của Hoa", now)
            .await
            .unwrap();
        assert!(
            was_reset,
            "a reset invitation changes the password, not a new account"
        );
        assert_eq!(again.account_id, hoa.account_id);
        assert!(accounts::session(&db, &hoa_session.0, now)
            .await
            .unwrap()
            .is_none());
        assert!(accounts::sign_in(&db, "hoa", "mật khẩu mới của Hoa", now)
            .await
            .unwrap()
            .is_some());
        assert!(accounts::sign_in(&db, "hoa", "mật khẩu của Hoa", now)
            .await
            .unwrap()
            .is_none());
        let stored: Vec<(String,)> = sqlx::query_as("SELECT code_hash FROM invitations")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        assert!(
            stored.iter().all(|(h,)| h.len() == 64 && *h != reset.code),
            "codes are kept as hashes"
        );
    }
}

#[test]
fn the_first_administrator_is_made_on_the_command_line_with_the_password_on_stdin() {
    let dir = common::tempdir::Dir::new();
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("HOCSO_DATA_DIR", &dir.path)
            .env("HOCSO_CONTENT_DIR", common::content_dir())
            .env("DATABASE_URL", "")
            .env("HOCSO_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let made = run(
        &[
            "admin",
            "create",
            "--login",
            "lan.admin",
            "--name",
            "Chị Lan",
        ],
        "mật khẩu dài\n",
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("lan.admin"));
    let short = run(
        &["admin", "create", "--login", "other.admin", "--name", "X"],
        "short\n",
    );
    assert!(!short.status.success(), "a short password is refused");
    let again = run(
        &[
            "admin",
            "create",
            "--login",
            "lan.admin",
            "--name",
            "Chị Lan",
        ],
        "mật khẩu khác\n",
    );
    assert!(!again.status.success(), "a sign-in name is taken once");
    let reset = run(
        &["admin", "password", "--login", "lan.admin"],
        "mật khẩu mới dài\n",
    );
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
}

/// Two servers starting together on an empty database make one province.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_together_load_the_province_once() {
    for (db, _fresh) in common::fresh_databases().await {
        let province = std::sync::Arc::new(server::places::load(&common::content_dir()).unwrap());
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let (db, province) = (db.clone(), province.clone());
                tokio::spawn(async move { areas::seed(&db, &province, now_ms()).await })
            })
            .collect();
        let mut added = 0;
        for t in tasks {
            // A server that lost the race may see the other's insert as a conflict.
            added += t.await.unwrap().unwrap_or(0);
        }
        assert_eq!(added, 39);
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM areas")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(n, 39, "{:?}", db.engine);
    }
}
