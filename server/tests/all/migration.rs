//! A database written by the previous release (schema 0001, one global event sequence)
//! is carried over by the next migration: each household's events numbered in their
//! order, its sequence and epoch set, the never-expiring family codes retired, nothing
//! lost. On SQLite and, with TEST_DATABASE_URL, a scratch PostgreSQL database.

use crate::common;

use server::db::Db;
use sqlx::migrate::Migrator;
use sqlx::AnyPool;
use std::borrow::Cow;

async fn first_release_schema(url: &str, postgres: bool) {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(url).await.unwrap();
    let all: Migrator = if postgres {
        sqlx::migrate!("migrations/postgres")
    } else {
        sqlx::migrate!("migrations/sqlite")
    };
    let mut first = Migrator {
        migrations: Cow::Owned(all.migrations[..1].to_vec()),
        ..Migrator::DEFAULT
    };
    first.set_locking(true);
    first.run(&pool).await.unwrap();
    for (household, code) in [("h-one", "AAAA2222"), ("h-two", "BBBB3333")] {
        sqlx::query(
            "INSERT INTO households (household_id, join_code, created_ms) VALUES ($1, $2, 1)",
        )
        .bind(household)
        .bind(code)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO devices (device_id, household_id, secret_hash, created_ms) VALUES ($1, $2, 'x', 5)")
            .bind(format!("{household}-phone"))
            .bind(household)
            .execute(&pool)
            .await
            .unwrap();
    }
    // Interleaved, as phones of two households sent them.
    for (i, household) in ["h-one", "h-two", "h-one", "h-one", "h-two"]
        .iter()
        .enumerate()
    {
        sqlx::query(
            "INSERT INTO events (event_id, household_id, device_id, profile_id, kind, schema_version, at_ms, payload, received_ms) \
             VALUES ($1, $2, $3, 'p', 'lesson_completed', 1, $4, '{\"lesson\":\"zalo\"}', $4)",
        )
        .bind(format!("e{i}"))
        .bind(*household)
        .bind(format!("{household}-phone"))
        .bind(i as i64)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
}

#[tokio::test]
async fn the_first_releases_data_is_carried_into_per_household_sequences() {
    let dir = common::tempdir::Dir::new();
    let sqlite = format!("sqlite://{}/old.db?mode=rwc", dir.path.display());
    let scratch = common::ScratchPg::new().await;
    let mut urls = vec![(sqlite, false)];
    if let Some(pg) = &scratch {
        urls.push((pg.url.clone(), true));
    }
    for (url, postgres) in urls {
        first_release_schema(&url, postgres).await;
        let db = Db::connect(&url).await.unwrap();
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT household_id, event_id, seq FROM events ORDER BY household_id, seq",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        let expected = [
            ("h-one", "e0", 1),
            ("h-one", "e2", 2),
            ("h-one", "e3", 3),
            ("h-two", "e1", 1),
            ("h-two", "e4", 2),
        ];
        let got: Vec<(&str, &str, i64)> = rows
            .iter()
            .map(|(h, e, s)| (h.as_str(), e.as_str(), *s))
            .collect();
        assert_eq!(got, expected, "postgres: {postgres}");
        let households: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT household_id, last_seq, epoch, code_expires_ms FROM households ORDER BY household_id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        assert_eq!(households[0].1, 3);
        assert_eq!(households[1].1, 2);
        assert!(households.iter().all(|h| h.2.len() == 16), "{households:?}");
        assert_ne!(
            households[0].2, households[1].2,
            "each household its own epoch"
        );
        assert!(
            households.iter().all(|h| h.3 == 0),
            "old codes no longer open a household"
        );
        let (seen,): (i64,) =
            sqlx::query_as("SELECT last_seen_ms FROM devices WHERE device_id = 'h-one-phone'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(seen, 5);
    }
}
