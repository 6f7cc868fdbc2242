//! The reader's language and text size for the page being rendered, and the lookup of
//! interface strings in that language.

use crate::domain::content::Content;
use crate::domain::locale::Prefs;
use leptos::prelude::*;
use std::sync::Arc;

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
/// come from the request's cookies.
pub fn use_ui() -> Ui {
    if let Some(ui) = use_context::<Ui>() {
        return ui;
    }
    let content = expect_context::<Arc<Content>>();
    let cookies = request_cookies();
    let prefs = Prefs::from_cookie_header(&cookies, &content.locale_codes());
    let ui = Ui { content, prefs };
    provide_context(ui.clone());
    ui
}

#[cfg(feature = "ssr")]
fn request_cookies() -> String {
    use_context::<http::request::Parts>()
        .map(|parts| {
            parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn request_cookies() -> String {
    String::new()
}
