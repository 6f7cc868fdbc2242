//! Volunteers and the households that agreed to them: the pairing codes a volunteer
//! makes, the check a household's pairing event passes when it is pushed, and the
//! `mentorships` rebuilt from the household's own events, which decide what a
//! volunteer may see.

use super::accounts::Account;
use super::areas::{self, Level};
use super::{Db, DbError, WriteTx};
use app::domain::event::{
    Action, Event, EventError, HouseholdView, Kind, Reason, MAX_CLOCK_SKEW_MS,
};
use app::domain::role::Role;

/// How long a pairing code works: a week of door-to-door visits. An agreement made on
/// an offline phone counts by when the person agreed, so it may arrive later.
pub const CODE_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long after a code expired an agreement made while it worked may still arrive:
/// a phone out of signal for weeks. Past this, the phone's own clock is not trusted to
/// say when the person agreed (a changed app could claim any time).
pub const LATE_AGREEMENT_MS: i64 = 30 * 24 * 3600 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum MentorError {
    #[error("only a volunteer makes pairing codes")]
    NotAllowed,
    #[error("not a village of the volunteer's commune")]
    BadVillage,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for MentorError {
    fn from(e: sqlx::Error) -> Self {
        MentorError::Db(e.into())
    }
}

/// A code a volunteer shows, and the village it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairingCode {
    pub code: String,
    pub village_id: String,
    pub village_name: String,
    pub expires_ms: i64,
}

/// A new pairing code for households of `village_id`, which must be a village of the
/// volunteer's commune.
pub async fn make_code(
    db: &Db,
    volunteer: &Account,
    village_id: &str,
    now_ms: i64,
) -> Result<PairingCode, MentorError> {
    if volunteer.role != Role::Volunteer {
        return Err(MentorError::NotAllowed);
    }
    let village = areas::get(db, village_id)
        .await?
        .filter(|a| a.level == Level::Village && a.parent_id.as_deref() == Some(&volunteer.area_id))
        .ok_or(MentorError::BadVillage)?;
    let code = super::households::new_code();
    let expires_ms = now_ms + CODE_TTL_MS;
    sqlx::query(
        "INSERT INTO pairing_codes (code, volunteer_id, village_id, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&code)
    .bind(&volunteer.account_id)
    .bind(&village.area_id)
    .bind(now_ms)
    .bind(expires_ms)
    .execute(&db.pool)
    .await?;
    Ok(PairingCode {
        code,
        village_id: village.area_id,
        village_name: village.name,
        expires_ms,
    })
}

/// The volunteer's codes that still work, newest first: not the codes of offers made to
/// them (db/handover.rs), which are for one household each and shown only to it.
pub async fn live_codes(
    db: &Db,
    volunteer_id: &str,
    now_ms: i64,
) -> Result<Vec<PairingCode>, DbError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT p.code, p.village_id, a.name, p.expires_ms FROM pairing_codes p \
         JOIN areas a ON a.area_id = p.village_id \
         WHERE p.volunteer_id = $1 AND p.expires_ms > $2 \
           AND NOT EXISTS (SELECT 1 FROM mentor_offers o WHERE o.code = p.code) \
         ORDER BY p.expires_ms DESC",
    )
    .bind(volunteer_id)
    .bind(now_ms)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, village_id, village_name, expires_ms)| PairingCode {
            code,
            village_id,
            village_name,
            expires_ms,
        })
        .collect())
}

/// Stops one of the volunteer's codes now (shown to the wrong person, say). Agreements
/// made while it worked still count, as for a code that expired; `false` if the code is
/// not this volunteer's or no longer works.
pub async fn revoke_code(
    db: &Db,
    volunteer_id: &str,
    code: &str,
    now_ms: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE pairing_codes SET expires_ms = $3 \
         WHERE code = $1 AND volunteer_id = $2 AND expires_ms > $3",
    )
    .bind(code)
    .bind(volunteer_id)
    .bind(now_ms)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether an action is about a volunteer (and so checked here, and rebuilds the
/// household's mentorships when stored).
pub fn is_pairing(kind: &str) -> bool {
    matches!(
        Kind::parse(kind),
        Some(Kind::MentorPaired | Kind::MentorEnded)
    )
}

/// Inside a push: whether a pairing event's code may be taken. An agreement needs a
/// code that worked when the person agreed; an ending, any code the server made.
pub(crate) async fn check(
    w: &mut WriteTx<'_>,
    household_id: &str,
    action: &Action,
    at_ms: i64,
    now_ms: i64,
) -> Result<Result<(), EventError>, sqlx::Error> {
    let (code, agreeing) = match action {
        Action::MentorPaired { code, .. } => (code, true),
        Action::MentorEnded { code } => (code, false),
        _ => return Ok(Ok(())),
    };
    // An offer's code (db/handover.rs) is for the household it was offered to alone.
    let row: Option<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT p.created_ms, p.expires_ms, o.household_id FROM pairing_codes p \
         LEFT JOIN mentor_offers o ON o.code = p.code WHERE p.code = $1",
    )
    .bind(code)
    .fetch_optional(&mut ***w)
    .await?;
    let fits = match row {
        None => false,
        Some((_, _, Some(offered_to))) if offered_to != household_id => false,
        Some(_) if !agreeing => true,
        // A phone's clock may run behind the server's by as much as it may run ahead.
        Some((created, expires, _)) => {
            at_ms <= expires
                && at_ms + MAX_CLOCK_SKEW_MS >= created
                && now_ms <= expires + LATE_AGREEMENT_MS
        }
    };
    Ok(if fits {
        Ok(())
    } else {
        Err(EventError::new(
            Reason::PairingCode,
            "unknown or expired pairing code",
        ))
    })
}

/// Rebuilds the household's mentorships from its own pairing events, by the rule the
/// phones fold them with: after a push that stored one, and after events moved
/// between households.
pub(crate) async fn rebuild(w: &mut WriteTx<'_>, household_id: &str) -> Result<(), sqlx::Error> {
    // The household's row lock (as a push takes for positions): two rebuilds of one
    // household never interleave on PostgreSQL. SQLite has one writer anyway.
    sqlx::query("UPDATE households SET last_seq = last_seq WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut ***w)
        .await?;
    let events = events_of(
        &mut ***w,
        household_id,
        "AND kind IN ('mentor_paired', 'mentor_ended')",
    )
    .await?;
    let view = HouseholdView::from_events(&events);
    sqlx::query("DELETE FROM mentorships WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut ***w)
        .await?;
    for (code, link) in &view.mentors.0 {
        sqlx::query(
            "INSERT INTO mentorships (household_id, code, volunteer_id, village_id, active, \
               profile_id, consent_version, at_ms) \
             SELECT $1, code, volunteer_id, village_id, $3, $4, $5, $6 FROM pairing_codes \
             WHERE code = $2",
        )
        .bind(household_id)
        .bind(code)
        .bind(i64::from(link.on))
        .bind(&link.profile_id)
        .bind(&link.consent)
        .bind(link.at_ms)
        .execute(&mut ***w)
        .await?;
    }
    Ok(())
}

/// After a phone left `household_id` for another family: if no phone is left there,
/// its agreements with volunteers end with it (their events and rows go, and what the
/// volunteers recorded there, so the empty household can be dropped); otherwise they
/// stay, the family's own.
pub(crate) async fn leave(w: &mut WriteTx<'_>, household_id: &str) -> Result<(), sqlx::Error> {
    // The household's row lock, as a volunteer's record takes it (db/records.rs).
    sqlx::query("UPDATE households SET last_seq = last_seq WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut ***w)
        .await?;
    let (phones,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM devices WHERE household_id = $1")
        .bind(household_id)
        .fetch_one(&mut ***w)
        .await?;
    if phones > 0 {
        return Ok(());
    }
    for table in ["mentorships", "mentor_offers"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE household_id = $1"))
            .bind(household_id)
            .execute(&mut ***w)
            .await?;
    }
    sqlx::query(
        "DELETE FROM events WHERE household_id = $1 \
         AND kind IN ('mentor_paired', 'mentor_ended', 'skill_confirmed', 'visit_recorded')",
    )
    .bind(household_id)
    .execute(&mut ***w)
    .await?;
    Ok(())
}

/// A household's events (with a filter on them), in their order.
pub(crate) async fn events_of<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    household_id: &str,
    filter: &str,
) -> Result<Vec<Event>, sqlx::Error> {
    events_timed(executor, household_id, filter, "at_ms").await
}

/// A household's events with `at` (an SQL expression of the row, ours) as their time.
pub(crate) async fn events_timed<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    household_id: &str,
    filter: &str,
    at: &str,
) -> Result<Vec<Event>, sqlx::Error> {
    type Row = (String, String, String, String, i64, i64, String);
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT event_id, device_id, profile_id, kind, schema_version, {at}, payload \
         FROM events WHERE household_id = $1 {filter} ORDER BY seq"
    ))
    .bind(household_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(event_id, device_id, profile_id, kind, schema_version, at_ms, payload)| Event {
                event_id,
                device_id,
                profile_id,
                kind,
                schema_version,
                at_ms,
                payload: serde_json::from_str(&payload).unwrap_or_default(),
            },
        )
        .collect())
}

/// A household a volunteer guides, as the volunteer sees it.
#[derive(Clone, Debug)]
pub struct Mentee {
    pub household_id: String,
    pub village_name: String,
    /// When the household (last) agreed.
    pub since_ms: i64,
    pub view: HouseholdView,
}

/// The households that agree to this volunteer now, the most recently paired first.
/// Nothing of a household that ended the link, or never made it.
pub async fn mentees(db: &Db, volunteer_id: &str) -> Result<Vec<Mentee>, DbError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT m.household_id, a.name, m.at_ms FROM mentorships m \
         JOIN areas a ON a.area_id = m.village_id \
         WHERE m.volunteer_id = $1 AND m.active = 1 ORDER BY m.at_ms DESC, m.household_id",
    )
    .bind(volunteer_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<Mentee> = Vec::new();
    for (household_id, village_name, since_ms) in rows {
        // Two of the volunteer's codes agreed to by one household: listed once.
        if out.iter().any(|m| m.household_id == household_id) {
            continue;
        }
        let events = events_of(
            &db.pool,
            &household_id,
            "AND kind NOT IN ('mentor_paired', 'mentor_ended')",
        )
        .await?;
        out.push(Mentee {
            view: HouseholdView::from_events(&events),
            household_id,
            village_name,
            since_ms,
        });
    }
    Ok(out)
}

/// A volunteer a household linked itself to, as the household sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Mentor {
    pub code: String,
    pub name: String,
    pub active: bool,
    pub at_ms: i64,
    /// The volunteer has left (their account is closed): they see nothing any more.
    pub left: bool,
}

/// The household's volunteers, current and ended.
pub async fn mentors_of(db: &Db, household_id: &str) -> Result<Vec<Mentor>, DbError> {
    let rows: Vec<(String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT m.code, a.display_name, m.active, m.at_ms, a.left_ms FROM mentorships m \
         JOIN accounts a ON a.account_id = m.volunteer_id \
         WHERE m.household_id = $1 ORDER BY m.at_ms DESC, m.code",
    )
    .bind(household_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, active, at_ms, left_ms)| Mentor {
            code,
            name,
            active: active == 1,
            at_ms,
            left: left_ms.is_some(),
        })
        .collect())
}
