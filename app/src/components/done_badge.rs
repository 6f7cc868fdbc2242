//! "✓ Done" on a lesson card, read from the device's progress.

use crate::offline::store;
use leptos::prelude::*;

/// Island: the server cannot know what this phone has learned, so the mark appears once
/// the page wakes up.
#[island]
pub fn DoneBadge(lesson: String, label: String) -> impl IntoView {
    let done = RwSignal::new(false);
    Effect::new(move |_| done.set(store::progress().is_done(&lesson)));
    move || {
        done.get()
            .then(|| view! { <span class="badge done">"✓ " {label.clone()}</span> })
    }
}
