//! The household event log: each event stored once, whatever the retries, and handed
//! to the household's other devices in the order it arrived.

use super::{Db, DbError};
use app::domain::event::Event;
use serde::{Deserialize, Serialize};

/// What became of one pushed event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Applied {
        event_id: String,
    },
    /// Already stored with the same content: the device may forget it.
    Duplicate {
        event_id: String,
    },
    /// Never stored; the device should keep it out of the outbox too.
    Rejected {
        event_id: String,
        reason: String,
    },
}

impl Outcome {
    pub fn event_id(&self) -> &str {
        match self {
            Outcome::Applied { event_id }
            | Outcome::Duplicate { event_id }
            | Outcome::Rejected { event_id, .. } => event_id,
        }
    }
}

/// Events inserted by one statement: 9 parameters each, far under SQLite's and
/// PostgreSQL's limits.
const INSERT_CHUNK: usize = 100;

/// Stores a batch from one device in one transaction and says, per event, what
/// happened. Nothing is stored if the database fails part-way.
pub async fn push(
    db: &Db,
    household_id: &str,
    device_id: &str,
    events: &[Event],
    now_ms: i64,
) -> Result<Vec<Outcome>, DbError> {
    let _turn = db.write_turn().await;
    let mut tx = db.pool.begin().await?;
    // Check each event; those that pass are inserted together, a statement per chunk
    // (one round trip instead of one per event).
    let mut checked: Vec<Result<&Event, String>> = Vec::with_capacity(events.len());
    for event in events {
        checked.push(if event.device_id != device_id {
            Err("event belongs to another device".into())
        } else {
            event
                .validate(now_ms)
                .map(|_| event)
                .map_err(|e| e.to_string())
        });
    }
    let valid: Vec<&Event> = checked
        .iter()
        .filter_map(|c| c.as_ref().ok().copied())
        .collect();
    let mut fresh = std::collections::HashSet::new();
    for chunk in valid.chunks(INSERT_CHUNK) {
        let mut sql = String::from(
            "INSERT INTO events (event_id, household_id, device_id, profile_id, kind, schema_version, at_ms, payload, received_ms) VALUES ",
        );
        for i in 0..chunk.len() {
            let n = i * 9;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${},${},${},${},${},${},${},${},${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5,
                n + 6,
                n + 7,
                n + 8,
                n + 9
            ));
        }
        sql.push_str(" ON CONFLICT (event_id) DO NOTHING RETURNING event_id");
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for event in chunk {
            query = query
                .bind(&event.event_id)
                .bind(household_id)
                .bind(device_id)
                .bind(&event.profile_id)
                .bind(&event.kind)
                .bind(event.schema_version)
                .bind(event.at_ms)
                .bind(event.payload.to_string())
                .bind(now_ms);
        }
        fresh.extend(query.fetch_all(&mut *tx).await?);
    }
    let mut outcomes = Vec::with_capacity(events.len());
    for (event, check) in events.iter().zip(checked) {
        let event_id = event.event_id.clone();
        if let Err(reason) = check {
            outcomes.push(Outcome::Rejected { event_id, reason });
            continue;
        }
        // The first of an id stored now is applied; anything else with that id was
        // there already (or earlier in this batch): a duplicate if it is the same event.
        if fresh.remove(&event_id) {
            outcomes.push(Outcome::Applied { event_id });
            continue;
        }
        let payload = event.payload.to_string();
        let stored: Option<(String, String, String, i64, i64, String)> = sqlx::query_as(
            "SELECT device_id, profile_id, kind, schema_version, at_ms, payload FROM events WHERE event_id = $1",
        )
        .bind(&event.event_id)
        .fetch_optional(&mut *tx)
        .await?;
        let same = stored.is_some_and(|(dev, profile, kind, schema, at, body)| {
            (
                dev.as_str(),
                profile.as_str(),
                kind.as_str(),
                schema,
                at,
                body.as_str(),
            ) == (
                device_id,
                event.profile_id.as_str(),
                event.kind.as_str(),
                event.schema_version,
                event.at_ms,
                payload.as_str(),
            )
        });
        outcomes.push(if same {
            Outcome::Duplicate { event_id }
        } else {
            Outcome::Rejected {
                event_id,
                reason: "event id already used for a different event".into(),
            }
        });
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// What one pull returns.
#[derive(Debug, PartialEq, Eq)]
pub struct Pulled {
    /// Events from the household's other devices, in the order they arrived.
    pub events: Vec<Event>,
    /// Where the next pull starts.
    pub cursor: i64,
    /// True when the limit was reached and more may wait.
    pub more: bool,
}

/// Events of the household stored after `cursor` that came from other devices: at most
/// `limit` looked at.
pub async fn pull(
    db: &Db,
    household_id: &str,
    device_id: &str,
    cursor: i64,
    limit: i64,
) -> Result<Pulled, DbError> {
    type Row = (i64, String, String, String, String, i64, i64, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, event_id, device_id, profile_id, kind, schema_version, at_ms, payload FROM events \
         WHERE household_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(household_id)
    .bind(cursor)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let next = rows.last().map_or(cursor, |r| r.0);
    let more = rows.len() as i64 >= limit;
    let events = rows
        .into_iter()
        .filter(|r| r.2 != device_id)
        .filter_map(
            |(_, event_id, device_id, profile_id, kind, schema_version, at_ms, payload)| {
                Some(Event {
                    event_id,
                    device_id,
                    profile_id,
                    kind,
                    schema_version,
                    at_ms,
                    payload: serde_json::from_str(&payload).ok()?,
                })
            },
        )
        .collect();
    Ok(Pulled {
        events,
        cursor: next,
        more,
    })
}

/// How many events the household has stored: for tests and reports.
pub async fn count(db: &Db, household_id: &str) -> Result<i64, DbError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events WHERE household_id = $1")
        .bind(household_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n)
}
