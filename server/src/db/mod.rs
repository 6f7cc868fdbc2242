//! The database: SQLite by default, PostgreSQL when the URL says so, through one pool
//! type and one set of portable queries.

pub mod accounts;
pub mod areas;
pub mod coverage;
pub mod cursor;
pub mod devices;
pub mod events;
pub mod family_data;
pub mod handover;
pub mod households;
pub mod invitations;
pub mod limits;
pub mod mentoring;
pub mod records;
pub mod team;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    /// The key that signs membership certificates, shared by every server through the
    /// database (db/devices.rs).
    membership_key: std::sync::Arc<[u8]>,
    /// SQLite takes one writer at a time; writers queued here wait their turn without
    /// the busy handler's sleep-and-retry, which under load cost a quarter of the
    /// throughput and second-long tails. PostgreSQL needs no such queue.
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Db {
    /// Connects, creating the SQLite file (in WAL mode) if needed, and applies the
    /// embedded migrations.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        };
        if engine == Engine::Sqlite {
            create_sqlite_dir(url)?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if conn.backend_name() == "SQLite" {
                        // WAL lets readers work while a sync batch is written; the busy
                        // timeout queues writers of other processes instead of failing
                        // them. synchronous = FULL syncs the WAL at every commit: an
                        // acknowledged event survives a power cut (with NORMAL the last
                        // commits can be lost, while the phone has already forgotten them).
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        let mut db = Db {
            pool,
            engine,
            membership_key: std::sync::Arc::from(Vec::new()),
            writer: Default::default(),
        };
        db.migrate().await?;
        db.membership_key = db.shared_key("membership").await?.into();
        Ok(db)
    }

    /// A random key kept in the database, made by whichever server starts first.
    async fn shared_key(&self, name: &str) -> Result<Vec<u8>, DbError> {
        let fresh = hex(&random_bytes::<32>());
        sqlx::query(
            "INSERT INTO server_keys (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(&fresh)
        .execute(&self.pool)
        .await?;
        let (secret,): (String,) = sqlx::query_as("SELECT secret FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(secret.into_bytes())
    }

    pub fn membership_key(&self) -> &[u8] {
        &self.membership_key
    }

    async fn migrate(&self) -> Result<(), DbError> {
        match self.engine {
            Engine::Sqlite => sqlx::migrate!("migrations/sqlite").run(&self.pool).await?,
            Engine::Postgres => {
                sqlx::migrate!("migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// Held while a write transaction runs: the turn to write, on SQLite.
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.engine {
            Engine::Sqlite => Some(self.writer.lock().await),
            Engine::Postgres => None,
        }
    }

    /// A write transaction, begun in this process's turn to write.
    pub async fn write(&self) -> Result<WriteTx<'_>, DbError> {
        let turn = self.write_turn().await;
        let tx = self.pool.begin().await?;
        Ok(WriteTx { tx, _turn: turn })
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Every SQLite connection's settings (see `connect`).
pub const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL";

/// A transaction that holds the turn to write until it is committed or dropped (a drop
/// rolls back).
pub struct WriteTx<'a> {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::MutexGuard<'a, ()>>,
}

impl WriteTx<'_> {
    pub async fn commit(self) -> Result<(), DbError> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = sqlx::Transaction<'static, sqlx::Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the OS provides randomness");
    bytes
}

/// Lowercase hex, for secrets and hashes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh id (a UUIDv7 like the ones phones make).
pub fn random_uuid() -> String {
    app::domain::event::uuid_v7(now_ms(), random_bytes::<10>())
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// True when a database error is a unique-constraint violation (e.g. a family code made
/// twice).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

fn create_sqlite_dir(url: &str) -> Result<(), DbError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| DbError::DataDir(dir.display().to_string(), e))?;
    }
    Ok(())
}
