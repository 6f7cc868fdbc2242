//! The team page (`GET /team`: a lead's own team, an official's commune's teams) and a
//! community session recorded by a volunteer or a lead (`POST /sessions`). Only counts
//! and names of the team's own people reach these pages: never a household's learners.

use super::{back, signed_in_form, viewer, Loaded};
use crate::db::accounts::Account;
use crate::db::handover::{self, HandoverError};
use crate::db::team::{self, Member, NewSession, SessionError};
use crate::db::{accounts, areas, now_ms, random_bytes, DbError};
use crate::state::AppState;
use app::domain::event::uuid_v7;
use app::domain::role::Role;
use app::domain::time::vietnam_day;
use app::people::{
    CommuneRow, Forbidden, Handover, LeftRow, MemberRow, Place, SessionForm, TeamCard, TeamData,
};
use axum::extract::{FromRequest, Request, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

const HERE: &str = "/team";

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
        Role::Admin => return province_page(state, me, req).await,
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
        handover: match me.role {
            Role::Official => match handover_of(state, me).await {
                Ok(h) => Some(h),
                Err(_) => return Loaded::SignedIn,
            },
            _ => None,
        },
        province: Vec::new(),
    });
    Loaded::SignedIn
}

/// An administrator's view: each commune's totals.
async fn province_page(state: &AppState, me: &Account, req: &mut Request) -> Loaded {
    let Ok(totals) = team::province_totals(&state.db, &me.area_id).await else {
        return Loaded::SignedIn;
    };
    req.extensions_mut().insert(TeamData {
        teams: Vec::new(),
        sessions: Vec::new(),
        form: None,
        handover: None,
        province: totals
            .into_iter()
            .map(|c| CommuneRow {
                name: format!("{} {}", c.kind, c.name),
                volunteers: c.volunteers,
                households: c.households,
                visits: c.visits,
                sessions: c.sessions,
            })
            .collect(),
    });
    Loaded::SignedIn
}

/// An official's choices when someone of the commune leaves.
async fn handover_of(state: &AppState, me: &Account) -> Result<Handover, DbError> {
    let people = accounts::in_area(&state.db, &me.area_id).await?;
    let left = handover::left_in_commune(&state.db, &me.area_id, now_ms()).await?;
    let of = |roles: &[Role]| {
        people
            .iter()
            .filter(|a| roles.contains(&a.role))
            .map(|a| (a.account_id.clone(), a.display_name.clone(), a.role))
            .collect::<Vec<_>>()
    };
    Ok(Handover {
        people: of(&[Role::Lead, Role::Volunteer])
            .into_iter()
            .map(|(id, name, role)| (id, name, role.code().to_string()))
            .collect(),
        volunteers: of(&[Role::Volunteer])
            .into_iter()
            .map(|(id, name, _)| (id, name))
            .collect(),
        left: left
            .into_iter()
            .map(|l| LeftRow {
                account_id: l.account_id,
                name: l.name,
                households: l.households,
                offered: l.offered,
            })
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    account: String,
    /// The box the official ticks to say the person has left.
    #[serde(default)]
    confirm: String,
}

/// `POST /team/left`: an official closes the account of a volunteer or lead of the
/// commune who left.
pub async fn close(State(state): State<AppState>, req: Request) -> Response {
    let (me, form) =
        match signed_in_form::<CloseForm>(&state, req, "/team", HERE, "e=not_allowed").await {
            Ok(got) => got,
            Err(answer) => return answer,
        };
    if me.role != Role::Official {
        return back("/account", "e=not_allowed");
    }
    if form.confirm != "yes" {
        return back(HERE, "e=confirm_left");
    }
    match handover::close(&state.db, &me, &form.account, now_ms()).await {
        Ok(()) => back(HERE, "m=left"),
        Err(HandoverError::NotAllowed) => back(HERE, "e=not_allowed"),
        Err(HandoverError::Db(_)) => back(HERE, "e=unavailable"),
    }
}

#[derive(Deserialize)]
pub struct OfferForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `POST /team/offer`: an official offers the households of a volunteer who left to
/// another volunteer of the commune; each household answers on its own phone.
pub async fn offer(State(state): State<AppState>, req: Request) -> Response {
    let (me, form) =
        match signed_in_form::<OfferForm>(&state, req, "/team", HERE, "e=not_allowed").await {
            Ok(got) => got,
            Err(answer) => return answer,
        };
    if me.role != Role::Official {
        return back("/account", "e=not_allowed");
    }
    match handover::offer(&state.db, &me, &form.from, &form.to, now_ms()).await {
        Ok(0) => back(HERE, "m=offered_none"),
        Ok(_) => back(HERE, "m=offered"),
        Err(HandoverError::NotAllowed) => back(HERE, "e=not_allowed"),
        Err(HandoverError::Db(_)) => back(HERE, "e=unavailable"),
    }
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
