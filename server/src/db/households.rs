//! Households: their family codes (short-lived, renewable), their event sequence and
//! epoch. What the family does with its data is in `family_data.rs`.

use super::{is_unique_violation, random_bytes, random_uuid, Db, DbError, WriteTx};

/// How long a family code lets another phone join.
pub const CODE_TTL_MS: i64 = 60 * 60 * 1000;
/// Positions a household may use: a family's phones record a few thousand events a year,
/// so this bounds what one household can make the server store.
pub const MAX_EVENTS: i64 = 100_000;
/// The `revoked.reason` of a deleted household's ids.
pub const DELETED: &str = "household_deleted";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Household {
    pub household_id: String,
    pub join_code: String,
    pub code_expires_ms: i64,
    pub epoch: String,
    pub last_seq: i64,
}

type Row = (String, String, i64, String, i64);
const COLUMNS: &str = "household_id, join_code, code_expires_ms, epoch, last_seq";

fn from_row((household_id, join_code, code_expires_ms, epoch, last_seq): Row) -> Household {
    Household {
        household_id,
        join_code,
        code_expires_ms,
        epoch,
        last_seq,
    }
}

pub async fn get(w: &mut WriteTx<'_>, household_id: &str) -> Result<Household, sqlx::Error> {
    let row: Row = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM households WHERE household_id = $1"
    ))
    .bind(household_id)
    .fetch_one(&mut ***w)
    .await?;
    Ok(from_row(row))
}

/// The household and its epoch as a pull sees them.
pub async fn read(db: &Db, household_id: &str) -> Result<Option<Household>, DbError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM households WHERE household_id = $1"
    ))
    .bind(household_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(from_row))
}

/// A new household with a fresh family code.
pub async fn create(w: &mut WriteTx<'_>, now_ms: i64) -> Result<Household, sqlx::Error> {
    insert(w, &random_uuid(), now_ms).await
}

/// The household a certificate names: as it is, or made again with that id when a
/// restore from an older backup lost it.
pub async fn get_or_recreate(
    w: &mut WriteTx<'_>,
    household_id: &str,
    now_ms: i64,
) -> Result<Household, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM households WHERE household_id = $1"
    ))
    .bind(household_id)
    .fetch_optional(&mut ***w)
    .await?;
    match row {
        Some(row) => Ok(from_row(row)),
        None => insert(w, household_id, now_ms).await,
    }
}

async fn insert(
    w: &mut WriteTx<'_>,
    household_id: &str,
    now_ms: i64,
) -> Result<Household, sqlx::Error> {
    // A household has no usable family code until one of its phones asks for one; the
    // column holds a random, already expired one meanwhile. A new code can collide with
    // another (1 in 10^15): then another is drawn.
    for _ in 0..5 {
        let household = Household {
            household_id: household_id.to_string(),
            join_code: new_code(),
            code_expires_ms: 0,
            epoch: new_epoch(),
            last_seq: 0,
        };
        let inserted = sqlx::query(
            "INSERT INTO households (household_id, join_code, created_ms, code_expires_ms, epoch, last_seq) \
             VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT DO NOTHING",
        )
        .bind(&household.household_id)
        .bind(&household.join_code)
        .bind(now_ms)
        .bind(household.code_expires_ms)
        .bind(&household.epoch)
        .execute(&mut ***w)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(household);
        }
    }
    Err(sqlx::Error::Protocol(
        "no free family code after 5 tries".into(),
    ))
}

/// The household whose code this is while the code is valid.
pub async fn by_live_code(
    w: &mut WriteTx<'_>,
    typed: &str,
    now_ms: i64,
) -> Result<Option<Household>, sqlx::Error> {
    Ok(by_code(w, typed)
        .await?
        .filter(|h| h.code_expires_ms > now_ms))
}

/// The household whose code this is or was, as typed (any case, spaces or dashes).
pub async fn by_code(w: &mut WriteTx<'_>, typed: &str) -> Result<Option<Household>, sqlx::Error> {
    let Some(code) = normalise_code(typed) else {
        return Ok(None);
    };
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM households WHERE join_code = $1"
    ))
    .bind(code)
    .fetch_optional(&mut ***w)
    .await?;
    Ok(row.map(from_row))
}

/// A fresh family code for the household, valid for an hour; the old one stops working.
pub async fn renew_code(
    db: &Db,
    household_id: &str,
    now_ms: i64,
) -> Result<(String, i64), DbError> {
    let expires = now_ms + CODE_TTL_MS;
    for _ in 0..5 {
        let code = new_code();
        let mut w = db.write().await?;
        let done = sqlx::query(
            "UPDATE households SET join_code = $2, code_expires_ms = $3 WHERE household_id = $1",
        )
        .bind(household_id)
        .bind(&code)
        .bind(expires)
        .execute(&mut **w)
        .await;
        match done {
            Ok(_) => {
                w.commit().await?;
                return Ok((code, expires));
            }
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(sqlx::Error::Protocol("no free family code after 5 tries".into()).into())
}

/// Positions `first..=first + n - 1` in the household's sequence. The row lock taken
/// here is held until the transaction ends, so the household's writers commit in the
/// order of their positions and a pull never passes one that is still to commit.
pub struct Seqs {
    pub first: i64,
    pub epoch: String,
}

pub async fn take_seqs(
    w: &mut WriteTx<'_>,
    household_id: &str,
    n: i64,
) -> Result<Option<Seqs>, sqlx::Error> {
    let (last, epoch): (i64, String) = sqlx::query_as(
        "UPDATE households SET last_seq = last_seq + $2 WHERE household_id = $1 RETURNING last_seq, epoch",
    )
    .bind(household_id)
    .bind(n)
    .fetch_one(&mut ***w)
    .await?;
    // Past the cap nothing is taken (the caller's transaction rolls back).
    Ok((last <= MAX_EVENTS).then_some(Seqs {
        first: last - n + 1,
        epoch,
    }))
}

/// Starts a new epoch for the household: every phone's cursor of the old one is void,
/// so each sends again what the server may lack and pulls from the start.
pub async fn new_epoch_for(db: &Db, household_id: &str, seen: &str) -> Result<String, DbError> {
    let epoch = new_epoch();
    let mut w = db.write().await?;
    sqlx::query("UPDATE households SET epoch = $2 WHERE household_id = $1 AND epoch = $3")
        .bind(household_id)
        .bind(&epoch)
        .bind(seen)
        .execute(&mut **w)
        .await?;
    w.commit().await?;
    Ok(read(db, household_id)
        .await?
        .map(|h| h.epoch)
        .unwrap_or(epoch))
}

/// Removes a household nobody is in any more (its last phone joined another).
pub async fn drop_if_empty(w: &mut WriteTx<'_>, household_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM households WHERE household_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM devices WHERE household_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM events WHERE household_id = $1)",
    )
    .bind(household_id)
    .execute(&mut ***w)
    .await?;
    Ok(())
}

pub use app::domain::code::{normalise as normalise_code, LEN as CODE_LEN};

/// A fresh random code (family codes, invitation codes, pairing codes).
pub(crate) fn new_code() -> String {
    app::domain::code::from_bytes(&random_bytes::<7>())
}

fn new_epoch() -> String {
    super::hex(&random_bytes::<8>())
}
