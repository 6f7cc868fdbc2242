//! Households and their devices. A device proves itself with a secret it was given at
//! registration; the server keeps only the secret's hash.

use super::{Db, DbError};
use sha2::{Digest, Sha256};

/// What a device learns when it registers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Registration {
    pub device_id: String,
    pub household_id: String,
    /// Shown on the first phone so another phone of the household can join.
    pub join_code: String,
    /// Sent with every sync; never stored on the server.
    pub secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("this device is already registered")]
    AlreadyRegistered,
    #[error("no household has this join code")]
    UnknownJoinCode,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for RegisterError {
    fn from(e: sqlx::Error) -> Self {
        RegisterError::Db(e.into())
    }
}

/// Registers `device_id`, in the household with `join_code`, or in a new household.
pub async fn register(
    db: &Db,
    device_id: &str,
    join_code: Option<&str>,
    now_ms: i64,
) -> Result<Registration, RegisterError> {
    let mut tx = db.pool.begin().await?;
    let (household_id, code) = match join_code {
        Some(code) => household_for_code(&mut tx, code).await?,
        None => {
            let household = random_uuid();
            let code = join_code_from(&random_bytes::<5>());
            sqlx::query(
                "INSERT INTO households (household_id, join_code, created_ms) VALUES ($1, $2, $3)",
            )
            .bind(&household)
            .bind(&code)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            (household, code)
        }
    };
    let secret = hex(&random_bytes::<32>());
    let inserted = sqlx::query(
        "INSERT INTO devices (device_id, household_id, secret_hash, created_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (device_id) DO NOTHING",
    )
    .bind(device_id)
    .bind(&household_id)
    .bind(hash(&secret))
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        // Rolled back on drop: a new household made for nothing is not kept.
        return Err(RegisterError::AlreadyRegistered);
    }
    tx.commit().await?;
    Ok(Registration {
        device_id: device_id.to_string(),
        household_id,
        join_code: code,
        secret,
    })
}

/// Moves a registered device, with everything it has sent, into the household with
/// `join_code`: how a phone that was used alone joins its family's record.
pub async fn join(
    db: &Db,
    device_id: &str,
    join_code: &str,
) -> Result<(String, String), RegisterError> {
    let mut tx = db.pool.begin().await?;
    let (household, code) = household_for_code(&mut tx, join_code).await?;
    sqlx::query("UPDATE devices SET household_id = $1 WHERE device_id = $2")
        .bind(&household)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE events SET household_id = $1 WHERE device_id = $2")
        .bind(&household)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((household, code))
}

/// The household with this join code (as typed: any case, spaces around), and the code.
async fn household_for_code(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    join_code: &str,
) -> Result<(String, String), RegisterError> {
    let code = join_code.trim().to_ascii_uppercase();
    let row: Option<(String,)> =
        sqlx::query_as("SELECT household_id FROM households WHERE join_code = $1")
            .bind(&code)
            .fetch_optional(&mut **tx)
            .await?;
    let (household,) = row.ok_or(RegisterError::UnknownJoinCode)?;
    Ok((household, code))
}

/// The household of the device whose secret this is, or `None`.
pub async fn authenticate(
    db: &Db,
    device_id: &str,
    secret: &str,
) -> Result<Option<String>, DbError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT household_id, secret_hash FROM devices WHERE device_id = $1")
            .bind(device_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(household, stored)| {
        constant_time_eq(&stored, &hash(secret)).then_some(household)
    }))
}

fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the OS provides randomness");
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh id for a household (or a test's device): a UUIDv7 like the ones phones make.
pub fn random_uuid() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    app::domain::event::uuid_v7(now, random_bytes::<10>())
}

/// Eight characters a person can read aloud and type: no 0/O, 1/I.
fn join_code_from(bytes: &[u8; 5]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64);
    (0..8)
        .map(|i| ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_codes_are_eight_unambiguous_characters() {
        let code = join_code_from(&[0xff, 0x00, 0x12, 0x34, 0x56]);
        assert_eq!(code.len(), 8);
        assert!(code.chars().all(|c| !"01OI".contains(c)));
    }

    #[test]
    fn uuids_have_the_right_shape() {
        assert!(app::domain::event::is_uuid(&random_uuid()));
        assert_ne!(random_uuid(), random_uuid());
    }
}
