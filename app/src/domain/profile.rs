//! A person on a shared phone: a name or nickname and a colour from a fixed palette —
//! never an ID number. The palette is a list of names, so pages show colours through
//! CSS classes (no inline styles under the Content-Security-Policy) and the server can
//! refuse anything else.

use super::progress::Progress;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The avatar colours, each with white text at AA contrast: the name an event carries,
/// and the colour earlier releases stored instead (they wrote hex codes).
pub const PALETTE: [(&str, &str); 5] = [
    ("green", "#0b5e44"),
    ("brown", "#8a3b12"),
    ("blue", "#1d4e89"),
    ("purple", "#6b2d83"),
    ("ochre", "#7a5c00"),
];

/// The longest name a person can give themselves.
pub const MAX_NAME_CHARS: usize = 40;

/// The palette name for a colour as stored (a name, or an earlier release's hex code).
pub fn color_name(stored: &str) -> Option<&'static str> {
    PALETTE
        .iter()
        .find(|(name, hex)| *name == stored || hex.eq_ignore_ascii_case(stored))
        .map(|(name, _)| *name)
}

/// The `n`th colour, round the palette: each new person on a phone gets the next one.
pub fn nth_color(n: usize) -> &'static str {
    PALETTE[n % PALETTE.len()].0
}

/// Why a name cannot be kept, if it cannot.
pub fn name_problem(name: &str) -> Option<&'static str> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        Some("the name is empty")
    } else if trimmed.chars().count() > MAX_NAME_CHARS {
        Some("the name is longer than 40 characters")
    } else if !is_plain_text(name) {
        Some("the name contains control or invisible characters")
    } else {
        None
    }
}

/// Text a person can see as it is: no control characters, and none of the invisible
/// ones that reorder or hide text (a name "Lan" followed by a right-to-left override
/// could pass for another in a list). Vietnamese needs none of them.
pub fn is_plain_text(s: &str) -> bool {
    !s.chars().any(|c| {
        c.is_control()
            || matches!(c,
                '\u{00AD}' | '\u{061C}' | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
    })
}

/// A person, folded from the household's events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    /// A palette name ("green", …).
    pub color: String,
    /// Which save is shown: the greatest (time, device, event id), so every phone picks
    /// the same one whatever order the saves arrive in.
    pub saved: (i64, String, String),
    pub progress: Progress,
    /// Quiz attempts seen, by event id: grow-only.
    pub attempts: BTreeSet<String>,
    /// Age band and group, if the person said.
    #[serde(default)]
    pub details: super::person::Details,
}

impl Profile {
    /// Applies a save if it is later than the one shown (last writer wins, ties broken
    /// by device id, then event id).
    pub fn save(&mut self, name: &str, color: &str, stamp: (i64, &str, &str)) {
        let (at, device, event) = stamp;
        if (at, device, event) > (self.saved.0, self.saved.1.as_str(), self.saved.2.as_str()) {
            self.name = name.to_string();
            self.color = color_name(color).unwrap_or(PALETTE[0].0).to_string();
            self.saved = (at, device.to_string(), event.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_releases_hex_colours_read_as_palette_names() {
        assert_eq!(color_name("#0B5E44"), Some("green"));
        assert_eq!(color_name("purple"), Some("purple"));
        assert_eq!(color_name("red"), None);
        assert_eq!(color_name("url(javascript:x)"), None);
        assert_eq!(nth_color(6), "brown");
    }

    #[test]
    fn names_are_short_visible_text() {
        assert_eq!(name_problem("Bà Lan"), None);
        assert!(name_problem("   ").is_some());
        assert!(name_problem(&"a".repeat(41)).is_some());
        assert!(name_problem("Lan\u{0}").is_some());
        assert!(name_problem("Lan\u{202E}nimda").is_some());
        assert!(name_problem("Lan\u{200B}").is_some());
        assert_eq!(name_problem("Nguyễn Thị Hoà"), None);
    }

    #[test]
    fn two_saves_at_the_same_moment_settle_the_same_way_in_any_order() {
        let mut a = Profile::default();
        a.save("Lan", "green", (5, "phone-a", "e1"));
        a.save("Hoa", "blue", (5, "phone-a", "e2"));
        let mut b = Profile::default();
        b.save("Hoa", "blue", (5, "phone-a", "e2"));
        b.save("Lan", "green", (5, "phone-a", "e1"));
        assert_eq!(a, b);
        assert_eq!(a.name, "Hoa");
    }
}
