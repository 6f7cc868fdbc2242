//! What the service worker keeps on the phone: every file of the release site, with a
//! hash of its bytes, and every page in every language. Derived from the built site and
//! the loaded content when the server starts, so it can never disagree with what this
//! server serves; any change to either gives a new version, which the phone installs
//! as a whole.

use app::domain::content::Content;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Asset {
    pub url: String,
    pub revision: String,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub version: String,
    pub assets: Vec<Asset>,
    pub pages: Vec<String>,
    pub langs: Vec<String>,
    /// The consent text version a person must accept before the phone sends anything.
    pub consent: String,
}

/// Pages every phone keeps for offline use: the tabs, the offline notice, the Hỏi page,
/// the placement check, each track and each lesson.
pub fn pages(content: &Content) -> Vec<String> {
    let mut pages: Vec<String> = [
        "/",
        "/family",
        "/market",
        "/me",
        "/offline",
        "/ask",
        "/placement",
    ]
    .map(String::from)
    .to_vec();
    pages.extend(content.tracks.iter().map(|t| format!("/tracks/{}", t.id)));
    pages.extend(content.lessons.iter().map(|l| format!("/lessons/{}", l.id)));
    pages
}

/// The lessons' index the Hỏi page searches on the phone (app::domain::ask), as served
/// at `INDEX_PATH`: derived from the content, so the same bytes every start.
pub fn ask_index(content: &Content) -> Vec<u8> {
    app::domain::ask::index_text(&app::domain::ask::entries(content)).into_bytes()
}

/// The words `public/app.js` shows, in `lang`, as served at `app::ui::words_path`: a
/// script that sets `self.HOCSO_WORDS` (JSON is a JavaScript expression).
pub fn words(content: &Content, lang: &str) -> String {
    let words: std::collections::BTreeMap<&str, &str> = app::ui::SCRIPT_WORDS
        .iter()
        .map(|key| (*key, content.t(lang, key)))
        .collect();
    let json = serde_json::to_string(&words).unwrap_or_else(|_| "{}".into());
    format!("self.HOCSO_WORDS={json};\n")
}

pub fn manifest(site_root: &Path, content: &Content) -> Manifest {
    let mut assets = Vec::new();
    collect(site_root, site_root, &mut assets);
    // Kept like files of the site: fetched and checked against these hashes at install.
    assets.push(Asset {
        url: app::components::ask_box::INDEX_PATH.to_string(),
        revision: short_hex(&Sha256::digest(ask_index(content))),
    });
    for lang in content.locale_codes() {
        assets.push(Asset {
            url: app::ui::words_path(lang),
            revision: short_hex(&Sha256::digest(words(content, lang))),
        });
    }
    assets.sort_by(|a, b| a.url.cmp(&b.url));
    let mut version = Sha256::new();
    for a in &assets {
        version.update(a.url.as_bytes());
        version.update(a.revision.as_bytes());
    }
    version.update(content.version.as_bytes());
    // The worker's own code too: a new worker always installs into a cache of its own,
    // never into the one the running worker serves from.
    version.update(worker_code(site_root).as_bytes());
    Manifest {
        version: short_hex(&version.finalize()),
        assets,
        pages: pages(content),
        langs: content
            .locale_codes()
            .into_iter()
            .map(String::from)
            .collect(),
        consent: content.consent_version().to_string(),
    }
}

/// The service worker's source files, in the order they run: the release cache, sync,
/// the Tôi page's requests, and a signed-in volunteer's pages and records. Served as one
/// script, so a worker can never run one release's part with another's (as
/// `importScripts` during a rolling deploy could).
pub const WORKER_PARTS: [&str; 4] = ["sw.js", "sw-sync.js", "sw-household.js", "sw-account.js"];

fn worker_code(site_root: &Path) -> String {
    WORKER_PARTS
        .iter()
        .map(|part| std::fs::read_to_string(site_root.join(part)).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The service worker script: the manifest, then the worker's code from the site.
pub fn service_worker(site_root: &Path, content: &Content) -> String {
    let manifest = manifest(site_root, content);
    format!(
        "self.HOCSO = {};\n{}",
        serde_json::to_string(&manifest).expect("manifest serialises"),
        worker_code(site_root)
    )
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<Asset>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        // Compressed copies are the same files; type declarations are not served to
        // phones; the worker's parts are the worker, not files a page uses; dot-files
        // are build notes.
        let skip = name.ends_with(".br")
            || name.ends_with(".gz")
            || (name.contains(".d.") && name.ends_with(".ts"))
            || name.starts_with('.')
            || (rel_is_root(root, &path) && WORKER_PARTS.contains(&name));
        if skip {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        out.push(Asset {
            url: format!("/{}", rel.to_string_lossy().replace('\\', "/")),
            revision: short_hex(&Sha256::digest(&bytes)),
        });
    }
}

/// True for a file directly in the site root (where the worker's parts are).
fn rel_is_root(root: &Path, path: &Path) -> bool {
    path.parent() == Some(root)
}

fn short_hex(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
