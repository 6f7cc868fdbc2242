//! Community learning sessions and the team views: a session a volunteer or a team lead
//! records (the day, the place, the topics, how many came), and the counts a lead sees of
//! their team and an official of their commune's teams — households guided, visits and
//! sessions per volunteer. Who may see which team is decided in routes/people/access.rs.

use super::accounts::{self, Account};
use super::areas::{self, Level};
use super::{Db, DbError};
use app::domain::event::is_uuid;
use app::domain::role::Role;
use app::domain::visit::session_problem;

/// A session as the form sends it.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// The form's id: a form sent again is the same session.
    pub session_id: String,
    /// A village of the recorder's commune, or none (a commune-wide session).
    pub village_id: Option<String>,
    pub day: String,
    pub place: String,
    pub topics: Vec<String>,
    pub attendees: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("only volunteers and team leads record sessions")]
    NotAllowed,
    #[error("not a village of the commune")]
    BadVillage,
    #[error("{0}")]
    Bad(&'static str),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for SessionError {
    fn from(e: sqlx::Error) -> Self {
        SessionError::Db(e.into())
    }
}

/// Records a session; true if it is new, false if this id was stored already (the same
/// form sent again — nothing changes, whoever sent it).
pub async fn record_session(
    db: &Db,
    who: &Account,
    s: &NewSession,
    now_ms: i64,
) -> Result<bool, SessionError> {
    if !matches!(who.role, Role::Volunteer | Role::Lead) {
        return Err(SessionError::NotAllowed);
    }
    if !is_uuid(&s.session_id) {
        return Err(SessionError::Bad("the session id is not a UUID"));
    }
    if let Some(problem) = session_problem(&s.day, &s.place, &s.topics, s.attendees) {
        return Err(SessionError::Bad(problem));
    }
    if let Some(village) = &s.village_id {
        let area = areas::get(db, village).await?;
        let ours = area.is_some_and(|a| {
            a.level == Level::Village && a.parent_id.as_deref() == Some(who.area_id.as_str())
        });
        if !ours {
            return Err(SessionError::BadVillage);
        }
    }
    let mut w = db.write().await?;
    let done = sqlx::query(
        "INSERT INTO community_sessions (session_id, account_id, commune_id, village_id, day, \
           place, topics, attendees, recorded_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (session_id) DO NOTHING",
    )
    .bind(&s.session_id)
    .bind(&who.account_id)
    .bind(&who.area_id)
    .bind(&s.village_id)
    .bind(&s.day)
    .bind(s.place.trim())
    .bind(s.topics.join(","))
    .bind(i64::from(s.attendees))
    .bind(now_ms)
    .execute(&mut **w)
    .await?;
    w.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// A session as the pages list it (one definition, the pages').
pub use app::people::SessionRow as Session;

/// The latest sessions (by day) recorded in `commune_id` by any of `account_ids`, at
/// most `limit`.
pub async fn sessions_by(
    db: &Db,
    commune_id: &str,
    account_ids: &[String],
    limit: i64,
) -> Result<Vec<Session>, DbError> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (3..account_ids.len() + 3)
        .map(|i| format!("${i}"))
        .collect();
    let sql = format!(
        "SELECT s.day, s.place, v.name, s.topics, s.attendees, a.display_name \
         FROM community_sessions s JOIN accounts a ON a.account_id = s.account_id \
         LEFT JOIN areas v ON v.area_id = s.village_id \
         WHERE s.commune_id = $2 AND s.account_id IN ({}) \
         ORDER BY s.day DESC, s.recorded_ms DESC LIMIT $1",
        marks.join(",")
    );
    let mut query =
        sqlx::query_as::<_, (String, String, Option<String>, String, i64, String)>(&sql)
            .bind(limit)
            .bind(commune_id);
    for id in account_ids {
        query = query.bind(id);
    }
    Ok(query
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|(day, place, village, topics, attendees, by)| Session {
            day,
            place,
            village,
            topics: topics.split(',').map(String::from).collect(),
            attendees,
            by,
        })
        .collect())
}

/// A volunteer with what they have done.
#[derive(Clone, Debug)]
pub struct Member {
    pub account: Account,
    /// Households that agree to this volunteer now.
    pub mentees: i64,
    /// Visits recorded in households (whether or not they still agree).
    pub visits: i64,
    pub sessions: i64,
}

async fn member(db: &Db, account: Account) -> Result<Member, DbError> {
    let id = &account.account_id;
    let (mentees,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT household_id) FROM mentorships WHERE volunteer_id = $1 AND active = 1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    // A volunteer's records carry their own device id (db/records.rs): the index on
    // events(device_id) finds them.
    let (visits,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM events WHERE device_id = $1 AND kind = 'visit_recorded'",
    )
    .bind(super::records::device_id_of(id))
    .fetch_one(&db.pool)
    .await?;
    let (sessions,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM community_sessions WHERE account_id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await?;
    Ok(Member {
        account,
        mentees,
        visits,
        sessions,
    })
}

/// A team: its lead (none for the commune's volunteers without one) and its volunteers.
#[derive(Clone, Debug)]
pub struct Team {
    pub lead: Option<Member>,
    pub volunteers: Vec<Member>,
}

/// The commune's teams: each lead with the volunteers they lead, then the volunteers
/// without a lead (if any), by name.
pub async fn commune_teams(db: &Db, commune_id: &str) -> Result<Vec<Team>, DbError> {
    let people = accounts::in_area(db, commune_id).await?;
    let mut teams = Vec::new();
    for lead in people.iter().filter(|a| a.role == Role::Lead) {
        teams.push(team(db, lead, &people).await?);
    }
    let loose: Vec<&Account> = people
        .iter()
        .filter(|a| a.role == Role::Volunteer)
        .filter(|a| {
            a.lead_id.as_ref().is_none_or(|l| {
                !people
                    .iter()
                    .any(|p| &p.account_id == l && p.role == Role::Lead)
            })
        })
        .collect();
    if !loose.is_empty() {
        let mut volunteers = Vec::new();
        for v in loose {
            volunteers.push(member(db, v.clone()).await?);
        }
        teams.push(Team {
            lead: None,
            volunteers,
        });
    }
    Ok(teams)
}

/// A lead's own team.
pub async fn team_of(db: &Db, lead: &Account) -> Result<Team, DbError> {
    let people = accounts::in_area(db, &lead.area_id).await?;
    team(db, lead, &people).await
}

async fn team(db: &Db, lead: &Account, people: &[Account]) -> Result<Team, DbError> {
    let mut volunteers = Vec::new();
    for v in people.iter().filter(|a| {
        a.role == Role::Volunteer && a.lead_id.as_deref() == Some(lead.account_id.as_str())
    }) {
        volunteers.push(member(db, v.clone()).await?);
    }
    Ok(Team {
        lead: Some(member(db, lead.clone()).await?),
        volunteers,
    })
}

/// A commune's totals, for the administrator's view of the province.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommuneTotals {
    pub commune_id: String,
    pub kind: String,
    pub name: String,
    /// Open volunteer accounts.
    pub volunteers: i64,
    /// Households that agree to one of its open volunteers now.
    pub households: i64,
    /// Visits its volunteers recorded (including those who left).
    pub visits: i64,
    pub sessions: i64,
}

/// Every commune of the province with its totals, by name: counts only. A volunteer's
/// records carry `volunteer-<account id>` as their device (records::device_id_of).
pub async fn province_totals(db: &Db, province_id: &str) -> Result<Vec<CommuneTotals>, DbError> {
    type Row = (String, String, String, i64, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.area_id, c.kind, c.name, \
           (SELECT COUNT(*) FROM accounts v WHERE v.area_id = c.area_id \
              AND v.role = 'volunteer' AND v.left_ms IS NULL), \
           (SELECT COUNT(DISTINCT m.household_id) FROM mentorships m \
              JOIN accounts v ON v.account_id = m.volunteer_id \
              WHERE v.area_id = c.area_id AND m.active = 1 AND v.left_ms IS NULL), \
           (SELECT COUNT(*) FROM accounts v \
              JOIN events e ON e.device_id = 'volunteer-' || v.account_id \
              WHERE v.area_id = c.area_id AND v.role = 'volunteer' \
                AND e.kind = 'visit_recorded'), \
           (SELECT COUNT(*) FROM community_sessions s WHERE s.commune_id = c.area_id) \
         FROM areas c WHERE c.parent_id = $1 ORDER BY c.name, c.area_id",
    )
    .bind(province_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(commune_id, kind, name, volunteers, households, visits, sessions)| CommuneTotals {
                commune_id,
                kind,
                name,
                volunteers,
                households,
                visits,
                sessions,
            },
        )
        .collect())
}
