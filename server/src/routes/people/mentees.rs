//! A volunteer's households: the page (`GET /mentees`), a new pairing code
//! (`POST /mentees/code`), and what the volunteer records about a household — a skill
//! seen done (`POST /mentees/{household}/confirm`), a visit (`POST /mentees/visit`). Only a
//! volunteer has households; what each shows comes from the households that agree to
//! this volunteer now (db/mentoring.rs), and a record reaches only those
//! (db/records.rs).

use super::{back, signed_in_form, viewer, Loaded};
use crate::db::accounts::Account;
use crate::db::events::Outcome;
use crate::db::mentoring::{self, MentorError};
use crate::db::records::{self, Handoff, RecordError};
use crate::db::team;
use crate::db::{now_ms, random_bytes};
use crate::state::AppState;
use app::domain::event::{uuid_v7, Action, Event};
use app::domain::mentor::normalise_handoff;
use app::domain::role::Role;
use app::domain::time::vietnam_day;
use app::people::{CodeShown, Forbidden, MenteeCard, MenteesData};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use serde::Deserialize;

const HERE: &str = "/mentees";

/// `GET /mentees`.
pub async fn load_page(state: &AppState, me: Option<&Account>, req: &mut Request) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    if me.role != Role::Volunteer {
        req.extensions_mut().insert(Forbidden);
        return Loaded::SignedIn;
    }
    let now = now_ms();
    let (Ok(mentees), Ok(codes), Ok(sessions), Ok(session_form)) = (
        mentoring::mentees(&state.db, &me.account_id).await,
        mentoring::live_codes(&state.db, &me.account_id, now).await,
        team::sessions_by(
            &state.db,
            &me.area_id,
            std::slice::from_ref(&me.account_id),
            5,
        )
        .await,
        super::team::session_form(state, me).await,
    ) else {
        return Loaded::SignedIn;
    };
    let origin = state.origin(req.headers());
    req.extensions_mut().insert(MenteesData {
        mentees: mentees
            .into_iter()
            .map(|m| MenteeCard {
                household_id: m.household_id,
                village: m.village_name,
                since_ms: m.since_ms,
                view: m.view,
                confirm_id: uuid_v7(now, random_bytes()),
            })
            .collect(),
        today: vietnam_day(now),
        now_ms: now,
        visit_id: uuid_v7(now, random_bytes()),
        handoff_id: uuid_v7(now, random_bytes()),
        sessions,
        // The commune's villages: for a pairing code, as for a session.
        villages: session_form.villages.clone(),
        session_form,
        codes: codes
            .into_iter()
            .map(|c| CodeShown {
                // The QR code opens the household's Tôi page with the code filled in,
                // with any camera app: no scanner needed on the household's phone.
                qr_svg: crate::qr::svg(&format!("{origin}/me?pair={}", c.code)),
                code: c.code,
                village: c.village_name,
                expires_ms: c.expires_ms,
            })
            .collect(),
    });
    Loaded::SignedIn
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    village: String,
}

/// `POST /mentees/code`: a new pairing code for a village of the volunteer's commune.
pub async fn make_code(State(state): State<AppState>, req: Request) -> Response {
    let (me, form) =
        match signed_in_form::<CodeForm>(&state, req, "/mentees", HERE, "e=bad_village").await {
            Ok(got) => got,
            Err(answer) => return answer,
        };
    match mentoring::make_code(&state.db, &me, &form.village, now_ms()).await {
        Ok(_) => back(HERE, "m=code_made"),
        Err(MentorError::NotAllowed) => back("/account", "e=not_allowed"),
        Err(MentorError::BadVillage) => back(HERE, "e=bad_village"),
        Err(MentorError::Db(_)) => back(HERE, "e=unavailable"),
    }
}

/// `POST /mentees/code/{code}/revoke`: the volunteer stops one of their own codes.
pub async fn revoke_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let Some(me) = viewer(&state, req.headers()).await else {
        return back("/sign-in", "next=/mentees");
    };
    match mentoring::revoke_code(&state.db, &me.account_id, &code, now_ms()).await {
        Ok(true) => back(HERE, "m=code_revoked"),
        // Another volunteer's code, an unknown one, or one already stopped: nothing changes.
        Ok(false) => back(HERE, "e=not_allowed"),
        Err(_) => back(HERE, "e=unavailable"),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    person: String,
    /// `checklist/item`.
    #[serde(default)]
    item: String,
    /// For a household the page does not list yet (`/mentees/new/confirm`).
    #[serde(default)]
    handoff: String,
}

pub use app::pages::mentees::NEW_HOUSEHOLD;

/// The household a record is about, and for a household named by its household code,
/// the person who agreed (whom a sign-off is for). A household not yet on the server
/// answers `not_paired_yet`: the volunteer's phone keeps the record and sends it again
/// (public/sw-account.js).
async fn household_of(
    state: &AppState,
    me: &Account,
    household: &str,
    handoff: &str,
    bad: &str,
) -> Result<(String, Option<String>), Response> {
    if household != NEW_HOUSEHOLD {
        return Ok((household.to_string(), None));
    }
    let Some(handoff) = normalise_handoff(handoff) else {
        return Err(back(HERE, bad));
    };
    match records::by_handoff(&state.db, &me.account_id, &handoff, now_ms()).await {
        Ok(Handoff::Found {
            household_id,
            person,
        }) => Ok((household_id, Some(person))),
        Ok(Handoff::NotYet) => Err(back(HERE, "e=not_paired_yet")),
        Ok(Handoff::Ambiguous) => Err(back(HERE, "e=handoff_ambiguous")),
        Err(_) => Err(back(HERE, "e=unavailable")),
    }
}

/// `POST /mentees/{household}/confirm`: the volunteer saw a person of the household do
/// a checklist item.
pub async fn confirm(
    State(state): State<AppState>,
    Path(household): Path<String>,
    req: Request,
) -> Response {
    let (me, form) =
        match signed_in_form::<ConfirmForm>(&state, req, "/mentees", HERE, "e=bad_record").await {
            Ok(got) => got,
            Err(answer) => return answer,
        };
    if !same_account(&me, &form.account) {
        return back(HERE, "e=other_account");
    }
    // Only an item of the content's checklists can be signed off.
    let known = form.item.split_once('/').filter(|(checklist, item)| {
        state
            .content
            .checklist(checklist)
            .is_some_and(|c| c.items.iter().any(|i| i.id == *item))
    });
    let Some((checklist, item)) = known else {
        return back(HERE, "e=bad_record");
    };
    let (household, agreed) =
        match household_of(&state, &me, &household, &form.handoff, "e=bad_handoff").await {
            Ok(found) => found,
            Err(answer) => return answer,
        };
    // A household named by its code: the sign-off is for the person who agreed.
    let person = agreed.unwrap_or(form.person);
    let action = Action::SkillConfirmed {
        checklist: checklist.to_string(),
        item: item.to_string(),
        on: true,
        by: me.display_name.clone(),
    };
    keep(
        &state,
        &me,
        &household,
        &form.event,
        &person,
        &action,
        "m=confirmed",
    )
    .await
}

#[derive(Deserialize)]
pub struct VisitForm {
    #[serde(default)]
    household: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    topic1: String,
    #[serde(default)]
    topic2: String,
    #[serde(default)]
    topic3: String,
    #[serde(default)]
    note: String,
    /// When `household` is NEW_HOUSEHOLD.
    #[serde(default)]
    handoff: String,
}

/// `POST /mentees/visit`: the volunteer visited one of their households.
pub async fn visit(State(state): State<AppState>, req: Request) -> Response {
    let (me, form) =
        match signed_in_form::<VisitForm>(&state, req, "/mentees", HERE, "e=bad_visit").await {
            Ok(got) => got,
            Err(answer) => return answer,
        };
    if !same_account(&me, &form.account) {
        return back(HERE, "e=other_account");
    }
    let Ok(minutes) = form.minutes.trim().parse::<u32>() else {
        return back(HERE, "e=bad_visit");
    };
    if !not_after_today(form.day.trim()) {
        return back(HERE, "e=bad_visit");
    }
    let Some(topics) = lesson_topics(&state, [form.topic1, form.topic2, form.topic3]) else {
        return back(HERE, "e=bad_visit");
    };
    // A textarea's line breaks would be refused as control characters: one line.
    let note = form.note.split_whitespace().collect::<Vec<_>>().join(" ");
    let action = Action::VisitRecorded {
        day: form.day.trim().to_string(),
        minutes,
        topics,
        note,
        by: me.display_name.clone(),
    };
    let (household, _) =
        match household_of(&state, &me, &form.household, &form.handoff, "e=bad_handoff").await {
            Ok(found) => found,
            Err(answer) => return answer,
        };
    let me_id = me.account_id.clone();
    keep(
        &state,
        &me,
        &household,
        &form.event,
        &me_id,
        &action,
        "m=visit_recorded",
    )
    .await
}

/// The topics a form chose (up to three lessons; empty choices and repeats dropped), or
/// None if one is not a lesson of the content.
pub fn lesson_topics(state: &AppState, chosen: [String; 3]) -> Option<Vec<String>> {
    let mut topics: Vec<String> = Vec::new();
    for topic in chosen {
        if topic.is_empty() || topics.contains(&topic) {
            continue;
        }
        state.content.lesson(&topic)?;
        topics.push(topic);
    }
    Some(topics)
}

/// Whether a form was drawn for the account that sends it. A record kept on a shared
/// phone while one volunteer was signed in must not be sent in another's name: the
/// phone keeps it until its own volunteer signs in again (public/sw-account.js). A form
/// without the field (drawn by an earlier release) is taken as the sender's.
pub fn same_account(me: &Account, drawn_for: &str) -> bool {
    drawn_for.is_empty() || drawn_for == me.account_id
}

/// A day no later than tomorrow on Vietnam's clock (a phone's date may run a little
/// ahead): a visit or a session is recorded after it happened.
pub fn not_after_today(day: &str) -> bool {
    day <= vietnam_day(now_ms() + 24 * 3600 * 1000).as_str()
}

/// Records one action of the volunteer about a household, and sends them back to the
/// page with what happened.
async fn keep(
    state: &AppState,
    me: &Account,
    household: &str,
    event_id: &str,
    profile_id: &str,
    action: &Action,
    done: &str,
) -> Response {
    let now = now_ms();
    let event = Event::new(
        &records::device_of(me),
        profile_id,
        event_id.to_string(),
        now,
        action,
    );
    let bad = match action {
        Action::VisitRecorded { .. } => "e=bad_visit",
        _ => "e=bad_record",
    };
    match records::record(&state.db, me, household, std::slice::from_ref(&event), now).await {
        Ok(outcomes) => match outcomes.first() {
            Some(Outcome::Applied { .. } | Outcome::Duplicate { .. }) => back(HERE, done),
            // The same form sent again a moment later (its answer was lost): the event
            // id is this volunteer's own, and only its time differs — recorded once.
            Some(Outcome::Rejected { code, .. }) if code == "id_reused" => back(HERE, done),
            _ => back(HERE, bad),
        },
        // Another volunteer's household, one that ended the link, or not a volunteer:
        // nothing is stored, and nothing says whether the household exists.
        Err(RecordError::NotMentee) => back(HERE, "e=not_mentee"),
        Err(RecordError::Full) => back(HERE, bad),
        Err(RecordError::Db(_)) => back(HERE, "e=unavailable"),
    }
}
