//! The device store. Recording an action is one IndexedDB write of one event: that event
//! is both the outbox entry the service worker sends and a part of the local view, so
//! the two can never disagree. Small preferences (the current profile, the last lesson
//! opened) live in localStorage.

use crate::domain::checklist::Ticks;
use crate::domain::event::HouseholdView;
use crate::domain::progress::Progress;

/// The current profile's progress in `view`, with the lesson it opened last.
pub fn progress_in(view: &HouseholdView) -> Progress {
    let mut progress = view
        .profiles
        .get(&profile())
        .map(|p| p.progress.clone())
        .unwrap_or_default();
    progress.last = last_lesson();
    progress
}

/// The current profile's checklist ticks in `view`.
pub fn ticks_in(view: &HouseholdView) -> Ticks {
    view.ticks.get(&profile()).cloned().unwrap_or_default()
}

/// Everyone's ticks in `view`, for a checklist that is the household's.
pub fn household_ticks_in(view: &HouseholdView) -> (Ticks, Ticks) {
    (
        Ticks::merged(view.ticks.values()),
        Ticks::merged(view.confirmed.values()),
    )
}

/// What volunteers confirmed of the current profile's checklists in `view`.
pub fn confirmed_in(view: &HouseholdView) -> Ticks {
    view.confirmed.get(&profile()).cloned().unwrap_or_default()
}

#[cfg(feature = "hydrate")]
pub use browser::*;

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::idb::{self, EVENTS, META};
    use crate::domain::event::{
        uuid_v7, Action, HouseholdView, Kind, Stamp, MAX_OPTIONS, OLDEST_SCHEMA_VERSION,
        SCHEMA_VERSION,
    };
    use gloo_storage::{LocalStorage, Storage};
    use js_sys::{Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    const PROFILE_KEY: &str = "hocso.profile";
    const LAST_KEY: &str = "hocso.last";

    pub fn now_ms() -> i64 {
        js_sys::Date::now() as i64
    }

    fn new_id() -> String {
        let mut random = [0u8; 10];
        if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
            let _ = crypto.get_random_values_with_u8_array(&mut random);
        }
        uuid_v7(now_ms(), random)
    }

    // localStorage holds plain strings here: gloo's typed get/set would wrap them in
    // JSON and bring a JSON parser into the wasm for two ids. Earlier releases stored
    // them JSON-quoted; the quotes are dropped on reading.
    fn local_get(key: &str) -> Option<String> {
        let value = LocalStorage::raw().get_item(key).ok().flatten()?;
        Some(value.trim_matches('"').to_string())
    }

    fn local_set(key: &str, value: &str) {
        let _ = LocalStorage::raw().set_item(key, value);
    }

    /// The profile using the phone now; a first one is made on first use.
    pub fn profile() -> String {
        local_get(PROFILE_KEY).unwrap_or_else(|| {
            let id = new_id();
            local_set(PROFILE_KEY, &id);
            id
        })
    }

    pub fn last_lesson() -> Option<String> {
        local_get(LAST_KEY)
    }

    pub fn set_last_lesson(lesson: &str) {
        local_set(LAST_KEY, lesson);
    }

    /// This device's id, made once and kept in the database the service worker reads.
    async fn device_id(db: &web_sys::IdbDatabase) -> Result<String, idb::IdbError> {
        let read = |v: JsValue| -> Option<String> {
            let value = js_sys::Reflect::get(&v, &"value".into()).ok()?;
            js_sys::Reflect::get(&value, &"device_id".into())
                .ok()?
                .as_string()
        };
        if let Some(id) = read(idb::get(db, META, "device").await?) {
            return Ok(id);
        }
        let fresh = js_sys::JSON::parse(&format!(
            r#"{{"key":"device","value":{{"device_id":"{}"}}}}"#,
            new_id()
        ))?;
        // `add` refuses if another tab made one first; then that one is read back.
        idb::add(db, META, &fresh).await?;
        read(idb::get(db, META, "device").await?)
            .ok_or_else(|| idb::IdbError("no device id".into()))
    }

    /// Everything this household has recorded on this phone or received from its others.
    pub async fn view() -> HouseholdView {
        let load = async {
            let db = idb::open().await?;
            idb::all(&db, EVENTS).await
        };
        let mut view = HouseholdView::default();
        match load.await {
            Ok(rows) => rows.iter().for_each(|row| fold_row(&mut view, row)),
            Err(err) => leptos::logging::warn!("device store unreadable: {err}"),
        }
        view
    }

    // The phone's store holds plain JS objects shaped as the sync protocol's events
    // (docs/SYNC.md). They are read and written field by field: a JSON round trip
    // through serde_json's generic values would cost the wasm ~20 KB compressed.

    fn text(obj: &JsValue, key: &str) -> Option<String> {
        Reflect::get(obj, &key.into()).ok()?.as_string()
    }

    fn number(obj: &JsValue, key: &str) -> Option<f64> {
        Reflect::get(obj, &key.into()).ok()?.as_f64()
    }

    /// The outbox state the service worker gives an event the server refused
    /// (public/sw-sync.js): such an event is kept, to show why, but never counted.
    const REJECTED: f64 = 2.0;

    /// Folds one stored event in; one of an unknown kind or shape, or one the server
    /// refused, changes nothing.
    fn fold_row(view: &mut HouseholdView, row: &JsValue) {
        if number(row, "sent") == Some(REJECTED) {
            return;
        }
        let Some(action) = action_of(row) else { return };
        let (Some(event_id), Some(device_id), Some(profile_id), Some(at_ms)) = (
            text(row, "event_id"),
            text(row, "device_id"),
            text(row, "profile_id"),
            number(row, "at_ms"),
        ) else {
            return;
        };
        let stamp = Stamp {
            event_id: &event_id,
            device_id: &device_id,
            profile_id: &profile_id,
            at_ms: at_ms as i64,
        };
        view.apply_action(stamp, action);
    }

    fn action_of(row: &JsValue) -> Option<Action> {
        let version = number(row, "schema_version")? as i64;
        if !(OLDEST_SCHEMA_VERSION..=SCHEMA_VERSION).contains(&version) {
            return None;
        }
        let kind = Kind::parse(&text(row, "kind")?).filter(|k| k.since() <= version)?;
        let p = Reflect::get(row, &"payload".into()).ok()?;
        let count = |key| number(&p, key).map(|n| n as u32);
        Some(match kind {
            Kind::LessonCompleted => Action::LessonCompleted {
                lesson: text(&p, "lesson")?,
            },
            Kind::QuizAttempted => Action::QuizAttempted {
                lesson: text(&p, "lesson")?,
                score: count("score")?,
                total: count("total")?,
                chosen: chosen_of(&p),
            },
            Kind::ChecklistTicked => Action::ChecklistTicked {
                checklist: text(&p, "checklist")?,
                item: text(&p, "item")?,
                on: Reflect::get(&p, &"on".into()).ok()?.as_bool()?,
            },
            Kind::ProfileSaved => Action::ProfileSaved {
                name: text(&p, "name")?,
                color: text(&p, "color")?,
            },
            // A volunteer's sign-off, received from the server: the checklist shows it.
            Kind::SkillConfirmed => Action::SkillConfirmed {
                checklist: text(&p, "checklist")?,
                item: text(&p, "item")?,
                on: Reflect::get(&p, &"on".into()).ok()?.as_bool()?,
                by: text(&p, "by")?,
            },
            Kind::ReviewAnswered => Action::ReviewAnswered {
                lesson: text(&p, "lesson")?,
                question: count("question")?,
                right: Reflect::get(&p, &"right".into()).ok()?.as_bool()?,
            },
            Kind::PlacementChecked => Action::PlacementChecked {
                asked: texts(&p, "asked")?,
                known: texts(&p, "known")?,
            },
            // Written and read by the service worker (public/sw-household.js): the
            // pages the islands draw show nothing of them.
            Kind::MentorPaired | Kind::MentorEnded | Kind::PersonDetails | Kind::VisitRecorded => {
                return None
            }
        })
    }

    /// A list of strings in the payload, or none if it is anything else.
    fn texts(payload: &JsValue, key: &str) -> Option<Vec<String>> {
        let list = Reflect::get(payload, &key.into()).ok()?;
        if !js_sys::Array::is_array(&list) {
            return None;
        }
        let list: js_sys::Array = list.unchecked_into();
        list.iter().map(|v| v.as_string()).collect()
    }

    /// A quiz attempt's `chosen` list (`null` for a blank), or none if the event has none
    /// or it is not a list of option numbers.
    fn chosen_of(payload: &JsValue) -> Vec<Option<u32>> {
        let Ok(list) = Reflect::get(payload, &"chosen".into()) else {
            return Vec::new();
        };
        if !js_sys::Array::is_array(&list) {
            return Vec::new();
        }
        let list: js_sys::Array = list.unchecked_into();
        let chosen: Option<Vec<Option<u32>>> = list
            .iter()
            .map(|v| match v.as_f64() {
                _ if v.is_null() => Some(None),
                Some(n) if (0.0..f64::from(MAX_OPTIONS)).contains(&n) && n.fract() == 0.0 => {
                    Some(Some(n as u32))
                }
                _ => None,
            })
            .collect();
        chosen.unwrap_or_default()
    }

    /// The stored form of an action: an event with `sent: 0`, waiting for the worker.
    fn row_of(stamp: Stamp, action: &Action) -> Result<JsValue, JsValue> {
        let payload = Object::new();
        let put = |obj: &Object, key: &str, value: JsValue| Reflect::set(obj, &key.into(), &value);
        match action {
            Action::LessonCompleted { lesson } => put(&payload, "lesson", lesson.into())?,
            Action::QuizAttempted {
                lesson,
                score,
                total,
                chosen,
            } => {
                put(&payload, "lesson", lesson.into())?;
                put(&payload, "score", (*score).into())?;
                put(&payload, "total", (*total).into())?;
                if chosen.is_empty() {
                    true
                } else {
                    let list: js_sys::Array = chosen
                        .iter()
                        .map(|c| c.map_or(JsValue::NULL, JsValue::from))
                        .collect();
                    put(&payload, "chosen", list.into())?
                }
            }
            Action::ChecklistTicked {
                checklist,
                item,
                on,
            } => {
                put(&payload, "checklist", checklist.into())?;
                put(&payload, "item", item.into())?;
                put(&payload, "on", (*on).into())?
            }
            Action::ProfileSaved { name, color } => {
                put(&payload, "name", name.into())?;
                put(&payload, "color", color.into())?
            }
            Action::MentorPaired { code, consent } => {
                put(&payload, "code", code.into())?;
                put(&payload, "consent", consent.into())?
            }
            Action::MentorEnded { code } => put(&payload, "code", code.into())?,
            Action::PersonDetails { age_band, group } => {
                put(&payload, "age_band", age_band.into())?;
                put(&payload, "group", group.into())?
            }
            Action::ReviewAnswered {
                lesson,
                question,
                right,
            } => {
                put(&payload, "lesson", lesson.into())?;
                put(&payload, "question", (*question).into())?;
                put(&payload, "right", (*right).into())?
            }
            Action::PlacementChecked { asked, known } => {
                let list = |ids: &[String]| -> js_sys::Array {
                    ids.iter().map(|id| JsValue::from(id.as_str())).collect()
                };
                put(&payload, "asked", list(asked).into())?;
                put(&payload, "known", list(known).into())?
            }
            // Only a volunteer records these, on the server (Kind::recorder).
            Action::SkillConfirmed { .. } | Action::VisitRecorded { .. } => {
                return Err("recorded by volunteers only".into())
            }
        };
        let row = Object::new();
        put(&row, "event_id", stamp.event_id.into())?;
        put(&row, "device_id", stamp.device_id.into())?;
        put(&row, "profile_id", stamp.profile_id.into())?;
        put(&row, "kind", action.kind().as_str().into())?;
        put(
            &row,
            "schema_version",
            (action.kind().since() as f64).into(),
        )?;
        put(&row, "at_ms", (stamp.at_ms as f64).into())?;
        put(&row, "payload", payload.into())?;
        put(&row, "sent", 0.into())?;
        Ok(row.into())
    }

    /// Switches the phone to another person's profile.
    pub fn use_profile(id: &str) {
        local_set(PROFILE_KEY, id);
        LocalStorage::delete(LAST_KEY);
    }

    /// Makes a new profile with a name and switches to it.
    pub async fn add_profile(name: String, color: String) -> Result<(), String> {
        let id = new_id();
        record_for(&id, Action::ProfileSaved { name, color }).await?;
        use_profile(&id);
        Ok(())
    }

    /// Records an action for the current profile: one committed write, then the service
    /// worker is asked to send it (now, or when the network returns).
    pub async fn record(action: Action) -> Result<(), String> {
        record_for(&profile(), action).await
    }

    async fn record_for(profile: &str, action: Action) -> Result<(), String> {
        let write = async {
            let db = idb::open().await?;
            let device = device_id(&db).await?;
            let event_id = new_id();
            let stamp = Stamp {
                event_id: &event_id,
                device_id: &device,
                profile_id: profile,
                at_ms: now_ms(),
            };
            idb::put(&db, EVENTS, &row_of(stamp, &action)?).await
        };
        write.await.map_err(|e| e.to_string())?;
        if let Some(w) = web_sys::window() {
            if let Ok(ev) = web_sys::CustomEvent::new("hocso:recorded") {
                let _ = w.dispatch_event(&ev);
            }
        }
        Ok(())
    }
}

#[cfg(not(feature = "hydrate"))]
pub use server::*;

#[cfg(not(feature = "hydrate"))]
mod server {
    use super::*;
    use crate::domain::event::Action;

    pub fn now_ms() -> i64 {
        0
    }

    pub fn profile() -> String {
        String::new()
    }

    pub fn last_lesson() -> Option<String> {
        None
    }

    pub fn set_last_lesson(_lesson: &str) {}

    pub async fn view() -> HouseholdView {
        HouseholdView::default()
    }

    pub async fn record(_action: Action) -> Result<(), String> {
        Ok(())
    }

    pub fn use_profile(_id: &str) {}

    pub async fn add_profile(_name: String, _color: String) -> Result<(), String> {
        Ok(())
    }
}
