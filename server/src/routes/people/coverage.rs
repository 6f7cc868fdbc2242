//! The coverage page (`GET /coverage`, issue 11): a commune official's villages, an
//! administrator's communes, each with what the coverage summaries add up to
//! (db/coverage.rs). Only counts reach it, and a count of fewer than five people or
//! households is shown as "< 5": never a name, an answer or a note.

use super::{back, viewer, Loaded};
use crate::coverage::count::{progress, shown, suppressed, Tally, SMALLEST_SHOWN, WITHHELD};
use crate::coverage::import::{self, ImportError};
use crate::coverage::period::{choices, quarters_to, BadPeriod, Period};
use crate::coverage::rules::{Rules, POPULATIONS};
use crate::coverage::sheet;
use crate::db::accounts::Account;
use crate::db::coverage::Activity;
use crate::db::{areas, coverage, now_ms, DbError};
use crate::state::AppState;
use app::domain::locale::Prefs;
use app::domain::person::{AGE_BANDS, GROUPS};
use app::domain::role::Role;
use app::people::{
    CoverageData, CoverageRow, Forbidden, ReportPeriod, TargetRow, TrendRow, COVERAGE_COLUMNS,
};
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a report is asked for: a period by name (`2026-Q3`, `2026-H1`, `2026`) or two
/// dates; none is this quarter.
#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl ReportQuery {
    fn period(&self, now: i64) -> Result<Period, BadPeriod> {
        if self.period.trim().is_empty() && self.from.is_empty() && self.to.is_empty() {
            return Ok(Period::quarter_of(now));
        }
        let period = Period::parse(&self.period, &self.from, &self.to)?;
        // A period that has not begun has nothing to report.
        if period.start_ms() > now {
            return Err(BadPeriod);
        }
        Ok(period)
    }
}

/// Who may read coverage, over which area: an official their commune, an administrator
/// the province (`true`).
fn reader(me: &Account) -> Option<bool> {
    match me.role {
        Role::Official => Some(false),
        Role::Admin => Some(true),
        _ => None,
    }
}

/// `GET /coverage`: the report for the period asked (this quarter by default).
pub async fn load_page(state: &AppState, me: Option<&Account>, req: &mut Request) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    let (Some(province), Some(rules)) = (reader(me), state.coverage.clone()) else {
        req.extensions_mut().insert(Forbidden);
        return Loaded::SignedIn;
    };
    let asked = Query::<ReportQuery>::try_from_uri(req.uri())
        .map(|q| q.0)
        .unwrap_or_default();
    let Ok(period) = asked.period(now_ms()) else {
        return Loaded::Redirect(format!("{HERE}?e=bad_period"));
    };
    if let Ok(data) = report(state, me, province, &rules, &period).await {
        req.extensions_mut().insert(data);
    }
    Loaded::SignedIn
}

/// `GET /coverage/report.csv`: the same report as a spreadsheet reads it.
pub async fn csv(
    State(state): State<AppState>,
    Query(asked): Query<ReportQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = reader_lang(&state, &headers);
    let t = |key: &str| state.content.t(&lang, key).to_string();
    let Some(me) = viewer(&state, &headers).await else {
        return refused(StatusCode::UNAUTHORIZED, "coverage.sign_in", &state, &lang);
    };
    let (Some(province), Some(rules)) = (reader(&me), state.coverage.clone()) else {
        return refused(
            StatusCode::FORBIDDEN,
            "people.err.not_allowed",
            &state,
            &lang,
        );
    };
    let Ok(period) = asked.period(now_ms()) else {
        return refused(
            StatusCode::BAD_REQUEST,
            "people.err.bad_period",
            &state,
            &lang,
        );
    };
    let Ok(data) = report(&state, &me, province, &rules, &period).await else {
        return refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "people.err.unavailable",
            &state,
            &lang,
        );
    };
    let body = sheet::report(&data, &lang, t);
    let file = format!("hocso-{}-{}.csv", data.period.name.replace("..", "_"), lang);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The reader's language from their preferences cookie.
fn reader_lang(state: &AppState, headers: &HeaderMap) -> String {
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    Prefs::from_cookie_header(&cookies, &state.content.locale_codes()).lang
}

/// A refusal as plain text in the reader's language.
fn refused(status: StatusCode, key: &str, state: &AppState, lang: &str) -> Response {
    (status, state.content.t(lang, key).to_string()).into_response()
}

/// One report built at a time on this server: each asks the database up to ~9 things
/// side by side, and several at once could hold every connection of the pool (8 on
/// SQLite, 16 on PostgreSQL) while phones wait to sync. Officials ask rarely; the
/// second one waits a moment.
static BUILDING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The report of `me`'s area for `period`: counts as reached by its last day (or now),
/// visits and sessions of its days, the targets of the year it ends in, the trend over
/// the quarters up to it.
async fn report(
    state: &AppState,
    me: &Account,
    province: bool,
    rules: &Rules,
    period: &Period,
) -> Result<CoverageData, DbError> {
    // Never closed, so acquiring cannot fail.
    let _turn = BUILDING.acquire().await.ok();
    let now = now_ms();
    let as_of = period.end_ms().min(now);
    let commune = (!province).then_some(me.area_id.as_str());
    let year = period.target_year();
    let quarters = quarters_to(as_of, 8);
    // The last point is the report's own as-of time: nothing after the period.
    let ends: Vec<i64> = quarters.iter().map(|q| q.end_ms().min(as_of)).collect();
    // The reads do not depend on each other: asked all at once, the database works on
    // the larger ones side by side.
    let tallies = async {
        match commune {
            Some(c) => coverage::by_village(&state.db, c, as_of).await,
            None => coverage::by_commune(&state.db, as_of).await,
        }
    };
    let (from_day, to_day) = (period.from_day(), period.to_day());
    let (area, tallies, activity, (adults, population), places, points, pending) = tokio::try_join!(
        areas::get(&state.db, &me.area_id),
        tallies,
        coverage::activity(&state.db, commune, &from_day, &to_day),
        coverage::populations(&state.db, year, &me.area_id),
        // Every place of the level, counted or not (a village nobody paired in yet shows 0).
        areas::children(&state.db, &me.area_id),
        coverage::trend(&state.db, commune, &ends),
        coverage::pending(&state.db),
    )?;
    let place = area
        .map(|a| format!("{} {}", a.kind, a.name))
        .unwrap_or_default();
    let mut rows: Vec<Place> = places
        .iter()
        .map(|a| {
            let key = Some(a.area_id.clone());
            let t = tallies.get(&key).cloned().unwrap_or_default();
            let did = activity.get(&key).copied().unwrap_or_default();
            // Villages have no volunteers of their own: they belong to the commune.
            let did = Activity {
                volunteers_5: if province { did.volunteers_5 } else { NONE },
                ..did
            };
            let share = share_of(t.adults.basic_skills, adults.get(&a.area_id).copied());
            Place {
                name: format!("{} {}", a.kind, a.name),
                numbers: numbers(&t, &did),
                share,
            }
        })
        .collect();
    // The province's communes ranked, as in the plan's emulation campaigns: by the share
    // of their adults with basic skills where the commune entered its adults, then (for
    // the rest, after them) by how many — as shown: a small count ranks as none, so the
    // order gives nothing away.
    if province {
        let key = |p: &Place| {
            let basic = p.numbers[ADULTS_BASIC];
            let basic = if basic < SMALLEST_SHOWN { 0 } else { basic };
            let share = p.share.filter(|_| basic > 0);
            (share.is_some(), share.unwrap_or(0.0), basic)
        };
        rows.sort_by(|a, b| {
            key(b)
                .partial_cmp(&key(a))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    let total = tallies
        .iter()
        .filter(|(k, _)| province || k.is_some())
        .fold(Tally::default(), |mut all, (_, t)| {
            all.merge(t);
            all
        });
    let did = activity
        .values()
        .fold(Activity::default(), |all, a| Activity {
            visits: all.visits + a.visits,
            sessions: all.sessions + a.sessions,
            volunteers_5: all.volunteers_5 + a.volunteers_5,
        });
    let share = share_of(total.adults.basic_skills, population.get("adults").copied());
    Ok(CoverageData {
        place: place.clone(),
        province,
        rows: shown_rows(&rows),
        total: shown_total(place, &numbers(&total, &did), share),
        texts: rules
            .texts
            .iter()
            .map(|(lang, t)| (lang.clone(), (t.basic_skills.clone(), t.identity.clone())))
            .collect(),
        as_of_ms: as_of,
        pending,
        year,
        targets: target_rows(rules, &total, &population, year, province),
        population: POPULATIONS
            .iter()
            .map(|(kind, _)| (kind.to_string(), population.get(*kind).copied()))
            .collect(),
        period: shown_period(period),
        choices: choices(now).into_iter().map(|p| p.name).collect(),
        trend: quarters
            .iter()
            .zip(points)
            .map(|(q, p)| TrendRow {
                quarter: shown_period(q),
                bar: if p.adults_basic < SMALLEST_SHOWN {
                    0
                } else {
                    p.adults_basic
                },
                adults_basic: shown(p.adults_basic),
                identity_confirmed: shown(p.identity_confirmed),
                digital_families: shown(p.digital_families),
            })
            .collect(),
        learning: learning_rows(&total),
    })
}

/// A volunteers cell that does not apply (a village has no volunteers of its own).
const NONE: u64 = u64::MAX;

fn shown_period(p: &Period) -> ReportPeriod {
    ReportPeriod {
        name: p.name.clone(),
        from_day: p.from_day(),
        to_day: p.to_day(),
        festival: p.has_festival(),
    }
}

/// People learning by age band, then by group ("" = not said, so the list adds up to
/// the total), each list's small cells hidden so that the total cannot give one back.
fn learning_rows(total: &Tally) -> Vec<(String, String)> {
    let list = |map: &BTreeMap<String, u64>, prefix: &str, keys: &[&str]| {
        let keys: Vec<&str> = keys.iter().copied().chain([""]).collect();
        let counts: Vec<u64> = keys
            .iter()
            .map(|k| map.get(*k).copied().unwrap_or(0))
            .collect();
        keys.iter()
            .zip(&counts)
            .zip(suppressed(&counts))
            .map(|((k, &n), hidden)| {
                let key = if k.is_empty() {
                    "coverage.not_said".to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                let cell = if hidden && n >= SMALLEST_SHOWN {
                    WITHHELD.to_string()
                } else {
                    shown(n)
                };
                (key, cell)
            })
            .collect::<Vec<_>>()
    };
    let mut out = list(&total.learning_by_age, "person.age", &AGE_BANDS);
    out.extend(list(&total.learning_by_group, "person.group", &GROUPS));
    out
}

/// `count` as a share of `people` in per cent, when there is a denominator.
fn share_of(count: u64, people: Option<u64>) -> Option<f64> {
    people
        .filter(|p| *p > 0)
        .map(|p| count as f64 * 100.0 / p as f64)
}

/// The plan's targets for `year` against the area's counts and denominators. A count
/// target (adults confirmed on VNeID) is the province's: a commune shows its count only.
fn target_rows(
    rules: &Rules,
    total: &Tally,
    population: &BTreeMap<String, u64>,
    year: i32,
    province: bool,
) -> Vec<TargetRow> {
    let basic = |group: &str| total.groups.get(group).map_or(0, |s| s.basic_skills);
    let measures: [(&str, u64, &str); 5] = [
        ("adults_basic_skills", total.adults.basic_skills, "adults"),
        ("officials_basic_skills", basic("official"), "officials"),
        ("pupils_basic_skills", basic("pupil"), "pupils"),
        ("workers_basic_skills", basic("worker"), "workers"),
        ("identity_confirmed", total.identity_confirmed, "adults"),
    ];
    let dash = || "—".to_string();
    measures
        .into_iter()
        .map(|(measure, count, kind)| {
            let target = rules
                .targets
                .iter()
                .find(|t| t.measure == measure && t.year == year);
            let people = target.and_then(|t| t.count).filter(|_| province);
            let percent = target.and_then(|t| t.percent);
            let p = progress(count, population.get(kind).copied(), percent, people);
            let target_text = match (percent, people, p.target) {
                (Some(pc), _, Some(n)) => format!("{pc} % = {n}"),
                (Some(pc), _, None) => format!("{pc} %"),
                (None, Some(n), _) => n.to_string(),
                _ => dash(),
            };
            // A count shown as "< 5" must not be given away by its share or its gap.
            let hidden = count > 0 && count < SMALLEST_SHOWN;
            TargetRow {
                measure: measure.to_string(),
                count: shown(count),
                denominator: p.denominator.map_or_else(dash, |d| d.to_string()),
                percent: p
                    .percent
                    .filter(|_| !hidden)
                    .map_or_else(dash, |x| format!("{x:.1} %")),
                target: target_text,
                gap: p
                    .gap
                    .filter(|_| !hidden)
                    .map_or_else(dash, |g| g.to_string()),
                reached: p
                    .target
                    .filter(|t| *t > 0 && !hidden)
                    .map(|t| (count.min(t) * 100 / t) as u32),
            }
        })
        .collect()
}

#[derive(Deserialize)]
pub struct PopulationForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    adults: String,
    #[serde(default)]
    officials: String,
    #[serde(default)]
    pupils: String,
    #[serde(default)]
    workers: String,
}

/// `POST /coverage/population`: an official's commune's (an administrator's province's)
/// populations for a year; an empty field removes that one.
pub async fn set_population(State(state): State<AppState>, req: Request) -> Response {
    let Some(me) = viewer(&state, req.headers()).await else {
        return back("/sign-in", "next=/coverage");
    };
    if !matches!(me.role, Role::Official | Role::Admin) {
        return back("/account", "e=not_allowed");
    }
    let Ok(Form(form)) = Form::<PopulationForm>::from_request(req, &state).await else {
        return back(HERE, "e=bad_population");
    };
    let Ok(year) = form.year.trim().parse::<i32>() else {
        return back(HERE, "e=bad_population");
    };
    if !crate::coverage::period::YEARS.contains(&i64::from(year)) {
        return back(HERE, "e=bad_population");
    }
    let mut values = Vec::new();
    for (kind, typed) in [
        ("adults", &form.adults),
        ("officials", &form.officials),
        ("pupils", &form.pupils),
        ("workers", &form.workers),
    ] {
        // Spaces and the separators people type in big numbers (1.234 or 1,234) are fine.
        let digits: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != ',')
            .collect();
        let people = if digits.is_empty() {
            None
        } else {
            match digits.parse::<i64>() {
                Ok(n) if (0..=coverage::MAX_PEOPLE).contains(&n) => Some(n),
                _ => return back(HERE, "e=bad_population"),
            }
        };
        values.push((kind, people));
    }
    let values: Vec<(String, &str, Option<i64>)> = values
        .into_iter()
        .map(|(kind, people)| (me.area_id.clone(), kind, people))
        .collect();
    if coverage::save_populations(&state.db, year, &values, &me.account_id, now_ms())
        .await
        .is_err()
    {
        return back(HERE, "e=unavailable");
    }
    back(HERE, "m=population_saved")
}

const HERE: &str = "/coverage";

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    lines: String,
}

/// `POST /coverage/population/import`: populations for the places one level down (an
/// official's villages, an administrator's communes) pasted from a spreadsheet; every
/// line saved, or none.
pub async fn import_population(State(state): State<AppState>, req: Request) -> Response {
    let Some(me) = viewer(&state, req.headers()).await else {
        return back("/sign-in", "next=/coverage");
    };
    if reader(&me).is_none() {
        return back("/account", "e=not_allowed");
    }
    let Ok(Form(form)) = Form::<ImportForm>::from_request(req, &state).await else {
        return back(HERE, "e=bad_import");
    };
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) if crate::coverage::period::YEARS.contains(&i64::from(y)) => y,
        _ => return back(HERE, "e=bad_import"),
    };
    let lines = match import::parse(&form.lines, coverage::MAX_PEOPLE) {
        Ok(lines) => lines,
        Err(ImportError::Line(n)) => return back(HERE, &format!("e=bad_import&line={n}")),
        Err(_) => return back(HERE, "e=bad_import"),
    };
    let Ok(places) = areas::children(&state.db, &me.area_id).await else {
        return back(HERE, "e=unavailable");
    };
    let mut values = Vec::new();
    for line in &lines {
        let wanted = import::plain(&line.place);
        let Some(place) = places.iter().find(|a| {
            import::plain(&a.name) == wanted
                || import::plain(&format!("{} {}", a.kind, a.name)) == wanted
        }) else {
            return back(HERE, &format!("e=unknown_place&line={}", line.number));
        };
        for ((kind, _), people) in POPULATIONS.iter().zip(line.people) {
            if let Some(people) = people {
                values.push((place.area_id.clone(), *kind, Some(people)));
            }
        }
    }
    match coverage::save_populations(&state.db, year, &values, &me.account_id, now_ms()).await {
        Ok(()) => back(HERE, &format!("m=population_imported&n={}", lines.len())),
        Err(_) => back(HERE, "e=unavailable"),
    }
}

/// A place's counts, raw, in the order of app::people::COVERAGE_COLUMNS less the share.
struct Place {
    name: String,
    numbers: [u64; COUNTS],
    share: Option<f64>,
}

/// The counted columns (all of COVERAGE_COLUMNS but the share).
const COUNTS: usize = COVERAGE_COLUMNS.len() - 1;
/// Where adults with basic skills are among them: just before the share.
const ADULTS_BASIC: usize = 3;
// The share follows the count it is a share of; the rest of `numbers` is in the order
// of the columns, as the page and the CSV head them.
const _: () = assert!(same(COVERAGE_COLUMNS[ADULTS_BASIC], "adults_basic"));
const _: () = assert!(same(COVERAGE_COLUMNS[ADULTS_BASIC + 1], "adults_share"));

/// `a == b` for the checks above (str's `==` is not const).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

fn numbers(t: &Tally, did: &Activity) -> [u64; COUNTS] {
    [
        t.households,
        t.learning_by_age.values().sum(),
        t.adults.people,
        t.adults.basic_skills,
        t.identity_self,
        t.identity_confirmed,
        t.digital_families,
        t.traders_4t,
        did.visits,
        did.sessions,
        did.volunteers_5,
    ]
}

fn percent(share: Option<f64>, hidden: bool) -> String {
    share
        .filter(|_| !hidden)
        .map_or_else(|| "—".to_string(), |x| format!("{x:.1} %"))
}

fn cells(numbers: &[u64; COUNTS], hidden: &[bool; COUNTS], share: &str) -> Vec<String> {
    let mut out: Vec<String> = numbers
        .iter()
        .zip(hidden)
        .map(|(&n, &h)| match (n, h) {
            (NONE, _) => "—".to_string(),
            (n, true) if n >= SMALLEST_SHOWN => WITHHELD.to_string(),
            (n, _) => shown(n),
        })
        .collect();
    out.insert(ADULTS_BASIC + 1, share.to_string());
    out
}

fn to_row(name: String, c: Vec<String>) -> CoverageRow {
    let mut c = c.into_iter();
    let mut next = || c.next().unwrap_or_default();
    CoverageRow {
        name,
        households: next(),
        learning: next(),
        adults: next(),
        adults_basic: next(),
        adults_share: next(),
        identity_self: next(),
        identity_confirmed: next(),
        digital_families: next(),
        traders: next(),
        visits: next(),
        sessions: next(),
        volunteers_5: next(),
    }
}

/// The places' rows as an official may see them: every small cell "< 5", and in each
/// column as many more withheld as it takes for the total not to give one back
/// (count::suppressed); a share only beside a count that is shown.
fn shown_rows(places: &[Place]) -> Vec<CoverageRow> {
    let mut hidden = vec![[false; COUNTS]; places.len()];
    for c in 0..COUNTS {
        let column: Vec<u64> = places
            .iter()
            .map(|p| {
                if p.numbers[c] == NONE {
                    0
                } else {
                    p.numbers[c]
                }
            })
            .collect();
        for (row, h) in hidden.iter_mut().zip(suppressed(&column)) {
            row[c] = h;
        }
    }
    places
        .iter()
        .zip(hidden)
        .map(|(p, h)| {
            let share = percent(p.share, h[ADULTS_BASIC]);
            to_row(p.name.clone(), cells(&p.numbers, &h, &share))
        })
        .collect()
}

/// The whole area's row: only its own small cells hidden.
fn shown_total(name: String, numbers: &[u64; COUNTS], share: Option<f64>) -> CoverageRow {
    let hidden = numbers.map(|n| n > 0 && n < SMALLEST_SHOWN);
    let share = percent(share, hidden[ADULTS_BASIC]);
    to_row(name, cells(numbers, &hidden, &share))
}
