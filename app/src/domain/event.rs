//! What a device records, as events that travel to the server and to the household's
//! other devices, and the rules that fold them into one view everywhere:
//! completions and quiz attempts only grow; a checklist tick is last-writer-wins by
//! (time, device id). Folding is order-free and duplicate-proof, so any delivery order,
//! retry or repeat gives the same view.

use super::checklist::{Tick, Ticks};
use super::progress::Progress;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The event format this build writes and accepts.
pub const SCHEMA_VERSION: i64 = 1;
/// A payload larger than this is not a learner's action.
pub const MAX_PAYLOAD_BYTES: usize = 2048;
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
}

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::LessonCompleted { .. } => "lesson_completed",
            Action::QuizAttempted { .. } => "quiz_attempted",
            Action::ChecklistTicked { .. } => "checklist_ticked",
            Action::ProfileSaved { .. } => "profile_saved",
        }
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("event_id is not a UUID")]
    BadId,
    #[error("profile_id is not a UUID")]
    BadProfile,
    #[error("unknown schema version {0}")]
    Schema(i64),
    #[error("unknown event type {0}")]
    Kind(String),
    #[error("payload does not fit the event type: {0}")]
    Payload(String),
    #[error("payload is larger than {MAX_PAYLOAD_BYTES} bytes")]
    TooLarge,
    #[error("timestamp is in the future")]
    Future,
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
            kind: action.kind().to_string(),
            schema_version: SCHEMA_VERSION,
            at_ms,
            payload: value.get("payload").cloned().unwrap_or_default(),
        }
    }

    /// The event's typed action, after every check the server makes before storing it.
    pub fn validate(&self, now_ms: i64) -> Result<Action, EventError> {
        if !is_uuid(&self.event_id) {
            return Err(EventError::BadId);
        }
        if !is_uuid(&self.profile_id) {
            return Err(EventError::BadProfile);
        }
        if self.schema_version != SCHEMA_VERSION {
            return Err(EventError::Schema(self.schema_version));
        }
        if self.at_ms > now_ms + MAX_CLOCK_SKEW_MS {
            return Err(EventError::Future);
        }
        if self.payload.to_string().len() > MAX_PAYLOAD_BYTES {
            return Err(EventError::TooLarge);
        }
        self.action()
    }

    pub fn action(&self) -> Result<Action, EventError> {
        if !matches!(
            self.kind.as_str(),
            "lesson_completed" | "quiz_attempted" | "checklist_ticked" | "profile_saved"
        ) {
            return Err(EventError::Kind(self.kind.clone()));
        }
        let tagged = serde_json::json!({ "kind": self.kind, "payload": self.payload });
        serde_json::from_value(tagged).map_err(|e| EventError::Payload(e.to_string()))
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

/// A person on a shared phone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub color: String,
    /// Time of the name change that is shown (last writer wins).
    pub at_ms: i64,
    pub progress: Progress,
    /// Quiz attempts seen, by event id: grow-only.
    pub attempts: BTreeSet<String>,
}

/// Everything a household has recorded, folded from its events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdView {
    pub profiles: BTreeMap<String, Profile>,
    pub ticks: BTreeMap<String, Ticks>,
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
    pub fn apply_action(&mut self, stamp: Stamp, action: Action) {
        let profile = self
            .profiles
            .entry(stamp.profile_id.to_string())
            .or_default();
        match action {
            Action::LessonCompleted { lesson } => profile.progress.complete(&lesson, stamp.at_ms),
            Action::QuizAttempted { .. } => {
                profile.attempts.insert(stamp.event_id.to_string());
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
                };
                self.ticks
                    .entry(stamp.profile_id.to_string())
                    .or_default()
                    .set(&checklist, &item, tick);
            }
            Action::ProfileSaved { name, color } => {
                if stamp.at_ms >= profile.at_ms {
                    profile.name = name;
                    profile.color = color;
                    profile.at_ms = stamp.at_ms;
                }
            }
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
        assert_eq!(
            e.validate(100),
            Err(EventError::Kind("delete_everything".into()))
        );
        let mut e = good.clone();
        e.schema_version = 9;
        assert_eq!(e.validate(100), Err(EventError::Schema(9)));
        let mut e = good.clone();
        e.at_ms = 100 + MAX_CLOCK_SKEW_MS + 1;
        assert_eq!(e.validate(100), Err(EventError::Future));
        let mut e = good.clone();
        e.event_id = "1".into();
        assert_eq!(e.validate(100), Err(EventError::BadId));
        let mut e = good.clone();
        e.payload = serde_json::json!({ "lesson": 5 });
        assert!(matches!(e.validate(100), Err(EventError::Payload(_))));
        let mut e = good;
        e.payload = serde_json::json!({ "lesson": "x".repeat(MAX_PAYLOAD_BYTES) });
        assert_eq!(e.validate(100), Err(EventError::TooLarge));
    }

    #[test]
    fn folding_ignores_order_and_repeats() {
        let events = vec![
            ev(
                1,
                10,
                Action::ChecklistTicked {
                    checklist: "f".into(),
                    item: "pin".into(),
                    on: true,
                },
            ),
            ev(
                2,
                20,
                Action::ChecklistTicked {
                    checklist: "f".into(),
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
                },
            ),
        ];
        let forward = HouseholdView::from_events(&events);
        let mut shuffled = events.clone();
        shuffled.reverse();
        shuffled.push(events[0].clone());
        assert_eq!(forward, HouseholdView::from_events(&shuffled));
        assert!(!forward.ticks[P].is_on("f", "pin"));
        assert!(forward.profiles[P].progress.is_done("a"));
        assert_eq!(forward.profiles[P].attempts.len(), 1);
    }
}
