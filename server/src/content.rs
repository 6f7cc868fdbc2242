//! Reads the learning content from its folder: `locales.toml`, `tracks.toml`,
//! `ui/<lang>.toml`, `lessons/*.toml`, `checklists/*.toml`.

use app::domain::content::{Content, LocaleInfo};
use app::domain::lesson::{Checklist, Lesson, Track};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("the content has problems:\n  {}", .0.join("\n  "))]
    Invalid(Vec<String>),
}

#[derive(Deserialize)]
struct LocalesFile {
    locale: Vec<LocaleInfo>,
}

#[derive(Deserialize)]
struct TracksFile {
    track: Vec<Track>,
}

/// Loads and validates everything; refuses content with any problem, so a broken edit
/// never reaches a learner.
pub fn load(dir: &Path) -> Result<Content, ContentError> {
    let content = load_unchecked(dir)?;
    let problems = content.problems();
    if problems.is_empty() {
        Ok(content)
    } else {
        Err(ContentError::Invalid(problems))
    }
}

/// Loads without validating: for the content test, which lists every problem at once.
pub fn load_unchecked(dir: &Path) -> Result<Content, ContentError> {
    let mut seen = Sha256::new();
    let seen = &mut seen;
    let locales: LocalesFile = read_toml(&dir.join("locales.toml"), seen)?;
    let tracks: TracksFile = read_toml(&dir.join("tracks.toml"), seen)?;
    let mut ui = BTreeMap::new();
    for locale in &locales.locale {
        let path = dir.join("ui").join(format!("{}.toml", locale.code));
        if path.exists() {
            ui.insert(locale.code.clone(), read_toml(&path, seen)?);
        }
    }
    // A track lists its lessons in the order of their file names: trainers number them.
    let lessons: Vec<(PathBuf, Lesson)> = read_all(&dir.join("lessons"), seen)?;
    let checklists: Vec<(PathBuf, Checklist)> = read_all(&dir.join("checklists"), seen)?;
    Ok(Content {
        locales: locales.locale,
        tracks: tracks.track,
        lessons: lessons.into_iter().map(|(_, l)| l).collect(),
        checklists: checklists.into_iter().map(|(_, c)| c).collect(),
        ui,
        version: seen
            .clone()
            .finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect(),
    })
}

fn read_all<T: DeserializeOwned>(
    dir: &Path,
    seen: &mut Sha256,
) -> Result<Vec<(PathBuf, T)>, ContentError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ContentError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| read_toml(&p, seen).map(|v| (p, v)))
        .collect()
}

fn read_toml<T: DeserializeOwned>(path: &Path, seen: &mut Sha256) -> Result<T, ContentError> {
    let text = std::fs::read_to_string(path).map_err(|source| ContentError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    seen.update(text.as_bytes());
    toml::from_str(&text).map_err(|source| ContentError::Parse {
        path: path.to_path_buf(),
        source: Box::new(source),
    })
}
