//! Every cookie the app sets: one list. Preferences are the reader's (a year, readable by
//! the page's script); the session and the one-time notice of a new invitation are the
//! server's (HttpOnly).

/// The interface language code ("vi", "en", …).
pub const LANG_COOKIE: &str = "hocso_lang";
/// The text size.
pub const SIZE_COOKIE: &str = "hocso_size";
/// A signed-in account's session id (HttpOnly).
pub const SESSION_COOKIE: &str = "hocso_session";
/// A new invitation's link and code, shown once to whoever made it (HttpOnly, minutes).
pub const ISSUED_COOKIE: &str = "hocso_issued";

/// The value of cookie `name` in a `Cookie` header, if it is there.
pub fn get<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (n, v) = pair.trim().split_once('=')?;
        (n.trim() == name).then(|| v.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_others() {
        let header = "hocso_lang=en; hocso_session=abc123 ; other=1";
        assert_eq!(get(header, SESSION_COOKIE), Some("abc123"));
        assert_eq!(get(header, LANG_COOKIE), Some("en"));
        assert_eq!(get(header, SIZE_COOKIE), None);
        assert_eq!(get("hocso_sessionx=1", SESSION_COOKIE), None);
    }
}
