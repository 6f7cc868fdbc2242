//! What one household adds to the coverage counts, by the rules of `content/coverage.toml`
//! (rules.rs), and the tallies those add up to. Plain functions of a household's folded
//! events, so the summaries kept as events arrive and a recomputation from all events
//! can be compared.

use super::rules::Rules;
use app::domain::checklist::Ticks;
use app::domain::event::{Event, HouseholdView};
use app::domain::profile::Profile;
use std::collections::BTreeMap;

/// One person as the reports count them: never a name. Each achievement is the time it
/// was reached (on the phone's clock, as its events say), so a report counts what was
/// reached by the end of its period from the same summaries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonCount {
    /// `under_16`, `16_59`, `60_plus`, or "" if not said.
    pub age_band: String,
    /// One of app::domain::person::GROUPS, or "" if not said.
    pub group: String,
    /// The first thing recorded for them.
    pub since_ms: i64,
    /// Their first lesson done.
    pub learning: Option<i64>,
    /// The last lesson of the basic-skills track done.
    pub basic_skills: Option<i64>,
    /// The identity item ticked by the person themself.
    pub identity_self: Option<i64>,
    /// The identity item confirmed by a volunteer.
    pub identity_confirmed: Option<i64>,
    /// Of the trader group, with the whole trader checklist ticked (self or confirmed).
    pub trader_4t: Option<i64>,
}

/// Reached by `as_of`.
fn by(reached: Option<i64>, as_of: i64) -> bool {
    reached.is_some_and(|t| t <= as_of)
}

impl PersonCount {
    /// 16 and over, as the person said: people who did not say are not counted as
    /// adults (nor as children).
    pub fn adult(&self) -> bool {
        is_adult(&self.age_band)
    }
}

/// The age bands of 16 and over.
pub fn is_adult(age_band: &str) -> bool {
    matches!(age_band, "16_59" | "60_plus")
}

/// One household as the reports count it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HouseholdCount {
    pub people: Vec<PersonCount>,
    /// Its first event.
    pub since_ms: i64,
    /// When it became a digital family: a member finished the family track and the
    /// family checklist is complete for the household (each item ticked, or confirmed,
    /// for someone of it).
    pub digital_family: Option<i64>,
    /// The days of the volunteers' visits recorded in it (`2026-11-29`).
    pub visit_days: Vec<String>,
}

/// The time of an item's tick that is on now: (the person's own, a volunteer's).
fn ticked(
    view: &HouseholdView,
    person: &str,
    checklist: &str,
    item: &str,
) -> (Option<i64>, Option<i64>) {
    let on = |ticks: &BTreeMap<String, Ticks>| {
        ticks
            .get(person)
            .and_then(|t| t.get(checklist, item))
            .filter(|t| t.on)
            .map(|t| t.at_ms)
    };
    (on(&view.ticks), on(&view.confirmed))
}

/// Either tick, the earlier.
fn either(ticks: (Option<i64>, Option<i64>)) -> Option<i64> {
    match ticks {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// When the last of `lessons` was done, if all are.
fn all_done(p: &Profile, lessons: &[String]) -> Option<i64> {
    if lessons.is_empty() {
        return None;
    }
    lessons
        .iter()
        .map(|l| p.progress.done.get(l).copied())
        .collect::<Option<Vec<i64>>>()
        .and_then(|times| times.into_iter().max())
}

/// The latest of times that must all be there.
fn latest(times: impl IntoIterator<Item = Option<i64>>) -> Option<i64> {
    times
        .into_iter()
        .collect::<Option<Vec<i64>>>()
        .and_then(|t| t.into_iter().max())
}

/// What a household's events add to the counts.
pub fn household(events: &[Event], rules: &Rules) -> HouseholdCount {
    let mut first: BTreeMap<&str, i64> = BTreeMap::new();
    for e in events {
        let at = first.entry(e.profile_id.as_str()).or_insert(e.at_ms);
        *at = (*at).min(e.at_ms);
    }
    let view = HouseholdView::from_events(events);
    let mut counted = of_view(&view, rules, |id| first.get(id).copied());
    counted.since_ms = events.iter().map(|e| e.at_ms).min().unwrap_or(0);
    counted
}

/// What `view` adds to the counts; `first_seen` says when a person's first event was.
pub fn of_view(
    view: &HouseholdView,
    rules: &Rules,
    first_seen: impl Fn(&str) -> Option<i64>,
) -> HouseholdCount {
    let people: Vec<PersonCount> = view
        .profiles
        .iter()
        .map(|(id, p)| {
            let (own, seen) = ticked(view, id, &rules.identity_checklist, &rules.identity_item);
            let trader = latest(
                rules
                    .trader_items
                    .iter()
                    .map(|item| either(ticked(view, id, &rules.trader_checklist, item))),
            );
            PersonCount {
                age_band: p.details.age_band.clone(),
                group: p.details.group.clone(),
                since_ms: first_seen(id).unwrap_or(0),
                learning: p.progress.done.values().min().copied(),
                basic_skills: all_done(p, &rules.basic_skills_lessons),
                identity_self: own,
                identity_confirmed: seen,
                trader_4t: trader.filter(|_| p.details.group == "trader"),
            }
        })
        .collect();
    let family_track = view
        .profiles
        .values()
        .filter_map(|p| all_done(p, &rules.family_lessons))
        .min();
    // The family checklist is the household's: each item's latest change by anyone of
    // it, as the phone shows it (app::domain::checklist::Ticks::merged).
    let everyone = (
        Ticks::merged(view.ticks.values()),
        Ticks::merged(view.confirmed.values()),
    );
    let family_checklist = latest(rules.family_items.iter().map(|item| {
        let on = |t: &Ticks| {
            t.get(&rules.family_checklist, item)
                .filter(|t| t.on)
                .map(|t| t.at_ms)
        };
        either((on(&everyone.0), on(&everyone.1)))
    }));
    HouseholdCount {
        since_ms: people.iter().map(|p| p.since_ms).min().unwrap_or(0),
        people,
        digital_family: latest([family_track, family_checklist]),
        visit_days: view.visits.values().map(|v| v.day.clone()).collect(),
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
    /// Adds what `h` had reached by `as_of` (a household or person recorded later is
    /// not there yet).
    pub fn add_household(&mut self, h: &HouseholdCount, as_of: i64) {
        if h.since_ms > as_of {
            return;
        }
        self.households += 1;
        self.digital_families += u64::from(by(h.digital_family, as_of));
        for p in h.people.iter().filter(|p| p.since_ms <= as_of) {
            self.people += 1;
            if by(p.learning, as_of) {
                *self.learning_by_age.entry(p.age_band.clone()).or_default() += 1;
                *self.learning_by_group.entry(p.group.clone()).or_default() += 1;
            }
            let share = Share {
                people: 1,
                basic_skills: u64::from(by(p.basic_skills, as_of)),
            };
            if p.adult() {
                self.adults.add(share);
                let confirmed = by(p.identity_confirmed, as_of);
                self.identity_self += u64::from(by(p.identity_self, as_of) && !confirmed);
                self.identity_confirmed += u64::from(confirmed);
            }
            if !p.group.is_empty() {
                self.groups.entry(p.group.clone()).or_default().add(share);
            }
            self.traders_4t += u64::from(by(p.trader_4t, as_of));
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

/// Which cells of one column to hide, when the column's total is shown too: every cell
/// under `SMALLEST_SHOWN` (but 0), and then — so that the total minus the cells shown
/// cannot give one of them back — the smallest other cells, until at least two are
/// hidden and together they hold at least `SMALLEST_SHOWN`. (If that cannot be, every
/// non-zero cell is hidden.)
pub fn suppressed(column: &[u64]) -> Vec<bool> {
    let mut hidden: Vec<bool> = column
        .iter()
        .map(|&n| n > 0 && n < SMALLEST_SHOWN)
        .collect();
    let mut order: Vec<usize> = (0..column.len()).filter(|&i| column[i] > 0).collect();
    order.sort_by_key(|&i| column[i]);
    loop {
        let (count, sum) = hidden
            .iter()
            .zip(column)
            .filter(|(h, _)| **h)
            .fold((0, 0), |(c, s), (_, n)| (c + 1, s + n));
        if count == 0 || (count >= 2 && sum >= SMALLEST_SHOWN) {
            return hidden;
        }
        match order.iter().find(|&&i| !hidden[i]) {
            Some(&i) => hidden[i] = true,
            None => return hidden,
        }
    }
}

/// What a hidden cell shows when its count is not small itself: it is hidden only so
/// that a small one cannot be worked out.
pub const WITHHELD: &str = "x";

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
        let h = of_view(&view, &rules(), |_| Some(0));
        let by = |id: &str| {
            let i = view.profiles.keys().position(|k| k == id).unwrap();
            h.people[i].clone()
        };
        let gran = by("gran");
        assert!(gran.basic_skills.is_some() && gran.identity_self.is_some());
        assert!(gran.identity_confirmed.is_none());
        let son = by("son");
        assert!(son.basic_skills.is_none() && son.identity_confirmed.is_some());
        assert!(son.trader_4t.is_some());
        assert!(by("kid").learning.is_none() && !by("kid").adult());

        let mut tally = Tally::default();
        tally.add_household(&h, i64::MAX);
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
            of_view(&view, &rules(), |_| Some(0))
                .digital_family
                .is_none(),
            "y is not ticked"
        );
        // Dad's tick, confirmed by a volunteer, completes the household's checklist.
        tick(&mut view.confirmed, "dad", "family", "y", "Em Hoa");
        assert!(of_view(&view, &rules(), |_| Some(0))
            .digital_family
            .is_some());
        let mut tally = Tally::default();
        tally.add_household(&of_view(&view, &rules(), |_| Some(0)), i64::MAX);
        assert_eq!(tally.digital_families, 1);
        // Later dad unticks mum's item: the household's list has it unticked.
        view.ticks.entry("dad".into()).or_default().set(
            "family",
            "x",
            Tick {
                on: false,
                at_ms: 2,
                device: "d".into(),
                event: "off".into(),
                by: String::new(),
            },
        );
        assert!(of_view(&view, &rules(), |_| Some(0))
            .digital_family
            .is_none());
    }

    #[test]
    fn an_areas_tally_is_the_sum_of_its_parts() {
        let mut one = HouseholdView::default();
        one.profiles
            .insert("p".into(), person("16_59", "official", &["a", "b"]));
        let mut two = HouseholdView::default();
        two.profiles
            .insert("q".into(), person("60_plus", "official", &["a"]));
        let (h1, h2) = (
            of_view(&one, &rules(), |_| Some(0)),
            of_view(&two, &rules(), |_| Some(0)),
        );
        let mut whole = Tally::default();
        whole.add_household(&h1, i64::MAX);
        whole.add_household(&h2, i64::MAX);
        let (mut a, mut b) = (Tally::default(), Tally::default());
        a.add_household(&h1, i64::MAX);
        b.add_household(&h2, i64::MAX);
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
    fn a_report_counts_what_was_reached_by_the_end_of_its_period() {
        let mut view = HouseholdView::default();
        let mut gran = person("60_plus", "", &[]);
        gran.progress.complete("a", 100);
        gran.progress.complete("b", 300);
        view.profiles.insert("gran".into(), gran);
        // Ticked herself at 150, confirmed by a volunteer at 400.
        tick(&mut view.ticks, "gran", "id", "level2", "");
        view.ticks
            .get_mut("gran")
            .unwrap()
            .0
            .values_mut()
            .for_each(|t| t.at_ms = 150);
        tick(&mut view.confirmed, "gran", "id", "level2", "Em Hoa");
        view.confirmed
            .get_mut("gran")
            .unwrap()
            .0
            .values_mut()
            .for_each(|t| t.at_ms = 400);
        let h = of_view(&view, &rules(), |_| Some(50));
        let at = |as_of: i64| {
            let mut t = Tally::default();
            t.add_household(&h, as_of);
            t
        };
        assert_eq!(at(40).people, 0, "not recorded yet");
        let t = at(200);
        assert_eq!(
            (t.people, t.adults.basic_skills),
            (1, 0),
            "b is done at 300"
        );
        assert_eq!(t.learning_by_age.get("60_plus"), Some(&1));
        assert_eq!((t.identity_self, t.identity_confirmed), (1, 0));
        let t = at(300);
        assert_eq!(t.adults.basic_skills, 1);
        let t = at(400);
        assert_eq!(
            (t.identity_self, t.identity_confirmed),
            (0, 1),
            "now confirmed"
        );
    }

    #[test]
    fn a_small_cell_cannot_be_worked_out_from_the_total() {
        // One village of 3: hiding it alone would leave total − 12 − 40 = 3.
        assert_eq!(suppressed(&[3, 12, 40]), [true, true, false]);
        // Two hidden cells of 1 and 1: their sum would say both.
        assert_eq!(suppressed(&[1, 1, 9, 30]), [true, true, true, false]);
        // Two hidden cells of 2 and 4 hold 6: enough.
        assert_eq!(suppressed(&[2, 4, 50]), [true, true, false]);
        // Nothing small: nothing hidden; zeros are never hidden.
        assert_eq!(suppressed(&[0, 7, 9]), [false, false, false]);
        assert_eq!(suppressed(&[0, 2]), [false, true], "nothing else to hide");
        assert_eq!(suppressed(&[]), Vec::<bool>::new());
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
