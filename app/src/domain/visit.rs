//! What a volunteer records: about a household, a visit (the day, the topics, how long, a
//! short note — never a photo) and a practical skill seen done, both events of the
//! household's own stream, so the family sees them on its phones (event.rs); and a
//! community learning session (the day, the place, the topics, how many came).

use serde::{Deserialize, Serialize};

/// A visit longer than a working day is a typing mistake.
pub const MAX_MINUTES: u32 = 600;
/// Topics of one visit: lesson ids.
pub const MAX_TOPICS: usize = 10;
/// A short note: what the household asked, what to bring next time.
pub const MAX_NOTE_CHARS: usize = 280;

/// A visit as the household's view keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// `2026-11-29`: the day of the visit, as the volunteer's phone wrote it.
    pub day: String,
    pub minutes: u32,
    pub topics: Vec<String>,
    pub note: String,
    /// The volunteer's name as it was when they recorded the visit.
    pub by: String,
}

/// Why a visit cannot be kept, if it cannot (topic ids are checked as ids by the caller).
pub fn visit_problem(
    day: &str,
    minutes: u32,
    topics: &[String],
    note: &str,
) -> Option<&'static str> {
    if !is_day(day) {
        Some("the day is not a date")
    } else if minutes == 0 || minutes > MAX_MINUTES {
        Some("the minutes are not between 1 and 600")
    } else if topics.is_empty() || topics.len() > MAX_TOPICS {
        Some("a visit has 1 to 10 topics")
    } else if note.chars().count() > MAX_NOTE_CHARS {
        Some("the note is longer than 280 characters")
    } else if !note.is_empty() && !super::profile::is_plain_text(note) {
        Some("the note contains control or invisible characters")
    } else {
        None
    }
}

/// The most people one community session can count: a village hall's worth.
pub const MAX_ATTENDEES: u32 = 1000;
/// Where a session was held, in a few words.
pub const MAX_PLACE_CHARS: usize = 80;

/// Why a community session cannot be kept, if it cannot (topic ids are checked by the
/// caller against the lessons).
pub fn session_problem(
    day: &str,
    place: &str,
    topics: &[String],
    attendees: u32,
) -> Option<&'static str> {
    let place = place.trim();
    if !is_day(day) {
        Some("the day is not a date")
    } else if place.is_empty() || place.chars().count() > MAX_PLACE_CHARS {
        Some("the place is empty or longer than 80 characters")
    } else if !super::profile::is_plain_text(place) {
        Some("the place contains control or invisible characters")
    } else if topics.is_empty() || topics.len() > MAX_TOPICS {
        Some("a session has 1 to 10 topics")
    } else if attendees == 0 || attendees > MAX_ATTENDEES {
        Some("the number who came is not between 1 and 1000")
    } else {
        None
    }
}

/// `YYYY-MM-DD`, a day that exists, from 2020 to 2100.
pub fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (2020..=2100).contains(&y) && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("lesson-{i}")).collect()
    }

    #[test]
    fn a_session_needs_a_day_a_place_a_topic_and_people() {
        assert_eq!(
            session_problem("2026-11-29", "Nhà văn hoá bản", &topics(1), 25),
            None
        );
        assert!(session_problem("2026-11-29", " ", &topics(1), 25).is_some());
        assert!(session_problem("2026-11-29", &"x".repeat(81), &topics(1), 25).is_some());
        assert!(session_problem("2026-11-29", "Nhà văn hoá", &[], 25).is_some());
        assert!(session_problem("2026-11-29", "Nhà văn hoá", &topics(1), 0).is_some());
        assert!(session_problem("2026-11-29", "Nhà văn hoá", &topics(1), 1001).is_some());
        assert!(session_problem("2026-02-30", "Nhà văn hoá", &topics(1), 5).is_some());
    }

    #[test]
    fn only_real_days_are_days() {
        assert!(is_day("2026-11-29"));
        assert!(is_day("2028-02-29"));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-11-31",
            "26-11-29",
            "2026/11/29",
            "2026-1a-01",
            "1999-01-01",
            "",
        ] {
            assert!(!is_day(bad), "{bad}");
        }
    }

    #[test]
    fn a_visit_needs_a_day_a_length_and_a_topic_and_keeps_its_note_short() {
        assert_eq!(
            visit_problem("2026-11-29", 30, &topics(2), "Bà hỏi về mã QR"),
            None
        );
        assert!(visit_problem("2026-11-29", 0, &topics(1), "").is_some());
        assert!(visit_problem("2026-11-29", 601, &topics(1), "").is_some());
        assert!(visit_problem("2026-11-29", 30, &[], "").is_some());
        assert!(visit_problem("2026-11-29", 30, &topics(11), "").is_some());
        assert!(visit_problem("2026-11-29", 30, &topics(1), &"a".repeat(281)).is_some());
        assert!(visit_problem("2026-11-29", 30, &topics(1), "a\u{202e}b").is_some());
        assert!(visit_problem("29/11/2026", 30, &topics(1), "").is_some());
    }
}
