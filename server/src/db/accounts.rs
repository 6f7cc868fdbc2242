//! Accounts of the people who work with households, and their sessions. An account signs
//! in with a phone number or username and a password; a session is a random 128-bit id
//! in an HttpOnly cookie, of which the server keeps only the SHA-256, made anew at every
//! sign-in. "Sign out everywhere" ends every session of the account.

use super::{hex, random_bytes, random_uuid, Db, DbError};
use app::domain::role::{normalise_login, password_problem, Role};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// How long a session lasts without use.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// A session's expiry is pushed forward at most this often (not a write per request).
const SESSION_SLIDE_MS: i64 = 3600 * 1000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Account {
    pub account_id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The commune of an official, lead or volunteer; the province of an administrator.
    pub area_id: String,
    /// A volunteer's team lead.
    pub lead_id: Option<String>,
    pub invited_by: Option<String>,
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);
/// An account's row with its password hash last.
type WithHash = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);
pub(super) const COLUMNS: &str =
    "account_id, login, display_name, role, area_id, lead_id, invited_by";

pub(super) fn from_row(
    (account_id, login, display_name, role, area_id, lead_id, invited_by): Row,
) -> Option<Account> {
    Some(Account {
        account_id,
        login,
        display_name,
        role: Role::parse(&role)?,
        area_id,
        lead_id,
        invited_by,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the sign-in name is not a phone number or a username")]
    BadLogin,
    #[error("the name is empty, too long or has invisible characters")]
    BadName,
    #[error("the password cannot be used: {0}")]
    BadPassword(&'static str),
    #[error("another account has this sign-in name")]
    LoginTaken,
    #[error("there is no province yet")]
    NoProvince,
    #[error("password hashing failed")]
    Hash(#[from] crate::passwords::HashError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        AccountError::Db(e.into())
    }
}

/// Checks a new account's sign-in name, display name and password; returns the login
/// as stored.
pub fn check_new(login: &str, name: &str, password: &str) -> Result<String, AccountError> {
    let login = normalise_login(login).ok_or(AccountError::BadLogin)?;
    if app::domain::role::account_name_problem(name).is_some() {
        return Err(AccountError::BadName);
    }
    if let Some(problem) = password_problem(password) {
        return Err(AccountError::BadPassword(problem));
    }
    Ok(login)
}

/// The first administrator, made on the command line (`server admin create`).
pub async fn create_admin(
    db: &Db,
    login: &str,
    name: &str,
    password: &str,
    now_ms: i64,
) -> Result<Account, AccountError> {
    let login = check_new(login, name, password)?;
    let province = super::areas::the_province(db)
        .await?
        .ok_or(AccountError::NoProvince)?;
    let hash = crate::passwords::hash(password).await?;
    let account = Account {
        account_id: random_uuid(),
        login,
        display_name: name.trim().to_string(),
        role: Role::Admin,
        area_id: province.area_id,
        lead_id: None,
        invited_by: None,
    };
    let mut w = db.write().await?;
    insert(&mut w, &account, &hash, now_ms).await?;
    w.commit().await?;
    Ok(account)
}

pub(super) async fn insert(
    w: &mut super::WriteTx<'_>,
    a: &Account,
    password_hash: &str,
    now_ms: i64,
) -> Result<(), AccountError> {
    let inserted = sqlx::query(
        "INSERT INTO accounts (account_id, login, display_name, role, area_id, lead_id, password_hash, invited_by, created_ms, password_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (login) DO NOTHING",
    )
    .bind(&a.account_id)
    .bind(&a.login)
    .bind(&a.display_name)
    .bind(a.role.code())
    .bind(&a.area_id)
    .bind(&a.lead_id)
    .bind(password_hash)
    .bind(&a.invited_by)
    .bind(now_ms)
    .execute(&mut ***w)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AccountError::LoginTaken);
    }
    Ok(())
}

pub async fn get(db: &Db, account_id: &str) -> Result<Option<Account>, DbError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE account_id = $1"
    ))
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(from_row))
}

/// A session's secret: what the cookie holds.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The account whose login and password these are, with a new session; `None` for a
/// wrong name or password (the same answer, and the same time, for both).
pub async fn sign_in(
    db: &Db,
    login: &str,
    password: &str,
    now_ms: i64,
) -> Result<Option<(Account, SessionToken)>, DbError> {
    let login = normalise_login(login).unwrap_or_default();
    let row: Option<WithHash> = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, password_hash FROM accounts WHERE login = $1 AND left_ms IS NULL"
    ))
    .bind(&login)
    .fetch_optional(&db.pool)
    .await?;
    let stored = row.as_ref().map(|r| r.7.clone());
    if password.len() > app::domain::role::MAX_PASSWORD_BYTES
        || !crate::passwords::verify(password, stored.as_deref()).await
    {
        return Ok(None);
    }
    let Some((a, b, c, d, e, f, g, _)) = row else {
        return Ok(None);
    };
    let Some(account) = from_row((a, b, c, d, e, f, g)) else {
        return Ok(None);
    };
    let token = new_session(db, &account.account_id, now_ms).await?;
    Ok(Some((account, token)))
}

/// A fresh session for the account (a sign-in always makes a new one).
pub async fn new_session(db: &Db, account_id: &str, now_ms: i64) -> Result<SessionToken, DbError> {
    let secret = hex(&random_bytes::<16>());
    let mut w = db.write().await?;
    // The account's expired sessions go: nothing keeps them but this table.
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND expires_ms <= $2")
        .bind(account_id)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (session_hash, account_id, created_ms, last_seen_ms, expires_ms) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(digest(&secret))
    .bind(account_id)
    .bind(now_ms)
    .bind(now_ms + SESSION_TTL_MS)
    .execute(&mut **w)
    .await?;
    w.commit().await?;
    Ok(SessionToken(secret))
}

/// The account of a session that has not expired; its expiry moves forward with use.
pub async fn session(db: &Db, token: &str, now_ms: i64) -> Result<Option<Account>, DbError> {
    if token.len() != 32 {
        return Ok(None);
    }
    let hash = digest(token);
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        // A closed account's sessions are deleted when it is closed; the join makes sure.
        "SELECT s.last_seen_ms, s.expires_ms, s.account_id FROM sessions s \
         JOIN accounts a ON a.account_id = s.account_id \
         WHERE s.session_hash = $1 AND a.left_ms IS NULL",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some((last_seen, expires, account_id)) = row else {
        return Ok(None);
    };
    if expires <= now_ms {
        return Ok(None);
    }
    if now_ms - last_seen > SESSION_SLIDE_MS {
        let mut w = db.write().await?;
        sqlx::query(
            "UPDATE sessions SET last_seen_ms = $2, expires_ms = $3 WHERE session_hash = $1",
        )
        .bind(&hash)
        .bind(now_ms)
        .bind(now_ms + SESSION_TTL_MS)
        .execute(&mut **w)
        .await?;
        w.commit().await?;
    }
    get(db, &account_id).await
}

/// Ends this session.
pub async fn sign_out(db: &Db, token: &str) -> Result<(), DbError> {
    let mut w = db.write().await?;
    sqlx::query("DELETE FROM sessions WHERE session_hash = $1")
        .bind(digest(token))
        .execute(&mut **w)
        .await?;
    w.commit().await
}

/// Ends every session of the account, on every phone.
pub async fn sign_out_everywhere(db: &Db, account_id: &str) -> Result<u64, DbError> {
    let mut w = db.write().await?;
    let n = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **w)
        .await?
        .rows_affected();
    w.commit().await?;
    Ok(n)
}

/// Sets a new password (the account's holder, through a reset invitation, or the
/// command line) and ends every session made with the old one.
pub async fn set_password(
    db: &Db,
    account_id: &str,
    password: &str,
    now_ms: i64,
) -> Result<(), AccountError> {
    if let Some(problem) = password_problem(password) {
        return Err(AccountError::BadPassword(problem));
    }
    let hash = crate::passwords::hash(password).await?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE accounts SET password_hash = $2, password_ms = $3 WHERE account_id = $1")
        .bind(account_id)
        .bind(hash)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **w)
        .await?;
    w.commit().await?;
    Ok(())
}

/// Whether the account is open: not closed by an official after its holder left
/// (db/handover.rs). A closed account signs in to nothing and is given nothing new.
pub async fn is_open(db: &Db, account_id: &str) -> Result<bool, DbError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT left_ms FROM accounts WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(matches!(row, Some((None,))))
}

/// The account signing in with `login`, if any.
pub async fn by_login(db: &Db, login: &str) -> Result<Option<Account>, DbError> {
    let Some(login) = normalise_login(login) else {
        return Ok(None);
    };
    let row: Option<Row> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE login = $1"))
            .bind(login)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(from_row))
}

/// The open accounts of an area (a commune's officials, leads and volunteers), by name:
/// not those who left (db/handover.rs).
pub async fn in_area(db: &Db, area_id: &str) -> Result<Vec<Account>, DbError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE area_id = $1 AND left_ms IS NULL \
         ORDER BY display_name, account_id"
    ))
    .bind(area_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// The accounts `inviter_id` invited, by name.
pub async fn invited_by(db: &Db, inviter_id: &str) -> Result<Vec<Account>, DbError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE invited_by = $1 ORDER BY display_name, account_id"
    ))
    .bind(inviter_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}
