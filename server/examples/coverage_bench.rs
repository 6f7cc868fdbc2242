//! Benchmark (not a test) of the coverage reports (issue 11) on a whole province: 38
//! communes of 5 villages, 130,000 households of 500,000 people and a year of their
//! events (profiles, details, lessons done, checklist ticks, an agreement with a
//! volunteer, volunteers' visits), on SQLite and (when TEST_DATABASE_URL is set) on a
//! PostgreSQL database of its own, dropped afterwards. Prints how long building the
//! summaries from nothing takes, a commune official's dashboard and an administrator's
//! province report (page and CSV), and ingesting a day of events with the summaries
//! kept up. `HOCSO_BENCH_SCALE=0.01` makes a province a hundredth of the size;
//! `HOCSO_BENCH_DB=sqlite` (or `postgres`) runs one database. Run it with `bench/coverage`.

use app::domain::event::{Action, Event};
use app::domain::role::Role;
use axum::body::Body;
use axum::http::{header, Request};
use http_body_util::BodyExt;
use server::db::accounts::{self, Account};
use server::db::{areas, coverage, events, invitations, mentoring, now_ms, random_uuid, Db};
use server::state::AppState;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const HOUSEHOLDS: f64 = 130_000.0;
const PEOPLE: f64 = 500_000.0;
const VILLAGES: usize = 5;
const DAY_MS: i64 = 24 * 3600 * 1000;
const RUNS: usize = 5;

/// The same province on both databases.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn scale() -> f64 {
    std::env::var("HOCSO_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0)
}

/// A cell of a bulk insert.
enum V {
    S(String),
    I(i64),
}

/// Inserts `rows` into `head` ("INSERT INTO t (a, b)") in multi-row statements: the
/// generator's shortcut past the sync protocol (the day of events goes through it).
async fn bulk(db: &Db, head: &str, rows: &[Vec<V>]) {
    let Some(width) = rows.first().map(Vec::len) else {
        return;
    };
    for chunk in rows.chunks(3000 / width) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let cells: Vec<String> = (0..width)
                    .map(|c| format!("${}", r * width + c + 1))
                    .collect();
                format!("({})", cells.join(", "))
            })
            .collect();
        let sql = format!("{head} VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    V::S(s) => q.bind(s.clone()),
                    V::I(i) => q.bind(*i),
                };
            }
        }
        q.execute(&db.pool).await.unwrap();
    }
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

/// A person's year: a profile, details, some lessons done, some ticks.
fn person_events(
    dice: &mut Dice,
    device: &str,
    start: i64,
    lessons: &[String],
    checklists: &[Vec<(String, String)>],
    out: &mut Vec<Event>,
) {
    let person = random_uuid();
    let mut at = start + dice.roll(300) as i64 * DAY_MS;
    let mut push = |action: Action, at: i64| {
        out.push(Event::new(device, &person, random_uuid(), at, &action));
    };
    push(
        Action::ProfileSaved {
            name: "Người học".into(),
            color: "green".into(),
        },
        at,
    );
    let age = ["under_16", "16_59", "16_59", "16_59", "60_plus"][dice.roll(5)];
    let group = [
        "", "pupil", "worker", "official", "trader", "farmer", "farmer",
    ][dice.roll(7)];
    push(
        Action::PersonDetails {
            age_band: age.into(),
            group: group.into(),
        },
        at,
    );
    // Nobody, a few, or the first lessons up to the whole common core and more.
    let done = [0, 2, 5, 10, 13, 16][dice.roll(6)];
    for lesson in lessons.iter().take(done) {
        at += dice.roll(4) as i64 * DAY_MS;
        push(
            Action::LessonCompleted {
                lesson: lesson.clone(),
            },
            at,
        );
    }
    // Each checklist: all of it (one time in three), its first item, or nothing.
    for items in checklists {
        let ticked = match dice.roll(3) {
            0 => items.len(),
            1 => 1,
            _ => 0,
        };
        for (checklist, item) in items.iter().take(ticked) {
            push(
                Action::ChecklistTicked {
                    checklist: checklist.clone(),
                    item: item.clone(),
                    on: true,
                },
                at,
            );
        }
    }
}

/// Every item of the checklists the reports count, checklist by checklist.
fn checklists(content: &app::domain::content::Content) -> Vec<Vec<(String, String)>> {
    ["digital-identity", "digital-family", "market-4t"]
        .iter()
        .map(|id| {
            let list = content.checklist(id).expect("the content's checklists");
            list.items
                .iter()
                .map(|i| (id.to_string(), i.id.clone()))
                .collect()
        })
        .collect()
}

/// One event as an `events` row.
fn row(household: &str, seq: i64, e: &Event, now: i64) -> Vec<V> {
    vec![
        V::S(household.to_string()),
        V::I(seq),
        V::S(e.event_id.clone()),
        V::S(e.device_id.clone()),
        V::S(e.profile_id.clone()),
        V::S(e.kind.clone()),
        V::I(e.schema_version),
        V::I(e.at_ms),
        V::S(e.payload.to_string()),
        V::I(now),
    ]
}

/// The province: its administrator's and one commune official's sessions, and each
/// household's (id, device, first person).
struct Province {
    admin: String,
    official: String,
    households: Vec<(String, String, String)>,
    events: usize,
    people: usize,
}

async fn generate(db: &Db) -> Province {
    let places = server::places::load(Path::new("content")).expect("run from the repository root");
    areas::seed(db, &places, now_ms()).await.unwrap();
    let p = areas::the_province(db).await.unwrap().unwrap();
    let communes = areas::children(db, &p.area_id).await.unwrap();
    let admin = accounts::create_admin(db, "bench.admin", "Chị Lan", "mật khẩu dài", now_ms())
        .await
        .unwrap();
    let content = server::content::load(Path::new("content")).unwrap();
    let lessons: Vec<String> = content
        .lessons_in("core")
        .chain(content.lessons_in("household"))
        .map(|l| l.id.clone())
        .collect();
    let consent = content.consent_version().to_string();
    let checklists = checklists(&content);
    // Per commune: an official, two volunteers, five villages each with a pairing code.
    let mut villages = Vec::new();
    let mut official_of_first = None;
    for (n, commune) in communes.iter().enumerate() {
        let official = account(db, &admin, Role::Official, &commune.area_id, "Cán bộ").await;
        let helpers = [
            account(db, &official, Role::Volunteer, &commune.area_id, "Em Hoa").await,
            account(db, &official, Role::Volunteer, &commune.area_id, "Em Mai").await,
        ];
        for v in 0..VILLAGES {
            let village = areas::add(db, &commune.area_id, "bản", &format!("Bản {v}"), now_ms())
                .await
                .unwrap();
            let volunteer = &helpers[usize::from(v >= 3)];
            let code = mentoring::make_code(db, volunteer, &village.area_id, now_ms())
                .await
                .unwrap()
                .code;
            villages.push((village.area_id, volunteer.clone(), code));
        }
        if n == 0 {
            official_of_first = Some(official);
        }
    }
    let now = now_ms();
    let start = now - 365 * DAY_MS;
    let total = (HOUSEHOLDS * scale()) as usize;
    let people_total = (PEOPLE * scale()) as usize;
    let mut dice = Dice(11);
    let (mut homes, mut devices, mut rows, mut paired) = (vec![], vec![], vec![], vec![]);
    let mut households = Vec::new();
    let (mut events, mut people) = (0, 0);
    for h in 0..total {
        let household = random_uuid();
        let device = random_uuid();
        let mut sent = Vec::new();
        // 3 or 4 people, 500,000 in all.
        let size = (h + 1) * people_total / total - h * people_total / total;
        for _ in 0..size {
            person_events(&mut dice, &device, start, &lessons, &checklists, &mut sent);
        }
        people += size;
        let (village, volunteer, code) = &villages[h % villages.len()];
        let first = sent[0].profile_id.clone();
        let agreed = start + dice.roll(360) as i64 * DAY_MS;
        sent.push(Event::new(
            &device,
            &first,
            random_uuid(),
            agreed,
            &Action::MentorPaired {
                code: code.clone(),
                consent: "2026-11-29".into(),
            },
        ));
        // Two visits by the volunteer over the year.
        for _ in 0..2 {
            let at = agreed + dice.roll(60) as i64 * DAY_MS;
            sent.push(Event::new(
                &server::db::records::device_of(volunteer),
                &first,
                random_uuid(),
                at,
                &Action::VisitRecorded {
                    day: app::domain::time::vietnam_day(at),
                    minutes: 30,
                    topics: vec![lessons[0].clone()],
                    note: String::new(),
                    by: volunteer.display_name.clone(),
                },
            ));
        }
        for (seq, e) in sent.iter().enumerate() {
            rows.push(row(&household, seq as i64 + 1, e, now));
        }
        events += sent.len();
        homes.push(vec![
            V::S(household.clone()),
            V::S(format!("J{}", &household[household.len() - 16..])),
            V::I(start),
            V::I(sent.len() as i64),
            V::S(random_uuid()[..16].to_string()),
        ]);
        devices.push(vec![
            V::S(device.clone()),
            V::S(household.clone()),
            V::S("bench".into()),
            V::I(start),
            V::S(consent.clone()),
        ]);
        paired.push(vec![
            V::S(household.clone()),
            V::S(code.clone()),
            V::S(volunteer.account_id.clone()),
            V::S(village.clone()),
            V::S(first.clone()),
            V::I(agreed),
        ]);
        households.push((household, device, first));
        if rows.len() > 20_000 || h + 1 == total {
            bulk(
                db,
                "INSERT INTO households (household_id, join_code, created_ms, last_seq, epoch)",
                &homes,
            )
            .await;
            bulk(
                db,
                "INSERT INTO devices (device_id, household_id, secret_hash, created_ms, consent_version)",
                &devices,
            )
            .await;
            bulk(
                db,
                "INSERT INTO events (household_id, seq, event_id, device_id, profile_id, kind, \
                 schema_version, at_ms, payload, received_ms)",
                &rows,
            )
            .await;
            let active: Vec<Vec<V>> = std::mem::take(&mut paired)
                .into_iter()
                .map(|mut r| {
                    r.insert(4, V::I(1));
                    r.insert(6, V::S("2026-11-29".into()));
                    r
                })
                .collect();
            bulk(
                db,
                "INSERT INTO mentorships (household_id, code, volunteer_id, village_id, active, \
                 profile_id, consent_version, at_ms)",
                &active,
            )
            .await;
            homes.clear();
            devices.clear();
            rows.clear();
        }
    }
    let official = official_of_first.expect("a commune");
    Province {
        admin: accounts::new_session(db, &admin.account_id, now_ms())
            .await
            .unwrap()
            .0,
        official: accounts::new_session(db, &official.account_id, now_ms())
            .await
            .unwrap()
            .0,
        households,
        events,
        people,
    }
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The median time of `RUNS` requests for `path` with the session `token`, and the
/// size of the answer.
async fn timed(app: &axum::Router, path: &str, token: &str) -> (Duration, usize) {
    let cookie = format!("{}={token}", app::domain::cookies::SESSION_COOKIE);
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let res = app
            .clone()
            .oneshot(
                Request::get(path)
                    .header(header::HOST, "hocso.test")
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        size = res.into_body().collect().await.unwrap().to_bytes().len();
        times.push(started.elapsed());
    }
    (median(times), size)
}

async fn run(name: &str, db: Db) {
    let started = Instant::now();
    let province = generate(&db).await;
    let generated = started.elapsed();
    let content = server::content::load(Path::new("content")).unwrap();
    let rules = server::coverage::rules::load(Path::new("content"), &content).unwrap();
    // The summaries from nothing, as after migration 0009 or a new rule.
    let started = Instant::now();
    while coverage::refresh(&db, &rules, 1000, now_ms())
        .await
        .unwrap()
        > 0
    {}
    let built = started.elapsed();

    let mut state = AppState::new(
        db.clone(),
        content,
        Path::new("target/site"),
        "127.0.0.1:0".parse().unwrap(),
    );
    state.coverage = Some(Arc::new(rules.clone()));
    let app = server::routes::router(state);
    let year = app::domain::time::vietnam_day(now_ms())[..4].to_string();
    let (commune, commune_size) = timed(&app, "/coverage", &province.official).await;
    let (commune_csv, _) = timed(
        &app,
        &format!("/coverage/report.csv?period={year}"),
        &province.official,
    )
    .await;
    let (whole, whole_size) = timed(&app, "/coverage", &province.admin).await;
    let (whole_csv, csv_size) = timed(
        &app,
        &format!("/coverage/report.csv?period={year}"),
        &province.admin,
    )
    .await;

    // A day of events: a year's events over 365 days, two at a time (a lesson done and
    // a tick) from a household's phone through the sync protocol, then the summaries
    // brought up to date.
    let day = province.events / 365;
    let mut dice = Dice(99);
    let content = server::content::load(Path::new("content")).unwrap();
    let lessons: Vec<String> = content.lessons.iter().map(|l| l.id.clone()).collect();
    let checklists = checklists(&content);
    let now = now_ms();
    let (mut sent, mut touched) = (0, 0);
    let started = Instant::now();
    while sent < day {
        let (_, device, person) = &province.households[dice.roll(province.households.len())];
        let items = &checklists[dice.roll(checklists.len())];
        let (checklist, item) = items[dice.roll(items.len())].clone();
        let lesson = lessons[dice.roll(lessons.len())].clone();
        let at = now - dice.roll(600) as i64;
        let batch = [
            Action::LessonCompleted { lesson },
            Action::ChecklistTicked {
                checklist,
                item,
                on: true,
            },
        ]
        .map(|a| Event::new(device, person, random_uuid(), at, &a));
        events::push(&db, device, &batch, now).await.unwrap();
        sent += batch.len();
        touched += 1;
    }
    let pushed = started.elapsed();
    let started = Instant::now();
    while coverage::refresh(&db, &rules, 1000, now_ms())
        .await
        .unwrap()
        > 0
    {}
    let caught_up = started.elapsed();

    println!(
        "| {name} | {} households, {} people, {} events | generate {:.0} s, summaries from nothing {:.0} s | \
         commune dashboard {:.0} ms ({:.0} KB), its year as CSV {:.0} ms | \
         province report {:.0} ms ({:.0} KB), as CSV {:.0} ms ({:.1} KB) | \
         a day: {sent} events into {touched} households {:.1} s, summaries caught up in {:.1} s |",
        province.households.len(),
        province.people,
        province.events,
        generated.as_secs_f64(),
        built.as_secs_f64(),
        ms(commune),
        commune_size as f64 / 1024.0,
        ms(commune_csv),
        ms(whole),
        whole_size as f64 / 1024.0,
        ms(whole_csv),
        csv_size as f64 / 1024.0,
        pushed.as_secs_f64(),
        caught_up.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("hocso-coverage-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // HOCSO_BENCH_DB=sqlite or =postgres runs one of the two.
    let only = std::env::var("HOCSO_BENCH_DB").unwrap_or_default();
    if only != "postgres" {
        let sqlite = Db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display()))
            .await
            .unwrap();
        run("SQLite", sqlite).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    match std::env::var("TEST_DATABASE_URL") {
        _ if only == "sqlite" => {}
        Ok(url) if !url.is_empty() => {
            // A database of its own: the test database stays small.
            let admin = Db::connect(&url).await.unwrap();
            let name = "hocso_coverage_bench";
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&admin.pool)
                .await;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.pool)
                .await
                .unwrap();
            let own = match url.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => url.clone(),
            };
            run("PostgreSQL", Db::connect(&own).await.unwrap()).await;
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin.pool)
                .await;
        }
        _ => println!("PostgreSQL skipped: set TEST_DATABASE_URL"),
    }
}
