//! The coverage summaries (issue 11): what each household adds to its place's counts
//! (coverage::count), kept in `household_counts` and `person_counts` and brought up to
//! date from the household's events by `refresh` — after the household's `last_seq`
//! moved on, so a push pays nothing for it — and the tallies of a commune's villages or
//! the province's communes, added up from those rows by the database.

use super::{Db, DbError, WriteTx};
use crate::coverage::count::{self, HouseholdCount, Share, Tally};
use crate::coverage::rules::Rules;
use std::collections::BTreeMap;

/// Drops a household's rows (it was deleted, or a phone took its events elsewhere): the
/// next refresh computes it again if it is still there. Its row in `households` is
/// taken first, as a refresh takes it, so the two cannot wait on each other; its
/// generation grows, so a refresh that read the household before cannot keep what it
/// computed then (migration 0011). The mark becomes a negative number it never had
/// before, made of the new generation: while both releases run (a rolling update), the
/// release before compares the mark alone, and would take a mark set back to an earlier
/// value for "nothing happened". Its own drops count down by one from -1 or from the
/// mark; steps of 2^20 keep them from meeting ours.
pub(crate) async fn forget(w: &mut WriteTx<'_>, household_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE households SET counted_gen = counted_gen + 1, \
           counted_seq = -1 - (counted_gen + 1) * 1048576 \
         WHERE household_id = $1",
    )
    .bind(household_id)
    .execute(&mut ***w)
    .await?;
    drop_rows(w, &[household_id]).await
}

async fn drop_rows(w: &mut WriteTx<'_>, households: &[&str]) -> Result<(), sqlx::Error> {
    for table in ["person_counts", "household_counts", "visit_counts"] {
        for chunk in households.chunks(CHUNK) {
            let sql = format!(
                "DELETE FROM {table} WHERE household_id IN ({})",
                placeholders(1, chunk.len())
            );
            let q = chunk.iter().fold(sqlx::query(&sql), |q, id| q.bind(*id));
            q.execute(&mut ***w).await?;
        }
    }
    Ok(())
}

/// Rows per multi-row statement: well under either database's limit on parameters.
const CHUNK: usize = 100;

/// "$from, $from+1, …" for `n` parameters.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The households changed since their rows were computed (through the partial index of
/// migration 0010).
const UNCOUNTED: &str = "counted_seq IS NULL OR counted_seq <> last_seq";

/// How many households have changed since their rows were computed.
pub async fn pending(db: &Db) -> Result<i64, DbError> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM households WHERE {UNCOUNTED}"
    ))
    .fetch_one(&db.pool)
    .await?;
    Ok(n)
}

/// A household computed again, waiting to be stored.
struct Counted {
    household_id: String,
    /// `last_seq` read before its events were: events stored meanwhile leave it behind,
    /// and the next refresh takes it again.
    seq: i64,
    /// `counted_gen` as read then: if it grew by the time the rows are stored, the
    /// household was forgotten or counted by another refresh meanwhile, and these rows
    /// are not kept.
    generation: i64,
    /// `counted_seq` as read then, checked too: a server of the release before (during
    /// a rolling update) moves the mark without the generation.
    was: Option<i64>,
    village: Option<String>,
    commune: Option<String>,
    counted: HouseholdCount,
}

/// Computes again up to `limit` households that changed since their rows were
/// computed; returns how many.
pub async fn refresh(db: &Db, rules: &Rules, limit: i64, now_ms: i64) -> Result<usize, DbError> {
    let counted = recount(db, rules, limit).await?;
    let n = counted.0.len();
    keep(db, counted, now_ms).await?;
    Ok(n)
}

/// Households computed again by `recount`, not stored yet.
pub struct Recounted(Vec<Counted>);

/// The first half of `refresh`: reads and computes up to `limit` changed households,
/// storing nothing. Apart so a test can change a household between the halves, as
/// another server would.
pub async fn recount(db: &Db, rules: &Rules, limit: i64) -> Result<Recounted, DbError> {
    let changed: Vec<(String, i64, i64, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT household_id, last_seq, counted_gen, counted_seq FROM households \
         WHERE {UNCOUNTED} \
         ORDER BY household_id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let mut done = Vec::with_capacity(changed.len());
    for (household_id, seq, generation, was) in changed {
        // A phone whose clock runs ahead cannot put what it did after every report: an
        // event counts from when the server received it at the latest.
        let events = super::mentoring::events_timed(
            &db.pool,
            &household_id,
            "",
            "CASE WHEN at_ms > received_ms THEN received_ms ELSE at_ms END",
        )
        .await?;
        let counted = count::household(&events, rules);
        let place: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT m.village_id, a.parent_id FROM mentorships m \
             JOIN areas a ON a.area_id = m.village_id \
             WHERE m.household_id = $1 ORDER BY m.active DESC, m.at_ms DESC LIMIT 1",
        )
        .bind(&household_id)
        .fetch_optional(&db.pool)
        .await?;
        let (village, commune) = match place {
            Some((v, c)) => (Some(v), c),
            None => (None, None),
        };
        done.push(Counted {
            household_id,
            seq,
            generation,
            was,
            village,
            commune,
            counted,
        });
    }
    Ok(Recounted(done))
}

/// The second half of `refresh`: stores what `recount` computed, but for households
/// changed since it read them.
pub async fn keep(db: &Db, counted: Recounted, now_ms: i64) -> Result<(), DbError> {
    let done = counted.0;
    // SQLite has one writer and syncs at every commit: many households a transaction.
    // PostgreSQL locks rows: one household a transaction, so a refresh never holds one
    // household's row while waiting for another's (a phone joining a family takes two),
    // committed without waiting for the disk — the rows are derived, and a crash loses
    // them together with their `counted_seq`, so they are computed again.
    let per_tx = match db.engine {
        super::Engine::Sqlite => 100,
        super::Engine::Postgres => 1,
    };
    for batch in done.chunks(per_tx) {
        let mut w = db.write().await?;
        if db.engine == super::Engine::Postgres {
            sqlx::query("SET LOCAL synchronous_commit = off")
                .execute(&mut **w)
                .await?;
        }
        store(&mut w, batch, now_ms).await?;
        w.commit().await?;
    }
    Ok(())
}

async fn store(w: &mut WriteTx<'_>, batch: &[Counted], now_ms: i64) -> Result<(), sqlx::Error> {
    // Each household's row taken (as `forget` takes it) and its generation moved on if it
    // is still the one read: gone (deleted, or emptied by a join), forgotten or counted
    // by another refresh since, its rows are not kept.
    let mut kept = Vec::with_capacity(batch.len());
    for c in batch {
        let moved = sqlx::query(
            "UPDATE households SET counted_seq = $2, counted_gen = counted_gen + 1 \
             WHERE household_id = $1 AND counted_gen = $3 \
             AND (counted_seq = $4 OR (counted_seq IS NULL AND $4 IS NULL))",
        )
        .bind(&c.household_id)
        .bind(c.seq)
        .bind(c.generation)
        .bind(c.was)
        .execute(&mut ***w)
        .await?;
        if moved.rows_affected() == 1 {
            kept.push(c);
        }
    }
    let ids: Vec<&str> = kept.iter().map(|c| c.household_id.as_str()).collect();
    drop_rows(w, &ids).await?;
    insert(
        w,
        "household_counts (household_id, village_id, commune_id, since_ms, digital_family, \
         computed_ms)",
        kept.iter()
            .map(|c| {
                vec![
                    Cell::S(Some(c.household_id.clone())),
                    Cell::S(c.village.clone()),
                    Cell::S(c.commune.clone()),
                    Cell::I(Some(c.counted.since_ms)),
                    Cell::I(c.counted.digital_family),
                    Cell::I(Some(now_ms)),
                ]
            })
            .collect(),
    )
    .await?;
    insert(
        w,
        "person_counts (household_id, profile_id, village_id, commune_id, age_band, grp, \
         since_ms, learning, basic_skills, identity_self, identity_confirmed, trader_4t)",
        kept.iter()
            .flat_map(|c| {
                c.counted.people.iter().enumerate().map(|(n, p)| {
                    vec![
                        Cell::S(Some(c.household_id.clone())),
                        // A position, not the person's id: nothing here leads back to a person.
                        Cell::S(Some(n.to_string())),
                        Cell::S(c.village.clone()),
                        Cell::S(c.commune.clone()),
                        Cell::S(Some(p.age_band.clone())),
                        Cell::S(Some(p.group.clone())),
                        Cell::I(Some(p.since_ms)),
                        Cell::I(p.learning),
                        Cell::I(p.basic_skills),
                        Cell::I(p.identity_self),
                        Cell::I(p.identity_confirmed),
                        Cell::I(p.trader_4t),
                    ]
                })
            })
            .collect(),
    )
    .await?;
    insert(
        w,
        "visit_counts (household_id, n, village_id, commune_id, day)",
        kept.iter()
            .flat_map(|c| {
                c.counted.visit_days.iter().enumerate().map(|(n, day)| {
                    vec![
                        Cell::S(Some(c.household_id.clone())),
                        Cell::I(Some(n as i64)),
                        Cell::S(c.village.clone()),
                        Cell::S(c.commune.clone()),
                        Cell::S(Some(day.clone())),
                    ]
                })
            })
            .collect(),
    )
    .await
}

/// A value of a summary row.
enum Cell {
    S(Option<String>),
    I(Option<i64>),
}

/// Inserts `rows` into `into` ("table (a, b)"), many rows a statement.
async fn insert(w: &mut WriteTx<'_>, into: &str, rows: Vec<Vec<Cell>>) -> Result<(), sqlx::Error> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    for chunk in rows.chunks(CHUNK) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| format!("({})", placeholders(r * width + 1, width)))
            .collect();
        let sql = format!("INSERT INTO {into} VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for cell in chunk.iter().flatten() {
            q = match cell {
                Cell::S(s) => q.bind(s.clone()),
                Cell::I(i) => q.bind(*i),
            };
        }
        q.execute(&mut ***w).await?;
    }
    Ok(())
}

/// "1 if `column` was reached by the time in $1": one summand of a count as of then.
fn reached(column: &str) -> String {
    format!("CAST(SUM(CASE WHEN {column} <= $1 THEN 1 ELSE 0 END) AS BIGINT)")
}

/// The tallies of the places one level down, as of `as_of`: a commune's villages (`by` =
/// "village_id", within `commune`), or the province's communes (`by` = "commune_id"). A
/// household not yet placed is under `None`.
async fn tallies(
    db: &Db,
    by: &str,
    commune: Option<&str>,
    as_of: i64,
) -> Result<BTreeMap<Option<String>, Tally>, DbError> {
    let within = if commune.is_some() {
        "AND commune_id = $2"
    } else {
        ""
    };
    type PersonRow = (Option<String>, String, String, i64, i64, i64, i64, i64, i64);
    // Self-ticked identity counts only while no volunteer has confirmed it (yet).
    let sql = format!(
        "SELECT {by}, age_band, grp, COUNT(*), {learning}, {basic}, \
           CAST(SUM(CASE WHEN identity_self <= $1 AND (identity_confirmed IS NULL \
             OR identity_confirmed > $1) THEN 1 ELSE 0 END) AS BIGINT), {seen}, {traders} \
         FROM person_counts WHERE since_ms <= $1 {within} GROUP BY {by}, age_band, grp",
        learning = reached("learning"),
        basic = reached("basic_skills"),
        seen = reached("identity_confirmed"),
        traders = reached("trader_4t"),
    );
    let mut q = sqlx::query_as::<_, PersonRow>(&sql).bind(as_of);
    if let Some(c) = commune {
        q = q.bind(c);
    }
    let household_sql = format!(
        "SELECT {by}, COUNT(*), {families} FROM household_counts \
         WHERE since_ms <= $1 {within} GROUP BY {by}",
        families = reached("digital_family"),
    );
    let mut hq = sqlx::query_as::<_, (Option<String>, i64, i64)>(&household_sql).bind(as_of);
    if let Some(c) = commune {
        hq = hq.bind(c);
    }
    // The two scans side by side.
    let (person_rows, household_rows) =
        tokio::try_join!(q.fetch_all(&db.pool), hq.fetch_all(&db.pool))?;
    let mut out: BTreeMap<Option<String>, Tally> = BTreeMap::new();
    for (place, age, group, people, learning, basic, id_self, id_seen, traders) in person_rows {
        let t = out.entry(place).or_default();
        t.people += n(people);
        if learning > 0 {
            *t.learning_by_age.entry(age.clone()).or_default() += n(learning);
            *t.learning_by_group.entry(group.clone()).or_default() += n(learning);
        }
        let share = Share {
            people: n(people),
            basic_skills: n(basic),
        };
        if count::is_adult(&age) {
            t.adults.people += share.people;
            t.adults.basic_skills += share.basic_skills;
            t.identity_self += n(id_self);
            t.identity_confirmed += n(id_seen);
        }
        if !group.is_empty() {
            let g = t.groups.entry(group).or_default();
            g.people += share.people;
            g.basic_skills += share.basic_skills;
        }
        t.traders_4t += n(traders);
    }
    for (place, households, families) in household_rows {
        let t = out.entry(place).or_default();
        t.households += n(households);
        t.digital_families += n(families);
    }
    Ok(out)
}

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A commune's villages' tallies as of `as_of` (`None`: households not placed in one).
pub async fn by_village(
    db: &Db,
    commune_id: &str,
    as_of: i64,
) -> Result<BTreeMap<Option<String>, Tally>, DbError> {
    tallies(db, "village_id", Some(commune_id), as_of).await
}

/// Every commune's tallies as of `as_of` (`None`: households not placed in any).
pub async fn by_commune(db: &Db, as_of: i64) -> Result<BTreeMap<Option<String>, Tally>, DbError> {
    tallies(db, "commune_id", None, as_of).await
}

/// A commune's (or with `None`, the province's) headline counts at each of `ends`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrendPoint {
    pub end_ms: i64,
    pub adults_basic: u64,
    pub identity_confirmed: u64,
    pub digital_families: u64,
}

/// The headline counts at each of `ends`, in one pass over the area's rows each: the
/// trend over quarters a report draws.
pub async fn trend(
    db: &Db,
    commune: Option<&str>,
    ends: &[i64],
) -> Result<Vec<TrendPoint>, DbError> {
    if ends.is_empty() {
        return Ok(Vec::new());
    }
    let within = if commune.is_some() {
        "AND commune_id = $1"
    } else {
        ""
    };
    // The ends are our own numbers, not the reader's: written into the query.
    let sums = |column: &str| {
        ends.iter()
            .map(|e| format!("CAST(SUM(CASE WHEN {column} <= {e} THEN 1 ELSE 0 END) AS BIGINT)"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let people = format!(
        "SELECT {}, {} FROM person_counts WHERE age_band IN ('16_59', '60_plus') {within}",
        sums("basic_skills"),
        sums("identity_confirmed")
    );
    let families = format!(
        "SELECT {} FROM household_counts WHERE 1 = 1 {within}",
        sums("digital_family")
    );
    let mut out: Vec<TrendPoint> = ends
        .iter()
        .map(|&end_ms| TrendPoint {
            end_ms,
            ..Default::default()
        })
        .collect();
    let one = |sql| {
        let q = sqlx::query(sql);
        match commune {
            Some(c) => q.bind(c),
            None => q,
        }
        .fetch_one(&db.pool)
    };
    // The two scans side by side.
    let (people, families) = tokio::try_join!(one(&people), one(&families))?;
    for (row, columns) in [(people, 2), (families, 1)] {
        for (i, point) in out.iter_mut().enumerate() {
            for c in 0..columns {
                // An area with no rows sums to NULL: nothing reached.
                let v: Option<i64> = sqlx::Row::try_get(&row, c * ends.len() + i)?;
                let v = n(v.unwrap_or(0));
                match (columns, c) {
                    (2, 0) => point.adults_basic = v,
                    (2, _) => point.identity_confirmed = v,
                    _ => point.digital_families = v,
                }
            }
        }
    }
    Ok(out)
}

/// What volunteers did in a place over some days: visits and community sessions, and
/// (a commune's) volunteers guiding at least 5 households now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    pub visits: u64,
    pub sessions: u64,
    pub volunteers_5: u64,
}

/// The households a volunteer guides that the plan's target asks of them.
pub const MENTEES_TARGET: i64 = 5;

/// Activity from `from_day` to `to_day` (`2026-07-01`, both included) by place one level
/// down, as `tallies`: a commune's villages (`Some(commune)`) or the province's communes.
/// A commune-wide session (no village) and a volunteer (who belongs to the commune) are
/// under `None` in a commune's map.
pub async fn activity(
    db: &Db,
    commune: Option<&str>,
    from_day: &str,
    to_day: &str,
) -> Result<BTreeMap<Option<String>, Activity>, DbError> {
    let (by, within) = match commune {
        Some(_) => ("village_id", "AND commune_id = $3"),
        None => ("commune_id", ""),
    };
    let mut out: BTreeMap<Option<String>, Activity> = BTreeMap::new();
    for (table, visits) in [("visit_counts", true), ("community_sessions", false)] {
        let sql = format!(
            "SELECT {by}, COUNT(*) FROM {table} WHERE day >= $1 AND day <= $2 {within} \
             GROUP BY {by}"
        );
        let mut q = sqlx::query_as::<_, (Option<String>, i64)>(&sql)
            .bind(from_day)
            .bind(to_day);
        if let Some(c) = commune {
            q = q.bind(c);
        }
        for (place, count) in q.fetch_all(&db.pool).await? {
            let a = out.entry(place).or_default();
            if visits {
                a.visits += n(count);
            } else {
                a.sessions += n(count);
            }
        }
    }
    let sql = format!(
        "SELECT v.area_id, COUNT(*) FROM accounts v \
         WHERE v.role = 'volunteer' AND v.left_ms IS NULL {within} \
           AND (SELECT COUNT(DISTINCT m.household_id) FROM mentorships m \
                WHERE m.volunteer_id = v.account_id AND m.active = 1) >= {MENTEES_TARGET} \
         GROUP BY v.area_id",
        within = if commune.is_some() {
            "AND v.area_id = $1"
        } else {
            ""
        },
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
    if let Some(c) = commune {
        q = q.bind(c);
    }
    for (area, count) in q.fetch_all(&db.pool).await? {
        let place = if commune.is_some() { None } else { Some(area) };
        out.entry(place).or_default().volunteers_5 += n(count);
    }
    Ok(out)
}

/// A report's denominators for a year in one read: every area's adults (the ranking's)
/// and `area_id`'s own populations by kind (its targets').
pub async fn populations(
    db: &Db,
    year: i32,
    area_id: &str,
) -> Result<(BTreeMap<String, u64>, BTreeMap<String, u64>), DbError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT area_id, measure, people FROM area_population \
         WHERE year = $1 AND (measure = 'adults' OR area_id = $2)",
    )
    .bind(i64::from(year))
    .bind(area_id)
    .fetch_all(&db.pool)
    .await?;
    let (mut adults, mut own) = (BTreeMap::new(), BTreeMap::new());
    for (area, measure, people) in rows {
        if measure == "adults" {
            adults.insert(area.clone(), n(people));
        }
        if area == area_id {
            own.insert(measure, n(people));
        }
    }
    Ok((adults, own))
}

/// Largest population an area can be given: more than any province of Vietnam.
pub const MAX_PEOPLE: i64 = 20_000_000;

/// Sets (or, with `None`, removes) areas' populations for a year, each (area, kind,
/// people), all in one transaction: every value saved or none.
pub async fn save_populations(
    db: &Db,
    year: i32,
    values: &[(String, &str, Option<i64>)],
    by: &str,
    now_ms: i64,
) -> Result<(), DbError> {
    let mut w = db.write().await?;
    for (area_id, kind, people) in values {
        sqlx::query(
            "DELETE FROM area_population WHERE area_id = $1 AND year = $2 AND measure = $3",
        )
        .bind(area_id)
        .bind(i64::from(year))
        .bind(*kind)
        .execute(&mut **w)
        .await?;
        if let Some(people) = people {
            sqlx::query(
                "INSERT INTO area_population \
                 (area_id, year, measure, people, updated_ms, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(area_id)
            .bind(i64::from(year))
            .bind(*kind)
            .bind(*people)
            .bind(now_ms)
            .bind(by)
            .execute(&mut **w)
            .await?;
        }
    }
    w.commit().await?;
    Ok(())
}

/// An area's populations for a year, by kind.
pub async fn population_of(
    db: &Db,
    area_id: &str,
    year: i32,
) -> Result<BTreeMap<String, u64>, DbError> {
    Ok(populations(db, year, area_id).await?.1)
}
