//! The household event log: each event stored once, whatever the retries, at the next
//! position of its household's own sequence, and handed to the household's other
//! devices in that order. A pull cursor names its household's epoch and the event at
//! its position, so a phone notices when the server went back to an older backup.

pub use super::cursor::Cursor;
use super::households::{self, Household};
use super::{Db, DbError};
use app::domain::event::{Event, EventError, Reason, Recorder};
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
    /// Never stored; the device should keep it out of the outbox and out of its view.
    Rejected {
        event_id: String,
        /// A `Reason` code, shown to the person in their language.
        code: String,
        /// For logs and developers, in English.
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

    fn rejected(event_id: &str, err: EventError) -> Outcome {
        Outcome::Rejected {
            event_id: event_id.to_string(),
            code: err.reason.code().to_string(),
            reason: err.to_string(),
        }
    }
}

/// Why a push stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The device is not registered (any more): removed, or its household deleted.
    #[error("the device is not registered")]
    NoDevice,
    /// The household has used all the positions it may (`households::MAX_EVENTS`).
    #[error("the household is full")]
    Full,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for PushError {
    fn from(e: sqlx::Error) -> Self {
        PushError::Db(e.into())
    }
}

/// Events inserted by one statement: 10 parameters each, far under SQLite's and
/// PostgreSQL's limits.
const INSERT_CHUNK: usize = 100;

/// Stores a batch from one device in one transaction and says, per event, what
/// happened; returns the device's household, read inside that transaction (a phone
/// that joined another household a moment ago is numbered there). Nothing is stored if
/// the database fails part-way.
pub async fn push(
    db: &Db,
    device_id: &str,
    events: &[Event],
    now_ms: i64,
) -> Result<(String, Vec<Outcome>), PushError> {
    push_consented(db, device_id, None, events, now_ms).await
}

/// `push`, also recording the consent text version the device's person accepted (when
/// it changed) in the same statement that marks the device seen.
pub async fn push_consented(
    db: &Db,
    device_id: &str,
    consent: Option<&str>,
    events: &[Event],
    now_ms: i64,
) -> Result<(String, Vec<Outcome>), PushError> {
    let mut w = db.write().await?;
    // Locks the device's row until commit: a join of this device waits for this push.
    let household: Option<(String,)> = sqlx::query_as(
        "UPDATE devices SET last_seen_ms = $2, \
           consent_ms = CASE WHEN $3 IS NULL OR consent_version = $3 THEN consent_ms ELSE $2 END, \
           consent_version = COALESCE($3, consent_version) \
         WHERE device_id = $1 RETURNING household_id",
    )
    .bind(device_id)
    .bind(now_ms)
    .bind(consent)
    .fetch_optional(&mut **w)
    .await?;
    let (household_id,) = household.ok_or(PushError::NoDevice)?;

    let checked = events
        .iter()
        .map(|event| {
            if event.device_id != device_id {
                return Err(EventError::new(
                    Reason::OtherDevice,
                    "event belongs to another device",
                ));
            }
            let action = event.validate(now_ms)?;
            // A sign-off only counts when a volunteer made it: no phone may write one.
            if action.kind().recorder() != Recorder::Household {
                return Err(EventError::new(
                    Reason::Kind,
                    format!("only a volunteer records {}", event.kind),
                ));
            }
            Ok(event)
        })
        .collect();
    let outcomes = store(&mut w, &household_id, events, checked, now_ms).await?;
    w.commit().await?;
    Ok((household_id, outcomes))
}

/// Stores, at the next positions of the household's sequence, the events of `events`
/// that passed the caller's checks (`checked`, one per event, in order), inside the
/// caller's transaction, and says per event what happened: applied, a duplicate of what
/// is stored, or refused. The caller commits.
pub(crate) async fn store(
    w: &mut super::WriteTx<'_>,
    household_id: &str,
    events: &[Event],
    mut checked: Vec<Result<&Event, EventError>>,
    now_ms: i64,
) -> Result<Vec<Outcome>, PushError> {
    // Which of the valid ones the server has already: they take no new position.
    let mut stored: std::collections::HashMap<String, StoredRow> = Default::default();
    let valid: Vec<&Event> = checked
        .iter()
        .filter_map(|c| c.as_ref().ok().copied())
        .collect();
    for chunk in valid.chunks(INSERT_CHUNK) {
        stored.extend(existing(w, chunk).await?);
    }
    // A new agreement with a volunteer, or ending, must name a code the server made (a
    // stored one was checked when it came, and its replay stays a duplicate).
    for check in checked.iter_mut() {
        let Ok(event) = check else { continue };
        if stored.contains_key(&event.event_id) || !super::mentoring::is_pairing(&event.kind) {
            continue;
        }
        if let Ok(action) = event.action() {
            if let Err(e) =
                super::mentoring::check(w, household_id, &action, event.at_ms, now_ms).await?
            {
                *check = Err(e);
            }
        }
    }
    let valid: Vec<&Event> = checked
        .iter()
        .filter_map(|c| c.as_ref().ok().copied())
        .collect();
    let mut fresh: Vec<&Event> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for event in &valid {
        if !stored.contains_key(&event.event_id) && seen.insert(event.event_id.as_str()) {
            fresh.push(event);
        }
    }
    let mut inserted = std::collections::HashSet::new();
    if !fresh.is_empty() {
        let seqs = households::take_seqs(w, household_id, fresh.len() as i64)
            .await?
            .ok_or(PushError::Full)?;
        let mut seq = seqs.first;
        for chunk in fresh.chunks(INSERT_CHUNK) {
            inserted.extend(insert(w, household_id, chunk, seq, now_ms).await?);
            seq += chunk.len() as i64;
        }
    }
    if fresh
        .iter()
        .any(|e| inserted.contains(&e.event_id) && super::mentoring::is_pairing(&e.kind))
    {
        super::mentoring::rebuild(w, household_id).await?;
    }

    let mut outcomes = Vec::with_capacity(events.len());
    let mut reported = std::collections::HashSet::new();
    for (event, check) in events.iter().zip(checked) {
        let event_id = event.event_id.clone();
        if let Err(err) = check {
            outcomes.push(Outcome::rejected(&event_id, err));
            continue;
        }
        // The first of an id stored now is applied; anything else with that id was
        // there already (or earlier in this batch): a duplicate if it is the same event.
        if inserted.contains(&event_id) && reported.insert(event_id.clone()) {
            outcomes.push(Outcome::Applied { event_id });
            continue;
        }
        let same = match stored.get(&event_id) {
            Some(row) => row.is_same(event),
            // Stored by this push, earlier in the batch: the same if it equals that one.
            None if inserted.contains(&event_id) => fresh
                .iter()
                .find(|e| e.event_id == event_id)
                .is_some_and(|first| *first == event),
            // Another transaction stored this id between the check and the insert: what
            // it stored decides.
            None => existing(w, &[event])
                .await?
                .first()
                .is_some_and(|(_, row)| row.is_same(event)),
        };
        outcomes.push(if same {
            Outcome::Duplicate { event_id }
        } else {
            Outcome::rejected(
                &event_id,
                EventError::new(
                    Reason::IdReused,
                    "event id already used for a different event",
                ),
            )
        });
    }
    Ok(outcomes)
}

/// An event as stored, to tell a replay from a different event with the same id.
struct StoredRow {
    device_id: String,
    profile_id: String,
    kind: String,
    schema_version: i64,
    at_ms: i64,
    payload: String,
}

impl StoredRow {
    fn is_same(&self, e: &Event) -> bool {
        (
            self.device_id.as_str(),
            self.profile_id.as_str(),
            self.kind.as_str(),
            self.schema_version,
            self.at_ms,
            self.payload.as_str(),
        ) == (
            e.device_id.as_str(),
            e.profile_id.as_str(),
            e.kind.as_str(),
            e.schema_version,
            e.at_ms,
            e.payload.to_string().as_str(),
        )
    }
}

async fn existing(
    w: &mut super::WriteTx<'_>,
    chunk: &[&Event],
) -> Result<Vec<(String, StoredRow)>, sqlx::Error> {
    let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT event_id, device_id, profile_id, kind, schema_version, at_ms, payload FROM events WHERE event_id IN ({})",
        marks.join(",")
    );
    let mut query = sqlx::query_as::<_, (String, String, String, String, i64, i64, String)>(&sql);
    for event in chunk {
        query = query.bind(&event.event_id);
    }
    let rows = query.fetch_all(&mut ***w).await?;
    Ok(rows
        .into_iter()
        .map(
            |(event_id, device_id, profile_id, kind, schema_version, at_ms, payload)| {
                (
                    event_id,
                    StoredRow {
                        device_id,
                        profile_id,
                        kind,
                        schema_version,
                        at_ms,
                        payload,
                    },
                )
            },
        )
        .collect())
}

/// Inserts a chunk at positions `first..`, in one statement; returns the ids stored.
async fn insert(
    w: &mut super::WriteTx<'_>,
    household_id: &str,
    chunk: &[&Event],
    first: i64,
    now_ms: i64,
) -> Result<Vec<String>, sqlx::Error> {
    const COLUMNS: usize = 10;
    let rows: Vec<String> = (0..chunk.len())
        .map(|i| {
            let marks: Vec<String> = (1..=COLUMNS)
                .map(|c| format!("${}", i * COLUMNS + c))
                .collect();
            format!("({})", marks.join(","))
        })
        .collect();
    let sql = format!(
        "INSERT INTO events (household_id, seq, event_id, device_id, profile_id, kind, schema_version, at_ms, payload, received_ms) \
         VALUES {} ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
        rows.join(",")
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql);
    for (i, event) in chunk.iter().enumerate() {
        query = query
            .bind(household_id)
            .bind(first + i as i64)
            .bind(&event.event_id)
            .bind(&event.device_id)
            .bind(&event.profile_id)
            .bind(&event.kind)
            .bind(event.schema_version)
            .bind(event.at_ms)
            .bind(event.payload.to_string())
            .bind(now_ms);
    }
    query.fetch_all(&mut ***w).await
}

/// What one pull returns.
#[derive(Debug, PartialEq, Eq)]
pub struct Pulled {
    /// Events from the household's other devices, in sequence order.
    pub events: Vec<Event>,
    /// Where the next pull starts.
    pub cursor: Cursor,
    /// True when the limit was reached and more may wait.
    pub more: bool,
    /// True when the phone's cursor was void (another epoch, or a position the server no
    /// longer has): the pull starts again from the beginning, and the phone must send
    /// again every event of its own, since the server may have lost some.
    pub reset: bool,
}

/// Events of the household after `cursor` that came from other devices: at most
/// `limit` looked at. A cursor of another epoch, or one pointing past what the server
/// has or at a different event, means the server was restored from an older backup:
/// the household starts a new epoch and the pull starts from the beginning.
pub async fn pull(
    db: &Db,
    household_id: &str,
    device_id: &str,
    cursor: Option<&Cursor>,
    limit: i64,
) -> Result<Pulled, DbError> {
    let Some(household) = households::read(db, household_id).await? else {
        return Ok(Pulled {
            events: vec![],
            cursor: Cursor::default(),
            more: false,
            reset: false,
        });
    };
    let (epoch, after, reset) = match cursor {
        None => (household.epoch.clone(), 0, false),
        // Not a place the server gave out for this household: the phone's idea of where it
        // is is void (after a restore its device may be back in another household), so it
        // starts again and sends what it made. Only the asking phone starts over.
        Some(c) if !c.genuine(db, household_id) => (household.epoch.clone(), 0, true),
        Some(c) if c.epoch != household.epoch => (household.epoch.clone(), 0, true),
        Some(c) if rewound(db, &household, c).await? => {
            tracing::warn!(
                household_id,
                seq = c.seq,
                last_seq = household.last_seq,
                "a phone is ahead of the server: restored from a backup? starting a new epoch"
            );
            let epoch = households::new_epoch_for(db, household_id, &household.epoch).await?;
            (epoch, 0, true)
        }
        Some(c) => (c.epoch.clone(), c.seq.max(0), false),
    };
    type Row = (i64, String, String, String, String, i64, i64, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, event_id, device_id, profile_id, kind, schema_version, at_ms, payload FROM events \
         WHERE household_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(household_id)
    .bind(after)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let next = match (rows.last(), cursor) {
        (Some(last), _) => Cursor::signed(db, household_id, epoch, last.0, Some(last.1.clone())),
        (None, Some(c)) if after > 0 => c.clone(),
        (None, _) => Cursor::signed(db, household_id, epoch, 0, None),
    };
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
        reset,
    })
}

/// True when the server no longer has what the phone read: its position is past the
/// household's last, or another event sits there. (A position left empty because its
/// event moved with a joining phone is not a rewind.)
async fn rewound(db: &Db, household: &Household, cursor: &Cursor) -> Result<bool, DbError> {
    if cursor.seq <= 0 {
        return Ok(false);
    }
    if cursor.seq > household.last_seq {
        return Ok(true);
    }
    let at: Option<(String,)> =
        sqlx::query_as("SELECT event_id FROM events WHERE household_id = $1 AND seq = $2")
            .bind(&household.household_id)
            .bind(cursor.seq)
            .fetch_optional(&db.pool)
            .await?;
    Ok(match (at, &cursor.event_id) {
        (Some((there,)), Some(read)) => &there != read,
        (Some(_), None) => true,
        (None, _) => false,
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
