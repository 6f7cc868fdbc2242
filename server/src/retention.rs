//! The retention rule: a household none of whose phones has synced for the configured
//! time is deleted with everything of it, as if it had asked (docs/DEPLOY.md). Its
//! phones keep what is on them.

use crate::db::{family_data, Db, DbError};

/// What a retention run found and did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub households: usize,
    pub events: u64,
    pub devices: u64,
}

/// Deletes (or with `dry_run` only counts) the households silent for `silent_days`.
pub async fn run(db: &Db, silent_days: u32, dry_run: bool, now_ms: i64) -> Result<Report, DbError> {
    let cutoff = now_ms - i64::from(silent_days) * 24 * 3600 * 1000;
    let silent = family_data::silent_since(db, cutoff).await?;
    let mut report = Report {
        households: silent.len(),
        ..Report::default()
    };
    if dry_run {
        return Ok(report);
    }
    report.households = 0;
    for household in &silent {
        // Checked again under the lock: a household whose phone synced a moment ago stays.
        if let Some(deleted) = family_data::delete(db, household, Some(cutoff), now_ms).await? {
            report.households += 1;
            report.events += deleted.events;
            report.devices += deleted.devices;
        }
    }
    Ok(report)
}
