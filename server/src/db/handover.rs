//! A volunteer (or lead) who left, and the households that still agree to them. The
//! commune's official closes the account — no sign-in, its sessions ended, its pairing
//! codes stopped — and may then offer those households to another volunteer of the
//! commune. An offer changes nothing by itself: it is a pairing code of the new
//! volunteer that only that household is shown (GET /api/v2/household/offers), and the
//! household takes or declines it on its own phone with the same pairing events as any
//! code, so a volunteer still sees a household only by its own consent.

use super::accounts::{self, Account};
use super::{Db, DbError};
use app::domain::role::Role;

/// How long an offer can be taken: households out of signal for weeks still see it.
pub const OFFER_TTL_MS: i64 = 30 * 24 * 3600 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum HandoverError {
    /// Not an official, or not an account of the official's own commune that may be
    /// closed (or handed to).
    #[error("not allowed")]
    NotAllowed,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for HandoverError {
    fn from(e: sqlx::Error) -> Self {
        HandoverError::Db(e.into())
    }
}

/// An account of `official`'s commune with one of `roles`, open or closed as asked.
async fn of_commune(
    db: &Db,
    official: &Account,
    account_id: &str,
    roles: &[Role],
    closed: bool,
) -> Result<Account, HandoverError> {
    if official.role != Role::Official {
        return Err(HandoverError::NotAllowed);
    }
    let account = accounts::get(db, account_id)
        .await?
        .filter(|a| a.area_id == official.area_id && roles.contains(&a.role))
        .ok_or(HandoverError::NotAllowed)?;
    if accounts::is_open(db, account_id).await? == closed {
        return Err(HandoverError::NotAllowed);
    }
    Ok(account)
}

/// Closes the account of a volunteer or lead of the official's commune who left.
pub async fn close(
    db: &Db,
    official: &Account,
    account_id: &str,
    now_ms: i64,
) -> Result<(), HandoverError> {
    let gone = of_commune(
        db,
        official,
        account_id,
        &[Role::Volunteer, Role::Lead],
        false,
    )
    .await?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE accounts SET left_ms = $2 WHERE account_id = $1 AND left_ms IS NULL")
        .bind(&gone.account_id)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(&gone.account_id)
        .execute(&mut **w)
        .await?;
    sqlx::query(
        "UPDATE pairing_codes SET expires_ms = $2 WHERE volunteer_id = $1 AND expires_ms > $2",
    )
    .bind(&gone.account_id)
    .bind(now_ms)
    .execute(&mut **w)
    .await?;
    // Invitations of volunteers into their team make volunteers without a lead.
    sqlx::query("UPDATE invitations SET lead_id = NULL WHERE lead_id = $1 AND used_ms IS NULL")
        .bind(&gone.account_id)
        .execute(&mut **w)
        .await?;
    // A password reset made for them before can no longer be used.
    sqlx::query("UPDATE invitations SET used_ms = $2 WHERE for_account = $1 AND used_ms IS NULL")
        .bind(&gone.account_id)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
    w.commit().await?;
    Ok(())
}

/// A volunteer of the commune who left, as the official's team page lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Left {
    pub account_id: String,
    pub name: String,
    /// Households that still agree to them and have not answered an offer.
    pub households: i64,
    /// Of those, how many have an open offer (not yet taken or declined).
    pub offered: i64,
}

/// The commune's volunteers who left and still have households waiting for someone new,
/// by name.
pub async fn left_in_commune(db: &Db, commune_id: &str, now_ms: i64) -> Result<Vec<Left>, DbError> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT a.account_id, a.display_name, \
           (SELECT COUNT(DISTINCT m.household_id) FROM mentorships m \
             WHERE m.volunteer_id = a.account_id AND m.active = 1 \
               AND NOT EXISTS (SELECT 1 FROM mentor_offers o JOIN mentorships t \
                 ON t.household_id = o.household_id AND t.code = o.code \
                 WHERE o.household_id = m.household_id AND o.replaces_id = a.account_id)), \
           (SELECT COUNT(*) FROM mentor_offers o JOIN pairing_codes p ON p.code = o.code \
             WHERE o.replaces_id = a.account_id AND o.superseded_ms IS NULL \
               AND p.expires_ms > $2 \
               AND NOT EXISTS (SELECT 1 FROM mentor_offers q JOIN mentorships t \
                 ON t.household_id = q.household_id AND t.code = q.code \
                 WHERE q.household_id = o.household_id AND q.replaces_id = o.replaces_id)) \
         FROM accounts a \
         WHERE a.area_id = $1 AND a.role = 'volunteer' AND a.left_ms IS NOT NULL \
         ORDER BY a.display_name, a.account_id",
    )
    .bind(commune_id)
    .bind(now_ms)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.2 > 0)
        .map(|(account_id, name, households, offered)| Left {
            account_id,
            name,
            households,
            offered,
        })
        .collect())
}

/// Offers every household that still agrees to `from` (who left) to `to`, a volunteer
/// of the same commune: a fresh code of `to` for the household's village, replacing an
/// earlier offer of the same household. Returns how many households were offered.
pub async fn offer(
    db: &Db,
    official: &Account,
    from: &str,
    to: &str,
    now_ms: i64,
) -> Result<usize, HandoverError> {
    let from = of_commune(db, official, from, &[Role::Volunteer], true).await?;
    let to = of_commune(db, official, to, &[Role::Volunteer], false).await?;
    let mut w = db.write().await?;
    // Households that still agree to `from` and have neither answered an offer, nor an
    // open one to `to` already (sent twice: asked once), nor agree to `to` anyway.
    let households: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.household_id, MIN(m.village_id) FROM mentorships m \
         WHERE m.volunteer_id = $1 AND m.active = 1 \
           AND NOT EXISTS (SELECT 1 FROM mentor_offers o JOIN mentorships t \
             ON t.household_id = o.household_id AND t.code = o.code \
             WHERE o.household_id = m.household_id AND o.replaces_id = $1) \
           AND NOT EXISTS (SELECT 1 FROM mentor_offers o JOIN pairing_codes p ON p.code = o.code \
             WHERE o.household_id = m.household_id AND o.replaces_id = $1 \
               AND o.superseded_ms IS NULL AND p.volunteer_id = $2 AND p.expires_ms > $3) \
           AND NOT EXISTS (SELECT 1 FROM mentorships t WHERE t.household_id = m.household_id \
             AND t.volunteer_id = $2 AND t.active = 1) \
         GROUP BY m.household_id ORDER BY m.household_id",
    )
    .bind(&from.account_id)
    .bind(&to.account_id)
    .bind(now_ms)
    .fetch_all(&mut **w)
    .await?;
    for (household_id, village_id) in &households {
        // The household's row lock, as a push, a volunteer's record and a deletion take
        // it: a household deleted meanwhile gets no offer.
        let there =
            sqlx::query("UPDATE households SET last_seq = last_seq WHERE household_id = $1")
                .bind(household_id)
                .execute(&mut **w)
                .await?;
        if there.rows_affected() != 1 {
            continue;
        }
        // An earlier offer of this household (to someone else) stops working from now, and
        // is kept: an answer to it made before now on an offline phone still counts.
        sqlx::query(
            "UPDATE pairing_codes SET expires_ms = $3 WHERE expires_ms > $3 AND code IN \
             (SELECT code FROM mentor_offers WHERE household_id = $1 AND replaces_id = $2)",
        )
        .bind(household_id)
        .bind(&from.account_id)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
        sqlx::query(
            "UPDATE mentor_offers SET superseded_ms = $3 \
             WHERE household_id = $1 AND replaces_id = $2 AND superseded_ms IS NULL",
        )
        .bind(household_id)
        .bind(&from.account_id)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
        let code = super::households::new_code();
        sqlx::query(
            "INSERT INTO pairing_codes (code, volunteer_id, village_id, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&code)
        .bind(&to.account_id)
        .bind(village_id)
        .bind(now_ms)
        .bind(now_ms + OFFER_TTL_MS)
        .execute(&mut **w)
        .await?;
        sqlx::query(
            "INSERT INTO mentor_offers (household_id, replaces_id, code, created_ms) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(household_id)
        .bind(&from.account_id)
        .bind(&code)
        .bind(now_ms)
        .execute(&mut **w)
        .await?;
    }
    w.commit().await?;
    Ok(households.len())
}

/// An offer as the household's phone shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Offer {
    pub code: String,
    /// The volunteer offered.
    pub name: String,
    /// The volunteer who left.
    pub replaces: String,
    pub expires_ms: i64,
}

/// The household's open offers: still working, to a volunteer still there, not yet taken
/// or declined, while the household still agrees to the one who left.
pub async fn offers_for(db: &Db, household_id: &str, now_ms: i64) -> Result<Vec<Offer>, DbError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT o.code, v.display_name, gone.display_name, p.expires_ms FROM mentor_offers o \
         JOIN pairing_codes p ON p.code = o.code \
         JOIN accounts v ON v.account_id = p.volunteer_id \
         JOIN accounts gone ON gone.account_id = o.replaces_id \
         WHERE o.household_id = $1 AND o.superseded_ms IS NULL AND p.expires_ms > $2 \
           AND v.left_ms IS NULL \
           AND EXISTS (SELECT 1 FROM mentorships still WHERE still.household_id = o.household_id \
             AND still.volunteer_id = o.replaces_id AND still.active = 1) \
           AND NOT EXISTS (SELECT 1 FROM mentor_offers q JOIN mentorships m \
             ON m.household_id = q.household_id AND m.code = q.code \
             WHERE q.household_id = o.household_id AND q.replaces_id = o.replaces_id) \
         ORDER BY o.created_ms, o.code",
    )
    .bind(household_id)
    .bind(now_ms)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, replaces, expires_ms)| Offer {
            code,
            name,
            replaces,
            expires_ms,
        })
        .collect())
}
