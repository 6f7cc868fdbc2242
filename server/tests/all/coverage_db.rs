//! The coverage summaries, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: whatever
//! households did, the tallies added up from the summaries equal a plain recomputation
//! from every household's events, after more events arrive, after a deletion, and on
//! both databases alike.

use crate::common::{self, Phone};
use app::domain::event::{Action, Event};
use server::coverage::count::{self, Tally};
use server::coverage::rules::{self, Rules};
use server::db::{coverage, events, family_data, mentoring, now_ms, random_uuid, records, Db};
use std::collections::BTreeMap;

const DAY: i64 = 86_400_000;

/// A small deterministic generator: the same households on both databases.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
    fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
        of[self.roll(of.len())]
    }
}

fn rules() -> Rules {
    let content = server::content::load(&common::content_dir()).unwrap();
    rules::load(&common::content_dir(), &content).unwrap()
}

/// A household's people doing random amounts of the rules' lessons and ticks.
fn household_events(
    phone: &Phone,
    dice: &mut Dice,
    rules: &Rules,
    at_ms: i64,
) -> (Vec<Event>, Vec<String>) {
    let mut out = Vec::new();
    let mut people = Vec::new();
    for _ in 0..1 + dice.roll(4) {
        let person = random_uuid();
        let mut add = |action: Action| {
            out.push(Event::new(
                &phone.id,
                &person,
                random_uuid(),
                at_ms,
                &action,
            ));
        };
        add(Action::ProfileSaved {
            name: "Người học".into(),
            color: "green".into(),
        });
        add(Action::PersonDetails {
            age_band: dice.pick(&["", "under_16", "16_59", "60_plus"]).into(),
            group: dice
                .pick(&["", "pupil", "worker", "official", "trader", "farmer"])
                .into(),
        });
        let lessons: Vec<&String> = rules
            .basic_skills_lessons
            .iter()
            .chain(&rules.family_lessons)
            .collect();
        // Nobody, some, or (often) every lesson.
        let done = match dice.roll(3) {
            0 => 0,
            1 => dice.roll(lessons.len()),
            _ => lessons.len(),
        };
        for lesson in lessons.into_iter().take(done) {
            add(Action::LessonCompleted {
                lesson: lesson.clone(),
            });
        }
        let ticks: Vec<(&str, &String)> =
            std::iter::once((rules.identity_checklist.as_str(), &rules.identity_item))
                .chain(
                    rules
                        .family_items
                        .iter()
                        .map(|i| (rules.family_checklist.as_str(), i)),
                )
                .chain(
                    rules
                        .trader_items
                        .iter()
                        .map(|i| (rules.trader_checklist.as_str(), i)),
                )
                .collect();
        for (checklist, item) in ticks {
            if dice.roll(3) > 0 {
                add(Action::ChecklistTicked {
                    checklist: checklist.into(),
                    item: item.clone(),
                    on: true,
                });
            }
        }
        people.push(person);
    }
    // Done over the past year: reports of earlier periods count less.
    for e in &mut out {
        e.at_ms -= dice.roll(365) as i64 * DAY;
    }
    (out, people)
}

/// The tallies recomputed from nothing but the households' events and their places.
async fn recomputed(
    db: &Db,
    rules: &Rules,
    households: &[(String, Option<String>)],
    as_of: i64,
) -> (
    BTreeMap<Option<String>, Tally>,
    BTreeMap<Option<String>, Tally>,
) {
    let (mut by_village, mut by_commune) = (BTreeMap::new(), BTreeMap::new());
    for (household, village) in households {
        let pulled = events::pull(db, household, &random_uuid(), None, 100_000)
            .await
            .unwrap();
        let counted = count::household(&pulled.events, rules);
        let commune = match village {
            Some(v) => {
                server::db::areas::get(db, v)
                    .await
                    .unwrap()
                    .unwrap()
                    .parent_id
            }
            None => None,
        };
        if village.is_some() {
            Tally::add_household(
                by_village.entry(village.clone()).or_default(),
                &counted,
                as_of,
            );
        }
        Tally::add_household(by_commune.entry(commune).or_default(), &counted, as_of);
    }
    (by_village, by_commune)
}

/// The summaries' tallies equal the recomputation now and at earlier dates, and the
/// trend over those dates says the same; returns the communes' tallies now.
async fn agree(
    db: &Db,
    rules: &Rules,
    households: &[(String, Option<String>)],
    commune: &str,
    now: i64,
) -> BTreeMap<Option<String>, Tally> {
    let ends = [now - 300 * DAY, now - 120 * DAY, now - 30 * DAY, now + DAY];
    let mut trend = Vec::new();
    let mut latest = BTreeMap::new();
    for as_of in ends {
        let (villages, communes) = recomputed(db, rules, households, as_of).await;
        assert_eq!(
            coverage::by_village(db, commune, as_of).await.unwrap(),
            villages
        );
        assert_eq!(coverage::by_commune(db, as_of).await.unwrap(), communes);
        let here = communes.get(&Some(commune.to_string())).cloned();
        let here = here.unwrap_or_default();
        trend.push(coverage::TrendPoint {
            end_ms: as_of,
            adults_basic: here.adults.basic_skills,
            identity_confirmed: here.identity_confirmed,
            digital_families: here.digital_families,
        });
        latest = communes;
    }
    assert_eq!(
        coverage::trend(db, Some(commune), &ends).await.unwrap(),
        trend
    );
    latest
}

#[tokio::test]
async fn the_summaries_add_up_to_what_the_events_say() {
    let rules = rules();
    // Each database's province in the end: the same households, the same report.
    let mut ends = Vec::new();
    for (db, _fresh) in common::fresh_databases().await {
        let (hoa, village, commune) = common::volunteer(&db).await;
        let code = mentoring::make_code(&db, &hoa, &village, now_ms())
            .await
            .unwrap()
            .code;
        let mut dice = Dice(7);
        let mut households = Vec::new();
        let mut phones = Vec::new();
        let t = now_ms();
        for n in 0..12 {
            let phone = Phone::new();
            let household = phone.register(&db, None).await.household_id;
            let (mut sent, people) = household_events(&phone, &mut dice, &rules, t);
            // Two households in three agree to the volunteer: they have a place.
            let placed = n % 3 != 0;
            if placed {
                sent.push(Event::new(
                    &phone.id,
                    &people[0],
                    random_uuid(),
                    t,
                    &Action::MentorPaired {
                        code: code.clone(),
                        consent: "2026-11-29".into(),
                    },
                ));
            }
            events::push(&db, &phone.id, &sent, t).await.unwrap();
            if placed && n % 2 == 0 {
                // The volunteer saw the first person's identity at level 2.
                let seen = Event::new(
                    &records::device_of(&hoa),
                    &people[0],
                    random_uuid(),
                    t,
                    &Action::SkillConfirmed {
                        checklist: rules.identity_checklist.clone(),
                        item: rules.identity_item.clone(),
                        on: true,
                        by: hoa.display_name.clone(),
                    },
                );
                records::record(&db, &hoa, &household, &[seen], t)
                    .await
                    .unwrap();
            }
            households.push((household, placed.then(|| village.clone())));
            phones.push((phone, people));
        }

        assert_eq!(coverage::pending(&db).await.unwrap(), 12);
        coverage::refresh(&db, &rules, 1000, t).await.unwrap();
        assert_eq!(coverage::pending(&db).await.unwrap(), 0);
        let communes = agree(&db, &rules, &households, &commune, t).await;
        let whole = communes.values().fold(Tally::default(), |mut a, b| {
            a.merge(b);
            a
        });
        assert_eq!(whole.households, 12);
        assert!(whole.adults.basic_skills > 0 && whole.identity_confirmed > 0);
        // Ten months ago fewer adults had finished the track than now.
        let then_and_now = coverage::trend(&db, None, &[t - 300 * DAY, t + DAY])
            .await
            .unwrap();
        assert!(
            then_and_now[0].adults_basic < then_and_now[1].adults_basic,
            "{then_and_now:?}"
        );

        // More happens in one household: only it is computed again, and all still adds up.
        let (phone, people) = &phones[1];
        let more = Event::new(
            &phone.id,
            &people[0],
            random_uuid(),
            t + 1,
            &Action::ChecklistTicked {
                checklist: rules.identity_checklist.clone(),
                item: rules.identity_item.clone(),
                on: false,
            },
        );
        events::push(&db, &phone.id, &[more], t + 1).await.unwrap();
        assert_eq!(coverage::pending(&db).await.unwrap(), 1);
        assert_eq!(
            coverage::refresh(&db, &rules, 1000, t + 1).await.unwrap(),
            1
        );
        agree(&db, &rules, &households, &commune, t).await;

        // A household deletes its data: nothing of it is counted any more.
        let gone = households.remove(2);
        family_data::delete(&db, &gone.0, None, t + 2)
            .await
            .unwrap();
        let communes = agree(&db, &rules, &households, &commune, t).await;
        ends.push((db.engine, communes.into_values().collect::<Vec<_>>()));
    }
    for pair in ends.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].1,
            "{:?} and {:?} differ",
            pair[0].0, pair[1].0
        );
    }
}

/// Two servers refreshing side by side while phones leave a family: a refresh that read
/// the family before a phone left does not keep what it computed then, even when the
/// family was counted again and left by another phone in between (the mark it read has
/// come back; its generation has not).
#[tokio::test]
async fn a_refresh_overtaken_by_a_phone_leaving_keeps_nothing() {
    let rules = rules();
    for (db, _fresh) in common::fresh_databases().await {
        let (_hoa, _village, commune) = common::volunteer(&db).await;
        let t = now_ms();
        let mut dice = Dice(11);
        let family = Phone::new().register(&db, None).await.household_id;
        let code = common::code(&db, &family).await;
        let other = Phone::new().register(&db, None).await.household_id;
        let phones = [Phone::new(), Phone::new(), Phone::new()];
        for phone in &phones {
            phone.register(&db, Some(&code)).await;
            let (sent, _) = household_events(phone, &mut dice, &rules, t);
            events::push(&db, &phone.id, &sent, t).await.unwrap();
        }
        coverage::refresh(&db, &rules, 1000, t).await.unwrap();
        let leave = |phone: &Phone| {
            let (db, id) = (db.clone(), phone.id.clone());
            let other = other.clone();
            async move {
                let code = common::code(&db, &other).await;
                server::db::devices::join(&db, &id, &code, t).await.unwrap();
            }
        };
        leave(&phones[0]).await;
        // Server A reads the family (two phones' people) …
        let slow = coverage::recount(&db, &rules, 1000).await.unwrap();
        // … server B counts it, then another phone leaves (it lands in `other`) …
        coverage::refresh(&db, &rules, 1000, t).await.unwrap();
        leave(&phones[1]).await;
        // … and A stores late: the second phone's people would count twice, here and
        // in `other`, and the family would look up to date.
        coverage::keep(&db, slow, t).await.unwrap();
        coverage::refresh(&db, &rules, 1000, t).await.unwrap();
        let households = vec![(family.clone(), None), (other.clone(), None)];
        agree(&db, &rules, &households, &commune, t).await;
        assert_eq!(coverage::pending(&db).await.unwrap(), 0);
    }
}

/// While a rolling update runs, a refresh of the release before compares the mark alone
/// (migration 0010), as it read it: every drop must give it a value it never had.
#[tokio::test]
async fn every_drop_gives_the_mark_a_value_it_never_had() {
    let rules = rules();
    for (db, _fresh) in common::fresh_databases().await {
        let t = now_ms();
        let family = Phone::new().register(&db, None).await.household_id;
        let code = common::code(&db, &family).await;
        let other = Phone::new().register(&db, None).await.household_id;
        let phones = [Phone::new(), Phone::new(), Phone::new()];
        for phone in &phones {
            phone.register(&db, Some(&code)).await;
        }
        let mark = || {
            let (db, family) = (db.clone(), family.clone());
            async move {
                let (m,): (Option<i64>,) =
                    sqlx::query_as("SELECT counted_seq FROM households WHERE household_id = $1")
                        .bind(&family)
                        .fetch_one(&db.pool)
                        .await
                        .unwrap();
                m
            }
        };
        let mut marks = vec![mark().await];
        for (i, phone) in phones.iter().enumerate() {
            if i == 2 {
                coverage::refresh(&db, &rules, 1000, t).await.unwrap();
                marks.push(mark().await);
            }
            let code = common::code(&db, &other).await;
            server::db::devices::join(&db, &phone.id, &code, t)
                .await
                .unwrap();
            marks.push(mark().await);
        }
        assert!(
            (1..marks.len()).all(|i| !marks[..i].contains(&marks[i])),
            "{:?}: a drop brought back an earlier mark: {marks:?}",
            db.engine
        );
    }
}
