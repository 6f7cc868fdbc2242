//! The team page (`GET /team`: a lead's own team, an official's commune's teams) and a
//! community session recorded by a volunteer or a lead (`POST /sessions`). Only counts
//! and names of the team's own people reach these pages: never a household's learners.

use super::{back, viewer, Loaded};
use crate::db::accounts::Account;
use crate::db::team::{self, Member, NewSession, SessionError};
use crate::db::{areas, now_ms, random_bytes, DbError};
use crate::state::AppState;
use app::domain::event::uuid_v7;
use app::domain::role::Role;
use app::domain::time::vietnam_day;
use app::people::{Forbidden, MemberRow, Place, SessionForm, TeamCard, TeamData};
use axum::extract::{FromRequest, Request, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// How many sessions the pages list.
const LATEST: i64 = 10;

/// `GET /team`.
pub async fn load_page(state: &AppState, me: Option<&Account>, req: &mut Request) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    let teams = match me.role {
        Role::Lead => team::team_of(&state.db, me).await.map(|t| vec![t]),
        Role::Official => team::commune_teams(&state.db, &me.area_id).await,
        _ => {
            req.extensions_mut().insert(Forbidden);
            return Loaded::SignedIn;
        }
    };
    let Ok(teams) = teams else {
        return Loaded::SignedIn;
    };
    let people: Vec<String> = teams
        .iter()
        .flat_map(|t| t.lead.iter().chain(&t.volunteers))
        .map(|m| m.account.account_id.clone())
        .collect();
    let (Ok(sessions), Ok(form)) = (
        team::sessions_by(&state.db, &me.area_id, &people, LATEST).await,
        session_form(state, me).await,
    ) else {
        return Loaded::SignedIn;
    };
    let row = |m: &Member| MemberRow {
        name: m.account.display_name.clone(),
        mentees: m.mentees,
        visits: m.visits,
        sessions: m.sessions,
    };
    req.extensions_mut().insert(TeamData {
        teams: teams
            .iter()
            .map(|t| TeamCard {
                lead: t.lead.as_ref().map(row),
                volunteers: t.volunteers.iter().map(row).collect(),
            })
            .collect(),
        sessions,
        form: (me.role == Role::Lead).then_some(form),
    });
    Loaded::SignedIn
}

/// The session form for `me`: a fresh id, today, the villages of the commune.
pub async fn session_form(state: &AppState, me: &Account) -> Result<SessionForm, DbError> {
    let now = now_ms();
    let villages = areas::children(&state.db, &me.area_id).await?;
    Ok(SessionForm {
        account_id: me.account_id.clone(),
        session_id: uuid_v7(now, random_bytes()),
        today: vietnam_day(now),
        villages: villages
            .into_iter()
            .map(|v| Place {
                id: v.area_id,
                kind: v.kind,
                name: v.name,
                count: 0,
            })
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct SessionPost {
    #[serde(default)]
    account: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    village: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    topic1: String,
    #[serde(default)]
    topic2: String,
    #[serde(default)]
    topic3: String,
    #[serde(default)]
    attendees: String,
}

/// `POST /sessions`: a community learning session, back to the page it was recorded on.
pub async fn record(State(state): State<AppState>, req: Request) -> Response {
    let Some(me) = viewer(&state, req.headers()).await else {
        return back("/sign-in", "next=/account");
    };
    let here = if me.role == Role::Lead {
        "/team"
    } else {
        "/mentees"
    };
    let Ok(Form(form)) = Form::<SessionPost>::from_request(req, &state).await else {
        return back(here, "e=bad_session");
    };
    if !super::mentees::same_account(&me, &form.account) {
        return back(here, "e=other_account");
    }
    if !super::mentees::not_after_today(form.day.trim()) {
        return back(here, "e=bad_session");
    }
    let Ok(attendees) = form.attendees.trim().parse::<u32>() else {
        return back(here, "e=bad_session");
    };
    let Some(topics) =
        super::mentees::lesson_topics(&state, [form.topic1, form.topic2, form.topic3])
    else {
        return back(here, "e=bad_session");
    };
    let session = NewSession {
        session_id: form.event,
        village_id: (!form.village.is_empty()).then_some(form.village),
        day: form.day.trim().to_string(),
        place: form.place.split_whitespace().collect::<Vec<_>>().join(" "),
        topics,
        attendees,
    };
    match team::record_session(&state.db, &me, &session, now_ms()).await {
        Ok(_) => back(here, "m=session_recorded"),
        Err(SessionError::NotAllowed) => back("/account", "e=not_allowed"),
        Err(SessionError::BadVillage) => back(here, "e=bad_village"),
        Err(SessionError::Bad(_)) => back(here, "e=bad_session"),
        Err(SessionError::Db(_)) => back(here, "e=unavailable"),
    }
}
