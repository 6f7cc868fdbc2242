//! Ticks on the checklists (digital family, 4T, one digital identity). An item can be
//! ticked and un-ticked; the latest change wins, ties broken by device id and then event
//! id, so every copy agrees whatever order the changes arrive in.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    pub on: bool,
    pub at_ms: i64,
    #[serde(default)]
    pub device: String,
    /// The event that made this change: the last tie-break, unique per change.
    #[serde(default)]
    pub event: String,
    /// Who saw it done, when a volunteer confirmed it ("" for the person's own tick).
    #[serde(default)]
    pub by: String,
}

impl Tick {
    fn order(&self) -> (i64, &str, &str) {
        (self.at_ms, &self.device, &self.event)
    }
}

/// `"checklist/item"` → its latest state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticks(pub BTreeMap<String, Tick>);

impl Ticks {
    fn key(checklist: &str, item: &str) -> String {
        format!("{checklist}/{item}")
    }

    pub fn is_on(&self, checklist: &str, item: &str) -> bool {
        self.0
            .get(&Self::key(checklist, item))
            .is_some_and(|t| t.on)
    }

    /// Applies a change if it is newer than what is known (last writer wins).
    pub fn set(&mut self, checklist: &str, item: &str, tick: Tick) {
        self.offer(Self::key(checklist, item), tick);
    }

    fn offer(&mut self, key: String, tick: Tick) {
        match self.0.entry(key) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(tick);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                if tick.order() > o.get().order() {
                    o.insert(tick);
                }
            }
        }
    }

    /// Everyone's changes as one list, each item's latest change by whoever made it: the
    /// ticks of a checklist that is the household's.
    pub fn merged<'a>(all: impl IntoIterator<Item = &'a Ticks>) -> Ticks {
        let mut out = Ticks::default();
        for ticks in all {
            for (key, tick) in &ticks.0 {
                out.offer(key.clone(), tick.clone());
            }
        }
        out
    }

    /// The latest change of an item, if any.
    pub fn get(&self, checklist: &str, item: &str) -> Option<&Tick> {
        self.0.get(&Self::key(checklist, item))
    }

    pub fn count_on(&self, checklist: &str) -> usize {
        let prefix = format!("{checklist}/");
        self.0
            .iter()
            .filter(|(k, t)| t.on && k.starts_with(&prefix))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick(on: bool, at_ms: i64, device: &str) -> Tick {
        Tick {
            on,
            at_ms,
            device: device.into(),
            event: format!("{on}"),
            by: String::new(),
        }
    }

    #[test]
    fn the_later_change_wins_in_any_order() {
        let mut a = Ticks::default();
        a.set("family", "pin", tick(true, 1, "x"));
        a.set("family", "pin", tick(false, 2, "x"));
        let mut b = Ticks::default();
        b.set("family", "pin", tick(false, 2, "x"));
        b.set("family", "pin", tick(true, 1, "x"));
        assert!(!a.is_on("family", "pin"));
        assert_eq!(a, b);
    }

    #[test]
    fn same_time_on_two_phones_settles_the_same_way_everywhere() {
        let mut a = Ticks::default();
        a.set("family", "pin", tick(true, 5, "phone-a"));
        a.set("family", "pin", tick(false, 5, "phone-b"));
        let mut b = Ticks::default();
        b.set("family", "pin", tick(false, 5, "phone-b"));
        b.set("family", "pin", tick(true, 5, "phone-a"));
        assert_eq!(a, b);
        assert_eq!(a.count_on("family"), 0);
    }

    #[test]
    fn two_changes_in_the_same_millisecond_on_one_phone_settle_the_same_way() {
        let mut a = Ticks::default();
        a.set("family", "pin", tick(true, 5, "phone-a"));
        a.set("family", "pin", tick(false, 5, "phone-a"));
        let mut b = Ticks::default();
        b.set("family", "pin", tick(false, 5, "phone-a"));
        b.set("family", "pin", tick(true, 5, "phone-a"));
        assert_eq!(a, b);
    }

    #[test]
    fn a_households_list_takes_each_items_latest_change_by_anyone() {
        let (mut mum, mut dad) = (Ticks::default(), Ticks::default());
        mum.set("family", "guide", tick(true, 1, "a"));
        mum.set("family", "scams", tick(true, 1, "a"));
        dad.set("family", "scams", tick(false, 2, "b"));
        let both = Ticks::merged([&mum, &dad]);
        assert!(
            both.is_on("family", "guide"),
            "mum's tick is the household's"
        );
        assert!(!both.is_on("family", "scams"), "dad unticked it after");
        assert_eq!(Ticks::merged([&dad, &mum]), both, "in any order");
    }
}
