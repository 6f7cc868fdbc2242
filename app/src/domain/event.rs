//! What a device records, as events that travel to the server and to the household's
//! other devices, and the rules that fold them into one view everywhere:
//! completions and quiz attempts only grow; a checklist tick and a profile's name are
//! last-writer-wins by (time, device id, event id). Folding is order-free and
//! duplicate-proof, so any delivery order, retry or repeat gives the same view.

use super::checklist::{Tick, Ticks};
use super::code::is_code;
use super::mentor::{is_consent_version, Link, Links};
use super::person::details_problem;
use super::profile::{color_name, name_problem, Profile};
use super::progress::Tried;
use super::review::{Placed, Reviewed};
use super::role::account_name_problem;
use super::visit::{visit_problem, Visit};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The newest event format this build reads. Version 2 added what volunteers record,
/// version 3 review answers and placement checks (`Kind::since`); every event is
/// written with the version that brought its kind, so the household's first kinds stay
/// version 1 and phones and servers of the releases before keep reading them.
pub const SCHEMA_VERSION: i64 = 3;
/// The oldest event format still accepted.
pub const OLDEST_SCHEMA_VERSION: i64 = 1;
/// A payload larger than this is not a learner's action.
pub const MAX_PAYLOAD_BYTES: usize = 2048;
/// More options than any quiz question has: a chosen answer is below it (the content
/// check holds lessons to it).
pub const MAX_OPTIONS: u32 = 10;
/// The most questions a quiz has (the content check holds lessons to it).
pub const MAX_QUESTIONS: u32 = 50;
/// The most lessons a placement check asks about.
pub const MAX_PLACEMENT: usize = 20;
/// Device clocks drift; an event further in the future than this is refused.
pub const MAX_CLOCK_SKEW_MS: i64 = 24 * 3600 * 1000;

/// One recorded action, as stored in the outbox and sent to the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Made by the device (UUIDv7), so a retry carries the same id.
    pub event_id: String,
    pub device_id: String,
    pub profile_id: String,
    pub kind: String,
    pub schema_version: i64,
    pub at_ms: i64,
    pub payload: serde_json::Value,
}

/// Every kind of event: the one list the server's checks, the phone's store and the
/// documentation follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    LessonCompleted,
    QuizAttempted,
    ChecklistTicked,
    ProfileSaved,
    MentorPaired,
    MentorEnded,
    PersonDetails,
    SkillConfirmed,
    VisitRecorded,
    ReviewAnswered,
    PlacementChecked,
}

/// Who may record an event of a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorder {
    /// A phone of the household, through the sync protocol.
    Household,
    /// The household's volunteer, signed in, while the household agrees to them.
    Volunteer,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::LessonCompleted,
        Kind::QuizAttempted,
        Kind::ChecklistTicked,
        Kind::ProfileSaved,
        Kind::MentorPaired,
        Kind::MentorEnded,
        Kind::PersonDetails,
        Kind::SkillConfirmed,
        Kind::VisitRecorded,
        Kind::ReviewAnswered,
        Kind::PlacementChecked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::LessonCompleted => "lesson_completed",
            Kind::QuizAttempted => "quiz_attempted",
            Kind::ChecklistTicked => "checklist_ticked",
            Kind::ProfileSaved => "profile_saved",
            Kind::MentorPaired => "mentor_paired",
            Kind::MentorEnded => "mentor_ended",
            Kind::PersonDetails => "person_details",
            Kind::SkillConfirmed => "skill_confirmed",
            Kind::VisitRecorded => "visit_recorded",
            Kind::ReviewAnswered => "review_answered",
            Kind::PlacementChecked => "placement_checked",
        }
    }

    /// The schema version that brought this kind: an event of an older version cannot
    /// be of it.
    pub fn since(self) -> i64 {
        match self {
            Kind::SkillConfirmed | Kind::VisitRecorded => 2,
            Kind::ReviewAnswered | Kind::PlacementChecked => 3,
            _ => 1,
        }
    }

    pub fn recorder(self) -> Recorder {
        match self {
            Kind::SkillConfirmed | Kind::VisitRecorded => Recorder::Volunteer,
            _ => Recorder::Household,
        }
    }

    pub fn parse(kind: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.as_str() == kind)
    }
}

/// The typed meaning of an event's kind and payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Action {
    LessonCompleted {
        lesson: String,
    },
    QuizAttempted {
        lesson: String,
        score: u32,
        total: u32,
        /// The option chosen for each question, in order (`None`: left blank), so the
        /// app knows which skills are missing (issue 12). Empty in events from phones
        /// before it; phones and servers of that release read the new events as before,
        /// since serde passes over a field it does not know.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        chosen: Vec<Option<u32>>,
    },
    ChecklistTicked {
        checklist: String,
        item: String,
        on: bool,
    },
    ProfileSaved {
        name: String,
        color: String,
    },
    /// The household agrees to the volunteer whose pairing code this is, after the
    /// person read what the volunteer will see (text version `consent`).
    MentorPaired {
        code: String,
        consent: String,
    },
    /// The household ends the link made with this code.
    MentorEnded {
        code: String,
    },
    /// The person's age band and group ("" for not said): for coverage reports.
    PersonDetails {
        age_band: String,
        group: String,
    },
    /// A volunteer saw the person do a checklist item (`on`), or takes that back; `by`
    /// is the volunteer's name, for the family to read.
    SkillConfirmed {
        checklist: String,
        item: String,
        on: bool,
        by: String,
    },
    /// A volunteer's visit to the household.
    VisitRecorded {
        day: String,
        minutes: u32,
        topics: Vec<String>,
        note: String,
        by: String,
    },
    /// The one-question review of a passed lesson (review.rs): which question of its
    /// quiz was asked, and whether the answer was right.
    ReviewAnswered {
        lesson: String,
        question: u32,
        right: bool,
    },
    /// The placement check: the lessons it asked about, and those the person answered
    /// right (marked known). Skipping the check records nothing: "skip" is a link to
    /// the first lesson.
    PlacementChecked {
        asked: Vec<String>,
        known: Vec<String>,
    },
}

impl Action {
    pub fn kind(&self) -> Kind {
        match self {
            Action::LessonCompleted { .. } => Kind::LessonCompleted,
            Action::QuizAttempted { .. } => Kind::QuizAttempted,
            Action::ChecklistTicked { .. } => Kind::ChecklistTicked,
            Action::ProfileSaved { .. } => Kind::ProfileSaved,
            Action::MentorPaired { .. } => Kind::MentorPaired,
            Action::MentorEnded { .. } => Kind::MentorEnded,
            Action::PersonDetails { .. } => Kind::PersonDetails,
            Action::SkillConfirmed { .. } => Kind::SkillConfirmed,
            Action::VisitRecorded { .. } => Kind::VisitRecorded,
            Action::ReviewAnswered { .. } => Kind::ReviewAnswered,
            Action::PlacementChecked { .. } => Kind::PlacementChecked,
        }
    }

    /// What is wrong with the payload's values, if anything (its shape is serde's).
    fn problem(&self) -> Option<String> {
        let slug = |what: &str, s: &str| (!is_slug(s)).then(|| format!("{what} is not an id"));
        match self {
            Action::LessonCompleted { lesson } => slug("lesson", lesson),
            Action::QuizAttempted {
                lesson,
                score,
                total,
                chosen,
            } => slug("lesson", lesson)
                .or_else(|| {
                    (*total == 0 || score > total || *total > MAX_QUESTIONS)
                        .then(|| "score and total do not fit".to_string())
                })
                .or_else(|| {
                    let fits = chosen.is_empty()
                        || (chosen.len() == *total as usize
                            && chosen.iter().flatten().all(|&o| o < MAX_OPTIONS));
                    (!fits).then(|| "the chosen answers do not fit the quiz".to_string())
                }),
            Action::ChecklistTicked {
                checklist, item, ..
            } => slug("checklist", checklist).or_else(|| slug("item", item)),
            Action::ProfileSaved { name, color } => {
                name_problem(name).map(String::from).or_else(|| {
                    color_name(color)
                        .is_none()
                        .then(|| "the colour is not one of the palette".to_string())
                })
            }
            Action::MentorPaired { code, consent } => pairing_code(code).or_else(|| {
                (!is_consent_version(consent)).then(|| "consent is not a version".to_string())
            }),
            Action::MentorEnded { code } => pairing_code(code),
            Action::PersonDetails { age_band, group } => {
                details_problem(age_band, group).map(String::from)
            }
            Action::SkillConfirmed {
                checklist,
                item,
                by,
                ..
            } => slug("checklist", checklist)
                .or_else(|| slug("item", item))
                .or_else(|| account_name_problem(by).map(String::from)),
            Action::VisitRecorded {
                day,
                minutes,
                topics,
                note,
                by,
            } => visit_problem(day, *minutes, topics, note)
                .map(String::from)
                .or_else(|| topics.iter().find_map(|t| slug("topic", t)))
                .or_else(|| account_name_problem(by).map(String::from)),
            Action::ReviewAnswered {
                lesson, question, ..
            } => slug("lesson", lesson).or_else(|| {
                (*question >= MAX_QUESTIONS).then(|| "no quiz has that question".to_string())
            }),
            Action::PlacementChecked { asked, known } => {
                let repeated =
                    |ids: &[String]| ids.iter().enumerate().any(|(i, a)| ids[..i].contains(a));
                // Lengths first: the repeat checks are quadratic.
                if asked.len() > MAX_PLACEMENT
                    || known.len() > asked.len()
                    || repeated(asked)
                    || repeated(known)
                {
                    Some("the lessons asked about do not fit a placement check".to_string())
                } else if known.iter().any(|k| !asked.contains(k)) {
                    Some("a lesson known was not asked about".to_string())
                } else {
                    asked.iter().find_map(|l| slug("lesson", l))
                }
            }
        }
    }
}

fn pairing_code(code: &str) -> Option<String> {
    (!is_code(code)).then(|| "code is not a pairing code".to_string())
}

/// Lesson, checklist and item ids: lowercase words joined by `-`, as content names them.
fn is_slug(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Why an event was refused: the one list of reasons, each with a stable code the
/// phone shows in the reader's language (content/ui: `event.<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    BadId,
    BadProfile,
    Schema,
    Kind,
    Payload,
    TooLarge,
    Future,
    OtherDevice,
    IdReused,
    /// A pairing code the server does not know, or one past its time.
    PairingCode,
}

impl Reason {
    pub const ALL: [Reason; 10] = [
        Reason::BadId,
        Reason::BadProfile,
        Reason::Schema,
        Reason::Kind,
        Reason::Payload,
        Reason::TooLarge,
        Reason::Future,
        Reason::OtherDevice,
        Reason::IdReused,
        Reason::PairingCode,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::BadId => "bad_id",
            Reason::BadProfile => "bad_profile",
            Reason::Schema => "schema",
            Reason::Kind => "kind",
            Reason::Payload => "payload",
            Reason::TooLarge => "too_large",
            Reason::Future => "future",
            Reason::OtherDevice => "other_device",
            Reason::IdReused => "id_reused",
            Reason::PairingCode => "pairing_code",
        }
    }
}

/// A refused event: the reason, and a detail for the log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {detail}", reason.code())]
pub struct EventError {
    pub reason: Reason,
    pub detail: String,
}

impl EventError {
    pub fn new(reason: Reason, detail: impl Into<String>) -> EventError {
        EventError {
            reason,
            detail: detail.into(),
        }
    }
}

impl Event {
    pub fn new(
        device_id: &str,
        profile_id: &str,
        event_id: String,
        at_ms: i64,
        action: &Action,
    ) -> Event {
        let value = serde_json::to_value(action).expect("actions serialise");
        Event {
            event_id,
            device_id: device_id.to_string(),
            profile_id: profile_id.to_string(),
            kind: action.kind().as_str().to_string(),
            // The oldest version that has the kind: a phone or server of the release
            // before still reads every event it knows (it folds only its own version).
            schema_version: action.kind().since(),
            at_ms,
            payload: value.get("payload").cloned().unwrap_or_default(),
        }
    }

    /// The event's typed action, after every check the server makes before storing it.
    pub fn validate(&self, now_ms: i64) -> Result<Action, EventError> {
        if !is_uuid(&self.event_id) {
            return Err(EventError::new(Reason::BadId, "event_id is not a UUID"));
        }
        if !is_uuid(&self.profile_id) {
            return Err(EventError::new(
                Reason::BadProfile,
                "profile_id is not a UUID",
            ));
        }
        if !(OLDEST_SCHEMA_VERSION..=SCHEMA_VERSION).contains(&self.schema_version) {
            return Err(EventError::new(
                Reason::Schema,
                format!("unknown schema version {}", self.schema_version),
            ));
        }
        if self.at_ms > now_ms + MAX_CLOCK_SKEW_MS {
            return Err(EventError::new(
                Reason::Future,
                "timestamp is in the future",
            ));
        }
        if self.at_ms < 0 {
            return Err(EventError::new(Reason::Payload, "timestamp is negative"));
        }
        if self.payload.to_string().len() > MAX_PAYLOAD_BYTES {
            return Err(EventError::new(
                Reason::TooLarge,
                format!("payload is larger than {MAX_PAYLOAD_BYTES} bytes"),
            ));
        }
        let action = self.action()?;
        match action.problem() {
            Some(problem) => Err(EventError::new(Reason::Payload, problem)),
            None => Ok(action),
        }
    }

    pub fn action(&self) -> Result<Action, EventError> {
        match Kind::parse(&self.kind) {
            Some(kind) if kind.since() <= self.schema_version => {}
            _ => {
                return Err(EventError::new(
                    Reason::Kind,
                    format!(
                        "unknown event type {} in version {}",
                        self.kind, self.schema_version
                    ),
                ))
            }
        }
        let tagged = serde_json::json!({ "kind": self.kind, "payload": self.payload });
        serde_json::from_value(tagged).map_err(|e| EventError::new(Reason::Payload, e.to_string()))
    }
}

/// A UUIDv7 from a millisecond time and ten random bytes: ids made on the device sort
/// by when they were made, and never collide across devices.
pub fn uuid_v7(ms: i64, random: [u8; 10]) -> String {
    let mut b = [0u8; 16];
    b[..6].copy_from_slice(&(ms as u64).to_be_bytes()[2..]);
    b[6..].copy_from_slice(&random);
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `8-4-4-4-12` hex digits: the shape of every id a device makes.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Everything a household has recorded, folded from its events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdView {
    pub profiles: BTreeMap<String, Profile>,
    pub ticks: BTreeMap<String, Ticks>,
    /// The household's volunteers, by pairing code.
    #[serde(default)]
    pub mentors: Links,
    /// Checklist items a volunteer saw done, per person (the tick's `by` names them).
    #[serde(default)]
    pub confirmed: BTreeMap<String, Ticks>,
    /// Volunteers' visits, by the event that recorded each.
    #[serde(default)]
    pub visits: BTreeMap<String, Visit>,
}

/// Who recorded an action, on which device, and when: an event without its payload.
#[derive(Clone, Copy, Debug)]
pub struct Stamp<'a> {
    pub event_id: &'a str,
    pub device_id: &'a str,
    pub profile_id: &'a str,
    pub at_ms: i64,
}

impl Event {
    pub fn stamp(&self) -> Stamp<'_> {
        Stamp {
            event_id: &self.event_id,
            device_id: &self.device_id,
            profile_id: &self.profile_id,
            at_ms: self.at_ms,
        }
    }
}

impl HouseholdView {
    /// Folds one event in. Unknown or malformed events change nothing.
    pub fn apply(&mut self, event: &Event) {
        if let Ok(action) = event.action() {
            self.apply_action(event.stamp(), action);
        }
    }

    /// Folds in one action already read from its event (the phone reads its store
    /// field by field, without a JSON round trip).
    /// An action the server would refuse (a name too long, a colour off the palette) is
    /// not shown either, so the phone and the server agree.
    pub fn apply_action(&mut self, stamp: Stamp, action: Action) {
        if action.problem().is_some() {
            return;
        }
        let link = |on: bool, consent: String| Link {
            on,
            profile_id: stamp.profile_id.to_string(),
            consent,
            at_ms: stamp.at_ms,
            device: stamp.device_id.to_string(),
            event: stamp.event_id.to_string(),
        };
        match action {
            Action::MentorPaired { code, consent } => {
                return self.mentors.set(&code, link(true, consent));
            }
            Action::MentorEnded { code } => {
                return self.mentors.set(&code, link(false, String::new()));
            }
            // A volunteer's records name the person they are about, or (a visit) the
            // volunteer: neither makes a learner's profile.
            Action::SkillConfirmed {
                checklist,
                item,
                on,
                by,
            } => {
                let tick = Tick {
                    on,
                    at_ms: stamp.at_ms,
                    device: stamp.device_id.to_string(),
                    event: stamp.event_id.to_string(),
                    by,
                };
                return self
                    .confirmed
                    .entry(stamp.profile_id.to_string())
                    .or_default()
                    .set(&checklist, &item, tick);
            }
            Action::VisitRecorded {
                day,
                minutes,
                topics,
                note,
                by,
            } => {
                let visit = Visit {
                    day,
                    minutes,
                    topics,
                    note,
                    by,
                };
                self.visits.insert(stamp.event_id.to_string(), visit);
                return;
            }
            _ => {}
        }
        let profile = self
            .profiles
            .entry(stamp.profile_id.to_string())
            .or_default();
        match action {
            Action::LessonCompleted { lesson } => profile.progress.complete(&lesson, stamp.at_ms),
            Action::QuizAttempted {
                lesson,
                score,
                total,
                chosen,
            } => {
                profile.attempts.insert(stamp.event_id.to_string());
                let tried = Tried {
                    at: (
                        stamp.at_ms,
                        stamp.device_id.to_string(),
                        stamp.event_id.to_string(),
                    ),
                    passed: score == total,
                    chosen,
                };
                profile.progress.tried(&lesson, tried);
            }
            Action::ChecklistTicked {
                checklist,
                item,
                on,
            } => {
                let tick = Tick {
                    on,
                    at_ms: stamp.at_ms,
                    device: stamp.device_id.to_string(),
                    event: stamp.event_id.to_string(),
                    by: String::new(),
                };
                self.ticks
                    .entry(stamp.profile_id.to_string())
                    .or_default()
                    .set(&checklist, &item, tick);
            }
            Action::ProfileSaved { name, color } => profile.save(
                &name,
                &color,
                (stamp.at_ms, stamp.device_id, stamp.event_id),
            ),
            Action::PersonDetails { age_band, group } => profile.details.save(
                &age_band,
                &group,
                (stamp.at_ms, stamp.device_id, stamp.event_id),
            ),
            Action::ReviewAnswered {
                lesson,
                question,
                right,
            } => {
                let answer = Reviewed {
                    lesson,
                    event: stamp.event_id.to_string(),
                    at_ms: stamp.at_ms,
                    question,
                    right,
                };
                profile.progress.reviewed(answer);
            }
            Action::PlacementChecked { asked, known } => profile.progress.place(Placed {
                at: (
                    stamp.at_ms,
                    stamp.device_id.to_string(),
                    stamp.event_id.to_string(),
                ),
                asked,
                known,
            }),
            Action::MentorPaired { .. }
            | Action::MentorEnded { .. }
            | Action::SkillConfirmed { .. }
            | Action::VisitRecorded { .. } => {}
        }
    }

    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> HouseholdView {
        let mut view = HouseholdView::default();
        for e in events {
            view.apply(e);
        }
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "0191d2a0-0000-7000-8000-000000000001";

    fn ev(n: u32, at_ms: i64, action: Action) -> Event {
        Event::new(
            "dev-a",
            P,
            format!("0191d2a0-0000-7000-8000-{n:012}"),
            at_ms,
            &action,
        )
    }

    #[test]
    fn device_made_ids_are_version_7_uuids_in_time_order() {
        let a = uuid_v7(1_700_000_000_000, [0xff; 10]);
        let b = uuid_v7(1_700_000_000_001, [0x00; 10]);
        assert!(is_uuid(&a) && is_uuid(&b));
        assert_eq!(&a[14..15], "7");
        assert!(a < b);
    }

    #[test]
    fn a_valid_completion_passes_every_check() {
        let e = ev(
            1,
            100,
            Action::LessonCompleted {
                lesson: "zalo".into(),
            },
        );
        assert_eq!(e.kind, "lesson_completed");
        assert_eq!(
            e.validate(100),
            Ok(Action::LessonCompleted {
                lesson: "zalo".into()
            })
        );
    }

    #[test]
    fn bad_events_are_refused_with_a_reason() {
        let good = ev(
            1,
            100,
            Action::LessonCompleted {
                lesson: "zalo".into(),
            },
        );
        let mut e = good.clone();
        e.kind = "delete_everything".into();
        let reason = |e: &Event| e.validate(100).unwrap_err().reason;
        assert_eq!(reason(&e), Reason::Kind);
        let mut e = good.clone();
        e.schema_version = 9;
        assert_eq!(reason(&e), Reason::Schema);
        let mut e = good.clone();
        e.at_ms = 100 + MAX_CLOCK_SKEW_MS + 1;
        assert_eq!(reason(&e), Reason::Future);
        let mut e = good.clone();
        e.event_id = "1".into();
        assert_eq!(reason(&e), Reason::BadId);
        let mut e = good.clone();
        e.payload = serde_json::json!({ "lesson": 5 });
        assert_eq!(reason(&e), Reason::Payload);
        let mut e = good;
        e.payload = serde_json::json!({ "lesson": "x".repeat(MAX_PAYLOAD_BYTES) });
        assert_eq!(reason(&e), Reason::TooLarge);
    }

    #[test]
    fn values_the_phone_could_not_have_made_are_refused() {
        let refused = |action: Action| ev(1, 100, action).validate(100).unwrap_err().reason;
        assert_eq!(
            refused(Action::ProfileSaved {
                name: "Lan".into(),
                color: "red; background:url(x)".into()
            }),
            Reason::Payload
        );
        assert_eq!(
            refused(Action::ProfileSaved {
                name: "x".repeat(41),
                color: "green".into()
            }),
            Reason::Payload
        );
        assert_eq!(
            refused(Action::QuizAttempted {
                lesson: "zalo".into(),
                score: 4,
                total: 3,
                chosen: vec![]
            }),
            Reason::Payload
        );
        assert_eq!(
            refused(Action::QuizAttempted {
                lesson: "zalo".into(),
                score: 1,
                total: 3,
                chosen: vec![Some(1), None]
            }),
            Reason::Payload
        );
        assert_eq!(
            refused(Action::QuizAttempted {
                lesson: "zalo".into(),
                score: 1,
                total: 2,
                chosen: vec![Some(1), Some(MAX_OPTIONS)]
            }),
            Reason::Payload
        );
        assert_eq!(
            refused(Action::LessonCompleted {
                lesson: "../etc".into()
            }),
            Reason::Payload
        );
        // A review of a question no quiz has; placement checks that do not add up.
        assert_eq!(
            refused(Action::ReviewAnswered {
                lesson: "zalo".into(),
                question: MAX_QUESTIONS,
                right: true
            }),
            Reason::Payload
        );
        let lessons = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for (asked, known) in [
            (lessons(&["a", "b"]), lessons(&["c"])),
            (lessons(&["a", "a"]), lessons(&[])),
            (lessons(&["a"]), lessons(&["a", "a"])),
            (lessons(&["a", "b"]), lessons(&["a", "a"])),
            (lessons(&["Bad id"]), lessons(&[])),
            (
                (0..=MAX_PLACEMENT).map(|i| format!("l{i}")).collect(),
                lessons(&[]),
            ),
        ] {
            assert_eq!(
                refused(Action::PlacementChecked { asked, known }),
                Reason::Payload
            );
        }
        let fine = ev(
            1,
            100,
            Action::PlacementChecked {
                asked: lessons(&["a", "b"]),
                known: lessons(&["b"]),
            },
        );
        assert!(fine.validate(100).is_ok());
        // Earlier releases saved colours as hex codes: still accepted.
        assert!(ev(
            1,
            100,
            Action::ProfileSaved {
                name: "Lan".into(),
                color: "#0b5e44".into()
            }
        )
        .validate(100)
        .is_ok());
    }

    #[test]
    fn what_the_server_refuses_is_not_shown_either() {
        let bad = ev(
            1,
            10,
            Action::ProfileSaved {
                name: "".into(),
                color: "green".into(),
            },
        );
        let view = HouseholdView::from_events([&bad]);
        assert!(view.profiles.is_empty());
    }

    #[test]
    fn every_kind_and_reason_has_its_own_code() {
        let kinds: std::collections::BTreeSet<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds.len(), Kind::ALL.len());
        assert!(Kind::ALL
            .iter()
            .all(|k| Kind::parse(k.as_str()) == Some(*k)));
        let codes: std::collections::BTreeSet<_> = Reason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Reason::ALL.len());
    }

    #[test]
    fn folding_ignores_order_and_repeats() {
        let events = vec![
            ev(
                1,
                10,
                Action::ChecklistTicked {
                    checklist: "family".into(),
                    item: "pin".into(),
                    on: true,
                },
            ),
            ev(
                2,
                20,
                Action::ChecklistTicked {
                    checklist: "family".into(),
                    item: "pin".into(),
                    on: false,
                },
            ),
            ev(3, 15, Action::LessonCompleted { lesson: "a".into() }),
            ev(
                4,
                16,
                Action::QuizAttempted {
                    lesson: "a".into(),
                    score: 3,
                    total: 3,
                    chosen: vec![Some(1), Some(0), Some(2)],
                },
            ),
        ];
        let forward = HouseholdView::from_events(&events);
        let mut shuffled = events.clone();
        shuffled.reverse();
        shuffled.push(events[0].clone());
        assert_eq!(forward, HouseholdView::from_events(&shuffled));
        assert!(!forward.ticks[P].is_on("family", "pin"));
        assert!(forward.profiles[P].progress.is_done("a"));
        assert_eq!(forward.profiles[P].attempts.len(), 1);
    }
    fn confirmed(n: u32, at_ms: i64, on: bool) -> Event {
        Event::new(
            "account-v",
            P,
            format!("0191d2a0-0000-7000-8000-{n:012}"),
            at_ms,
            &Action::SkillConfirmed {
                checklist: "digital-identity".into(),
                item: "vneid-level-2".into(),
                on,
                by: "Hoa".into(),
            },
        )
    }

    #[test]
    fn a_volunteers_sign_off_is_kept_apart_from_the_persons_own_ticks() {
        let view = HouseholdView::from_events(&[confirmed(1, 10, true)]);
        let tick = view.confirmed[P]
            .get("digital-identity", "vneid-level-2")
            .unwrap();
        assert!(tick.on);
        assert_eq!(tick.by, "Hoa");
        // Neither a self-tick nor a learner's profile.
        assert!(view.ticks.is_empty() && view.profiles.is_empty());
        // Taken back later: the later change wins, in any order.
        let both = [confirmed(1, 10, true), confirmed(2, 20, false)];
        let (a, b) = (
            HouseholdView::from_events(&both),
            HouseholdView::from_events(both.iter().rev()),
        );
        assert_eq!(a, b);
        assert!(!a.confirmed[P].is_on("digital-identity", "vneid-level-2"));
    }

    #[test]
    fn quiz_attempts_with_and_without_the_chosen_answers_both_read() {
        let new = ev(
            1,
            10,
            Action::QuizAttempted {
                lesson: "zalo".into(),
                score: 1,
                total: 2,
                chosen: vec![Some(0), None],
            },
        );
        assert_eq!(
            new.schema_version, 1,
            "a phone of the release before reads it"
        );
        assert_eq!(new.payload["chosen"], serde_json::json!([0, null]));
        let mut old = new.clone();
        old.payload = serde_json::json!({"lesson": "zalo", "score": 1, "total": 2});
        old.event_id = "0191d2a0-0000-7000-8000-000000000002".into();
        old.at_ms = 5;
        assert!(old.validate(20).is_ok() && new.validate(20).is_ok());
        let view = HouseholdView::from_events(&[old.clone(), new.clone()]);
        let tried = &view.profiles[P].progress.tried["zalo"];
        assert_eq!(
            tried.chosen,
            vec![Some(0), None],
            "the later attempt is kept"
        );
        assert!(!tried.passed && view.profiles[P].progress.is_failed("zalo"));
        // Without answers, an event keeps the shape older servers wrote.
        let bare = ev(
            3,
            30,
            Action::QuizAttempted {
                lesson: "zalo".into(),
                score: 2,
                total: 2,
                chosen: vec![],
            },
        );
        assert!(bare.payload.get("chosen").is_none());
    }

    #[test]
    fn volunteers_kinds_need_version_2_and_version_1_phones_are_still_accepted() {
        let mut old = confirmed(1, 10, true);
        old.schema_version = 1;
        assert_eq!(old.validate(100).unwrap_err().reason, Reason::Kind);
        let mut lesson = ev(
            2,
            10,
            Action::LessonCompleted {
                lesson: "zalo".into(),
            },
        );
        lesson.schema_version = 1;
        assert!(lesson.validate(100).is_ok());
        assert_eq!(Kind::SkillConfirmed.recorder(), Recorder::Volunteer);
        assert_eq!(Kind::LessonCompleted.recorder(), Recorder::Household);
    }

    #[test]
    fn a_visit_is_kept_once_however_often_it_arrives() {
        let visit = Event::new(
            "account-v",
            P,
            "0191d2a0-0000-7000-8000-000000000009".into(),
            10,
            &Action::VisitRecorded {
                day: "2026-11-29".into(),
                minutes: 45,
                topics: vec!["vneid".into()],
                note: "".into(),
                by: "Hoa".into(),
            },
        );
        assert!(visit.validate(100).is_ok());
        let view = HouseholdView::from_events([&visit, &visit]);
        assert_eq!(view.visits.len(), 1);
        assert!(view.profiles.is_empty());
        let mut bad = visit.clone();
        bad.payload["minutes"] = 0.into();
        assert_eq!(bad.validate(100).unwrap_err().reason, Reason::Payload);
    }
}
