//! Counters every server process shares, for limits that must hold across all of them
//! (behind a load balancer each process sees only part of the traffic): how many times
//! something happened in the current window.

use super::{Db, DbError};

/// Counts one more `name` in the window that holds `now_ms` and returns the count so
/// far, with when that window ends.
pub async fn count_one(
    db: &Db,
    name: &str,
    window_ms: i64,
    now_ms: i64,
) -> Result<(i64, i64), DbError> {
    let start = now_ms - now_ms.rem_euclid(window_ms);
    let mut w = db.write().await?;
    let (count,): (i64,) = sqlx::query_as(
        "INSERT INTO rate_windows (name, window_ms, count) VALUES ($1, $2, 1) \
         ON CONFLICT (name, window_ms) DO UPDATE SET count = rate_windows.count + 1 RETURNING count",
    )
    .bind(name)
    .bind(start)
    .fetch_one(&mut **w)
    .await?;
    // Old windows of this counter are of no use; its first count in a window clears
    // them (other counters keep theirs: their windows may be longer).
    if count == 1 {
        sqlx::query("DELETE FROM rate_windows WHERE name = $1 AND window_ms < $2")
            .bind(name)
            .bind(start - window_ms)
            .execute(&mut **w)
            .await?;
    }
    w.commit().await?;
    Ok((count, start + window_ms))
}

/// The count of `name` in the window that holds `now_ms`, without adding to it.
pub async fn current(db: &Db, name: &str, window_ms: i64, now_ms: i64) -> Result<i64, DbError> {
    let start = now_ms - now_ms.rem_euclid(window_ms);
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT count FROM rate_windows WHERE name = $1 AND window_ms = $2")
            .bind(name)
            .bind(start)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map_or(0, |(n,)| n))
}
