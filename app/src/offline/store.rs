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

#[cfg(feature = "hydrate")]
pub use browser::*;

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::idb::{self, EVENTS, META};
    use crate::domain::event::{uuid_v7, Action, Event, HouseholdView};
    use gloo_storage::{LocalStorage, Storage};
    use wasm_bindgen::JsValue;

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

    /// The profile using the phone now; a first one is made on first use.
    pub fn profile() -> String {
        LocalStorage::get(PROFILE_KEY).unwrap_or_else(|_| {
            let id = new_id();
            let _ = LocalStorage::set(PROFILE_KEY, &id);
            id
        })
    }

    pub fn last_lesson() -> Option<String> {
        LocalStorage::get(LAST_KEY).ok()
    }

    pub fn set_last_lesson(lesson: &str) {
        let _ = LocalStorage::set(LAST_KEY, lesson);
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
            let rows = idb::all(&db, EVENTS).await?;
            Ok::<_, idb::IdbError>(
                rows.iter()
                    .filter_map(|row| js_sys::JSON::stringify(row).ok()?.as_string())
                    .filter_map(|json| serde_json::from_str::<Event>(&json).ok())
                    .collect::<Vec<_>>(),
            )
        };
        match load.await {
            Ok(events) => HouseholdView::from_events(&events),
            Err(err) => {
                leptos::logging::warn!("device store unreadable: {err}");
                HouseholdView::default()
            }
        }
    }

    /// Switches the phone to another person's profile.
    pub fn use_profile(id: &str) {
        let _ = LocalStorage::set(PROFILE_KEY, id);
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
            let event = Event::new(&device, profile, new_id(), now_ms(), &action);
            let json = serde_json::to_string(&event).map_err(|e| idb::IdbError(e.to_string()))?;
            let row = js_sys::JSON::parse(&json)?;
            js_sys::Reflect::set(&row, &"sent".into(), &JsValue::from(0))?;
            idb::put(&db, EVENTS, &row).await
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
