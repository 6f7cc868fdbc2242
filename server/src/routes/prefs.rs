//! The preferences form: language and text size go into cookies, so the server renders
//! every following page in them, then the reader is sent back where they were.

use crate::state::AppState;
use app::domain::locale::{same_site_path, TextSize, LANG_COOKIE, SIZE_COOKIE};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PrefsForm {
    lang: Option<String>,
    size: Option<String>,
    back: Option<String>,
}

/// A year: preferences are the reader's, not the session's.
const MAX_AGE: u32 = 365 * 24 * 3600;

pub async fn save(State(state): State<AppState>, Form(form): Form<PrefsForm>) -> Response {
    let mut cookies = Vec::new();
    if let Some(lang) = form.lang.filter(|l| !l.is_empty()) {
        if !state.content.locale_codes().contains(&lang.as_str()) {
            return bad_request("Ngôn ngữ không có sẵn. / This language is not available.");
        }
        cookies.push(cookie(LANG_COOKIE, &lang, state.https));
    }
    if let Some(size) = form.size.filter(|s| !s.is_empty()) {
        let Some(size) = TextSize::parse(&size) else {
            return bad_request("Cỡ chữ không hợp lệ. / Unknown text size.");
        };
        cookies.push(cookie(SIZE_COOKIE, size.code(), state.https));
    }
    let back = safe_back(form.back.as_deref());
    let mut headers = HeaderMap::new();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(back) {
        headers.insert(header::LOCATION, v);
    }
    (StatusCode::SEE_OTHER, headers).into_response()
}

/// A preference cookie; `Secure` when the site is reached over HTTPS. The page's script
/// reads these (public/app.js sets them offline), so they are not HttpOnly.
fn cookie(name: &str, value: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={MAX_AGE}; SameSite=Lax{secure}")
}

/// Only a path on this site (`same_site_path`), else the home page.
fn safe_back(back: Option<&str>) -> &str {
    back.and_then(same_site_path).unwrap_or("/")
}

fn bad_request(message: &'static str) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn sends_back_only_to_pages_of_this_site() {
        assert_eq!(safe_back(Some("/lessons/zalo")), "/lessons/zalo");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(Some("/\t/evil.example")), "/");
        assert_eq!(safe_back(Some("/\n/evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(Some("/ /evil.example")), "/");
        assert_eq!(safe_back(Some("/me?x=1")), "/me?x=1");
        assert_eq!(safe_back(None), "/");
    }
}
