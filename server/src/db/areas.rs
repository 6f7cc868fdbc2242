//! The area tree: province → commune (or ward) → village. Ids are stable: renaming
//! changes a name, never an id, so everything counted against an area stays with it.

use super::{random_uuid, Db, DbError};
use crate::places::{self, Plan, Province};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    Commune,
    Village,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Commune => "commune",
            Level::Village => "village",
        }
    }

    fn parse(code: &str) -> Option<Level> {
        [Level::Province, Level::Commune, Level::Village]
            .into_iter()
            .find(|l| l.code() == code)
    }

    /// The level of the places under this one.
    fn below(self) -> Option<Level> {
        match self {
            Level::Province => Some(Level::Commune),
            Level::Commune => Some(Level::Village),
            Level::Village => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Area {
    pub area_id: String,
    pub parent_id: Option<String>,
    pub level: Level,
    pub kind: String,
    pub name: String,
}

type Row = (String, Option<String>, String, String, String);
const COLUMNS: &str = "area_id, parent_id, level, kind, name";

fn from_row((area_id, parent_id, level, kind, name): Row) -> Option<Area> {
    Some(Area {
        area_id,
        parent_id,
        level: Level::parse(&level)?,
        kind,
        name,
    })
}

/// Loads the province and its communes into a database that has none: the first start.
/// A database that has its province already is left as its officials keep it.
/// Returns how many areas were added.
pub async fn seed(db: &Db, province: &Province, now_ms: i64) -> Result<usize, DbError> {
    if the_province(db).await?.is_some() {
        return Ok(0);
    }
    let mut w = db.write().await?;
    let province_id = random_uuid();
    // Another server starting at the same moment may have made it: then this one adds
    // nothing (one province per database, by a unique index).
    let made = insert(
        &mut w,
        &province_id,
        None,
        Level::Province,
        "tỉnh",
        &province.name,
        now_ms,
    )
    .await?;
    if !made {
        return Ok(0);
    }
    for commune in &province.communes {
        insert(
            &mut w,
            &random_uuid(),
            Some(&province_id),
            Level::Commune,
            &commune.kind,
            &commune.name,
            now_ms,
        )
        .await?;
    }
    w.commit().await?;
    Ok(1 + province.communes.len())
}

/// Inserts a place; false when its parent already has one of that name (or, for a
/// province, the database has one).
async fn insert(
    w: &mut super::WriteTx<'_>,
    id: &str,
    parent: Option<&str>,
    level: Level,
    kind: &str,
    name: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO areas (area_id, parent_id, level, kind, name, name_key, created_ms, updated_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(parent)
    .bind(level.code())
    .bind(kind)
    .bind(name)
    .bind(places::name_key(name))
    .bind(now_ms)
    .execute(&mut ***w)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The province this deployment serves.
pub async fn the_province(db: &Db) -> Result<Option<Area>, DbError> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM areas WHERE level = 'province' ORDER BY created_ms LIMIT 1"
    ))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(from_row))
}

pub async fn get(db: &Db, area_id: &str) -> Result<Option<Area>, DbError> {
    let row: Option<Row> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM areas WHERE area_id = $1"))
            .bind(area_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(from_row))
}

/// The places directly under `parent_id`, by name.
pub async fn children(db: &Db, parent_id: &str) -> Result<Vec<Area>, DbError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM areas WHERE parent_id = $1 ORDER BY name_key"
    ))
    .bind(parent_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error("no such place")]
    NotFound,
    #[error("nothing can be added under a village")]
    NoChildren,
    #[error("the name cannot be kept: {0}")]
    Name(&'static str),
    #[error("another place here has that name")]
    Taken,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for PlaceError {
    fn from(e: sqlx::Error) -> Self {
        PlaceError::Db(e.into())
    }
}

/// What an import did: the plan, carried out.
pub type Imported = Plan;

/// Adds the places of a `kind,name` CSV under `parent_id`, skipping those already there
/// (the same name, however spelled): an import can be repeated and adds nothing twice.
/// Rows with problems are reported, not added; the rest are.
pub async fn import(
    db: &Db,
    parent_id: &str,
    csv: &str,
    now_ms: i64,
) -> Result<Imported, PlaceError> {
    let parent = get(db, parent_id).await?.ok_or(PlaceError::NotFound)?;
    let level = parent.level.below().ok_or(PlaceError::NoChildren)?;
    let mut w = db.write().await?;
    let existing: Vec<(String,)> =
        sqlx::query_as("SELECT name_key FROM areas WHERE parent_id = $1")
            .bind(parent_id)
            .fetch_all(&mut **w)
            .await?;
    let existing: BTreeSet<String> = existing.into_iter().map(|(k,)| k).collect();
    let mut plan = places::plan(csv, &existing);
    let mut added = Vec::new();
    for row in std::mem::take(&mut plan.add) {
        let id = random_uuid();
        // One someone else added a moment ago counts as there already.
        if insert(
            &mut w,
            &id,
            Some(parent_id),
            level,
            &row.kind,
            &row.name,
            now_ms,
        )
        .await?
        {
            added.push(row);
        } else {
            plan.present.push(row);
        }
    }
    plan.add = added;
    w.commit().await?;
    Ok(plan)
}

/// Adds one place under `parent_id`.
pub async fn add(
    db: &Db,
    parent_id: &str,
    kind: &str,
    name: &str,
    now_ms: i64,
) -> Result<Area, PlaceError> {
    let parent = get(db, parent_id).await?.ok_or(PlaceError::NotFound)?;
    let level = parent.level.below().ok_or(PlaceError::NoChildren)?;
    if let Some(problem) = places::name_problem(name).or_else(|| places::name_problem(kind)) {
        return Err(PlaceError::Name(problem));
    }
    let mut w = db.write().await?;
    if name_taken(&mut w, parent_id, name, None).await? {
        return Err(PlaceError::Taken);
    }
    let id = random_uuid();
    let (kind, name) = (places::clean_name(kind), places::clean_name(name));
    if !insert(&mut w, &id, Some(parent_id), level, &kind, &name, now_ms).await? {
        return Err(PlaceError::Taken);
    }
    w.commit().await?;
    Ok(Area {
        area_id: id,
        parent_id: Some(parent_id.to_string()),
        level,
        kind,
        name,
    })
}

/// Renames a place; its id, and so everything counted against it, stays.
pub async fn rename(db: &Db, area_id: &str, name: &str, now_ms: i64) -> Result<(), PlaceError> {
    let area = get(db, area_id).await?.ok_or(PlaceError::NotFound)?;
    if let Some(problem) = places::name_problem(name) {
        return Err(PlaceError::Name(problem));
    }
    let mut w = db.write().await?;
    if let Some(parent) = &area.parent_id {
        if name_taken(&mut w, parent, name, Some(area_id)).await? {
            return Err(PlaceError::Taken);
        }
    }
    let renamed = sqlx::query(
        "UPDATE areas SET name = $2, name_key = $3, updated_ms = $4 WHERE area_id = $1",
    )
    .bind(area_id)
    .bind(places::clean_name(name))
    .bind(places::name_key(name))
    .bind(now_ms)
    .execute(&mut **w)
    .await;
    match renamed {
        Err(e) if super::is_unique_violation(&e) => return Err(PlaceError::Taken),
        other => other?,
    };
    w.commit().await?;
    Ok(())
}

async fn name_taken(
    w: &mut super::WriteTx<'_>,
    parent_id: &str,
    name: &str,
    except: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM areas WHERE parent_id = $1 AND name_key = $2 AND area_id <> $3",
    )
    .bind(parent_id)
    .bind(places::name_key(name))
    .bind(except.unwrap_or(""))
    .fetch_one(&mut ***w)
    .await?;
    Ok(n > 0)
}

/// True when `area_id` is `within_id` or lies under it.
pub async fn is_within(db: &Db, area_id: &str, within_id: &str) -> Result<bool, DbError> {
    let mut at = Some(area_id.to_string());
    // Three levels at most.
    for _ in 0..4 {
        let Some(id) = at else { return Ok(false) };
        if id == within_id {
            return Ok(true);
        }
        at = get(db, &id).await?.and_then(|a| a.parent_id);
    }
    Ok(false)
}

/// How many places each child of `parent_id` holds (a commune's villages).
pub async fn child_counts(
    db: &Db,
    parent_id: &str,
) -> Result<std::collections::HashMap<String, usize>, DbError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT c.area_id, COUNT(v.area_id) FROM areas c LEFT JOIN areas v ON v.parent_id = c.area_id \
         WHERE c.parent_id = $1 GROUP BY c.area_id",
    )
    .bind(parent_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, n as usize)).collect())
}
