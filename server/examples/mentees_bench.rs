//! Benchmark (not a test): a volunteer with 50 households of 5 people each and a year of
//! their events, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL. Prints how
//! long the server takes to answer "My households" (`GET /mentees`, the whole page drawn
//! from every household's events) and to take a day's records from the volunteer's phone
//! (5 visits and 5 sign-offs resent by the worker), and the bytes on the wire. Run it with
//! `bench/mentees`.

use app::domain::event::{Action, Event};
use app::domain::role::Role;
use axum::body::Body;
use axum::http::{header, Request};
use http_body_util::BodyExt;
use server::db::accounts::{self, Account};
use server::db::{areas, devices, events, invitations, mentoring, now_ms, random_uuid, Db};
use server::state::AppState;
use std::path::Path;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const HOUSEHOLDS: usize = 50;
const PEOPLE: usize = 5;
const DAY_MS: i64 = 24 * 3600 * 1000;
const RUNS: usize = 10;

/// A person's year: a profile and details, each of the 40 lessons done with two quiz
/// attempts, and checklist ticks turned on and some off again — 150 events.
fn year_of(device: &str, person: &str, start: i64, lessons: &[String]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut at = start;
    let mut push = |action: Action, at: i64| {
        out.push(Event::new(device, person, random_uuid(), at, &action));
    };
    push(
        Action::ProfileSaved {
            name: "Bà Lò Thị Xuân".into(),
            color: "green".into(),
        },
        at,
    );
    push(
        Action::PersonDetails {
            age_band: "60_plus".into(),
            group: "farmer".into(),
        },
        at,
    );
    for lesson in lessons.iter().take(40) {
        at += 8 * DAY_MS;
        let lesson = lesson.clone();
        for score in [2, 3] {
            push(
                Action::QuizAttempted {
                    lesson: lesson.clone(),
                    score,
                    total: 3,
                    chosen: (0..3).map(|i| Some(u32::from(i >= score))).collect(),
                },
                at,
            );
        }
        push(Action::LessonCompleted { lesson }, at);
    }
    for n in 0..27 {
        push(
            Action::ChecklistTicked {
                checklist: "digital-family".into(),
                item: format!("item-{}", n % 7),
                on: n % 4 != 3,
            },
            start + n as i64 * 13 * DAY_MS,
        );
    }
    out
}

async fn account(db: &Db, by: &Account, role: Role, area: &str, name: &str) -> Account {
    let id = random_uuid();
    let login = format!("bench.{}", &id[id.len() - 12..]);
    let issued = invitations::invite(db, by, role, area, None, name, now_ms())
        .await
        .unwrap();
    invitations::accept(db, &issued.token, &login, name, "mật khẩu dài", now_ms())
        .await
        .unwrap()
        .account
}

/// The volunteer, signed in (a session token), and the ids of their households.
async fn setup(db: &Db) -> (Account, String, Vec<(String, String)>) {
    let province =
        server::places::load(Path::new("content")).expect("run from the repository root");
    areas::seed(db, &province, now_ms()).await.unwrap();
    let p = areas::the_province(db).await.unwrap().unwrap();
    let commune = areas::children(db, &p.area_id).await.unwrap().remove(0);
    let village = match areas::add(db, &commune.area_id, "bản", "Nà Khum", now_ms()).await {
        Ok(v) => v,
        Err(_) => areas::children(db, &commune.area_id)
            .await
            .unwrap()
            .remove(0),
    };
    let id = random_uuid();
    let admin = accounts::create_admin(
        db,
        &format!("admin.{}", &id[id.len() - 12..]),
        "Chị Lan",
        "mật khẩu dài",
        now_ms(),
    )
    .await
    .unwrap();
    let official = account(db, &admin, Role::Official, &commune.area_id, "Anh Tuấn").await;
    let volunteer = account(db, &official, Role::Volunteer, &commune.area_id, "Em Hoa").await;
    let token = accounts::new_session(db, &volunteer.account_id, now_ms())
        .await
        .unwrap();
    let code = mentoring::make_code(db, &volunteer, &village.area_id, now_ms())
        .await
        .unwrap();
    let content = server::content::load(Path::new("content")).unwrap();
    let consent = content.consent_version().to_string();
    let lessons: Vec<String> = content.lessons.iter().map(|l| l.id.clone()).collect();
    let now = now_ms();
    let start = now - 365 * DAY_MS;
    let mut households = Vec::new();
    for _ in 0..HOUSEHOLDS {
        let device = random_uuid();
        let secret = server::db::hex(&server::db::random_bytes::<32>());
        let reg = devices::register(
            db,
            &devices::NewDevice {
                device_id: &device,
                secret: &secret,
                label: "bench",
                consent: &consent,
                join_code: None,
                recover: None,
            },
            now,
        )
        .await
        .unwrap()
        .0;
        let people: Vec<String> = (0..PEOPLE).map(|_| random_uuid()).collect();
        let mut all: Vec<Event> = people
            .iter()
            .flat_map(|p| year_of(&device, p, start, &lessons))
            .collect();
        all.push(Event::new(
            &device,
            &people[0],
            random_uuid(),
            now - 1000,
            &Action::MentorPaired {
                code: code.code.clone(),
                consent: "2026-11-29".into(),
            },
        ));
        for batch in all.chunks(500) {
            events::push(db, &device, batch, now).await.unwrap();
        }
        households.push((reg.household_id, people[0].clone()));
    }
    (volunteer, token.0, households)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

async fn run(name: &str, db: Db) {
    let (volunteer, token, households) = setup(&db).await;
    let content = server::content::load(Path::new("content")).unwrap();
    let state = AppState::new(
        db.clone(),
        content,
        Path::new("target/site"),
        "127.0.0.1:0".parse().unwrap(),
    );
    let app = server::routes::router(state);
    let cookie = format!("{}={token}", app::domain::cookies::SESSION_COOKIE);

    // "My households", as the phone asks for it (brotli accepted).
    let mut times = Vec::new();
    let (mut raw, mut wire) = (0, 0);
    for _ in 0..RUNS {
        let started = Instant::now();
        let res = app
            .clone()
            .oneshot(
                Request::get("/mentees")
                    .header(header::HOST, "hocso.test")
                    .header(header::COOKIE, &cookie)
                    .header(header::ACCEPT_ENCODING, "br")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        let br = res.headers().get(header::CONTENT_ENCODING).is_some();
        wire = res.into_body().collect().await.unwrap().to_bytes().len();
        times.push(started.elapsed());
        assert!(br, "the page is compressed");
    }
    // The same page uncompressed, for its raw size.
    let res = app
        .clone()
        .oneshot(
            Request::get("/mentees")
                .header(header::HOST, "hocso.test")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let page = res.into_body().collect().await.unwrap().to_bytes();
    raw += page.len();
    let text = String::from_utf8_lossy(&page);
    assert!(
        text.contains(&format!("Đang hướng dẫn {HOUSEHOLDS} hộ")),
        "every household is on the page"
    );

    // A day's records from the volunteer's phone: a visit and a sign-off in 5 households,
    // each a form post the worker resends (the server stores it and redirects).
    let mut posted = 0;
    let started = Instant::now();
    for (household, person) in households.iter().take(5) {
        for (path, body) in [
            (
                "/mentees/visit".to_string(),
                format!(
                    "household={household}&event={}&day=2026-11-29&minutes=40&topic1=vneid-install&topic2=&topic3=&note=",
                    random_uuid()
                ),
            ),
            (
                format!("/mentees/{household}/confirm"),
                format!(
                    "event={}&person={person}&item=digital-identity%2Flevel2",
                    random_uuid()
                ),
            ),
        ] {
            posted += body.len();
            let res = app
                .clone()
                .oneshot(
                    Request::post(path)
                        .header(header::HOST, "hocso.test")
                        .header(header::COOKIE, &cookie)
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await
                .unwrap();
            let to = res.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string();
            assert!(to.contains("m="), "{to}");
        }
    }
    let records = started.elapsed();
    let total: i64 = {
        let mut n = 0;
        for (h, _) in &households {
            n += events::count(&db, h).await.unwrap();
        }
        n
    };
    println!(
        "{name:<11} {HOUSEHOLDS} households × {PEOPLE} people, {total} events: \
         My households median {:>6.1} ms (of {RUNS}), page {:>6.1} KB raw, {:>5.1} KB brotli; \
         10 records {:>6.1} ms, {:>4.1} KB posted",
        median(times).as_secs_f64() * 1000.0,
        raw as f64 / 1024.0,
        wire as f64 / 1024.0,
        records.as_secs_f64() * 1000.0,
        posted as f64 / 1024.0,
    );
    let _ = volunteer;
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("hocso-mentees-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = Db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display()))
        .await
        .unwrap();
    run("SQLite", sqlite).await;
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => run("PostgreSQL", Db::connect(&url).await.unwrap()).await,
        _ => println!("PostgreSQL  skipped: set TEST_DATABASE_URL"),
    }
    let _ = std::fs::remove_dir_all(dir);
}
