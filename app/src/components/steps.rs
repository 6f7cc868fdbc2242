//! A lesson's steps, one at a time once the page is interactive; all of them, as a plain
//! list, before that (or with no JavaScript at all).

use crate::offline::store;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StepLabels {
    pub heading: String,
    /// "Bước {n}/{total}" with the two placeholders.
    pub step_of: String,
    pub next: String,
    pub back: String,
}

#[island]
pub fn Steps(lesson: String, steps: Vec<String>, labels: StepLabels) -> impl IntoView {
    let total = steps.len();
    let current = RwSignal::new(0usize);
    // False while server-rendered, so the HTML shows every step.
    let paged = RwSignal::new(false);
    Effect::new(move |_| {
        paged.set(true);
        let mut progress = store::progress();
        progress.open(&lesson);
        store::save_progress(&progress);
    });
    let counter = {
        let step_of = labels.step_of.clone();
        move || {
            step_of
                .replace("{n}", &(current.get() + 1).to_string())
                .replace("{total}", &total.to_string())
        }
    };
    view! {
        <section class="steps" aria-labelledby="steps-h">
            <h2 id="steps-h">{labels.heading.clone()}</h2>
            <p class="counter" aria-live="polite" hidden=move || !paged.get()>
                {counter}
            </p>
            <ol>
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, step)| {
                        view! {
                            <li hidden=move || paged.get() && current.get() != i>{step}</li>
                        }
                    })
                    .collect_view()}
            </ol>
            <div class="step-buttons" hidden=move || !paged.get()>
                <button
                    type="button"
                    disabled=move || current.get() == 0
                    on:click=move |_| current.update(|c| *c = c.saturating_sub(1))
                >
                    {labels.back.clone()}
                </button>
                <button
                    type="button"
                    class="primary"
                    disabled=move || current.get() + 1 >= total
                    on:click=move |_| current.update(|c| *c = (*c + 1).min(total - 1))
                >
                    {labels.next.clone()}
                </button>
            </div>
        </section>
    }
}
