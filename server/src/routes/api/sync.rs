//! `POST /api/v2/sync`: push a batch of events, pull what the household's other phones
//! sent (docs/SYNC.md). Version 1 phones are asked to update: they keep their events
//! until the new release has their person's consent and sends them.

use super::auth::Device;
use super::error::{messages, ApiError, Refusal};
use crate::db::devices;
use crate::db::events::{self, Cursor, Outcome, PushError};
use crate::db::now_ms;
use crate::state::AppState;
use app::domain::event::{Event, Kind};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// At most this many events in one push.
pub const MAX_BATCH: usize = 500;
/// At most this many events returned by one pull.
pub const MAX_PULL: i64 = 500;
/// A request body larger than this is refused before it is read (a full batch of 500
/// events is about 150 KB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Deserialize)]
pub struct SyncRequest {
    #[serde(default)]
    events: Vec<Event>,
    /// The cursor of the last answer; absent the first time.
    #[serde(default)]
    cursor: Option<Cursor>,
    /// The version of the consent text the person accepted.
    #[serde(default)]
    consent: String,
}

/// One event's outcome, with the reason of a refusal in every language.
#[derive(Serialize, Deserialize)]
pub struct EventResult {
    #[serde(flatten)]
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<BTreeMap<String, String>>,
}

#[derive(Serialize, Deserialize)]
pub struct SyncResponse {
    pub results: Vec<EventResult>,
    pub events: Vec<Event>,
    pub cursor: Cursor,
    /// True when more events wait beyond this pull.
    pub more: bool,
    /// True when the phone's cursor was void: it must send all its own events again.
    pub reset: bool,
    /// The household this phone is in now, and its proof of membership.
    pub household_id: String,
    pub cert: String,
}

pub async fn sync(
    State(state): State<AppState>,
    device: Device,
    body: Result<Json<SyncRequest>, JsonRejection>,
) -> Result<Json<SyncResponse>, ApiError> {
    let Json(req) = body?;
    if req.events.len() > MAX_BATCH {
        return Err(Refusal::BatchTooLarge.into());
    }
    if req.consent != state.consent_version() {
        return Err(Refusal::ConsentRequired.into());
    }
    let now = now_ms();
    let pushed = events::push_consented(
        &state.db,
        &device.device_id,
        Some(&req.consent),
        &req.events,
        now,
    )
    .await;
    let (household_id, outcomes) = match pushed {
        Ok(done) => done,
        Err(PushError::NoDevice) => return Err(Refusal::DeviceRemoved.into()),
        Err(PushError::Full) => return Err(Refusal::HouseholdFull.into()),
        Err(PushError::Db(e)) => return Err(e.into()),
    };
    let pulled = events::pull(
        &state.db,
        &household_id,
        &device.device_id,
        req.cursor.as_ref(),
        MAX_PULL,
    )
    .await?;
    let results = results(&state, outcomes);
    Ok(Json(SyncResponse {
        results,
        events: pulled.events,
        cursor: pulled.cursor,
        more: pulled.more,
        reset: pulled.reset,
        cert: devices::certificate(&state.db, &device.device_id, &household_id),
        household_id,
    }))
}

#[derive(Deserialize)]
pub struct EndRequest {
    events: Vec<Event>,
}

/// `POST /api/v2/household/mentors/end`: the household's endings of volunteer links
/// (`mentor_ended` events of this phone), taken even when the person has withdrawn the
/// consent to send: an ending sends nothing about anyone, and the volunteer must stop
/// seeing the family at once. Any other kind in the batch is refused whole.
pub async fn end_links(
    State(state): State<AppState>,
    device: Device,
    body: Result<Json<EndRequest>, JsonRejection>,
) -> Result<Json<Vec<EventResult>>, ApiError> {
    let Json(req) = body?;
    if req.events.len() > MAX_BATCH {
        return Err(Refusal::BatchTooLarge.into());
    }
    if req
        .events
        .iter()
        .any(|e| e.kind != Kind::MentorEnded.as_str())
    {
        return Err(Refusal::Malformed.into());
    }
    let (_, outcomes) =
        match events::push(&state.db, &device.device_id, &req.events, now_ms()).await {
            Ok(done) => done,
            Err(PushError::NoDevice) => return Err(Refusal::DeviceRemoved.into()),
            Err(PushError::Full) => return Err(Refusal::HouseholdFull.into()),
            Err(PushError::Db(e)) => return Err(e.into()),
        };
    Ok(Json(results(&state, outcomes)))
}

/// Outcomes with the reason of each refusal in every language.
fn results(state: &AppState, outcomes: Vec<Outcome>) -> Vec<EventResult> {
    outcomes
        .into_iter()
        .map(|outcome| {
            let messages = match &outcome {
                Outcome::Rejected { code, .. } => {
                    Some(messages(&state.content, &format!("event.{code}")))
                }
                _ => None,
            };
            EventResult { outcome, messages }
        })
        .collect()
}

/// Any version 1 request: the phone runs the release before this one, and is asked to
/// update (its page offers "update now"); nothing is stored.
pub async fn version_1() -> ApiError {
    Refusal::UpdateRequired.into()
}
