//! What a volunteer records about a household that agrees to them: a practical skill
//! seen done, a visit. Each is an event of the household's own stream, stored once by
//! its id like any other (events::store), so the family's phones receive it on their
//! next pull and the volunteer's page folds it with the rest.

use super::accounts::Account;
use super::events::{self, Outcome, PushError};
use super::{DbError, WriteTx};
use crate::db::Db;
use app::domain::event::{Action, Event, EventError, Reason, Recorder};
use app::domain::mentor::handoff_of;
use app::domain::role::Role;

/// Why nothing a volunteer sent was stored.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Not a volunteer, or the household does not (or no longer) agree to this one.
    #[error("the household does not agree to this volunteer")]
    NotMentee,
    #[error("the household is full")]
    Full,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for RecordError {
    fn from(e: sqlx::Error) -> Self {
        RecordError::Db(e.into())
    }
}

impl From<PushError> for RecordError {
    fn from(e: PushError) -> Self {
        match e {
            PushError::Full => RecordError::Full,
            PushError::NoDevice => RecordError::NotMentee,
            PushError::Db(e) => RecordError::Db(e),
        }
    }
}

/// The device id a volunteer's records carry: never a phone's (those are UUIDs), so
/// the household's phones all receive them, and the same for every phone the
/// volunteer signs in on, so a retry from any of them is the same event.
pub fn device_of(volunteer: &Account) -> String {
    device_id_of(&volunteer.account_id)
}

pub fn device_id_of(account_id: &str) -> String {
    format!("volunteer-{account_id}")
}

/// Stores a volunteer's records about one household, in one transaction, if the
/// household agrees to this volunteer now; says per event what happened.
pub async fn record(
    db: &Db,
    volunteer: &Account,
    household_id: &str,
    records: &[Event],
    now_ms: i64,
) -> Result<Vec<Outcome>, RecordError> {
    if volunteer.role != Role::Volunteer {
        return Err(RecordError::NotMentee);
    }
    let mut w = db.write().await?;
    // The household's row lock first, as a push that ends the agreement takes it when it
    // rebuilds the mentorships: the check below and the store see one state.
    let locked = sqlx::query("UPDATE households SET last_seq = last_seq WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut **w)
        .await?;
    if locked.rows_affected() != 1 || !agrees(&mut w, household_id, &volunteer.account_id).await? {
        return Err(RecordError::NotMentee);
    }
    let device = device_of(volunteer);
    let mut checked = Vec::with_capacity(records.len());
    for event in records {
        checked.push(check(&mut w, volunteer, &device, household_id, event, now_ms).await?);
    }
    let outcomes = events::store(&mut w, household_id, records, checked, now_ms).await?;
    w.commit().await?;
    Ok(outcomes)
}

async fn agrees(
    w: &mut WriteTx<'_>,
    household_id: &str,
    volunteer_id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT active FROM mentorships WHERE household_id = $1 AND volunteer_id = $2 AND active = 1",
    )
    .bind(household_id)
    .bind(volunteer_id)
    .fetch_optional(&mut ***w)
    .await?;
    Ok(row.is_some())
}

/// One record's checks besides the event's own: the volunteer's kinds only, signed with
/// the volunteer's own name, about a person of this household (a sign-off) or by the
/// volunteer (a visit).
async fn check<'e>(
    w: &mut WriteTx<'_>,
    volunteer: &Account,
    device: &str,
    household_id: &str,
    event: &'e Event,
    now_ms: i64,
) -> Result<Result<&'e Event, EventError>, sqlx::Error> {
    if event.device_id != device {
        return Ok(Err(EventError::new(
            Reason::OtherDevice,
            "event belongs to another device",
        )));
    }
    let action = match event.validate(now_ms) {
        Ok(action) if action.kind().recorder() == Recorder::Volunteer => action,
        Ok(_) => {
            return Ok(Err(EventError::new(
                Reason::Kind,
                format!("a volunteer does not record {}", event.kind),
            )))
        }
        Err(e) => return Ok(Err(e)),
    };
    let by = match &action {
        Action::SkillConfirmed { by, .. } | Action::VisitRecorded { by, .. } => by,
        _ => unreachable!("only the volunteer's kinds pass the check above"),
    };
    if by.trim() != volunteer.display_name.trim() {
        return Ok(Err(EventError::new(
            Reason::Payload,
            "by is not the volunteer's own name",
        )));
    }
    let person_ok = match action {
        Action::SkillConfirmed { .. } => is_person(w, household_id, &event.profile_id).await?,
        _ => event.profile_id == volunteer.account_id,
    };
    Ok(if person_ok {
        Ok(event)
    } else {
        Err(EventError::new(
            Reason::BadProfile,
            "not a person of this household",
        ))
    })
}

/// Whether the household has a person with this id: one of its phones recorded
/// something for them (a volunteer's records do not make a person).
async fn is_person(
    w: &mut WriteTx<'_>,
    household_id: &str,
    profile_id: &str,
) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT event_id FROM events WHERE household_id = $1 AND profile_id = $2 \
         AND device_id NOT LIKE 'volunteer-%' LIMIT 1",
    )
    .bind(household_id)
    .bind(profile_id)
    .fetch_optional(&mut ***w)
    .await?;
    Ok(row.is_some())
}

/// What a household code names among a volunteer's households.
#[derive(Debug, PartialEq, Eq)]
pub enum Handoff {
    /// The household, and the person who agreed (whom a sign-off is for).
    Found {
        household_id: String,
        person: String,
    },
    /// None of the households that agree to this volunteer now (yet).
    NotYet,
    /// More than one: 25 bits can repeat; the volunteer records it after the next sync,
    /// when the page lists the household by name.
    Ambiguous,
}

/// How long after agreeing a household can be named by its code: an agreement made on an
/// offline phone may arrive up to mentoring::LATE_AGREEMENT_MS after its code expired.
pub const HANDOFF_WINDOW_MS: i64 =
    super::mentoring::CODE_TTL_MS + super::mentoring::LATE_AGREEMENT_MS;

/// A household that agrees to this volunteer now, found by the household code of one of
/// its agreements to them (app::domain::mentor::handoff_of) made within
/// HANDOFF_WINDOW_MS — not only the latest: another person of the family may have agreed
/// again since the volunteer wrote the code down. What a volunteer's phone names a
/// household by before it lists it; nothing about a household that does not agree to
/// this volunteer, so a code says nothing of anyone else's households.
pub async fn by_handoff(
    db: &Db,
    volunteer_id: &str,
    handoff: &str,
    now_ms: i64,
) -> Result<Handoff, DbError> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT e.household_id, e.event_id, e.profile_id, e.payload, m.code \
         FROM mentorships m JOIN events e \
           ON e.household_id = m.household_id AND e.kind = 'mentor_paired' \
         WHERE m.volunteer_id = $1 AND m.active = 1 AND e.at_ms > $2",
    )
    .bind(volunteer_id)
    .bind(now_ms - HANDOFF_WINDOW_MS)
    .fetch_all(&db.pool)
    .await?;
    let mut found: Vec<(String, String)> = rows
        .into_iter()
        .filter(|(_, event_id, _, payload, code)| {
            handoff_of(event_id).as_deref() == Some(handoff)
                && serde_json::from_str::<serde_json::Value>(payload)
                    .is_ok_and(|p| p["code"].as_str() == Some(code.as_str()))
        })
        .map(|(household_id, _, person, _, _)| (household_id, person))
        .collect();
    found.sort();
    found.dedup();
    Ok(match found.as_slice() {
        [] => Handoff::NotYet,
        [(household_id, person)] => Handoff::Found {
            household_id: household_id.clone(),
            person: person.clone(),
        },
        _ => Handoff::Ambiguous,
    })
}
