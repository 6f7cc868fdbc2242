//! Devices and how they prove who they are. A phone makes its own id and secret before it
//! first asks, so a registration it retries (its reply lost) is the same registration
//! and gets the same answer. The server keeps only the secret's hash. With the answer
//! the phone gets a membership certificate, signed by the servers' shared key: after a
//! restore from an older backup, it lets the phone show that this server put it in this
//! household, and come back into it.

use super::households::{self, Household};
use super::{hex, Db, DbError};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// What a registered phone keeps.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Registration {
    pub device_id: String,
    pub household_id: String,
    /// Proof of membership, for coming back after a restore.
    pub cert: String,
    /// The household's current epoch: a pull cursor from another epoch is void.
    pub epoch: String,
    /// The household's family code while it is valid (a new household gets one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_expires_ms: Option<i64>,
}

/// A registration as the phone asks for it.
pub struct NewDevice<'a> {
    pub device_id: &'a str,
    pub secret: &'a str,
    pub label: &'a str,
    pub consent: &'a str,
    pub join_code: Option<&'a str>,
    /// (household id, certificate): coming back into a household after a restore.
    pub recover: Option<(&'a str, &'a str)>,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("this device id is registered with another secret")]
    AlreadyRegistered,
    #[error("no household has this family code, or it has expired")]
    UnknownJoinCode,
    #[error("this device was removed from its household")]
    Removed,
    #[error("this household was deleted")]
    HouseholdDeleted,
    #[error("the membership certificate is not valid")]
    BadCertificate,
    #[error("the household has no room for more events")]
    HouseholdFull,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for RegisterError {
    fn from(e: sqlx::Error) -> Self {
        RegisterError::Db(e.into())
    }
}

/// Registers a device: into a new household, the household of a family code, or (with
/// a certificate) the household it was in before a restore. Asking again with the same
/// id and secret answers the same, whatever happened to the first reply.
/// Returns the registration and whether it was made now.
pub async fn register(
    db: &Db,
    new: &NewDevice<'_>,
    now_ms: i64,
) -> Result<(Registration, bool), RegisterError> {
    let mut w = db.write().await?;
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT household_id, secret_hash FROM devices WHERE device_id = $1")
            .bind(new.device_id)
            .fetch_optional(&mut **w)
            .await?;
    if let Some((household_id, stored)) = existing {
        if !constant_time_eq(&stored, &hash(new.secret)) {
            return Err(RegisterError::AlreadyRegistered);
        }
        // Asked again: the answer to the first asking was lost. The consent and name it
        // carries are the person's latest.
        sqlx::query(
            "UPDATE devices SET label = $2, consent_ms = CASE WHEN consent_version = $3 THEN consent_ms ELSE $4 END, \
             consent_version = $3 WHERE device_id = $1",
        )
        .bind(new.device_id)
        .bind(new.label)
        .bind(new.consent)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
        let household = households::get(&mut w, &household_id).await?;
        w.commit().await?;
        // A family code with it means the person wanted to join that family: if the first
        // asking made a household of its own, the phone joins the code's now.
        if let Some(code) = new.join_code {
            return Ok((join(db, new.device_id, code, now_ms).await?, false));
        }
        return Ok((registration(db, new.device_id, &household, now_ms), false));
    }
    if let Some(reason) = revoked(&mut w, new.device_id).await? {
        return Err(reason);
    }
    let household = match (new.recover, new.join_code) {
        (Some((household_id, cert)), _) => {
            let left = revoked(&mut w, &membership_id(new.device_id, household_id)).await?;
            if !certificate_valid(db, new.device_id, household_id, cert) || left.is_some() {
                return Err(RegisterError::BadCertificate);
            }
            if revoked(&mut w, household_id).await?.is_some() {
                return Err(RegisterError::HouseholdDeleted);
            }
            households::get_or_recreate(&mut w, household_id, now_ms).await?
        }
        (None, Some(code)) => households::by_live_code(&mut w, code, now_ms)
            .await?
            .ok_or(RegisterError::UnknownJoinCode)?,
        (None, None) => households::create(&mut w, now_ms).await?,
    };
    sqlx::query(
        "INSERT INTO devices (device_id, household_id, secret_hash, created_ms, label, last_seen_ms, consent_version, consent_ms) \
         VALUES ($1, $2, $3, $4, $5, $4, $6, $4)",
    )
    .bind(new.device_id)
    .bind(&household.household_id)
    .bind(hash(new.secret))
    .bind(now_ms)
    .bind(new.label)
    .bind(new.consent)
    .execute(&mut **w)
    .await?;
    w.commit().await?;
    Ok((registration(db, new.device_id, &household, now_ms), true))
}

fn registration(db: &Db, device_id: &str, household: &Household, now_ms: i64) -> Registration {
    let live = household.code_expires_ms > now_ms;
    Registration {
        device_id: device_id.to_string(),
        household_id: household.household_id.clone(),
        cert: certificate(db, device_id, &household.household_id),
        epoch: household.epoch.clone(),
        join_code: live.then(|| household.join_code.clone()),
        code_expires_ms: live.then_some(household.code_expires_ms),
    }
}

/// Why an id can never be used again, if it cannot.
async fn revoked(
    w: &mut super::WriteTx<'_>,
    id: &str,
) -> Result<Option<RegisterError>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT reason FROM revoked WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut ***w)
        .await?;
    Ok(row.map(|(reason,)| match reason.as_str() {
        households::DELETED => RegisterError::HouseholdDeleted,
        _ => RegisterError::Removed,
    }))
}

/// Moves a registered device, with everything it has sent, into the household of
/// `join_code`: how a phone used alone joins its family. Its events are numbered anew
/// at the end of that household's sequence, so the family's phones pull them; the
/// phone pulls the family's history from the start. Asking again once it is there
/// answers the same, even after the code expired.
pub async fn join(
    db: &Db,
    device_id: &str,
    join_code: &str,
    now_ms: i64,
) -> Result<Registration, RegisterError> {
    let mut w = db.write().await?;
    let target = households::by_code(&mut w, join_code)
        .await?
        .ok_or(RegisterError::UnknownJoinCode)?;
    // Locks the device row first: a push of this device waits, and is then numbered in
    // the household it finds.
    let current: Option<(String,)> = sqlx::query_as(
        "UPDATE devices SET last_seen_ms = $2 WHERE device_id = $1 RETURNING household_id",
    )
    .bind(device_id)
    .bind(now_ms)
    .fetch_optional(&mut **w)
    .await?;
    let Some((current,)) = current else {
        return Err(RegisterError::Removed);
    };
    if current == target.household_id {
        drop(w);
        return Ok(registration(db, device_id, &target, now_ms));
    }
    if target.code_expires_ms <= now_ms {
        return Err(RegisterError::UnknownJoinCode);
    }
    sqlx::query("UPDATE devices SET household_id = $1 WHERE device_id = $2")
        .bind(&target.household_id)
        .bind(device_id)
        .execute(&mut **w)
        .await?;
    // The phone's events keep their order and take the next positions of the family's
    // sequence, one each, in one statement (UPDATE … FROM works on SQLite and PostgreSQL).
    let (moving,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM events WHERE household_id = $1 AND device_id = $2 {MOVING}"
    ))
    .bind(&current)
    .bind(device_id)
    .fetch_one(&mut **w)
    .await?;
    if moving > 0 {
        let Some(seqs) = households::take_seqs(&mut w, &target.household_id, moving).await? else {
            return Err(RegisterError::HouseholdFull);
        };
        sqlx::query(&format!(
            "UPDATE events SET household_id = $1, seq = $2 + r.n - 1 \
             FROM (SELECT event_id, ROW_NUMBER() OVER (ORDER BY seq) AS n FROM events \
                   WHERE household_id = $3 AND device_id = $4 {MOVING}) AS r \
             WHERE events.event_id = r.event_id",
        ))
        .bind(&target.household_id)
        .bind(seqs.first)
        .bind(&current)
        .bind(device_id)
        .execute(&mut **w)
        .await?;
    }
    // Its certificate for the household it leaves must not bring it back there.
    sqlx::query(
        "INSERT INTO revoked (id, reason, revoked_ms) VALUES ($1, 'left', $2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(membership_id(device_id, &current))
    .bind(now_ms)
    .execute(&mut **w)
    .await?;
    // The household it leaves keeps its agreements with volunteers (the family it joins
    // never agreed to them); if nobody is left there, they end with it.
    super::mentoring::leave(&mut w, &current).await?;
    // What the household left counted included this phone's people: computed again.
    super::coverage::forget(&mut w, &current).await?;
    households::drop_if_empty(&mut w, &current).await?;
    w.commit().await?;
    Ok(registration(db, device_id, &target, now_ms))
}

/// The events a joining phone takes with it: all but its household's agreements with
/// volunteers, which were that household's to make (db/mentoring.rs).
const MOVING: &str = "AND kind NOT IN ('mentor_paired', 'mentor_ended')";

/// Who a request's credentials belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    Device {
        device_id: String,
        household_id: String,
    },
    /// No device with this id and secret (after a restore, say).
    Unknown,
    /// Removed by its household.
    Removed,
}

pub async fn authenticate(db: &Db, device_id: &str, secret: &str) -> Result<Auth, DbError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT household_id, secret_hash FROM devices WHERE device_id = $1")
            .bind(device_id)
            .fetch_optional(&db.pool)
            .await?;
    if let Some((household_id, stored)) = row {
        return Ok(if constant_time_eq(&stored, &hash(secret)) {
            Auth::Device {
                device_id: device_id.to_string(),
                household_id,
            }
        } else {
            Auth::Unknown
        });
    }
    let revoked: Option<(String,)> = sqlx::query_as("SELECT reason FROM revoked WHERE id = $1")
        .bind(device_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(if revoked.is_some() {
        Auth::Removed
    } else {
        Auth::Unknown
    })
}

/// A device as its household sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeviceInfo {
    pub device_id: String,
    pub label: String,
    pub created_ms: i64,
    pub last_seen_ms: i64,
    /// The consent text version its person accepted, and when.
    pub consent_version: Option<String>,
    pub consent_ms: Option<i64>,
}

/// The household's devices, most recently seen first.
pub async fn list(db: &Db, household_id: &str) -> Result<Vec<DeviceInfo>, DbError> {
    type Row = (String, String, i64, i64, Option<String>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT device_id, label, created_ms, last_seen_ms, consent_version, consent_ms FROM devices \
         WHERE household_id = $1 ORDER BY last_seen_ms DESC, device_id",
    )
    .bind(household_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(device_id, label, created_ms, last_seen_ms, consent_version, consent_ms)| {
                DeviceInfo {
                    device_id,
                    label,
                    created_ms,
                    last_seen_ms,
                    consent_version,
                    consent_ms,
                }
            },
        )
        .collect())
}

/// Removes a device of `household_id`: its credential stops working at once and its id
/// can never register again. Its events stay the family's. False when the household
/// has no such device.
pub async fn remove(
    db: &Db,
    household_id: &str,
    device_id: &str,
    now_ms: i64,
) -> Result<bool, DbError> {
    let mut w = db.write().await?;
    let gone = sqlx::query("DELETE FROM devices WHERE device_id = $1 AND household_id = $2")
        .bind(device_id)
        .bind(household_id)
        .execute(&mut **w)
        .await?
        .rows_affected();
    if gone == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO revoked (id, reason, revoked_ms) VALUES ($1, 'device_removed', $2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(device_id)
    .bind(now_ms)
    .execute(&mut **w)
    .await?;
    w.commit().await?;
    Ok(true)
}

/// The revoked id of a device's membership of a household it left.
fn membership_id(device_id: &str, household_id: &str) -> String {
    format!("{device_id}@{household_id}")
}

/// The certificate that `device_id` is a member of `household_id`, signed with the
/// servers' shared key.
pub fn certificate(db: &Db, device_id: &str, household_id: &str) -> String {
    hex(&mac(db, device_id, household_id).finalize().into_bytes())
}

fn certificate_valid(db: &Db, device_id: &str, household_id: &str, cert: &str) -> bool {
    let Some(bytes) = unhex(cert) else {
        return false;
    };
    mac(db, device_id, household_id)
        .verify_slice(&bytes)
        .is_ok()
}

fn mac(db: &Db, device_id: &str, household_id: &str) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(db.membership_key()).expect("HMAC takes any key length");
    mac.update(format!("hocso membership\n{device_id}\n{household_id}").as_bytes());
    mac
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
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

/// A device secret as phones make them: 32 random bytes in lowercase hex.
pub fn is_secret(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_64_lowercase_hex_digits() {
        assert!(is_secret(&"a1".repeat(32)));
        assert!(!is_secret(&"A1".repeat(32)));
        assert!(!is_secret("short"));
    }

    #[test]
    fn hex_reads_back() {
        assert_eq!(unhex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("éé"), None);
    }
}
