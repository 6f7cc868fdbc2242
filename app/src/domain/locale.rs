//! The reader's preferences that shape every page: language and text size. Both travel
//! in cookies so the server renders the right page on the first byte.

use serde::{Deserialize, Serialize};

pub use super::cookies::{LANG_COOKIE, SIZE_COOKIE};
/// Vietnamese first: the people this serves read it, and every lesson must have it.
pub const DEFAULT_LANG: &str = "vi";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextSize {
    #[default]
    Normal,
    Large,
    Xlarge,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Xlarge];

    pub fn code(self) -> &'static str {
        match self {
            TextSize::Normal => "normal",
            TextSize::Large => "large",
            TextSize::Xlarge => "xlarge",
        }
    }

    pub fn parse(code: &str) -> Option<TextSize> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// `path` if it is an address on this site, for sending the reader back after they
/// change a preference: an open redirect would let a scam page borrow our name. Browsers
/// drop tabs and newlines from addresses and read `\\` as `/`, so `/\t/x` or `/\\x` would
/// leave the site: only visible path characters pass, and never a leading `//`.
pub fn same_site_path(path: &str) -> Option<&str> {
    (path.starts_with('/')
        && path.len() <= 512
        && !path.starts_with("//")
        && path.bytes().all(|c| c.is_ascii_graphic() && c != b'\\'))
    .then_some(path)
}

/// What the reader asked for, read from the request's cookies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefs {
    pub lang: String,
    pub size: TextSize,
}

impl Prefs {
    /// Reads the preferences from a `Cookie` header; `known` are the language codes the
    /// content has. Anything unknown or missing falls back to the defaults.
    pub fn from_cookie_header(header: &str, known: &[&str]) -> Prefs {
        let mut prefs = Prefs {
            lang: DEFAULT_LANG.to_string(),
            size: TextSize::Normal,
        };
        for pair in header.split(';') {
            let Some((name, value)) = pair.trim().split_once('=') else {
                continue;
            };
            match name.trim() {
                LANG_COOKIE if known.contains(&value.trim()) => {
                    prefs.lang = value.trim().to_string()
                }
                SIZE_COOKIE => {
                    if let Some(size) = TextSize::parse(value.trim()) {
                        prefs.size = size
                    }
                }
                _ => {}
            }
        }
        prefs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_normal_text_when_nothing_chosen() {
        let prefs = Prefs::from_cookie_header("", &["vi", "en"]);
        assert_eq!(prefs.lang, "vi");
        assert_eq!(prefs.size, TextSize::Normal);
    }

    #[test]
    fn chosen_language_and_size_are_read_from_cookies() {
        let prefs =
            Prefs::from_cookie_header("other=1; hocso_lang=en; hocso_size=xlarge", &["vi", "en"]);
        assert_eq!(prefs.lang, "en");
        assert_eq!(prefs.size, TextSize::Xlarge);
    }

    #[test]
    fn unknown_language_falls_back_to_vietnamese() {
        let prefs = Prefs::from_cookie_header("hocso_lang=fr; hocso_size=huge", &["vi", "en"]);
        assert_eq!(prefs.lang, "vi");
        assert_eq!(prefs.size, TextSize::Normal);
    }
}
