//! What one household adds to the coverage counts, by the rules of `content/coverage.toml`
//! (rules.rs), and the tallies those add up to. Plain functions of a household's folded
//! events, so the summaries kept as events arrive and a recomputation from all events
//! can be compared.

use super::rules::Rules;
use app::domain::event::HouseholdView;
use app::domain::profile::Profile;
use std::collections::BTreeMap;

/// One person as the reports count them: never a name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonCount {
    /// `under_16`, `16_59`, `60_plus`, or "" if not said.
    pub age_band: String,
    /// One of app::domain::person::GROUPS, or "" if not said.
    pub group: String,
    /// Has done at least one lesson.
    pub learning: bool,
    /// Every lesson of the basic-skills track done.
    pub basic_skills: bool,
    /// The identity item ticked by the person themself (and not confirmed).
    pub identity_self: bool,
    /// The identity item confirmed by a volunteer.
    pub identity_confirmed: bool,
    /// Of the trader group, with the whole trader checklist ticked (self or confirmed).
    pub trader_4t: bool,
}

impl PersonCount {
    /// 16 and over, as the person said: people who did not say are not counted as
    /// adults (nor as children).
    pub fn adult(&self) -> bool {
        matches!(self.age_band.as_str(), "16_59" | "60_plus")
    }
}

/// One household as the reports count it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HouseholdCount {
    pub people: Vec<PersonCount>,
    /// A member finished the family track and the family checklist is complete for the
    /// household (each item ticked, or confirmed, for someone of it).
    pub digital_family: bool,
}

fn ticked(view: &HouseholdView, person: &str, checklist: &str, item: &str) -> (bool, bool) {
    let own = view
        .ticks
        .get(person)
        .is_some_and(|t| t.is_on(checklist, item));
    let seen = view
        .confirmed
        .get(person)
        .is_some_and(|t| t.is_on(checklist, item));
    (own, seen)
}

fn all_done(p: &Profile, lessons: &[String]) -> bool {
    !lessons.is_empty() && lessons.iter().all(|l| p.progress.is_done(l))
}

/// What `view` adds to the counts.
pub fn household(view: &HouseholdView, rules: &Rules) -> HouseholdCount {
    let people = view
        .profiles
        .iter()
        .map(|(id, p)| {
            let (own, seen) = ticked(view, id, &rules.identity_checklist, &rules.identity_item);
            let trader_ticks = rules.trader_items.iter().all(|item| {
                let (own, seen) = ticked(view, id, &rules.trader_checklist, item);
                own || seen
            });
            PersonCount {
                age_band: p.details.age_band.clone(),
                group: p.details.group.clone(),
                learning: !p.progress.done.is_empty(),
                basic_skills: all_done(p, &rules.basic_skills_lessons),
                identity_self: own && !seen,
                identity_confirmed: seen,
                trader_4t: p.details.group == "trader" && trader_ticks,
            }
        })
        .collect();
    let family_track = view
        .profiles
        .values()
        .any(|p| all_done(p, &rules.family_lessons));
    let family_checklist = rules.family_items.iter().all(|item| {
        view.profiles.keys().any(|id| {
            let (own, seen) = ticked(view, id, &rules.family_checklist, item);
            own || seen
        })
    });
    HouseholdCount {
        people,
        digital_family: family_track && family_checklist,
    }
}

/// People of a group: how many, and how many of them have basic digital skills.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Share {
    pub people: u64,
    pub basic_skills: u64,
}

impl Share {
    fn add(&mut self, other: Share) {
        self.people += other.people;
        self.basic_skills += other.basic_skills;
    }
}

/// The counts of an area (a village, a commune, the province) over the households it
/// holds: sums, so an area's tally is the sum of its parts'.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub households: u64,
    pub people: u64,
    /// People learning, by age band ("" = not said) and by group ("" = not said).
    pub learning_by_age: BTreeMap<String, u64>,
    pub learning_by_group: BTreeMap<String, u64>,
    pub adults: Share,
    /// By group: public officials, pupils and students, workers, …
    pub groups: BTreeMap<String, Share>,
    /// Adults with the identity item, self-ticked and volunteer-confirmed apart.
    pub identity_self: u64,
    pub identity_confirmed: u64,
    pub digital_families: u64,
    pub traders_4t: u64,
}

impl Tally {
    pub fn add_household(&mut self, h: &HouseholdCount) {
        self.households += 1;
        self.digital_families += u64::from(h.digital_family);
        for p in &h.people {
            self.people += 1;
            if p.learning {
                *self.learning_by_age.entry(p.age_band.clone()).or_default() += 1;
                *self.learning_by_group.entry(p.group.clone()).or_default() += 1;
            }
            let share = Share {
                people: 1,
                basic_skills: u64::from(p.basic_skills),
            };
            if p.adult() {
                self.adults.add(share);
                self.identity_self += u64::from(p.identity_self);
                self.identity_confirmed += u64::from(p.identity_confirmed);
            }
            if !p.group.is_empty() {
                self.groups.entry(p.group.clone()).or_default().add(share);
            }
            self.traders_4t += u64::from(p.trader_4t);
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.households += other.households;
        self.people += other.people;
        for (k, v) in &other.learning_by_age {
            *self.learning_by_age.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.learning_by_group {
            *self.learning_by_group.entry(k.clone()).or_default() += v;
        }
        self.adults.add(other.adults);
        for (k, v) in &other.groups {
            self.groups.entry(k.clone()).or_default().add(*v);
        }
        self.identity_self += other.identity_self;
        self.identity_confirmed += other.identity_confirmed;
        self.digital_families += other.digital_families;
        self.traders_4t += other.traders_4t;
    }
}

/// Fewer people than this in a cell are shown as "< 5": an official never sees a count
/// small enough to point at a family.
pub const SMALLEST_SHOWN: u64 = 5;

/// A count as an official's screen or export shows it.
pub fn shown(n: u64) -> String {
    if n > 0 && n < SMALLEST_SHOWN {
        format!("< {SMALLEST_SHOWN}")
    } else {
        n.to_string()
    }
}

/// A target row: the count, its denominator if the area has one, the target and the gap.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub count: u64,
    pub denominator: Option<u64>,
    /// The target as a number of people, when it can be known: a count target, or a
    /// share of a known denominator.
    pub target: Option<u64>,
    /// People still to reach the target (0 once reached).
    pub gap: Option<u64>,
    /// The count as a share of the denominator, in per cent.
    pub percent: Option<f64>,
}

/// How far `count` is from a target of `percent` of `denominator` or of `people`. An
/// area without a denominator gets counts, not invented percentages.
pub fn progress(
    count: u64,
    denominator: Option<u64>,
    percent: Option<u32>,
    people: Option<u64>,
) -> Progress {
    let denominator = denominator.filter(|d| *d > 0);
    let target = match (percent, people) {
        (_, Some(n)) => Some(n),
        // Rounded up: "80 % of 1,001" is met only at 801.
        (Some(p), None) => denominator.map(|d| (d * u64::from(p)).div_ceil(100)),
        (None, None) => None,
    };
    Progress {
        count,
        denominator,
        target,
        gap: target.map(|t| t.saturating_sub(count)),
        percent: denominator.map(|d| count as f64 * 100.0 / d as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::checklist::{Tick, Ticks};

    fn rules() -> Rules {
        Rules {
            basic_skills_lessons: vec!["a".into(), "b".into()],
            family_lessons: vec!["h".into()],
            family_checklist: "family".into(),
            family_items: vec!["x".into(), "y".into()],
            identity_checklist: "id".into(),
            identity_item: "level2".into(),
            trader_checklist: "4t".into(),
            trader_items: vec!["qr".into()],
            texts: Default::default(),
            targets: vec![],
        }
    }

    fn person(age: &str, group: &str, done: &[&str]) -> Profile {
        let mut p = Profile::default();
        p.details.age_band = age.into();
        p.details.group = group.into();
        for l in done {
            p.progress.complete(l, 1);
        }
        p
    }

    fn tick(on: &mut BTreeMap<String, Ticks>, who: &str, checklist: &str, item: &str, by: &str) {
        on.entry(who.into()).or_default().set(
            checklist,
            item,
            Tick {
                on: true,
                at_ms: 1,
                device: "d".into(),
                event: format!("{checklist}{item}{by}"),
                by: by.into(),
            },
        );
    }

    #[test]
    fn people_count_by_what_they_did_and_said_never_by_name() {
        let mut view = HouseholdView::default();
        view.profiles
            .insert("gran".into(), person("60_plus", "farmer", &["a", "b"]));
        view.profiles
            .insert("son".into(), person("16_59", "trader", &["a"]));
        view.profiles.insert("kid".into(), person("", "", &[]));
        tick(&mut view.ticks, "gran", "id", "level2", "");
        tick(&mut view.ticks, "son", "id", "level2", "");
        tick(&mut view.confirmed, "son", "id", "level2", "Em Hoa");
        tick(&mut view.ticks, "son", "4t", "qr", "");
        let h = household(&view, &rules());
        let by = |id: &str| {
            let i = view.profiles.keys().position(|k| k == id).unwrap();
            h.people[i].clone()
        };
        assert!(
            by("gran").basic_skills && by("gran").identity_self && !by("gran").identity_confirmed
        );
        assert!(
            !by("son").basic_skills && by("son").identity_confirmed && !by("son").identity_self
        );
        assert!(by("son").trader_4t);
        assert!(!by("kid").learning && !by("kid").adult());

        let mut tally = Tally::default();
        tally.add_household(&h);
        assert_eq!((tally.households, tally.people), (1, 3));
        assert_eq!(
            tally.adults,
            Share {
                people: 2,
                basic_skills: 1
            }
        );
        assert_eq!((tally.identity_self, tally.identity_confirmed), (1, 1));
        assert_eq!(tally.learning_by_age.get("60_plus"), Some(&1));
        assert_eq!(
            tally.learning_by_age.get(""),
            None,
            "the child has not learned yet"
        );
        assert_eq!(tally.traders_4t, 1);
        assert_eq!(tally.digital_families, 0);
    }

    #[test]
    fn a_digital_family_is_one_status_for_the_household() {
        let mut view = HouseholdView::default();
        view.profiles
            .insert("mum".into(), person("16_59", "", &["h"]));
        view.profiles.insert("dad".into(), person("16_59", "", &[]));
        tick(&mut view.ticks, "mum", "family", "x", "");
        assert!(
            !household(&view, &rules()).digital_family,
            "y is not ticked"
        );
        // Dad's tick, confirmed by a volunteer, completes the household's checklist.
        tick(&mut view.confirmed, "dad", "family", "y", "Em Hoa");
        assert!(household(&view, &rules()).digital_family);
        let mut tally = Tally::default();
        tally.add_household(&household(&view, &rules()));
        assert_eq!(tally.digital_families, 1);
    }

    #[test]
    fn an_areas_tally_is_the_sum_of_its_parts() {
        let mut one = HouseholdView::default();
        one.profiles
            .insert("p".into(), person("16_59", "official", &["a", "b"]));
        let mut two = HouseholdView::default();
        two.profiles
            .insert("q".into(), person("60_plus", "official", &["a"]));
        let (h1, h2) = (household(&one, &rules()), household(&two, &rules()));
        let mut whole = Tally::default();
        whole.add_household(&h1);
        whole.add_household(&h2);
        let (mut a, mut b) = (Tally::default(), Tally::default());
        a.add_household(&h1);
        b.add_household(&h2);
        a.merge(&b);
        assert_eq!(a, whole);
        assert_eq!(
            whole.groups["official"],
            Share {
                people: 2,
                basic_skills: 1
            }
        );
    }

    #[test]
    fn small_counts_are_hidden_and_no_percentage_is_invented() {
        assert_eq!(shown(0), "0");
        assert_eq!(shown(4), "< 5");
        assert_eq!(shown(5), "5");
        let p = progress(801, Some(1001), Some(80), None);
        assert_eq!((p.target, p.gap), (Some(801), Some(0)));
        let p = progress(100, None, Some(80), None);
        assert_eq!((p.target, p.gap, p.percent), (None, None, None));
        let p = progress(120_000, None, None, Some(170_000));
        assert_eq!(p.gap, Some(50_000));
    }
}
