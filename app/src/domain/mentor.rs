//! A household's volunteers: the household links itself to a volunteer by agreeing to
//! the volunteer's pairing code, and ends the link when it wants. Each link is last
//! writer wins per code by (time, device, event id), like a checklist tick, so the
//! family's phones and the server agree whatever order the events arrive in; the
//! server keeps the same answer in its `mentorships` table, which decides what a
//! volunteer may see.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The latest word of the household about one pairing code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Agreed (true) or ended (false).
    pub on: bool,
    /// The person who agreed or ended it (a profile on one of the family's phones).
    pub profile_id: String,
    /// The version of the text the person read before agreeing (content/ui
    /// `pairing.version`); empty for an ending.
    pub consent: String,
    pub at_ms: i64,
    pub device: String,
    pub event: String,
}

impl Link {
    fn order(&self) -> (i64, &str, &str) {
        (self.at_ms, &self.device, &self.event)
    }

    /// Whether `self` replaces `old` (the later one wins; ties by device, then event).
    pub fn is_newer_than(&self, old: &Link) -> bool {
        self.order() > old.order()
    }
}

/// Pairing code → the household's latest word about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links(pub BTreeMap<String, Link>);

impl Links {
    /// Applies a change if it is newer than what is known.
    pub fn set(&mut self, code: &str, link: Link) {
        match self.0.get(code) {
            Some(old) if !link.is_newer_than(old) => {}
            _ => {
                self.0.insert(code.to_string(), link);
            }
        }
    }

    /// The codes the household agrees to now.
    pub fn active(&self) -> impl Iterator<Item = (&str, &Link)> {
        self.0
            .iter()
            .filter(|(_, l)| l.on)
            .map(|(c, l)| (c.as_str(), l))
    }
}

/// Whether a pairing consent version is one a phone could have sent: short, plain.
pub fn is_consent_version(v: &str) -> bool {
    (1..=20).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// How many characters a household code has.
pub const HANDOFF_LEN: usize = 5;

/// The household code of an agreement: five characters of the pairing event's id
/// (its last 25 random bits, in the codes' alphabet), which the household's phone shows
/// and the volunteer types. A volunteer whose phone has no signal, and so does not yet
/// list a household that has just agreed, names it with this code in what they record;
/// the server finds it among the households that agree to that volunteer (and only
/// those), once both phones have synced. public/household.js reads it the same way.
pub fn handoff_of(event_id: &str) -> Option<String> {
    let hex: String = event_id.chars().filter(|c| *c != '-').collect();
    let tail = hex.get(hex.len().checked_sub(8)?..)?;
    let bits = u32::from_str_radix(tail, 16).ok()?;
    Some(
        (0..HANDOFF_LEN)
            .rev()
            .map(|i| super::code::ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
            .collect(),
    )
}

/// A household code as typed, made comparable; `None` if it cannot be one.
pub fn normalise_handoff(typed: &str) -> Option<String> {
    let code: String = typed
        .trim()
        .chars()
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == HANDOFF_LEN && code.bytes().all(|b| super::code::ALPHABET.contains(&b)))
        .then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_household_code_is_five_characters_of_the_event_id() {
        // 0x01234567 & 0x1ffffff in 5-bit groups: 18, 6, 17, 11, 7.
        assert_eq!(
            handoff_of("0190c2a0-0000-7000-8000-000001234567").as_deref(),
            Some("UGTMH")
        );
        assert_eq!(handoff_of("short"), None);
        assert_eq!(normalise_handoff(" ugtmh ").as_deref(), Some("UGTMH"));
        assert_eq!(normalise_handoff("UGTM0"), None, "0 is not in the alphabet");
        assert_eq!(normalise_handoff("UGTMHH"), None);
    }

    fn link(on: bool, at_ms: i64, device: &str, event: &str) -> Link {
        Link {
            on,
            profile_id: "p".into(),
            consent: if on { "2026-11".into() } else { String::new() },
            at_ms,
            device: device.into(),
            event: event.into(),
        }
    }

    #[test]
    fn the_latest_word_wins_in_any_order() {
        let words = [
            link(true, 10, "a", "1"),
            link(false, 20, "b", "2"),
            link(true, 20, "a", "3"),
        ];
        let mut orders = vec![];
        for perm in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]] {
            let mut links = Links::default();
            for i in perm {
                links.set("CODE", words[i].clone());
            }
            orders.push(links);
        }
        assert!(orders.windows(2).all(|w| w[0] == w[1]));
        // Same time: device "b" sorts after "a", so the ending wins.
        assert_eq!(orders[0].active().count(), 0);
    }

    #[test]
    fn an_agreement_after_an_ending_links_again() {
        let mut links = Links::default();
        links.set("CODE", link(true, 10, "a", "1"));
        links.set("CODE", link(false, 20, "a", "2"));
        links.set("CODE", link(true, 30, "a", "3"));
        assert_eq!(links.active().map(|(c, _)| c).collect::<Vec<_>>(), ["CODE"]);
    }

    #[test]
    fn consent_versions_are_short_and_plain() {
        assert!(is_consent_version("2026-11"));
        assert!(!is_consent_version(""));
        assert!(!is_consent_version("<script>"));
        assert!(!is_consent_version(&"1".repeat(21)));
    }
}
