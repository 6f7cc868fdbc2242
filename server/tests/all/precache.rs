//! The service worker's precache list is the release site, file for file, with each
//! file's content hash; any change to a file or to the content gives a new version.

use crate::common;

use std::fs;

fn site() -> common::tempdir::Dir {
    let dir = common::tempdir::Dir::new();
    fs::create_dir_all(dir.path.join("pkg")).unwrap();
    fs::write(dir.path.join("pkg/hocso.abc.wasm"), b"wasm").unwrap();
    fs::write(dir.path.join("pkg/hocso.abc.wasm.br"), b"br").unwrap();
    fs::write(dir.path.join("pkg/hocso.abc.wasm.gz"), b"gz").unwrap();
    fs::write(dir.path.join("pkg/hocso.d.abc.ts"), b"types").unwrap();
    fs::write(dir.path.join("pkg/hocso.abc.css"), b"css").unwrap();
    fs::write(dir.path.join("app.js"), b"js").unwrap();
    fs::write(dir.path.join("sw.js"), b"// worker").unwrap();
    fs::write(dir.path.join("sw-sync.js"), b"// sync").unwrap();
    fs::write(dir.path.join("sw-household.js"), b"// household").unwrap();
    fs::write(dir.path.join("sw-account.js"), b"// account").unwrap();
    fs::write(dir.path.join(".build-stamp"), b"x").unwrap();
    dir
}

#[test]
fn the_precache_list_is_exactly_the_served_files_and_every_page_in_every_language() {
    let dir = site();
    let content = server::content::load(&common::content_dir()).unwrap();
    let manifest = server::precache::manifest(&dir.path, &content);
    let urls: Vec<_> = manifest.assets.iter().map(|a| a.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "/app.js",
            "/ask/index.txt",
            "/pkg/hocso.abc.css",
            "/pkg/hocso.abc.wasm",
            "/words/en.js",
            "/words/vi.js"
        ]
    );
    assert!(manifest.assets.iter().all(|a| a.revision.len() == 16));
    assert_eq!(manifest.langs, ["vi", "en"]);
    assert!(manifest.pages.contains(&"/offline".to_string()));
    assert!(manifest.pages.contains(&"/ask".to_string()));
    for lesson in &content.lessons {
        assert!(manifest.pages.contains(&format!("/lessons/{}", lesson.id)));
    }
    let script = server::precache::service_worker(&dir.path, &content);
    assert!(script.starts_with("self.HOCSO = {\"version\":"));
    // The worker's four parts are served as one script, never as files of their own.
    assert!(
        script.ends_with("// worker\n// sync\n// household\n// account"),
        "{script}"
    );
}

#[test]
fn a_changed_file_or_changed_content_makes_a_new_version() {
    let dir = site();
    let mut content = server::content::load(&common::content_dir()).unwrap();
    let before = server::precache::manifest(&dir.path, &content).version;
    assert_eq!(
        before,
        server::precache::manifest(&dir.path, &content).version,
        "stable"
    );
    fs::write(dir.path.join("app.js"), b"js v2").unwrap();
    let after_file = server::precache::manifest(&dir.path, &content).version;
    assert_ne!(before, after_file);
    fs::write(dir.path.join("sw-sync.js"), b"// sync v2").unwrap();
    let after_worker = server::precache::manifest(&dir.path, &content).version;
    assert_ne!(
        after_file, after_worker,
        "the worker's code is part of the release"
    );
    let after_file = after_worker;
    content.version = "edited".into();
    assert_ne!(
        after_file,
        server::precache::manifest(&dir.path, &content).version
    );
}

/// The worker's parts share one scope: a top-level function declared in two of them is
/// not an error in JavaScript — the later silently replaces the earlier (it happened:
/// a `record` in sw-account.js broke the household's own `record`).
#[test]
fn no_two_parts_of_the_worker_declare_the_same_name() {
    let public = common::content_dir().join("../public");
    let mut seen = std::collections::BTreeMap::new();
    for part in server::precache::WORKER_PARTS {
        let code = fs::read_to_string(public.join(part)).unwrap();
        for line in code.lines() {
            let name = ["async function ", "function ", "const ", "let "]
                .iter()
                .find_map(|p| line.strip_prefix(p))
                .map(|rest| {
                    rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")
                });
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                if let Some(first) = seen.insert(name.to_string(), part) {
                    panic!("{name} is declared in {first} and again in {part}");
                }
            }
        }
    }
}
