//! "Continue where you left off": the next lesson for this device's learner.

use crate::offline::store;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ContinueLabels {
    pub heading: String,
    pub start: String,
    pub resume: String,
    pub all_done: String,
}

/// Island. `lessons` is the suggested order as (id, title). The server renders the first
/// lesson; the browser then swaps in where this learner stopped.
#[island]
pub fn ContinueCard(lessons: Vec<(String, String)>, labels: ContinueLabels) -> impl IntoView {
    let first = lessons.first().map(|(id, _)| id.clone());
    let next = RwSignal::new(first);
    let started = RwSignal::new(false);
    let order: Vec<String> = lessons.iter().map(|(id, _)| id.clone()).collect();
    Effect::new(move |_| {
        let progress = store::progress();
        let ids: Vec<&str> = order.iter().map(String::as_str).collect();
        next.set(progress.next_lesson(&ids).map(str::to_string));
        started.set(!progress.done.is_empty() || progress.last.is_some());
    });
    let title_of = move |id: &str| {
        lessons
            .iter()
            .find(|(l, _)| l == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    view! {
        <section class="card continue" aria-labelledby="continue-h">
            <h2 id="continue-h">{labels.heading.clone()}</h2>
            {move || match next.get() {
                Some(id) => {
                    let verb = if started.get() { labels.resume.clone() } else { labels.start.clone() };
                    view! {
                        <a class="button primary" href=format!("/lessons/{id}")>
                            {verb} ": " {title_of(&id)}
                        </a>
                    }
                        .into_any()
                }
                None => view! { <p>{labels.all_done.clone()}</p> }.into_any(),
            }}
        </section>
    }
}
