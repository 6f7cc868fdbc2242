//! The coverage page (`GET /coverage`, issue 11): a commune official's villages, an
//! administrator's communes, each with what the coverage summaries add up to
//! (db/coverage.rs). Only counts reach it, and a count of fewer than five people or
//! households is shown as "< 5": never a name, an answer or a note.

use super::Loaded;
use crate::coverage::count::{shown, Tally};
use crate::db::accounts::Account;
use crate::db::{areas, coverage, now_ms, DbError};
use crate::state::AppState;
use app::domain::role::Role;
use app::people::{CoverageData, CoverageRow, Forbidden};
use axum::extract::Request;

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
    let Ok(data) = page(state, me, province).await else {
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

async fn page(state: &AppState, me: &Account, province: bool) -> Result<CoverageData, DbError> {
    let place = areas::get(&state.db, &me.area_id)
        .await?
        .map(|a| format!("{} {}", a.kind, a.name))
        .unwrap_or_default();
    let tallies = if province {
        coverage::by_commune(&state.db).await?
    } else {
        coverage::by_village(&state.db, &me.area_id).await?
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
    Ok(CoverageData {
        place: place.clone(),
        province,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        total: row(place, &total),
        texts: Default::default(),
        as_of_ms: now_ms(),
        pending: coverage::pending(&state.db).await?,
    })
}

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
