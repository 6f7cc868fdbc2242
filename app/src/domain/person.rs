//! What a person may say about themselves for the province's coverage reports: an age
//! band and a group. Both optional ("" is not said), changeable at any time, last writer
//! wins; never a birth date, an ID number or an ethnicity.

use serde::{Deserialize, Serialize};

/// The age bands the plan's targets count by (content/ui: `person.age.<code>`).
pub const AGE_BANDS: [&str; 3] = ["under_16", "16_59", "60_plus"];
/// The groups the plan's targets count by (content/ui: `person.group.<code>`).
pub const GROUPS: [&str; 6] = ["pupil", "worker", "official", "trader", "farmer", "other"];

/// What a person last said, and which save that was.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
    pub age_band: String,
    pub group: String,
    pub saved: (i64, String, String),
}

impl Details {
    /// Applies a save if it is later than the one kept (by time, device id, event id).
    pub fn save(&mut self, age_band: &str, group: &str, stamp: (i64, &str, &str)) {
        let (at, device, event) = stamp;
        if (at, device, event) > (self.saved.0, self.saved.1.as_str(), self.saved.2.as_str()) {
            self.age_band = age_band.to_string();
            self.group = group.to_string();
            self.saved = (at, device.to_string(), event.to_string());
        }
    }
}

/// Why these values cannot be kept, if they cannot.
pub fn details_problem(age_band: &str, group: &str) -> Option<&'static str> {
    if !age_band.is_empty() && !AGE_BANDS.contains(&age_band) {
        Some("the age band is not one of the list")
    } else if !group.is_empty() && !GROUPS.contains(&group) {
        Some("the group is not one of the list")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_lists_values_or_nothing_are_kept() {
        assert_eq!(details_problem("", ""), None);
        assert_eq!(details_problem("60_plus", "farmer"), None);
        assert!(
            details_problem("1958-03-02", "").is_some(),
            "never a birth date"
        );
        assert!(details_problem("", "Thái").is_some(), "never an ethnicity");
    }

    #[test]
    fn the_latest_save_wins_in_any_order() {
        let mut a = Details::default();
        a.save("16_59", "trader", (5, "b", "e1"));
        a.save("60_plus", "", (5, "a", "e2"));
        let mut b = Details::default();
        b.save("60_plus", "", (5, "a", "e2"));
        b.save("16_59", "trader", (5, "b", "e1"));
        assert_eq!(a, b);
        assert_eq!(a.group, "trader");
    }
}
