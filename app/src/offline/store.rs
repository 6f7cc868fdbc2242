//! The device store: one JSON document per kind of record in `localStorage`.

use crate::domain::checklist::Ticks;
use crate::domain::progress::Progress;

const PROGRESS_KEY: &str = "hocso.progress.v1";
const TICKS_KEY: &str = "hocso.ticks.v1";

pub fn progress() -> Progress {
    read(PROGRESS_KEY)
}

pub fn save_progress(progress: &Progress) {
    write(PROGRESS_KEY, progress)
}

pub fn ticks() -> Ticks {
    read(TICKS_KEY)
}

pub fn save_ticks(ticks: &Ticks) {
    write(TICKS_KEY, ticks)
}

/// Milliseconds since the epoch, by the device's clock.
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

#[cfg(feature = "hydrate")]
fn read<T: serde::de::DeserializeOwned + Default>(key: &str) -> T {
    use gloo_storage::Storage;
    // A record that no longer parses (an older format, a full disk mid-write) starts
    // afresh rather than breaking every page.
    gloo_storage::LocalStorage::get(key).unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn write<T: serde::Serialize>(key: &str, value: &T) {
    use gloo_storage::Storage;
    if let Err(err) = gloo_storage::LocalStorage::set(key, value) {
        leptos::logging::warn!("could not save {key}: {err}");
    }
}

#[cfg(not(feature = "hydrate"))]
fn read<T: Default>(_key: &str) -> T {
    T::default()
}

#[cfg(not(feature = "hydrate"))]
fn write<T>(_key: &str, _value: &T) {}
