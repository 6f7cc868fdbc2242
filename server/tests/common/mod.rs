//! Builds the real app for integration tests: content from `content/`, a database that
//! is SQLite in a temporary file, or PostgreSQL when TEST_DATABASE_URL is set.

#![allow(dead_code)]

use server::db::Db;
use server::state::AppState;
use std::path::Path;

pub fn content_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A fresh SQLite database in its own temporary directory.
pub async fn sqlite() -> (Db, tempdir::Dir) {
    let dir = tempdir::Dir::new();
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path.display());
    (Db::connect(&url).await.expect("sqlite connects"), dir)
}

/// Every database the tests should run against: SQLite always, PostgreSQL when
/// TEST_DATABASE_URL points at one.
pub async fn databases() -> Vec<(Db, Option<tempdir::Dir>)> {
    let (db, dir) = sqlite().await;
    let mut all = vec![(db, Some(dir))];
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        if !url.is_empty() {
            all.push((Db::connect(&url).await.expect("postgres connects"), None));
        }
    }
    all
}

pub async fn state() -> (AppState, tempdir::Dir) {
    let (db, dir) = sqlite().await;
    let content = server::content::load(&content_dir()).expect("content loads");
    let state = AppState::new(
        db,
        content,
        Path::new("target/site"),
        "127.0.0.1:3000".parse().unwrap(),
    );
    (state, dir)
}

pub mod tempdir {
    /// A directory under the system temp dir, removed when dropped.
    pub struct Dir {
        pub path: std::path::PathBuf,
    }

    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!(
                "hocso-test-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Dir { path }
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
