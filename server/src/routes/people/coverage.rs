//! The coverage page (`GET /coverage`, issue 11): a commune official's villages, an
//! administrator's communes, each with what the coverage summaries add up to
//! (db/coverage.rs). Only counts reach it, and a count of fewer than five people or
//! households is shown as "< 5": never a name, an answer or a note.

use super::{back, viewer, Loaded};
use crate::coverage::count::{progress, shown, Tally, SMALLEST_SHOWN};
use crate::coverage::rules::{Rules, POPULATIONS};
use crate::db::accounts::Account;
use crate::db::{areas, coverage, now_ms, DbError};
use crate::state::AppState;
use app::domain::role::Role;
use app::domain::time::vietnam_day;
use app::people::{CoverageData, CoverageRow, Forbidden, TargetRow};
use axum::extract::{FromRequest, Request, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `GET /coverage`.
pub async fn load_page(state: &AppState, me: Option<&Account>, req: &mut Request) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    let province = match me.role {
        Role::Official => false,
        Role::Admin => true,
        _ => {
            req.extensions_mut().insert(Forbidden);
            return Loaded::SignedIn;
        }
    };
    let Some(rules) = state.coverage.clone() else {
        req.extensions_mut().insert(Forbidden);
        return Loaded::SignedIn;
    };
    let Ok(data) = page(state, me, province, &rules).await else {
        return Loaded::SignedIn;
    };
    let texts = rules
        .texts
        .iter()
        .map(|(lang, t)| (lang.clone(), (t.basic_skills.clone(), t.identity.clone())))
        .collect();
    req.extensions_mut().insert(CoverageData { texts, ..data });
    Loaded::SignedIn
}

async fn page(
    state: &AppState,
    me: &Account,
    province: bool,
    rules: &Rules,
) -> Result<CoverageData, DbError> {
    let place = areas::get(&state.db, &me.area_id)
        .await?
        .map(|a| format!("{} {}", a.kind, a.name))
        .unwrap_or_default();
    let tallies = if province {
        coverage::by_commune(&state.db, now_ms()).await?
    } else {
        coverage::by_village(&state.db, &me.area_id, now_ms()).await?
    };
    // Every place of the level, counted or not (a village nobody paired in yet shows 0).
    let places = areas::children(&state.db, &me.area_id).await?;
    let mut rows: Vec<(u64, CoverageRow)> = places
        .iter()
        .map(|a| {
            let t = tallies
                .get(&Some(a.area_id.clone()))
                .cloned()
                .unwrap_or_default();
            (
                t.adults.basic_skills,
                row(format!("{} {}", a.kind, a.name), &t),
            )
        })
        .collect();
    // The province's communes ranked, as in the plan's emulation campaigns: by adults
    // with basic skills (by share of target once denominators are entered).
    if province {
        rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    }
    let total = tallies
        .iter()
        .filter(|(k, _)| province || k.is_some())
        .fold(Tally::default(), |mut all, (_, t)| {
            all.merge(t);
            all
        });
    let year = this_year();
    let population = coverage::population_of(&state.db, &me.area_id, year).await?;
    Ok(CoverageData {
        place: place.clone(),
        province,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        total: row(place, &total),
        texts: Default::default(),
        as_of_ms: now_ms(),
        pending: coverage::pending(&state.db).await?,
        year,
        targets: target_rows(rules, &total, &population, year, province),
        population: POPULATIONS
            .iter()
            .map(|(kind, _)| (kind.to_string(), population.get(*kind).copied()))
            .collect(),
    })
}

/// This year on Vietnam's clock.
fn this_year() -> i32 {
    vietnam_day(now_ms())
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(2026)
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
    if !(2025..=2035).contains(&year) {
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
    for (kind, people) in values {
        let saved = coverage::set_population(
            &state.db,
            &me.area_id,
            year,
            kind,
            people,
            &me.account_id,
            now_ms(),
        )
        .await;
        if saved.is_err() {
            return back(HERE, "e=unavailable");
        }
    }
    back(HERE, "m=population_saved")
}

const HERE: &str = "/coverage";

/// A place's counts as an official may see them.
fn row(name: String, t: &Tally) -> CoverageRow {
    let learning: u64 = t.learning_by_age.values().sum();
    CoverageRow {
        name,
        households: shown(t.households),
        learning: shown(learning),
        adults: shown(t.adults.people),
        adults_basic: shown(t.adults.basic_skills),
        identity_self: shown(t.identity_self),
        identity_confirmed: shown(t.identity_confirmed),
        digital_families: shown(t.digital_families),
        traders: shown(t.traders_4t),
    }
}
