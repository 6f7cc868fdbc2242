//! Places: the province's communes (administrators), a commune's villages (its official
//! and administrators): adding one, importing a list, renaming.

use super::access::{may_keep, may_rename};
use super::{back, viewer, Loaded};
use crate::db::accounts::Account;
use crate::db::areas::{self, Level, PlaceError};
use crate::db::now_ms;
use crate::state::AppState;
use app::domain::role::Role;
use app::people::{AreaData, AreasData, Forbidden, Place};
use axum::extract::{FromRequest, Path, Request, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

fn place(a: &areas::Area, count: usize) -> Place {
    Place {
        id: a.area_id.clone(),
        kind: a.kind.clone(),
        name: a.name.clone(),
        count,
    }
}

/// `GET /areas`: an administrator's list of communes; an official goes to their own.
pub async fn load_list(state: &AppState, me: Option<&Account>, req: &mut Request) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    match me.role {
        Role::Admin => {}
        Role::Official => return Loaded::Redirect(format!("/areas/{}", me.area_id)),
        _ => {
            req.extensions_mut().insert(Forbidden);
            return Loaded::SignedIn;
        }
    }
    let Ok(Some(province)) = areas::the_province(&state.db).await else {
        return Loaded::SignedIn;
    };
    let Ok(communes) = areas::children(&state.db, &province.area_id).await else {
        return Loaded::SignedIn;
    };
    let counts = areas::child_counts(&state.db, &province.area_id)
        .await
        .unwrap_or_default();
    req.extensions_mut().insert(AreasData {
        province: province.name,
        communes: communes
            .iter()
            .map(|c| place(c, counts.get(&c.area_id).copied().unwrap_or(0)))
            .collect(),
    });
    Loaded::SignedIn
}

/// `GET /areas/{id}`: a commune and its villages, for whoever may keep them.
pub async fn load_one(
    state: &AppState,
    me: Option<&Account>,
    path: &str,
    req: &mut Request,
) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    let id = path.trim_start_matches("/areas/");
    let area = areas::get(&state.db, id).await.ok().flatten();
    let Some(area) = area.filter(|a| a.level == Level::Commune && may_keep(me, a)) else {
        // Somewhere else's, or nowhere: the same answer, so nobody learns which ids exist.
        req.extensions_mut().insert(Forbidden);
        return Loaded::SignedIn;
    };
    let Ok(villages) = areas::children(&state.db, &area.area_id).await else {
        return Loaded::SignedIn;
    };
    req.extensions_mut().insert(AreaData {
        area: place(&area, villages.len()),
        villages: villages.iter().map(|v| place(v, 0)).collect(),
        can_edit: true,
        up: (me.role == Role::Admin).then(|| "/areas".to_string()),
    });
    Loaded::SignedIn
}

/// The account posting a form about `area_id`, if it may keep that place.
async fn keeper(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    area_id: &str,
) -> Option<(Account, areas::Area)> {
    let me = viewer(state, headers).await?;
    let area = areas::get(&state.db, area_id).await.ok()??;
    may_keep(&me, &area).then_some((me, area))
}

fn code_of(e: &PlaceError) -> &'static str {
    match e {
        PlaceError::Taken => "name_taken",
        PlaceError::Name(_) => "bad_place",
        PlaceError::NotFound | PlaceError::NoChildren => "not_allowed",
        PlaceError::Db(_) => "unavailable",
    }
}

#[derive(Deserialize)]
pub struct AddForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

/// `POST /areas/{id}/villages`.
pub async fn add(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let Some((_, commune)) = keeper(&state, &req.headers().clone(), &id)
        .await
        .filter(|(_, a)| a.level == Level::Commune)
    else {
        return back("/account", "e=not_allowed");
    };
    let here = format!("/areas/{}", commune.area_id);
    let Ok(Form(form)) = Form::<AddForm>::from_request(req, &state).await else {
        return back(&here, "e=bad_place");
    };
    match areas::add(
        &state.db,
        &commune.area_id,
        &form.kind,
        &form.name,
        now_ms(),
    )
    .await
    {
        Ok(_) => back(&here, "m=added"),
        Err(e) => back(&here, &format!("e={}", code_of(&e))),
    }
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
}

/// `POST /areas/{id}/import`: adds what the list has and the commune lacks; the page
/// then says what was added, what was there, and which lines it could not take.
pub async fn import(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let Some((_, commune)) = keeper(&state, &req.headers().clone(), &id)
        .await
        .filter(|(_, a)| a.level == Level::Commune)
    else {
        return back("/account", "e=not_allowed");
    };
    let here = format!("/areas/{}", commune.area_id);
    let Ok(Form(form)) = Form::<ImportForm>::from_request(req, &state).await else {
        return back(&here, "e=bad_place");
    };
    match areas::import(&state.db, &commune.area_id, &form.csv, now_ms()).await {
        Ok(plan) => {
            // The first 20 problems, by line: enough to act on, short enough for an address.
            let problems: Vec<String> = plan
                .problems
                .iter()
                .take(20)
                .map(|(line, code)| format!("{line}.{code}"))
                .collect();
            back(
                &here,
                &format!(
                    "added={}&present={}&problems={}",
                    plan.add.len(),
                    plan.present.len(),
                    problems.join(",")
                ),
            )
        }
        Err(e) => back(&here, &format!("e={}", code_of(&e))),
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

/// `POST /areas/{id}/rename`: a village (or commune) gets a new name and keeps its id.
pub async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let Some((_, area)) = keeper(&state, &req.headers().clone(), &id)
        .await
        .filter(|(me, area)| may_rename(me, area))
    else {
        return back("/account", "e=not_allowed");
    };
    let here = format!(
        "/areas/{}",
        area.parent_id
            .clone()
            .filter(|_| area.level == Level::Village)
            .unwrap_or(area.area_id.clone())
    );
    let Ok(Form(form)) = Form::<RenameForm>::from_request(req, &state).await else {
        return back(&here, "e=bad_place");
    };
    match areas::rename(&state.db, &area.area_id, &form.name, now_ms()).await {
        Ok(()) => back(&here, "m=renamed"),
        Err(e) => back(&here, &format!("e={}", code_of(&e))),
    }
}
