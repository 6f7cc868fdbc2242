//! The people pages over HTTP, as an administrator, an official and a volunteer use them
//! — and as the wrong person tries them: sign-in with its limits and its cookie, an
//! invitation made and used, places kept only by whoever may keep them. On a fresh
//! SQLite database and (with TEST_DATABASE_URL) a scratch PostgreSQL one.

use crate::common;

use app::domain::role::Role;
use app::pages::mentees::VISIT_PATH;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::db::accounts::{self, Account};
use server::db::{areas, invitations, now_ms, Db};
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The session cookie this reply sets, as `name=value` for the next request.
    fn session(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("hocso_session=") && !c.contains("Max-Age=0"))
            .map(|c| c.split(';').next().unwrap().to_string())
    }
}

async fn send(
    app: &Router,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "hocso.test");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if form.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let res = app
        .clone()
        .oneshot(
            req.body(Body::from(form.unwrap_or("").to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A province with its communes, an administrator, and the app over it.
async fn province(db: &Db) -> (Router, Account, Vec<areas::Area>) {
    let places = server::places::load(&common::content_dir()).unwrap();
    areas::seed(db, &places, now_ms()).await.unwrap();
    let p = areas::the_province(db).await.unwrap().unwrap();
    let communes = areas::children(db, &p.area_id).await.unwrap();
    let admin = accounts::create_admin(db, "lan.admin", "Chị Lan", "mật khẩu dài", now_ms())
        .await
        .unwrap();
    (
        server::routes::router(common::state_on(db.clone())),
        admin,
        communes,
    )
}

async fn signed_in(app: &Router, login: &str, password: &str) -> String {
    let form = format!(
        "login={}&password={}&next=/account",
        enc(login),
        enc(password)
    );
    let r = send(app, "POST", "/sign-in", None, Some(&form)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    r.session()
        .unwrap_or_else(|| panic!("no session: {}", r.location()))
}

/// An account made through an invitation from `inviter`.
async fn invited(db: &Db, inviter: &Account, role: Role, area: &str, login: &str) -> Account {
    let issued = invitations::invite(db, inviter, role, area, None, login, now_ms())
        .await
        .unwrap();
    invitations::accept(db, &issued.token, login, login, "mật khẩu dài", now_ms())
        .await
        .unwrap()
        .account
}

#[tokio::test]
async fn signing_in_sets_a_protected_cookie_and_the_account_page_needs_it() {
    for (db, _fresh) in common::fresh_databases().await {
        let (app, _, _) = province(&db).await;
        let page = send(&app, "GET", "/sign-in", None, None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(r#"action="/sign-in""#));

        let wrong = send(
            &app,
            "POST",
            "/sign-in",
            None,
            Some("login=lan.admin&password=wrong-one"),
        )
        .await;
        assert_eq!(wrong.location(), "/sign-in?e=wrong");
        assert!(wrong.session().is_none());
        let shown = send(&app, "GET", "/sign-in?e=wrong", None, None).await;
        assert!(
            shown.body.contains("mật khẩu không đúng"),
            "the reason, in Vietnamese"
        );

        let right = send(
            &app,
            "POST",
            "/sign-in",
            None,
            Some("login=LAN.ADMIN&password=m%E1%BA%ADt+kh%E1%BA%A9u+d%C3%A0i&next=/account"),
        )
        .await;
        assert_eq!(right.location(), "/account");
        let set = right
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        let cookie = right.session().unwrap();

        let account = send(&app, "GET", "/account", Some(&cookie), None).await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.body.contains("Chị Lan") && account.body.contains("Quản trị viên tỉnh"));
        assert_eq!(
            account.headers[header::CACHE_CONTROL],
            "no-store",
            "never kept"
        );
        let anonymous = send(&app, "GET", "/account", None, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(anonymous.location(), "/sign-in?next=/account");
        let forged = send(
            &app,
            "GET",
            "/account",
            Some("hocso_session=00000000000000000000000000000000"),
            None,
        )
        .await;
        assert_eq!(forged.status, StatusCode::SEE_OTHER);
        // A sign-in never sends anyone off the site.
        let away = send(
            &app,
            "POST",
            "/sign-in",
            None,
            Some("login=lan.admin&password=m%E1%BA%ADt+kh%E1%BA%A9u+d%C3%A0i&next=//evil.example"),
        )
        .await;
        assert_eq!(away.location(), "/account");
    }
}

#[tokio::test]
async fn ten_wrong_passwords_lock_the_name_for_a_while_even_for_the_right_one() {
    let (db, _dir) = common::sqlite().await;
    let (app, _, _) = province(&db).await;
    for _ in 0..10 {
        let r = send(
            &app,
            "POST",
            "/sign-in",
            None,
            Some("login=lan.admin&password=guess-guess"),
        )
        .await;
        assert!(r.location().starts_with("/sign-in?e="), "{}", r.location());
    }
    let r = send(
        &app,
        "POST",
        "/sign-in",
        None,
        Some("login=lan.admin&password=m%E1%BA%ADt+kh%E1%BA%A9u+d%C3%A0i"),
    )
    .await;
    assert_eq!(r.location(), "/sign-in?e=too_many");
    assert!(r.session().is_none());
}

#[tokio::test]
async fn signing_out_ends_this_session_and_everywhere_ends_them_all() {
    for (db, _fresh) in common::fresh_databases().await {
        let (app, _, _) = province(&db).await;
        let (one, two) = (
            signed_in(&app, "lan.admin", "mật khẩu dài").await,
            signed_in(&app, "lan.admin", "mật khẩu dài").await,
        );
        let out = send(&app, "POST", "/sign-out", Some(&one), Some("")).await;
        assert_eq!(out.location(), "/sign-in?m=signed_out");
        assert!(out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        assert_eq!(
            send(&app, "GET", "/account", Some(&one), None).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            send(&app, "GET", "/account", Some(&two), None).await.status,
            StatusCode::OK
        );
        let three = signed_in(&app, "lan.admin", "mật khẩu dài").await;
        send(&app, "POST", "/sign-out-everywhere", Some(&three), Some("")).await;
        for c in [&two, &three] {
            assert_eq!(
                send(&app, "GET", "/account", Some(c), None).await.status,
                StatusCode::SEE_OTHER
            );
        }
    }
}

#[tokio::test]
async fn an_invitation_is_shown_once_to_its_maker_and_makes_one_account() {
    for (db, _fresh) in common::fresh_databases().await {
        let (app, _, communes) = province(&db).await;
        let lan = signed_in(&app, "lan.admin", "mật khẩu dài").await;
        let form = format!(
            "role=official&area={}&note={}",
            communes[3].area_id,
            enc("Anh Tuấn")
        );
        let made = send(&app, "POST", "/invitations", Some(&lan), Some(&form)).await;
        assert_eq!(made.location(), "/invitations?m=issued");
        let issued = made
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .find(|c| c.starts_with("hocso_issued="))
            .unwrap();
        let page = send(
            &app,
            "GET",
            "/invitations?m=issued",
            Some(&format!("{lan}; {issued}")),
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let codes: Vec<&str> = page
            .body
            .split("<code>")
            .skip(1)
            .filter_map(|s| s.split("</code>").next())
            .collect();
        assert_eq!(codes.len(), 2, "the link and the code");
        assert!(codes[0].starts_with("http://hocso.test/invite/"));
        let code = codes[1].to_string();
        assert!(
            page.headers[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("Max-Age=0"),
            "shown once"
        );
        // The cookie alone, from someone else's session, shows nothing.
        let other = invited(
            &db,
            &accounts::by_login(&db, "lan.admin").await.unwrap().unwrap(),
            Role::Admin,
            &areas::the_province(&db).await.unwrap().unwrap().area_id,
            "mai.admin",
        )
        .await;
        let mai = signed_in(&app, &other.login, "mật khẩu dài").await;
        let stolen = send(
            &app,
            "GET",
            "/invitations",
            Some(&format!("{mai}; {issued}")),
            None,
        )
        .await;
        assert!(
            !stolen.body.contains("<code>"),
            "an invitation shows only to its maker"
        );

        let offer = send(&app, "GET", &format!("/invite/{code}"), None, None).await;
        assert_eq!(offer.status, StatusCode::OK);
        assert!(
            offer.body.contains("Chị Lan mời bạn làm Cán bộ xã"),
            "who invites, to what"
        );
        let accept = format!("name={}&login=tuan.official&password=m%E1%BA%ADt+kh%E1%BA%A9u+T%C3%BA&password2=m%E1%BA%ADt+kh%E1%BA%A9u+T%C3%BA", enc("Anh Tuấn"));
        let done = send(
            &app,
            "POST",
            &format!("/invite/{code}"),
            None,
            Some(&accept),
        )
        .await;
        assert_eq!(done.location(), "/account?m=welcome");
        let tuan = done.session().unwrap();
        let account = send(&app, "GET", "/account?m=welcome", Some(&tuan), None).await;
        assert!(account.body.contains("Anh Tuấn") && account.body.contains("Cán bộ xã"));
        let again = send(
            &app,
            "POST",
            &format!("/invite/{code}"),
            None,
            Some(&accept.replace("tuan.official", "tuan.two")),
        )
        .await;
        assert_eq!(again.location(), format!("/invite/{code}?e=invitation"));
        let gone = send(&app, "GET", &format!("/invite/{code}"), None, None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    }
}

/// Every people route that reads or changes places or invitations, tried by someone it is
/// not for: refused, and nothing changes.
#[tokio::test]
async fn places_and_invitations_are_kept_only_by_whoever_may_keep_them() {
    for (db, _fresh) in common::fresh_databases().await {
        let (app, admin, communes) = province(&db).await;
        let (home, other) = (&communes[0], &communes[1]);
        let official = invited(&db, &admin, Role::Official, &home.area_id, "tuan.official").await;
        let neighbour = invited(&db, &admin, Role::Official, &other.area_id, "ha.official").await;
        let volunteer = invited(
            &db,
            &official,
            Role::Volunteer,
            &home.area_id,
            "hoa.volunteer",
        )
        .await;
        areas::import(&db, &other.area_id, "kind,name\nbản,Bản Xa\n", now_ms())
            .await
            .unwrap();
        let far_village = areas::children(&db, &other.area_id).await.unwrap()[0].clone();
        let tuan = signed_in(&app, &official.login, "mật khẩu dài").await;
        let hoa = signed_in(&app, &volunteer.login, "mật khẩu dài").await;

        // The official keeps their own commune...
        assert_eq!(
            send(&app, "GET", "/areas", Some(&tuan), None)
                .await
                .location(),
            format!("/areas/{}", home.area_id)
        );
        let own = send(
            &app,
            "GET",
            &format!("/areas/{}", home.area_id),
            Some(&tuan),
            None,
        )
        .await;
        assert_eq!(own.status, StatusCode::OK);
        let add = send(
            &app,
            "POST",
            &format!("/areas/{}/villages", home.area_id),
            Some(&tuan),
            Some("kind=b%E1%BA%A3n&name=N%C3%A0+Khum"),
        )
        .await;
        assert_eq!(add.location(), format!("/areas/{}?m=added", home.area_id));
        let import = send(&app, "POST", &format!("/areas/{}/import", home.area_id), Some(&tuan), Some("csv=kind%2Cname%0Ab%E1%BA%A3n%2CN%C3%A0+Khum%0Ab%E1%BA%A3n%2CB%E1%BA%A3n+Hon%0Ab%E1%BA%A3n%2C%0A")).await;
        assert_eq!(
            import.location(),
            format!(
                "/areas/{}?added=1&present=1&problems=4.empty_name",
                home.area_id
            )
        );
        let report = send(&app, "GET", import.location(), Some(&tuan), None).await;
        assert!(
            report
                .body
                .contains("Đã thêm 1; đã có sẵn 1; không nhận 1.")
                && report.body.contains("Dòng 4: thiếu tên")
        );

        // ...but not the neighbour's, nor its villages; and a volunteer keeps none.
        let before = areas::children(&db, &other.area_id).await.unwrap();
        for (cookie, method, path, form) in [
            (&tuan, "GET", format!("/areas/{}", other.area_id), None),
            (
                &tuan,
                "POST",
                format!("/areas/{}/villages", other.area_id),
                Some("kind=b%E1%BA%A3n&name=X"),
            ),
            (
                &tuan,
                "POST",
                format!("/areas/{}/import", other.area_id),
                Some("csv=kind%2Cname%0Ab%E1%BA%A3n%2CY%0A"),
            ),
            (
                &tuan,
                "POST",
                format!("/areas/{}/rename", far_village.area_id),
                Some("name=Z"),
            ),
            (&hoa, "GET", "/areas".to_string(), None),
            (&hoa, "GET", format!("/areas/{}", home.area_id), None),
            (
                &hoa,
                "POST",
                format!("/areas/{}/villages", home.area_id),
                Some("kind=b%E1%BA%A3n&name=W"),
            ),
        ] {
            let r = send(&app, method, &path, Some(cookie), form).await;
            let refused =
                r.status == StatusCode::FORBIDDEN || r.location().contains("e=not_allowed");
            assert!(refused, "{method} {path}: {} {}", r.status, r.location());
        }
        assert_eq!(
            areas::children(&db, &other.area_id).await.unwrap(),
            before,
            "nothing changed"
        );
        assert_eq!(areas::children(&db, &home.area_id).await.unwrap().len(), 2);
        let anonymous = send(
            &app,
            "POST",
            &format!("/areas/{}/villages", home.area_id),
            None,
            Some("kind=b%E1%BA%A3n&name=V"),
        )
        .await;
        assert!(anonymous.location().contains("e=not_allowed"));

        // Invitations: a volunteer invites nobody; an official invites nobody elsewhere.
        assert_eq!(
            send(&app, "GET", "/invitations", Some(&hoa), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let by_hoa = send(
            &app,
            "POST",
            "/invitations",
            Some(&hoa),
            Some("role=volunteer&note=x"),
        )
        .await;
        assert_eq!(by_hoa.location(), "/invitations?e=not_allowed");
        let elsewhere = send(
            &app,
            "POST",
            "/invitations",
            Some(&tuan),
            Some(&format!("role=volunteer&area={}&note=x", other.area_id)),
        )
        .await;
        assert_eq!(
            elsewhere.location(),
            "/invitations?m=issued",
            "an official's invitation is always to their own commune"
        );
        let made = invitations::by_inviter(&db, &official.account_id)
            .await
            .unwrap();
        assert_eq!(made[0].area_id, home.area_id);
        let reset = send(
            &app,
            "POST",
            "/invitations/reset",
            Some(&tuan),
            Some(&format!("account={}", neighbour.account_id)),
        )
        .await;
        assert_eq!(
            reset.location(),
            "/invitations?e=not_allowed",
            "only whoever invited someone resets their password"
        );
        assert!(invitations::by_inviter(&db, &admin.account_id)
            .await
            .unwrap()
            .iter()
            .all(|i| i.for_account.is_none()));

        // A form posted from another site is refused before anything is read.
        let req = Request::post(format!("/areas/{}/villages", home.area_id))
            .header(header::HOST, "hocso.test")
            .header(header::ORIGIN, "https://evil.example")
            .header(header::COOKIE, &tuan)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("kind=b%E1%BA%A3n&name=Evil"))
            .unwrap();
        assert_eq!(
            app.clone().oneshot(req).await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(areas::children(&db, &home.area_id).await.unwrap().len(), 2);
    }
}

/// What the first reviews of these pages found, each tried: a phone number written two
/// ways shares one lockout; an official cannot rename a commune; leads invite nobody, an
/// official invites no official, a volunteer's lead is of the same commune; the
/// invitations page needs a sign-in; a form from "null" (another site under our
/// referrer policy) is refused; guessing invitation codes runs into a limit.
#[tokio::test]
async fn the_reviewers_attacks_are_refused() {
    let (db, _dir) = common::sqlite().await;
    let (app, admin, communes) = province(&db).await;
    let (home, other) = (&communes[0], &communes[1]);
    let tuan = invited(&db, &admin, Role::Official, &home.area_id, "0912345678").await;
    let other_official = invited(&db, &admin, Role::Official, &other.area_id, "ha.official").await;
    let far_lead = invited(&db, &other_official, Role::Lead, &other.area_id, "far.lead").await;
    let lead = invited(&db, &tuan, Role::Lead, &home.area_id, "mai.lead").await;

    for spelling in [
        "0912345678",
        "+84 912 345 678",
        "0912-345-678",
        "0912.345.678",
        " 0912345678 ",
    ] {
        for _ in 0..2 {
            send(
                &app,
                "POST",
                "/sign-in",
                None,
                Some(&format!("login={}&password=guess-guess", enc(spelling))),
            )
            .await;
        }
    }
    let locked = send(
        &app,
        "POST",
        "/sign-in",
        None,
        Some("login=0912345678&password=m%E1%BA%ADt+kh%E1%BA%A9u+d%C3%A0i"),
    )
    .await;
    assert_eq!(
        locked.location(),
        "/sign-in?e=too_many",
        "ten tries in all, however the number is written"
    );
    // Another server (its own per-client buckets, the same database) keeps the lock:
    // the count of wrong passwords lives in the database.
    let app = server::routes::router(common::state_on(db.clone()));
    let elsewhere = send(
        &app,
        "POST",
        "/sign-in",
        None,
        Some("login=0912345678&password=m%E1%BA%ADt+kh%E1%BA%A9u+d%C3%A0i"),
    )
    .await;
    assert_eq!(elsewhere.location(), "/sign-in?e=too_many");

    let official = {
        let fresh = invited(&db, &admin, Role::Official, &home.area_id, "an.official").await;
        signed_in(&app, &fresh.login, "mật khẩu dài").await
    };
    let rename = send(
        &app,
        "POST",
        &format!("/areas/{}/rename", home.area_id),
        Some(&official),
        Some("name=X"),
    )
    .await;
    assert!(
        rename.location().contains("e=not_allowed"),
        "a commune's name comes from the province's list"
    );
    assert_eq!(
        areas::get(&db, &home.area_id).await.unwrap().unwrap().name,
        home.name
    );
    let lan = signed_in(&app, "lan.admin", "mật khẩu dài").await;
    let by_admin = send(
        &app,
        "POST",
        &format!("/areas/{}/rename", home.area_id),
        Some(&lan),
        Some("name=M%C6%B0%E1%BB%9Dng+Kim+M%E1%BB%9Bi"),
    )
    .await;
    assert!(
        by_admin.location().contains("m=renamed"),
        "{}",
        by_admin.location()
    );

    let mai = signed_in(&app, &lead.login, "mật khẩu dài").await;
    for (cookie, form, expected) in [
        (&mai, "role=volunteer&note=x".to_string(), "e=not_allowed"),
        (
            &official,
            "role=official&note=x".to_string(),
            "e=not_allowed",
        ),
        (&official, "role=admin&note=x".to_string(), "e=not_allowed"),
        (
            &official,
            format!("role=volunteer&lead={}&note=x", far_lead.account_id),
            "e=bad_lead",
        ),
    ] {
        let r = send(&app, "POST", "/invitations", Some(cookie), Some(&form)).await;
        assert_eq!(r.location(), format!("/invitations?{expected}"), "{form}");
    }
    let anonymous = send(&app, "GET", "/invitations", None, None).await;
    assert_eq!(anonymous.location(), "/sign-in?next=/invitations");

    let req = Request::post("/sign-out-everywhere")
        .header(header::HOST, "hocso.test")
        .header(header::ORIGIN, "null")
        .header(header::COOKIE, &lan)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.clone().oneshot(req).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, "GET", "/account", Some(&lan), None).await.status,
        StatusCode::OK,
        "still signed in"
    );

    let mut limited = false;
    for n in 0..15 {
        let r = send(&app, "GET", &format!("/invite/WRONG{n:05}"), None, None).await;
        if r.location() == "/invite?e=too_many" {
            limited = true;
            break;
        }
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    assert!(limited, "guessing codes meets the sign-in limit");
}

#[tokio::test]
async fn a_volunteer_sees_only_the_households_that_agreed_to_them() {
    use app::domain::event::{Action, Event};
    use server::db::{events, mentoring, random_uuid};
    let (db, _dir) = common::sqlite().await;
    let (app, admin, communes) = province(&db).await;
    let (home, other) = (&communes[0], &communes[1]);
    let village = areas::add(&db, &home.area_id, "bản", "Nà Khum", now_ms())
        .await
        .unwrap();
    let far_village = areas::add(&db, &other.area_id, "bản", "Bản Xa", now_ms())
        .await
        .unwrap();
    let official = invited(&db, &admin, Role::Official, &home.area_id, "tuan.official").await;
    let hoa = invited(&db, &official, Role::Volunteer, &home.area_id, "hoa.vol").await;
    invited(&db, &official, Role::Volunteer, &home.area_id, "minh.vol").await;
    let (hoa_cookie, minh_cookie, official_cookie) = (
        signed_in(&app, "hoa.vol", "mật khẩu dài").await,
        signed_in(&app, "minh.vol", "mật khẩu dài").await,
        signed_in(&app, "tuan.official", "mật khẩu dài").await,
    );

    let form = format!("village={}", village.area_id);
    let made = send(
        &app,
        "POST",
        "/mentees/code",
        Some(&hoa_cookie),
        Some(&form),
    )
    .await;
    assert_eq!(made.location(), "/mentees?m=code_made");
    let code = mentoring::live_codes(&db, &hoa.account_id, now_ms())
        .await
        .unwrap()
        .remove(0)
        .code;
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&app::domain::code::grouped(&code)));
    assert!(
        page.body.contains("<svg"),
        "the QR code is drawn on the page"
    );
    assert!(
        page.body.contains("value=\"0\""),
        "no household yet: the target bar is empty"
    );

    // A household agrees on its phone; the volunteer sees its learner, nobody else does.
    let phone = common::Phone::new();
    let household = phone.register(&db, None).await.household_id;
    let lan = random_uuid();
    let t = now_ms();
    let agree = [
        Event::new(
            &phone.id,
            &lan,
            random_uuid(),
            t,
            &Action::ProfileSaved {
                name: "Bà Lan Nà Khum".into(),
                color: "green".into(),
            },
        ),
        Event::new(
            &phone.id,
            &lan,
            random_uuid(),
            t,
            &Action::MentorPaired {
                code: code.clone(),
                consent: "2026-11-28".into(),
            },
        ),
        Event::new(
            &phone.id,
            &lan,
            random_uuid(),
            t,
            &Action::PersonDetails {
                age_band: "60_plus".into(),
                group: "farmer".into(),
            },
        ),
    ];
    events::push(&db, &phone.id, &agree, t).await.unwrap();
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert!(
        page.body.contains("Bà Lan Nà Khum"),
        "the volunteer sees the learner"
    );
    assert!(
        page.body.contains("Từ 60 tuổi trở lên · Nông dân"),
        "and the age band and group she chose"
    );
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    // Her quiz on scam calls, with the second answer wrong: the volunteer sees which
    // question to go over, and the lesson comes back as the next one.
    let tried = Event::new(
        &phone.id,
        &lan,
        random_uuid(),
        t,
        &Action::QuizAttempted {
            lesson: "scam-calls".into(),
            score: 2,
            total: 3,
            chosen: vec![Some(2), Some(1), Some(1)],
        },
    );
    events::push(&db, &phone.id, &[tried], t).await.unwrap();
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert!(
        page.body
            .contains("Chưa qua bài kiểm tra: Nhận biết cuộc gọi lừa đảo (sai câu 2)"),
        "the volunteer sees the question she missed"
    );
    assert!(page
        .body
        .contains("Bài nên học tiếp: Nhận biết cuộc gọi lừa đảo"));
    // Her placement check and a review she missed (due 3 days after the pass), synced
    // from her phone: the volunteer sees both (and what to go over together).
    let day = app::domain::review::DAY_MS;
    let later = [
        (
            t,
            Action::PlacementChecked {
                asked: vec!["smartphone-basics".into(), "scam-calls".into()],
                known: vec!["smartphone-basics".into()],
            },
        ),
        (
            t - 4 * day,
            Action::LessonCompleted {
                lesson: "passwords-otp".into(),
            },
        ),
        (
            t,
            Action::ReviewAnswered {
                lesson: "passwords-otp".into(),
                question: 0,
                right: false,
            },
        ),
    ]
    .map(|(at, a)| Event::new(&phone.id, &lan, random_uuid(), at, &a));
    events::push(&db, &phone.id, &later, t).await.unwrap();
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert!(
        page.body.contains("Kiểm tra đầu vào: đã biết 1/2 bài"),
        "the volunteer sees the placement result"
    );
    assert!(
        page.body
            .contains("Ôn tập chưa đúng: Mật khẩu mạnh và mã OTP"),
        "and the review she missed"
    );
    // The family checklist is the household's: her grandson's tick counts for her too.
    let grandson = random_uuid();
    let family = [
        Action::ProfileSaved {
            name: "Cháu Nam".into(),
            color: "blue".into(),
        },
        Action::ChecklistTicked {
            checklist: "digital-family".into(),
            item: "phone-lock".into(),
            on: true,
        },
    ]
    .map(|a| Event::new(&phone.id, &grandson, random_uuid(), t + 1, &a));
    events::push(&db, &phone.id, &family, t + 1).await.unwrap();
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert_eq!(
        page.body.matches("Gia đình số: 1/7").count(),
        2,
        "the family's one tick, under each of its people"
    );
    let minh_page = send(&app, "GET", "/mentees", Some(&minh_cookie), None).await;
    assert_eq!(minh_page.status, StatusCode::OK);
    assert!(
        !minh_page.body.contains("Bà Lan Nà Khum"),
        "another volunteer does not"
    );
    assert!(!minh_page.body.contains(&app::domain::code::grouped(&code)));
    let official_page = send(&app, "GET", "/mentees", Some(&official_cookie), None).await;
    assert!(
        !official_page.body.contains("Bà Lan Nà Khum"),
        "nor an official"
    );
    let anonymous = send(&app, "GET", "/mentees", None, None).await;
    assert_eq!(anonymous.location(), "/sign-in?next=/mentees");

    // The volunteer signs off a skill and records a visit, each once however often the
    // form is sent; the other volunteer's and an official's tries change nothing.
    let (confirm, visit) = (
        format!("/mentees/{household}/confirm"),
        "/mentees/visit".to_string(),
    );
    let sign_off = format!(
        "event={}&person={lan}&item=digital-identity%2Flevel2",
        random_uuid()
    );
    let visited = format!(
        "household={household}&event={}&day=2026-11-29&minutes=45&topic1=vneid-install&topic2=&topic3=vneid-install&note=B%C3%A0+h%E1%BB%8Fi%0D%0Av%E1%BB%81+QR",
        random_uuid()
    );
    let before = events::count(&db, &household).await.unwrap();
    for (cookie, path, form) in [
        (&minh_cookie, &confirm, &sign_off),
        (&minh_cookie, &visit, &visited),
        (&official_cookie, &visit, &visited),
    ] {
        let r = send(&app, "POST", path, Some(cookie), Some(form)).await;
        assert_eq!(r.location(), "/mentees?e=not_mentee");
    }
    let r = send(&app, "POST", &visit, None, Some(&visited)).await;
    assert!(r.location().starts_with("/sign-in"));
    assert_eq!(
        events::count(&db, &household).await.unwrap(),
        before,
        "nothing stored"
    );
    for _ in 0..2 {
        let r = send(&app, "POST", &confirm, Some(&hoa_cookie), Some(&sign_off)).await;
        assert_eq!(r.location(), "/mentees?m=confirmed");
        let r = send(&app, "POST", &visit, Some(&hoa_cookie), Some(&visited)).await;
        assert_eq!(r.location(), "/mentees?m=visit_recorded");
    }
    assert_eq!(
        events::count(&db, &household).await.unwrap(),
        before + 2,
        "each once"
    );
    let bad = format!(
        "household={household}&event={}&day=2026-11-29&minutes=0&topic1=vneid-install",
        random_uuid()
    );
    let r = send(&app, "POST", &visit, Some(&hoa_cookie), Some(&bad)).await;
    assert_eq!(r.location(), "/mentees?e=bad_visit");
    // A record kept on a shared phone for another account is not taken in this one's
    // name; a visit in the future is a typing mistake.
    let foreign = format!(
        "account={}&event={}&person={lan}&item=digital-identity%2Flevel2",
        random_uuid(),
        random_uuid()
    );
    let r = send(&app, "POST", &confirm, Some(&hoa_cookie), Some(&foreign)).await;
    assert_eq!(r.location(), "/mentees?e=other_account");
    let mine = format!(
        "household={household}&account={}&event={}&day=2099-01-01&minutes=30&topic1=vneid-install",
        hoa.account_id,
        random_uuid()
    );
    let r = send(&app, "POST", &visit, Some(&hoa_cookie), Some(&mine)).await;
    assert_eq!(r.location(), "/mentees?e=bad_visit");
    let bad = format!("event={}&person={lan}&item=nothing", random_uuid());
    let r = send(&app, "POST", &confirm, Some(&hoa_cookie), Some(&bad)).await;
    assert_eq!(r.location(), "/mentees?e=bad_record");
    assert_eq!(events::count(&db, &household).await.unwrap(), before + 2);
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert!(
        page.body.contains("Bạn đã xác nhận: "),
        "the sign-off is shown"
    );
    assert!(page
        .body
        .contains("Lần thăm gần nhất: 29/11/2026, 45 phút (đã thăm 1 lần)"));

    // A household named by its household code (the volunteer's page did not list it
    // yet): found for its own volunteer only, the sign-off for the person who agreed.
    let handoff = app::domain::mentor::handoff_of(&agree[1].event_id).unwrap();
    let by_code = format!(
        "event={}&handoff={}&item=digital-identity%2Fvneid-installed",
        random_uuid(),
        handoff.to_lowercase()
    );
    let visit_by_code = format!(
        "household=new&handoff={handoff}&event={}&day=2026-11-29&minutes=20&topic1=vneid-install",
        random_uuid()
    );
    let before = events::count(&db, &household).await.unwrap();
    for (path, form) in [
        ("/mentees/new/confirm", &by_code),
        (VISIT_PATH, &visit_by_code),
    ] {
        let r = send(&app, "POST", path, Some(&minh_cookie), Some(form)).await;
        assert_eq!(r.location(), "/mentees?e=not_paired_yet", "{path}");
        let typo = form
            .replace(&handoff, "ZZZZ")
            .replace(&handoff.to_lowercase(), "ZZZZ");
        let r = send(&app, "POST", path, Some(&hoa_cookie), Some(&typo)).await;
        assert_eq!(r.location(), "/mentees?e=bad_handoff", "{path}");
    }
    assert_eq!(events::count(&db, &household).await.unwrap(), before);
    let r = send(
        &app,
        "POST",
        "/mentees/new/confirm",
        Some(&hoa_cookie),
        Some(&by_code),
    )
    .await;
    assert_eq!(r.location(), "/mentees?m=confirmed");
    let r = send(
        &app,
        "POST",
        VISIT_PATH,
        Some(&hoa_cookie),
        Some(&visit_by_code),
    )
    .await;
    assert_eq!(r.location(), "/mentees?m=visit_recorded");
    assert_eq!(events::count(&db, &household).await.unwrap(), before + 2);
    let pulled = events::pull(&db, &household, &phone.id, None, 500)
        .await
        .unwrap();
    let view = app::domain::event::HouseholdView::from_events(&pulled.events);
    assert!(view.confirmed[&lan].is_on("digital-identity", "vneid-installed"));
    assert_eq!(view.visits.len(), 2);

    // Codes only for a volunteer, and only for a village of the volunteer's commune.
    let far = format!("village={}", far_village.area_id);
    let r = send(
        &app,
        "POST",
        "/mentees/code",
        Some(&minh_cookie),
        Some(&far),
    )
    .await;
    assert_eq!(r.location(), "/mentees?e=bad_village");
    let r = send(
        &app,
        "POST",
        "/mentees/code",
        Some(&official_cookie),
        Some(&form),
    )
    .await;
    assert_eq!(r.location(), "/account?e=not_allowed");
    let r = send(&app, "POST", "/mentees/code", None, Some(&form)).await;
    assert!(r.location().starts_with("/sign-in"));

    // The household ends it: from then on the volunteer sees nothing of it.
    let end = Event::new(
        &phone.id,
        &lan,
        random_uuid(),
        t + 1,
        &Action::MentorEnded { code },
    );
    events::push(&db, &phone.id, &[end], t + 1).await.unwrap();
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert!(!page.body.contains("Bà Lan Nà Khum"));
    let again = format!(
        "event={}&person={lan}&item=digital-identity%2Flevel2",
        random_uuid()
    );
    let r = send(&app, "POST", &confirm, Some(&hoa_cookie), Some(&again)).await;
    assert_eq!(
        r.location(),
        "/mentees?e=not_mentee",
        "a former volunteer records nothing"
    );

    // A code shown to the wrong person: only its volunteer can stop it, and then it
    // takes no new agreement.
    let code = mentoring::live_codes(&db, &hoa.account_id, now_ms())
        .await
        .unwrap()
        .remove(0)
        .code;
    let revoke = format!("/mentees/code/{code}/revoke");
    let r = send(&app, "POST", &revoke, Some(&minh_cookie), None).await;
    assert_eq!(r.location(), "/mentees?e=not_allowed");
    let r = send(&app, "POST", &revoke, None, None).await;
    assert!(r.location().starts_with("/sign-in"));
    assert_eq!(
        mentoring::live_codes(&db, &hoa.account_id, now_ms())
            .await
            .unwrap()
            .len(),
        1
    );
    let r = send(&app, "POST", &revoke, Some(&hoa_cookie), None).await;
    assert_eq!(r.location(), "/mentees?m=code_revoked");
    assert!(mentoring::live_codes(&db, &hoa.account_id, now_ms())
        .await
        .unwrap()
        .is_empty());
    let late = common::Phone::new();
    late.register(&db, None).await;
    let agree = Event::new(
        &late.id,
        &random_uuid(),
        random_uuid(),
        now_ms() + 1000,
        &Action::MentorPaired {
            code,
            consent: "2026-11-29".into(),
        },
    );
    let (_, outcomes) = events::push(&db, &late.id, &[agree], now_ms())
        .await
        .unwrap();
    assert!(
        matches!(&outcomes[0], events::Outcome::Rejected { code, .. } if code == "pairing_code"),
        "{outcomes:?}"
    );
}

#[tokio::test]
async fn a_team_page_shows_a_lead_their_team_and_an_official_their_commune_and_nobody_else() {
    let (db, _dir) = common::sqlite().await;
    let (app, admin, communes) = province(&db).await;
    let (home, other) = (&communes[0], &communes[1]);
    let official = invited(&db, &admin, Role::Official, &home.area_id, "tuan.official").await;
    let far_official = invited(&db, &admin, Role::Official, &other.area_id, "vu.official").await;
    let lead = invited(&db, &official, Role::Lead, &home.area_id, "mai.lead").await;
    let issued = invitations::invite(
        &db,
        &official,
        Role::Volunteer,
        &home.area_id,
        Some(&lead.account_id),
        "hoa",
        now_ms(),
    )
    .await
    .unwrap();
    invitations::accept(
        &db,
        &issued.token,
        "hoa.vol",
        "Em Hoa Trong Đội",
        "mật khẩu dài",
        now_ms(),
    )
    .await
    .unwrap();
    invited(
        &db,
        &far_official,
        Role::Volunteer,
        &other.area_id,
        "xa.vol",
    )
    .await;
    let cookie = |login: &'static str| signed_in(&app, login, "mật khẩu dài");
    let (lead_cookie, official_cookie, far_cookie, volunteer_cookie) = (
        cookie("mai.lead").await,
        cookie("tuan.official").await,
        cookie("vu.official").await,
        cookie("hoa.vol").await,
    );

    let page = send(&app, "GET", "/team", Some(&lead_cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Em Hoa Trong Đội"),
        "the lead sees their volunteer"
    );
    assert!(
        !page.body.contains("xa.vol"),
        "and nobody of another commune"
    );
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let page = send(&app, "GET", "/team", Some(&official_cookie), None).await;
    assert!(page.body.contains("Đội của mai.lead") && page.body.contains("Em Hoa Trong Đội"));
    let page = send(&app, "GET", "/team", Some(&far_cookie), None).await;
    assert!(
        !page.body.contains("Em Hoa Trong Đội"),
        "another commune's official does not"
    );
    assert!(page.body.contains("xa.vol"));
    let page = send(&app, "GET", "/team", Some(&volunteer_cookie), None).await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "a volunteer has no team page"
    );
    let page = send(&app, "GET", "/team", None, None).await;
    assert_eq!(page.location(), "/sign-in?next=/team");

    // Sessions: a lead records one and is sent back to the team page; an official cannot.
    let form = format!(
        "event={}&day=2026-11-29&village=&place=Nh%C3%A0+v%C4%83n+ho%C3%A1&topic1=vneid-install&topic2=&topic3=&attendees=31",
        server::db::random_uuid()
    );
    let r = send(
        &app,
        "POST",
        "/sessions",
        Some(&official_cookie),
        Some(&form),
    )
    .await;
    assert_eq!(r.location(), "/account?e=not_allowed");
    for _ in 0..2 {
        let r = send(&app, "POST", "/sessions", Some(&lead_cookie), Some(&form)).await;
        assert_eq!(r.location(), "/team?m=session_recorded");
    }
    let bad = form.replace("attendees=31", "attendees=0");
    let r = send(&app, "POST", "/sessions", Some(&lead_cookie), Some(&bad)).await;
    assert_eq!(r.location(), "/team?e=bad_session");
    let page = send(&app, "GET", "/team", Some(&official_cookie), None).await;
    assert_eq!(
        page.body.matches("31 người đến").count(),
        1,
        "the session, once"
    );
    let r = send(&app, "POST", "/sessions", None, Some(&form)).await;
    assert!(r.location().starts_with("/sign-in"));
}

#[tokio::test]
async fn only_the_communes_official_closes_an_account_or_offers_its_households() {
    let (db, _dir) = common::sqlite().await;
    let (app, admin, communes) = province(&db).await;
    let (home, other) = (&communes[0], &communes[1]);
    let official = invited(&db, &admin, Role::Official, &home.area_id, "tuan.official").await;
    let far_official = invited(&db, &admin, Role::Official, &other.area_id, "vu.official").await;
    invited(&db, &official, Role::Lead, &home.area_id, "mai.lead").await;
    let hoa = invited(&db, &official, Role::Volunteer, &home.area_id, "hoa.vol").await;
    let lan = invited(&db, &official, Role::Volunteer, &home.area_id, "lan.vol").await;
    let far = invited(
        &db,
        &far_official,
        Role::Volunteer,
        &other.area_id,
        "xa.vol",
    )
    .await;
    let cookie = |login: &'static str| signed_in(&app, login, "mật khẩu dài");
    let (lead_cookie, official_cookie, far_cookie, hoa_cookie, lan_cookie) = (
        cookie("mai.lead").await,
        cookie("tuan.official").await,
        cookie("vu.official").await,
        cookie("hoa.vol").await,
        cookie("lan.vol").await,
    );
    let close = format!("account={}&confirm=yes", hoa.account_id);
    for (who, answer) in [
        (&lead_cookie, "/account?e=not_allowed"),
        (&lan_cookie, "/account?e=not_allowed"),
        (&far_cookie, "/team?e=not_allowed"),
    ] {
        let r = send(&app, "POST", "/team/left", Some(who), Some(&close)).await;
        assert_eq!(r.location(), answer);
    }
    let unticked = format!("account={}", hoa.account_id);
    let r = send(
        &app,
        "POST",
        "/team/left",
        Some(&official_cookie),
        Some(&unticked),
    )
    .await;
    assert_eq!(r.location(), "/team?e=confirm_left");
    let r = send(&app, "POST", "/team/left", None, Some(&close)).await;
    assert!(r.location().starts_with("/sign-in"));
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "nothing changed: she is still in"
    );

    // The official closes it (the box ticked): her session ends, she cannot sign in,
    // and she is no longer listed.
    let page = send(&app, "GET", "/team", Some(&official_cookie), None).await;
    assert!(page.body.contains("Khi một tình nguyện viên nghỉ"));
    assert!(page.body.contains(&format!("value=\"{}\"", hoa.account_id)));
    let r = send(
        &app,
        "POST",
        "/team/left",
        Some(&official_cookie),
        Some(&close),
    )
    .await;
    assert_eq!(r.location(), "/team?m=left");
    let page = send(&app, "GET", "/mentees", Some(&hoa_cookie), None).await;
    assert!(page.location().starts_with("/sign-in"), "her session ended");
    let form = format!(
        "login=hoa.vol&password={}&next=/account",
        enc("mật khẩu dài")
    );
    let r = send(&app, "POST", "/sign-in", None, Some(&form)).await;
    assert!(r.session().is_none(), "a closed account cannot sign in");
    let page = send(&app, "GET", "/team", Some(&official_cookie), None).await;
    assert!(!page.body.contains(&format!("value=\"{}\"", hoa.account_id)));
    let reset = format!("account={}", hoa.account_id);
    let r = send(
        &app,
        "POST",
        "/invitations/reset",
        Some(&official_cookie),
        Some(&reset),
    )
    .await;
    assert_eq!(
        r.location(),
        "/invitations?e=not_allowed",
        "no password to reset"
    );

    // Her households go only where her commune's official says, to one of its volunteers.
    for (who, to, answer) in [
        (&far_cookie, &lan, "/team?e=not_allowed"),
        (&lead_cookie, &lan, "/account?e=not_allowed"),
        (&official_cookie, &far, "/team?e=not_allowed"),
        (&official_cookie, &hoa, "/team?e=not_allowed"),
    ] {
        let offer = format!("from={}&to={}", hoa.account_id, to.account_id);
        let r = send(&app, "POST", "/team/offer", Some(who), Some(&offer)).await;
        assert_eq!(r.location(), answer);
    }
    let offer = format!("from={}&to={}", hoa.account_id, lan.account_id);
    let r = send(
        &app,
        "POST",
        "/team/offer",
        Some(&official_cookie),
        Some(&offer),
    )
    .await;
    assert_eq!(
        r.location(),
        "/team?m=offered_none",
        "she had no households"
    );

    // The administrator sees every commune's totals, and nobody's name.
    let admin_cookie = cookie("lan.admin").await;
    let page = send(&app, "GET", "/team", Some(&admin_cookie), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("{} {}", home.kind, home.name)));
    assert!(page
        .body
        .contains(&format!("{} {}", other.kind, other.name)));
    assert!(!page.body.contains("lan.vol") && !page.body.contains("xa.vol"));
}

#[tokio::test]
async fn the_phones_worker_gets_a_short_answer_from_record_forms_only() {
    let (db, _dir) = common::sqlite().await;
    let (app, admin, communes) = province(&db).await;
    let official = invited(
        &db,
        &admin,
        Role::Official,
        &communes[0].area_id,
        "tuan.official",
    )
    .await;
    invited(
        &db,
        &official,
        Role::Volunteer,
        &communes[0].area_id,
        "hoa.vol",
    )
    .await;
    let cookie = signed_in(&app, "hoa.vol", "mật khẩu dài").await;
    let post = |path: &'static str, cookie: Option<String>, form: String| {
        let app = app.clone();
        async move {
            let mut req = Request::builder()
                .method("POST")
                .uri(path)
                .header(header::HOST, "hocso.test")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("x-hocso-answer-only", "1");
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c);
            }
            app.oneshot(req.body(Body::from(form)).unwrap())
                .await
                .unwrap()
        }
    };
    // A record: 204, and where the answer leads, without the page.
    let visit = "household=nobody&event=x&day=2026-11-29&minutes=0".to_string();
    let r = post(VISIT_PATH, Some(cookie), visit).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(r.headers()["x-hocso-to"], "/mentees?e=not_mentee");
    // Signing in keeps its redirect and its cookie whatever the header says.
    let form = format!(
        "login=hoa.vol&password={}&next=/account",
        enc("mật khẩu dài")
    );
    let r = post("/sign-in", None, form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers().contains_key(header::SET_COOKIE));
}

/// A province with two communes; in the first, a village with a volunteer, her team
/// lead and the official; an official in the second. `learners` households of Nà Khum
/// each have one adult who finished the common core at `done_ms` (Bà Lan is the first).
struct CoverageScene {
    app: Router,
    home: areas::Area,
    other: areas::Area,
}

async fn coverage_scene(db: &Db, learners: usize, done_ms: i64) -> CoverageScene {
    use app::domain::event::{Action, Event};
    use server::db::{coverage, events, mentoring, random_uuid};
    let (app, admin, communes) = province(db).await;
    let (home, other) = (communes[0].clone(), communes[1].clone());
    let village = areas::add(db, &home.area_id, "bản", "Nà Khum", now_ms())
        .await
        .unwrap();
    areas::add(db, &other.area_id, "bản", "Bản Xa", now_ms())
        .await
        .unwrap();
    let official = invited(db, &admin, Role::Official, &home.area_id, "tuan.official").await;
    invited(db, &admin, Role::Official, &other.area_id, "vu.official").await;
    let hoa = invited(db, &official, Role::Volunteer, &home.area_id, "hoa.vol").await;
    invited(db, &official, Role::Lead, &home.area_id, "mai.lead").await;
    let code = mentoring::make_code(db, &hoa, &village.area_id, now_ms())
        .await
        .unwrap()
        .code;
    for n in 0..learners {
        // Bà Lan (and her neighbours), 60 and over, who finished the common core.
        let phone = common::Phone::new();
        phone.register(db, None).await;
        let lan = random_uuid();
        let mut sent = vec![
            Action::ProfileSaved {
                name: format!("Bà Lan Nà Khum {n}"),
                color: "green".into(),
            },
            Action::PersonDetails {
                age_band: "60_plus".into(),
                group: "farmer".into(),
            },
            Action::MentorPaired {
                code: code.clone(),
                consent: "2026-11-29".into(),
            },
        ];
        sent.extend(
            common::content()
                .lessons_in("core")
                .map(|l| Action::LessonCompleted {
                    lesson: l.id.clone(),
                }),
        );
        // Learned then; agreed to the volunteer now (a code works from when it is made).
        let sent: Vec<Event> = sent
            .iter()
            .map(|a| {
                let at = match a {
                    Action::MentorPaired { .. } => now_ms(),
                    _ => done_ms,
                };
                Event::new(&phone.id, &lan, random_uuid(), at, a)
            })
            .collect();
        events::push(db, &phone.id, &sent, now_ms()).await.unwrap();
    }
    let rules = server::coverage::rules::load(&common::content_dir(), &common::content()).unwrap();
    coverage::refresh(db, &rules, 100, now_ms()).await.unwrap();
    CoverageScene { app, home, other }
}

#[tokio::test]
async fn the_coverage_page_shows_an_official_their_communes_counts_and_no_names() {
    use server::db::coverage;
    let (db, _dir) = common::sqlite().await;
    let CoverageScene { app, home, other } = coverage_scene(&db, 1, now_ms()).await;
    let (home, other) = (&home, &other);
    let cookie = |login: &'static str| signed_in(&app, login, "mật khẩu dài");
    let page = send(
        &app,
        "GET",
        "/coverage",
        Some(&cookie("tuan.official").await),
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("bản Nà Khum"), "the commune's villages");
    assert!(!page.body.contains("Bản Xa"), "not another commune's");
    assert!(page.body.contains("&lt; 5"), "one household shows as < 5");
    assert!(!page.body.contains("Bà Lan"), "never a name");
    assert!(
        page.body.contains("Nền tảng cho mọi người"),
        "what basic skills means"
    );
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let page = send(
        &app,
        "GET",
        "/coverage",
        Some(&cookie("vu.official").await),
        None,
    )
    .await;
    assert!(!page.body.contains("bản Nà Khum") && page.body.contains("Bản Xa"));
    let page = send(
        &app,
        "GET",
        "/coverage",
        Some(&cookie("lan.admin").await),
        None,
    )
    .await;
    assert!(page.body.contains(&format!("{} {}", home.kind, home.name)));
    assert!(page
        .body
        .contains(&format!("{} {}", other.kind, other.name)));
    for login in ["hoa.vol", "mai.lead"] {
        let page = send(&app, "GET", "/coverage", Some(&cookie(login).await), None).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{login}");
        assert!(!page.body.contains("bản Nà Khum"));
    }
    let page = send(&app, "GET", "/coverage", None, None).await;
    assert_eq!(page.location(), "/sign-in?next=/coverage");

    // The official enters the commune's adults: the share and the gap follow; a wrong
    // number changes nothing; nobody else enters them.
    let year: i32 = app::domain::time::vietnam_day(now_ms())[..4]
        .parse()
        .unwrap();
    let official_cookie = cookie("tuan.official").await;
    let form = format!("year={year}&adults=1.000&officials=&pupils=&workers=");
    let r = send(
        &app,
        "POST",
        "/coverage/population",
        Some(&official_cookie),
        Some(&form),
    )
    .await;
    assert_eq!(r.location(), "/coverage?m=population_saved");
    let saved = coverage::population_of(&db, &home.area_id, year)
        .await
        .unwrap();
    assert_eq!(saved.get("adults"), Some(&1000));
    assert_eq!(saved.len(), 1);
    let page = send(&app, "GET", "/coverage", Some(&official_cookie), None).await;
    assert!(page.body.contains(">1000<"), "the denominator is shown");
    // Bà Lan is one adult: her count shows as "< 5", and no share or gap gives it away.
    assert!(!page.body.contains("0.1 %") && !page.body.contains(">999<"));
    // This year's target for adults (2025: over 80 %, III.1 c; 2026: 100 %, III.2 c).
    let share = if year == 2025 {
        "80 % = 800"
    } else {
        "100 % = 1000"
    };
    assert!(page.body.contains(&format!(">{share}<")), "{share}");
    for bad in ["adults=-5", "adults=lots", "adults=99999999999"] {
        let form = format!("year={year}&{bad}");
        let r = send(
            &app,
            "POST",
            "/coverage/population",
            Some(&official_cookie),
            Some(&form),
        )
        .await;
        assert_eq!(r.location(), "/coverage?e=bad_population", "{bad}");
    }
    let r = send(
        &app,
        "POST",
        "/coverage/population",
        Some(&official_cookie),
        Some("year=1999&adults=5"),
    )
    .await;
    assert_eq!(r.location(), "/coverage?e=bad_population");
    for login in ["hoa.vol", "mai.lead"] {
        let r = send(
            &app,
            "POST",
            "/coverage/population",
            Some(&cookie(login).await),
            Some(&form),
        )
        .await;
        assert_eq!(r.location(), "/account?e=not_allowed", "{login}");
    }
    assert_eq!(
        coverage::population_of(&db, &home.area_id, year)
            .await
            .unwrap(),
        saved,
        "nothing changed"
    );
    assert!(coverage::population_of(&db, &other.area_id, year)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_officials_quarter_report_as_csv_counts_what_was_reached_by_its_end() {
    use app::domain::time::vietnam_day_start;
    let (db, _dir) = common::sqlite().await;
    // Six neighbours finished the common core on 15 May 2026: in the second quarter.
    let done = vietnam_day_start(2026, 5, 15) + 3_600_000;
    let CoverageScene { app, home, .. } = coverage_scene(&db, 6, done).await;
    // An official may name a village anything, even a formula.
    areas::add(
        &db,
        &home.area_id,
        "bản",
        "=HYPERLINK(\"http://x\")",
        now_ms(),
    )
    .await
    .unwrap();
    let cookie = |login: &'static str| signed_in(&app, login, "mật khẩu dài");
    let official = cookie("tuan.official").await;
    let csv = |period: &'static str, who: Option<String>| {
        let app = app.clone();
        async move {
            let path = format!("/coverage/report.csv?{period}");
            send(&app, "GET", &path, who.as_deref(), None).await
        }
    };

    let q2 = csv("period=2026-Q2", Some(official.clone())).await;
    assert_eq!(q2.status, StatusCode::OK);
    assert_eq!(q2.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(q2.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("hocso-2026-Q2-vi.csv"));
    assert!(q2.body.starts_with('\u{feff}'), "a byte-order mark first");
    assert!(q2.body.contains("Quý 2/2026"), "the period, in Vietnamese");
    assert!(q2.body.contains("Số liệu tính đến"), "its as-of time");
    let nakhum = q2
        .body
        .lines()
        .find(|l| l.starts_with("bản Nà Khum,"))
        .expect("the village's row");
    // Households 6, learning 6, adults 6, of whom 6 with basic skills.
    assert!(nakhum.starts_with("bản Nà Khum,6,6,6,6,"), "{nakhum}");
    // Its place's kind comes first, and no cell of the file starts a formula.
    assert!(q2.body.contains("\"bản =HYPERLINK(\"\"http://x\"\")\""));
    for starts in [",=", "\n=", ",\"=", "\n\"="] {
        assert!(!q2.body.contains(starts), "{starts}");
    }
    assert!(!q2.body.contains("Bà Lan"), "never a name");
    // At the end of the first quarter nobody had finished yet.
    let q1 = csv("period=2026-Q1", Some(official.clone())).await;
    let nakhum = q1
        .body
        .lines()
        .find(|l| l.starts_with("bản Nà Khum,"))
        .unwrap();
    assert!(nakhum.starts_with("bản Nà Khum,0,0,0,0,"), "{nakhum}");
    // A range of days, and the page of the same report.
    let range = csv("from=2026-05-01&to=2026-05-31", Some(official.clone())).await;
    assert!(range.body.contains("Từ 01/05/2026 đến 31/05/2026"));
    let page = send(
        &app,
        "GET",
        "/coverage?period=2026-Q2",
        Some(&official),
        None,
    )
    .await;
    assert!(page.body.contains("Quý 2/2026") && page.body.contains("<svg"));
    assert!(
        page.body.contains("href=\"/report.css\""),
        "the report's own styles"
    );
    assert!(
        !page.body.contains("Kỳ này có ngày 10/10"),
        "no festival in Q2"
    );
    let year = send(&app, "GET", "/coverage?period=2025", Some(&official), None).await;
    assert!(
        year.body.contains("ngày 10/10, dịp"),
        "the festival is in 2025"
    );

    // Not a period: a clear 400 (the page goes back to this quarter with why).
    for bad in [
        "period=2026-Q9",
        "from=2026-05-31&to=2026-05-01",
        "period=1999",
    ] {
        let r = send(
            &app,
            "GET",
            &format!("/coverage/report.csv?{bad}"),
            Some(&official),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.body.contains("Kỳ báo cáo không hợp lệ"), "{bad}");
        let r = send(
            &app,
            "GET",
            &format!("/coverage?{bad}"),
            Some(&official),
            None,
        )
        .await;
        assert_eq!(r.location(), "/coverage?e=bad_period", "{bad}");
    }
    // The wrong people: another commune's official sees none of it, a volunteer and a
    // team lead nothing, a stranger must sign in.
    let other = csv("period=2026-Q2", Some(cookie("vu.official").await)).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!other.body.contains("Nà Khum") && other.body.contains("Bản Xa"));
    for login in ["hoa.vol", "mai.lead"] {
        let r = csv("period=2026-Q2", Some(cookie(login).await)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{login}");
        assert!(!r.body.contains("Nà Khum"));
    }
    let r = csv("period=2026-Q2", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The administrator's report ranks the province's communes, this one first.
    let admin = csv("period=2026-Q2", Some(cookie("lan.admin").await)).await;
    let first = admin
        .body
        .lines()
        .skip_while(|l| !l.starts_with("Nơi,"))
        .nth(1)
        .unwrap_or("");
    assert!(first.contains(&home.name), "{first}");
}

#[tokio::test]
async fn populations_pasted_from_a_spreadsheet_are_saved_all_or_none_by_the_right_people() {
    use server::db::coverage;
    let (db, _dir) = common::sqlite().await;
    let CoverageScene { app, home, other } = coverage_scene(&db, 6, now_ms()).await;
    let year: i32 = app::domain::time::vietnam_day(now_ms())[..4]
        .parse()
        .unwrap();
    let cookie = |login: &'static str| signed_in(&app, login, "mật khẩu dài");
    let import = |who: String, lines: &str| {
        let app = app.clone();
        let form = format!("year={year}&lines={}", enc(lines));
        async move {
            send(
                &app,
                "POST",
                "/coverage/population/import",
                Some(&who),
                Some(&form),
            )
            .await
        }
    };
    let admin = cookie("lan.admin").await;
    // The administrator pastes two communes' lines (a header first, as copied).
    let lines = format!(
        "Xã\tNgười từ 16 tuổi\tCán bộ\n{} {}\t100\t\n{}\t2.000\t40\n",
        home.kind, home.name, other.name
    );
    let r = import(admin.clone(), &lines).await;
    assert_eq!(r.location(), "/coverage?m=population_imported&n=2");
    let saved = coverage::population_of(&db, &home.area_id, year)
        .await
        .unwrap();
    assert_eq!(saved.get("adults"), Some(&100));
    let there = coverage::population_of(&db, &other.area_id, year)
        .await
        .unwrap();
    assert_eq!(
        (there.get("adults"), there.get("officials")),
        (Some(&2000), Some(&40))
    );
    // The ranking now has a share: 6 of 100 adults.
    let csv = send(&app, "GET", "/coverage/report.csv", Some(&admin), None).await;
    let row = csv.body.lines().find(|l| l.contains(&home.name)).unwrap();
    assert!(row.contains(",6.0 %,"), "{row}");

    // A wrong line saves nothing, and says which line.
    let r = import(
        admin.clone(),
        &format!("{}\t999\nXã Không Có\t5\n", home.name),
    )
    .await;
    assert_eq!(r.location(), "/coverage?e=unknown_place&line=2");
    let r = import(
        admin.clone(),
        &format!("{}\t999\n{}\tnhiều\n", home.name, other.name),
    )
    .await;
    assert_eq!(r.location(), "/coverage?e=bad_import&line=2");
    assert_eq!(
        coverage::population_of(&db, &home.area_id, year)
            .await
            .unwrap(),
        saved,
        "nothing changed"
    );
    // An official's lines are the commune's villages; another commune's are unknown.
    let official = cookie("tuan.official").await;
    let r = import(official.clone(), "bản Nà Khum\t60\n").await;
    assert_eq!(r.location(), "/coverage?m=population_imported&n=1");
    let r = import(official.clone(), "Bản Xa\t60\n").await;
    assert_eq!(r.location(), "/coverage?e=unknown_place&line=1");
    let csv = send(&app, "GET", "/coverage/report.csv", Some(&official), None).await;
    let row = csv
        .body
        .lines()
        .find(|l| l.starts_with("bản Nà Khum,"))
        .unwrap();
    assert!(row.contains(",10.0 %,"), "6 of 60: {row}");
    // Nobody else imports.
    for login in ["hoa.vol", "mai.lead"] {
        let r = import(cookie(login).await, "bản Nà Khum\t1\n").await;
        assert_eq!(r.location(), "/account?e=not_allowed", "{login}");
    }
    let r = send(
        &app,
        "POST",
        "/coverage/population/import",
        None,
        Some("year=2026&lines=x"),
    )
    .await;
    assert_eq!(r.location(), "/sign-in?next=/coverage");
}
