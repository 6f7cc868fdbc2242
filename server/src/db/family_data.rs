//! What a family controls of what the server holds about it: an export of everything,
//! deletion, and the retention rule's choice of households that have gone silent.

use super::households::DELETED;
use super::{Db, DbError};
use serde::Serialize;

/// Everything the server holds about a household.
#[derive(Debug, Serialize)]
pub struct Export {
    pub household_id: String,
    pub created_ms: i64,
    /// The family code and until when it works (an expired one opens nothing).
    pub join_code: String,
    pub code_expires_ms: i64,
    pub devices: Vec<super::devices::DeviceInfo>,
    /// Phones that left for another household: their ids, kept so that their old
    /// certificates cannot bring them back.
    pub left: Vec<String>,
    pub events: Vec<StoredEvent>,
    /// The volunteers the household agreed to (and ended), with their names.
    pub mentors: Vec<super::mentoring::Mentor>,
}

#[derive(Debug, Serialize)]
pub struct StoredEvent {
    pub seq: i64,
    pub received_ms: i64,
    #[serde(flatten)]
    pub event: app::domain::event::Event,
}

pub async fn export(db: &Db, household_id: &str) -> Result<Export, DbError> {
    let (created_ms, join_code, code_expires_ms): (i64, String, i64) = sqlx::query_as(
        "SELECT created_ms, join_code, code_expires_ms FROM households WHERE household_id = $1",
    )
    .bind(household_id)
    .fetch_one(&db.pool)
    .await?;
    let left: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM revoked WHERE id LIKE $1 ORDER BY id")
            .bind(format!("%@{household_id}"))
            .fetch_all(&db.pool)
            .await?;
    type EventRow = (i64, i64, String, String, String, String, i64, i64, String);
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT seq, received_ms, event_id, device_id, profile_id, kind, schema_version, at_ms, payload \
         FROM events WHERE household_id = $1 ORDER BY seq",
    )
    .bind(household_id)
    .fetch_all(&db.pool)
    .await?;
    let events = rows
        .into_iter()
        .map(
            |(
                seq,
                received_ms,
                event_id,
                device_id,
                profile_id,
                kind,
                schema_version,
                at_ms,
                payload,
            )| {
                StoredEvent {
                    seq,
                    received_ms,
                    event: app::domain::event::Event {
                        event_id,
                        device_id,
                        profile_id,
                        kind,
                        schema_version,
                        at_ms,
                        payload: serde_json::from_str(&payload).unwrap_or_default(),
                    },
                }
            },
        )
        .collect();
    Ok(Export {
        household_id: household_id.to_string(),
        created_ms,
        join_code,
        code_expires_ms,
        devices: super::devices::list(db, household_id).await?,
        left: left
            .into_iter()
            .filter_map(|(id,)| id.split_once('@').map(|(device, _)| device.to_string()))
            .collect(),
        events,
        mentors: super::mentoring::mentors_of(db, household_id).await?,
    })
}

/// What a deletion removed.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Deleted {
    pub events: u64,
    pub devices: u64,
}

/// Deletes the household and everything of it from the database. Its id is kept as
/// revoked (an id only), so no phone's certificate can bring it back; its phones are
/// told so when they next sync. With `silent_before`, only if none of its phones has
/// synced since then (checked under the lock: the retention rule never deletes a
/// household that has just come back). `None` when nothing was deleted.
pub async fn delete(
    db: &Db,
    household_id: &str,
    silent_before: Option<i64>,
    now_ms: i64,
) -> Result<Option<Deleted>, DbError> {
    let mut w = db.write().await?;
    // The devices' rows first, as a push locks them: a push in flight finishes first (and
    // its events are deleted below); one that starts now finds no device.
    let seen: Vec<(i64,)> = sqlx::query_as(
        "UPDATE devices SET last_seen_ms = last_seen_ms WHERE household_id = $1 RETURNING last_seen_ms",
    )
    .bind(household_id)
    .fetch_all(&mut **w)
    .await?;
    if let Some(cutoff) = silent_before {
        if seen.iter().any(|(at,)| *at >= cutoff) {
            return Ok(None);
        }
    }
    // Then the household's row, as a volunteer's record takes it (db/records.rs): one in
    // flight finishes first and is deleted below; one that starts now finds no link.
    sqlx::query("UPDATE households SET last_seq = last_seq WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut **w)
        .await?;
    for table in ["mentorships", "mentor_offers"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE household_id = $1"))
            .bind(household_id)
            .execute(&mut **w)
            .await?;
    }
    super::coverage::forget(&mut w, household_id).await?;
    let devices = sqlx::query("DELETE FROM devices WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut **w)
        .await?
        .rows_affected();
    let events = sqlx::query("DELETE FROM events WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut **w)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM households WHERE household_id = $1")
        .bind(household_id)
        .execute(&mut **w)
        .await?;
    sqlx::query(
        "INSERT INTO revoked (id, reason, revoked_ms) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(household_id)
    .bind(DELETED)
    .bind(now_ms)
    .execute(&mut **w)
    .await?;
    w.commit().await?;
    Ok(Some(Deleted { events, devices }))
}

/// Households none of whose devices has synced since `cutoff_ms` (and made before it):
/// what the retention rule deletes.
pub async fn silent_since(db: &Db, cutoff_ms: i64) -> Result<Vec<String>, DbError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT household_id FROM households h WHERE created_ms < $1 AND NOT EXISTS \
         (SELECT 1 FROM devices d WHERE d.household_id = h.household_id AND d.last_seen_ms >= $1) \
         ORDER BY household_id",
    )
    .bind(cutoff_ms)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
