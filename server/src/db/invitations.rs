//! One-time invitations: an administrator invites commune officials; an official invites
//! the team leads and volunteers of their commune. An invitation is a link and a typed
//! code (both kept only as hashes), valid for three days and used once. The same way, the
//! person who invited someone can let them set a new password when they forget it.

use super::accounts::{self, Account, AccountError, SessionToken};
use super::areas::{self, Level};
use super::{hex, random_bytes, random_uuid, Db, DbError};
use app::domain::role::Role;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// How long an invitation to a new account can be used.
pub const INVITE_TTL_MS: i64 = 3 * 24 * 3600 * 1000;
/// How long a password-reset invitation can be used.
pub const RESET_TTL_MS: i64 = 24 * 3600 * 1000;
/// The longest note an inviter writes ("Chị Hoa, bản Nà Khum").
pub const MAX_NOTE_CHARS: usize = 60;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub invitation_id: String,
    pub role: Role,
    pub area_id: String,
    pub lead_id: Option<String>,
    /// Set for a password reset: whose.
    pub for_account: Option<String>,
    pub invited_by: String,
    pub note: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub used_ms: Option<i64>,
}

/// A new invitation, with its secrets: shown once to the inviter, never stored.
#[derive(Clone, Debug)]
pub struct Issued {
    pub invitation: Invitation,
    /// For the link `/invite/<token>`.
    pub token: String,
    /// For typing: ten characters like a family code.
    pub code: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("this account may not invite that role")]
    NotAllowed,
    #[error("the place is not one this account may invite to")]
    BadArea,
    #[error("the team lead is not a lead of that commune")]
    BadLead,
    #[error("the note is empty, too long or has invisible characters")]
    BadNote,
    #[error("no invitation with this link or code, or it was used or has expired")]
    NotFound,
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for InviteError {
    fn from(e: sqlx::Error) -> Self {
        InviteError::Db(e.into())
    }
}

type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    i64,
    Option<i64>,
);
const COLUMNS: &str = "invitation_id, role, area_id, lead_id, for_account, invited_by, note, created_ms, expires_ms, used_ms";

fn from_row(r: Row) -> Option<Invitation> {
    Some(Invitation {
        invitation_id: r.0,
        role: Role::parse(&r.1)?,
        area_id: r.2,
        lead_id: r.3,
        for_account: r.4,
        invited_by: r.5,
        note: r.6,
        created_ms: r.7,
        expires_ms: r.8,
        used_ms: r.9,
    })
}

fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Invites someone to a new account of `role` in `area_id` (and, for a volunteer, the
/// team of `lead_id`), if `inviter` may.
pub async fn invite(
    db: &Db,
    inviter: &Account,
    role: Role,
    area_id: &str,
    lead_id: Option<&str>,
    note: &str,
    now_ms: i64,
) -> Result<Issued, InviteError> {
    if !inviter.role.may_invite(role) {
        return Err(InviteError::NotAllowed);
    }
    let area = areas::get(db, area_id).await?.ok_or(InviteError::BadArea)?;
    let area_ok = match (inviter.role, role) {
        (Role::Admin, Role::Admin) => area.level == Level::Province,
        (Role::Admin, Role::Official) => area.level == Level::Commune,
        (Role::Official, _) => area.area_id == inviter.area_id,
        _ => false,
    };
    if !area_ok {
        return Err(InviteError::BadArea);
    }
    if let Some(lead) = lead_id {
        let open = accounts::is_open(db, lead).await?;
        let lead = accounts::get(db, lead).await?;
        let ok = role == Role::Volunteer
            && open
            && lead.is_some_and(|l| l.role == Role::Lead && l.area_id == area.area_id);
        if !ok {
            return Err(InviteError::BadLead);
        }
    }
    issue(
        db,
        inviter,
        role,
        &area.area_id,
        lead_id,
        None,
        note,
        INVITE_TTL_MS,
        now_ms,
    )
    .await
}

/// Lets someone `inviter` invited set a new password (they forgot theirs).
pub async fn invite_reset(
    db: &Db,
    inviter: &Account,
    account_id: &str,
    now_ms: i64,
) -> Result<Issued, InviteError> {
    let account = accounts::get(db, account_id)
        .await?
        .filter(|a| a.invited_by.as_deref() == Some(inviter.account_id.as_str()))
        .ok_or(InviteError::NotAllowed)?;
    // A closed account's holder left: there is no password to reset.
    if !accounts::is_open(db, account_id).await? {
        return Err(InviteError::NotAllowed);
    }
    issue(
        db,
        inviter,
        account.role,
        &account.area_id,
        account.lead_id.as_deref(),
        Some(&account.account_id),
        &account.display_name,
        RESET_TTL_MS,
        now_ms,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn issue(
    db: &Db,
    inviter: &Account,
    role: Role,
    area_id: &str,
    lead_id: Option<&str>,
    for_account: Option<&str>,
    note: &str,
    ttl_ms: i64,
    now_ms: i64,
) -> Result<Issued, InviteError> {
    let note = note.trim();
    if note.is_empty()
        || note.chars().count() > MAX_NOTE_CHARS
        || !app::domain::profile::is_plain_text(note)
    {
        return Err(InviteError::BadNote);
    }
    let token = hex(&random_bytes::<16>());
    let code = super::households::new_code();
    let invitation = Invitation {
        invitation_id: random_uuid(),
        role,
        area_id: area_id.to_string(),
        lead_id: lead_id.map(String::from),
        for_account: for_account.map(String::from),
        invited_by: inviter.account_id.clone(),
        note: note.to_string(),
        created_ms: now_ms,
        expires_ms: now_ms + ttl_ms,
        used_ms: None,
    };
    let mut w = db.write().await?;
    sqlx::query(
        "INSERT INTO invitations (invitation_id, token_hash, code_hash, role, area_id, lead_id, for_account, invited_by, note, created_ms, expires_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&invitation.invitation_id)
    .bind(digest(&token))
    .bind(digest(&code))
    .bind(role.code())
    .bind(&invitation.area_id)
    .bind(&invitation.lead_id)
    .bind(&invitation.for_account)
    .bind(&invitation.invited_by)
    .bind(&invitation.note)
    .bind(now_ms)
    .bind(invitation.expires_ms)
    .execute(&mut **w)
    .await?;
    w.commit().await?;
    Ok(Issued {
        invitation,
        token,
        code,
    })
}

/// The hash an invitation is found by: of a link's token, or of a typed code.
fn lookup_hash(token_or_code: &str) -> Option<(&'static str, String)> {
    let t = token_or_code.trim();
    if t.len() == 32 && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Some(("token_hash", digest(t)));
    }
    super::households::normalise_code(t).map(|code| ("code_hash", digest(&code)))
}

/// A usable invitation (not used, not expired) by its link token or typed code.
pub async fn find(
    db: &Db,
    token_or_code: &str,
    now_ms: i64,
) -> Result<Option<Invitation>, DbError> {
    let Some((column, hash)) = lookup_hash(token_or_code) else {
        return Ok(None);
    };
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invitations WHERE {column} = $1"
    ))
    .bind(hash)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row
        .and_then(from_row)
        .filter(|i| i.used_ms.is_none() && i.expires_ms > now_ms))
}

/// What using an invitation did.
#[derive(Debug)]
pub struct Accepted {
    pub account: Account,
    pub session: SessionToken,
    /// A new password for an existing account, rather than a new account.
    pub reset: bool,
}

/// Uses an invitation: a new account (or, for a reset, a new password) and a session.
/// `login` and `name` are ignored for a reset. An invitation works once.
pub async fn accept(
    db: &Db,
    token_or_code: &str,
    login: &str,
    name: &str,
    password: &str,
    now_ms: i64,
) -> Result<Accepted, InviteError> {
    let invitation = find(db, token_or_code, now_ms)
        .await?
        .ok_or(InviteError::NotFound)?;
    if let Some(account_id) = &invitation.for_account {
        if let Some(problem) = app::domain::role::password_problem(password) {
            return Err(AccountError::BadPassword(problem).into());
        }
        claim(db, &invitation, now_ms).await?;
        accounts::set_password(db, account_id, password, now_ms).await?;
        let account = accounts::get(db, account_id)
            .await?
            .ok_or(InviteError::NotFound)?;
        let session = accounts::new_session(db, account_id, now_ms).await?;
        return Ok(Accepted {
            account,
            session,
            reset: true,
        });
    }
    let login = accounts::check_new(login, name, password)?;
    let hash = crate::passwords::hash(password)
        .await
        .map_err(AccountError::from)?;
    let account = Account {
        account_id: random_uuid(),
        login,
        display_name: name.trim().to_string(),
        role: invitation.role,
        area_id: invitation.area_id.clone(),
        lead_id: invitation.lead_id.clone(),
        invited_by: Some(invitation.invited_by.clone()),
    };
    let mut w = db.write().await?;
    let claimed = sqlx::query(
        "UPDATE invitations SET used_ms = $2 WHERE invitation_id = $1 AND used_ms IS NULL AND expires_ms > $2",
    )
    .bind(&invitation.invitation_id)
    .bind(now_ms)
    .execute(&mut **w)
    .await?;
    if claimed.rows_affected() != 1 {
        return Err(InviteError::NotFound);
    }
    accounts::insert(&mut w, &account, &hash, now_ms).await?;
    w.commit().await?;
    let session = accounts::new_session(db, &account.account_id, now_ms).await?;
    Ok(Accepted {
        account,
        session,
        reset: false,
    })
}

/// Marks a reset invitation used, once.
async fn claim(db: &Db, invitation: &Invitation, now_ms: i64) -> Result<(), InviteError> {
    let mut w = db.write().await?;
    let claimed = sqlx::query(
        "UPDATE invitations SET used_ms = $2 WHERE invitation_id = $1 AND used_ms IS NULL AND expires_ms > $2",
    )
    .bind(&invitation.invitation_id)
    .bind(now_ms)
    .execute(&mut **w)
    .await?;
    if claimed.rows_affected() != 1 {
        return Err(InviteError::NotFound);
    }
    w.commit().await?;
    Ok(())
}

/// The invitations an account has made, newest first.
pub async fn by_inviter(db: &Db, inviter_id: &str) -> Result<Vec<Invitation>, DbError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invitations WHERE invited_by = $1 ORDER BY created_ms DESC"
    ))
    .bind(inviter_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}
