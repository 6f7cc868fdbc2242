//! Coverage against the plan's targets (issue 11): the rules of what counts, read from
//! `content/coverage.toml` (rules.rs), and what a household adds to the counts of its
//! village, commune and province (count.rs).

pub mod count;
pub mod import;
pub mod period;
pub mod rules;
pub mod sheet;

use crate::db::Db;
use std::time::Duration;

/// How many households one round of `keep_up` computes again at most.
const ROUND: i64 = 500;

/// Keeps the coverage summaries up to date: computes the households that changed, again
/// and again, resting a little when none did. Errors are logged and retried.
pub async fn keep_up(db: Db, rules: rules::Rules) {
    loop {
        match crate::db::coverage::refresh(&db, &rules, ROUND, crate::db::now_ms()).await {
            Ok(n) if n as i64 == ROUND => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!("coverage summaries: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
