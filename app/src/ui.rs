//! The reader's language and text size for the page being rendered, and the lookup of
//! interface strings in that language.

use crate::domain::content::Content;
use crate::domain::locale::Prefs;
use leptos::prelude::*;
use std::sync::Arc;

/// The interface strings `public/app.js` shows (the sync line, the install and update
/// offers). They are served once per language as a script (`words_path`) that the
/// service worker keeps like a file, rather than carried by every page: that saved
/// ~26 KB of the precache (245 bytes brotli on each of 106 pages).
pub const SCRIPT_WORDS: [&str; 15] = [
    "sync.local",
    "sync.waiting",
    "sync.synced",
    "sync.failed",
    "sync.no_consent",
    "sync.attention",
    "install.offer",
    "install.later",
    "install.button",
    "update.available",
    "update.now",
    "review.intro",
    "review.right",
    "review.wrong",
    "review.go_step",
];

/// Where the script with `SCRIPT_WORDS` in `lang` is served.
pub fn words_path(lang: &str) -> String {
    format!("/words/{lang}.js")
}

/// What every server-rendered component needs to speak the reader's language.
#[derive(Clone)]
pub struct Ui {
    pub content: Arc<Content>,
    pub prefs: Prefs,
}

impl Ui {
    pub fn lang(&self) -> &str {
        &self.prefs.lang
    }

    /// The interface string for `key`, owned so it can go straight into a view.
    pub fn t(&self, key: &str) -> String {
        self.content.t(&self.prefs.lang, key).to_string()
    }
}

/// The `Ui` of the current request. The server provides the content; the preferences
/// come from the request's cookies, or from a `?lang=` in the address (the service worker
/// asks for each page in each language that way, to keep them all offline).
pub fn use_ui() -> Ui {
    if let Some(ui) = use_context::<Ui>() {
        return ui;
    }
    let content = expect_context::<Arc<Content>>();
    let known = content.locale_codes();
    let (cookies, query) = request_cookies_and_query();
    let mut prefs = Prefs::from_cookie_header(&cookies, &known);
    if let Some(lang) = query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find(|lang| known.contains(lang))
    {
        prefs.lang = lang.to_string();
    }
    let ui = Ui { content, prefs };
    provide_context(ui.clone());
    ui
}

#[cfg(feature = "ssr")]
fn request_cookies_and_query() -> (String, String) {
    use_context::<http::request::Parts>()
        .map(|parts| {
            let cookies = parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join("; ");
            (cookies, parts.uri.query().unwrap_or_default().to_string())
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn request_cookies_and_query() -> (String, String) {
    (String::new(), String::new())
}
