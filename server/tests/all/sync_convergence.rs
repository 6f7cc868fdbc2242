//! Property: whatever the network does — dropped requests, lost responses after the
//! server committed, partial and reordered batches, repeats — no acknowledged event is
//! lost, none is stored twice, and every phone of the household ends with the same view.
//! Every kind of event takes part (`Kind::ALL`: a kind added without a step here fails),
//! those a volunteer records sent by the household's volunteer over the same bad network.
//! Runs the real server code on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

use crate::common;

use crate::common::Phone as Identity;
use app::domain::event::{Action, Event, HouseholdView, Kind, Recorder};
use proptest::prelude::*;
use server::db::accounts::Account;
use server::db::events::{self, Cursor, Outcome};
use server::db::mentoring;
use server::db::records;
use server::db::{random_uuid, Db};
use std::collections::BTreeMap;

/// What the network does to one sync attempt.
#[derive(Clone, Debug)]
struct Network {
    /// How many outbox events the phone sends (a partial batch).
    take: usize,
    reverse: bool,
    /// The first event is sent twice in the batch.
    repeat: bool,
    drop_request: bool,
    /// The server commits but the phone never hears back.
    lose_response: bool,
}

const GOOD_NETWORK: Network = Network {
    take: 500,
    reverse: false,
    repeat: false,
    drop_request: false,
    lose_response: false,
};

#[derive(Clone, Debug)]
enum Step {
    Record {
        device: usize,
        /// Which kind of event, as an index into `Kind::ALL`.
        kind: usize,
        /// Which lesson, item, person or name: few, so records collide.
        n: u8,
        on: bool,
    },
    Sync {
        device: usize,
        net: Network,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let network = (
        0..6usize,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(take, reverse, repeat, drop_request, lose_response)| Network {
                take,
                reverse,
                repeat,
                drop_request,
                lose_response,
            },
        );
    prop_oneof![
        (0..3usize, 0..Kind::ALL.len(), 0..3u8, any::<bool>()).prop_map(|(device, kind, n, on)| {
            Step::Record {
                device,
                kind,
                n,
                on,
            }
        }),
        // Device 3 is the volunteer's phone.
        (0..4usize, network).prop_map(|(device, net)| Step::Sync { device, net }),
    ]
}

struct Phone {
    id: String,
    outbox: Vec<Event>,
    known: BTreeMap<String, Event>,
    cursor: Option<Cursor>,
}

impl Phone {
    fn view(&self) -> HouseholdView {
        HouseholdView::from_events(self.known.values())
    }
}

/// The batch a phone sends over `net`.
fn batch_of(phone: &Phone, net: &Network) -> Vec<Event> {
    let mut batch: Vec<Event> = phone.outbox.iter().take(net.take).cloned().collect();
    if net.reverse {
        batch.reverse();
    }
    if net.repeat && !batch.is_empty() {
        batch.push(batch[0].clone());
    }
    batch
}

/// Forgets what the server acknowledged.
fn acknowledged(phone: &mut Phone, outcomes: &[Outcome]) {
    for outcome in outcomes {
        match outcome {
            Outcome::Applied { event_id } | Outcome::Duplicate { event_id } => {
                phone.outbox.retain(|e| &e.event_id != event_id)
            }
            Outcome::Rejected { reason, .. } => panic!("a valid event was rejected: {reason}"),
        }
    }
}

/// The volunteer's phone sends what it recorded about the household (it pulls nothing).
async fn send_records(
    db: &Db,
    volunteer: &Account,
    household: &str,
    phone: &mut Phone,
    net: &Network,
    now: i64,
) {
    if net.drop_request {
        return;
    }
    let outcomes = records::record(db, volunteer, household, &batch_of(phone, net), now)
        .await
        .unwrap();
    if !net.lose_response {
        acknowledged(phone, &outcomes);
    }
}

/// One round trip; returns false if the request was dropped or the response lost.
async fn sync(db: &Db, phone: &mut Phone, net: &Network, now: i64) -> bool {
    if net.drop_request {
        return false;
    }
    let batch = batch_of(phone, net);
    let (household, outcomes) = events::push(db, &phone.id, &batch, now).await.unwrap();
    let pulled = events::pull(db, &household, &phone.id, phone.cursor.as_ref(), 500)
        .await
        .unwrap();
    assert!(!pulled.reset, "nothing here rewinds the server");
    if net.lose_response {
        return false;
    }
    acknowledged(phone, &outcomes);
    for e in pulled.events {
        phone.known.insert(e.event_id.clone(), e);
    }
    phone.cursor = Some(pulled.cursor);
    true
}

/// The action a `Record` step makes: every kind of event, with few distinct values so
/// that last-writer-wins rules meet ties and collisions.
fn action(kind: Kind, n: u8, on: bool, codes: &[String; 2], volunteer: &str) -> Action {
    match kind {
        Kind::LessonCompleted => Action::LessonCompleted {
            lesson: format!("lesson-{n}"),
        },
        Kind::QuizAttempted => Action::QuizAttempted {
            lesson: format!("lesson-{n}"),
            score: u32::from(on) + 1,
            total: 2,
            chosen: vec![Some(0), on.then_some(0).or(Some(1))],
        },
        Kind::ChecklistTicked => Action::ChecklistTicked {
            checklist: "digital-family".into(),
            item: format!("item-{n}"),
            on,
        },
        Kind::ProfileSaved => Action::ProfileSaved {
            name: ["Lan", "Hoa", "Minh"][n as usize % 3].into(),
            color: ["green", "blue"][usize::from(on)].into(),
        },
        Kind::MentorPaired => Action::MentorPaired {
            code: codes[n as usize % 2].clone(),
            consent: "2026-11-28".into(),
        },
        Kind::MentorEnded => Action::MentorEnded {
            code: codes[n as usize % 2].clone(),
        },
        Kind::PersonDetails => Action::PersonDetails {
            age_band: ["", "16_59", "60_plus"][n as usize % 3].into(),
            group: ["farmer", "trader"][usize::from(on)].into(),
        },
        Kind::SkillConfirmed => Action::SkillConfirmed {
            checklist: "digital-identity".into(),
            item: ["vneid-installed", "level2"][usize::from(n > 0)].into(),
            on,
            by: volunteer.into(),
        },
        Kind::VisitRecorded => Action::VisitRecorded {
            day: "2026-11-29".into(),
            minutes: 10 + u32::from(n),
            topics: vec!["vneid-install".into()],
            note: String::new(),
            by: volunteer.into(),
        },
        Kind::ReviewAnswered => Action::ReviewAnswered {
            lesson: format!("lesson-{n}"),
            question: u32::from(n % 2),
            right: on,
        },
        Kind::PlacementChecked => Action::PlacementChecked {
            asked: vec!["lesson-0".into(), "lesson-1".into()],
            known: if on {
                vec![format!("lesson-{}", n % 2)]
            } else {
                vec![]
            },
        },
    }
}

/// The volunteers every case uses, made once per property (making accounts hashes
/// passwords, which is slow on purpose).
struct Volunteers {
    /// Whose two codes the household agrees to and ends at random.
    volunteer: Account,
    village: String,
    /// Whom the household agrees to at the start and keeps.
    guide: Account,
    guide_village: String,
}

async fn volunteers(db: &Db) -> Volunteers {
    let (volunteer, village, _) = common::volunteer(db).await;
    let (guide, guide_village, _) = common::volunteer(db).await;
    Volunteers {
        volunteer,
        village,
        guide,
        guide_village,
    }
}

async fn run(db: &Db, who: &Volunteers, steps: Vec<Step>) {
    let now = server::db::now_ms();
    // Two pairing codes of a volunteer, so households' agreements and endings collide.
    let (volunteer, village) = (&who.volunteer, &who.village);
    let mut codes = [String::new(), String::new()];
    for c in codes.iter_mut() {
        *c = mentoring::make_code(db, volunteer, village, now - 200_000)
            .await
            .unwrap()
            .code;
    }
    let first = Identity::new();
    let reg = first.register(db, None).await;
    let code = common::code(db, &reg.household_id).await;
    let mut phones = vec![first];
    for _ in 0..2 {
        let phone = Identity::new();
        phone.register(db, Some(&code)).await;
        phones.push(phone);
    }
    let mut phones: Vec<Phone> = phones
        .into_iter()
        .map(|p| Phone {
            id: p.id,
            outbox: vec![],
            known: BTreeMap::new(),
            cursor: None,
        })
        .collect();
    // Two people share the phones; saves of one person's name collide across phones.
    let people = [random_uuid(), random_uuid()];
    let mut recorded = Vec::new();
    // A second volunteer the household agreed to at the start and never leaves: what
    // they record always has a household to reach. Their phone is device 3.
    let guide = &who.guide;
    let guide_code = mentoring::make_code(db, guide, &who.guide_village, now - 200_000)
        .await
        .unwrap()
        .code;
    let start: Vec<Event> = people
        .iter()
        .map(|person| {
            let saved = Action::ProfileSaved {
                name: "Lan".into(),
                color: "green".into(),
            };
            Event::new(&phones[0].id, person, random_uuid(), now - 150_000, &saved)
        })
        .chain([Event::new(
            &phones[0].id,
            &people[0],
            random_uuid(),
            now - 150_000,
            &Action::MentorPaired {
                code: guide_code,
                consent: "2026-11-29".into(),
            },
        )])
        .collect();
    for event in &start {
        phones[0]
            .known
            .insert(event.event_id.clone(), event.clone());
        recorded.push(event.clone());
    }
    phones[0].outbox.extend(start);
    sync(db, &mut phones[0], &GOOD_NETWORK, now).await;
    let mut guide_phone = Phone {
        id: records::device_of(guide),
        outbox: vec![],
        known: BTreeMap::new(),
        cursor: None,
    };
    for (t, step) in steps.into_iter().enumerate() {
        let at = now - 100_000 + t as i64;
        match step {
            Step::Record {
                device,
                kind,
                n,
                on,
            } => {
                let kind = Kind::ALL[kind];
                let action = action(kind, n, on, &codes, &guide.display_name);
                let (phone, person) = match (kind.recorder(), kind) {
                    (Recorder::Volunteer, Kind::VisitRecorded) => {
                        (&mut guide_phone, &guide.account_id)
                    }
                    (Recorder::Volunteer, _) => (&mut guide_phone, &people[n as usize % 2]),
                    (Recorder::Household, _) => (&mut phones[device], &people[n as usize % 2]),
                };
                // Same-millisecond records happen: two steps share each millisecond.
                let at = at - (t as i64 % 2);
                let event = Event::new(&phone.id, person, random_uuid(), at, &action);
                phone.outbox.push(event.clone());
                phone.known.insert(event.event_id.clone(), event.clone());
                recorded.push(event);
            }
            Step::Sync { device: 3, net } => {
                send_records(db, guide, &reg.household_id, &mut guide_phone, &net, now).await;
            }
            Step::Sync { device, net } => {
                sync(db, &mut phones[device], &net, now).await;
            }
        }
    }
    while !guide_phone.outbox.is_empty() {
        send_records(
            db,
            guide,
            &reg.household_id,
            &mut guide_phone,
            &GOOD_NETWORK,
            now,
        )
        .await;
    }
    // The network comes back for good: every phone syncs until its outbox is empty,
    // then once more so each has pulled what the others sent last.
    for _ in 0..2 {
        for phone in phones.iter_mut() {
            while !phone.outbox.is_empty() {
                sync(db, phone, &GOOD_NETWORK, now).await;
            }
        }
    }
    for phone in phones.iter_mut() {
        sync(db, phone, &GOOD_NETWORK, now).await;
    }
    assert_eq!(
        events::count(db, &reg.household_id).await.unwrap(),
        recorded.len() as i64,
        "each event stored exactly once"
    );
    let truth = HouseholdView::from_events(&recorded);
    for phone in &phones {
        assert_eq!(
            phone.view(),
            truth,
            "every phone converges on the same view"
        );
    }
    // The server's own record of the household's volunteers, which decides what a
    // volunteer sees, says what folding every event says.
    let kept: BTreeMap<String, bool> = mentoring::mentors_of(db, &reg.household_id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.code, m.active))
        .collect();
    let folded: BTreeMap<String, bool> = truth
        .mentors
        .0
        .iter()
        .map(|(code, link)| (code.clone(), link.on))
        .collect();
    assert_eq!(kept, folded, "the server's mentorships follow the events");
}

/// Runs the property on the database `connect` opens, in one runtime so the pool's
/// connections stay on the runtime that made them.
fn check_on<F: std::future::Future<Output = Db>>(cases: u32, connect: impl FnOnce() -> F) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = rt.block_on(connect());
    let who = rt.block_on(volunteers(&db));
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(steps in proptest::collection::vec(step(), 1..40))| {
        rt.block_on(run(&db, &who, steps));
    });
}

#[test]
fn phones_converge_through_a_bad_network_on_sqlite() {
    let dir = common::tempdir::Dir::new();
    let url = format!("sqlite://{}/p.db?mode=rwc", dir.path.display());
    check_on(64, || async move { Db::connect(&url).await.unwrap() });
}

#[test]
fn phones_converge_through_a_bad_network_on_postgres() {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL convergence not run");
        return;
    };
    check_on(32, || async move { Db::connect(&url).await.unwrap() });
}
