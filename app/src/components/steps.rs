//! A lesson's steps, one at a time once the page is interactive; all of them, as a plain
//! list, before that (or with no JavaScript at all).

use crate::offline::store;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StepLabels {
    /// "Bước {n}/{total}" with the two placeholders.
    pub step_of: String,
    pub next: String,
    pub back: String,
}

/// Island around the server-rendered `<ol>` of steps. Which step shows is a
/// `data-step` attribute the CSS reads, so the steps' text stays in the HTML.
#[island]
pub fn Steps(
    lesson: String,
    total: usize,
    labels: StepLabels,
    children: Children,
) -> impl IntoView {
    let current = RwSignal::new(1usize);
    // False while server-rendered, so the HTML shows every step.
    let paged = RwSignal::new(false);
    Effect::new(move |_| {
        paged.set(true);
        store::set_last_lesson(&lesson);
    });
    let step_of = labels.step_of;
    let counter = move || {
        step_of
            .replace("{n}", &current.get().to_string())
            .replace("{total}", &total.to_string())
    };
    view! {
        <div class="steps-body" data-step=move || paged.get().then(|| current.get().to_string())>
            <p class="counter" aria-live="polite" hidden=move || !paged.get()>{counter}</p>
            {children()}
            <div class="step-buttons" hidden=move || !paged.get()>
                <button
                    type="button"
                    disabled=move || { current.get() <= 1 }
                    on:click=move |_| current.update(|c| *c = (*c - 1).max(1))
                >
                    {labels.back}
                </button>
                <button
                    type="button"
                    class="primary"
                    disabled=move || { current.get() >= total }
                    on:click=move |_| current.update(|c| *c = (*c + 1).min(total))
                >
                    {labels.next}
                </button>
            </div>
        </div>
    }
}
