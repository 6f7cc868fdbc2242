//! A checklist the household ticks off on its own phone.

use crate::domain::checklist::Tick;
use crate::offline::store;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChecklistRow {
    pub id: String,
    pub label: String,
    pub why: String,
    pub lesson_href: String,
    pub lesson_title: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChecklistLabels {
    /// "{done}/{total}" with the two placeholders.
    pub count: String,
    pub learn: String,
}

#[island]
pub fn ChecklistTicks(
    checklist: String,
    rows: Vec<ChecklistRow>,
    labels: ChecklistLabels,
) -> impl IntoView {
    let total = rows.len();
    let ticks = RwSignal::new(Default::default());
    Effect::new(move |_| ticks.set(store::ticks()));
    let list = StoredValue::new(checklist);
    let done = move || {
        ticks.with(|t: &crate::domain::checklist::Ticks| list.with_value(|c| t.count_on(c)))
    };
    let count_label = labels.count.clone();
    view! {
        <p class="count" aria-live="polite">
            {move || {
                count_label.replace("{done}", &done().to_string()).replace("{total}", &total.to_string())
            }}
        </p>
        <ul class="checklist">
            {rows
                .into_iter()
                .map(|row| {
                    let item = StoredValue::new(row.id.clone());
                    let checked = move || {
                        ticks.with(|t| list.with_value(|c| item.with_value(|i| t.is_on(c, i))))
                    };
                    let toggle = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        let mut all = store::ticks();
                        let tick = Tick { on, at_ms: store::now_ms(), device: String::new() };
                        list.with_value(|c| item.with_value(|i| all.set(c, i, tick)));
                        store::save_ticks(&all);
                        ticks.set(all);
                    };
                    let input_id = format!("tick-{}", row.id);
                    view! {
                        <li class="card tick">
                            <input type="checkbox" id=input_id.clone() prop:checked=checked on:change=toggle/>
                            <div>
                                <label for=input_id>{row.label}</label>
                                <p class="why">{row.why}</p>
                                <a href=row.lesson_href>{labels.learn.clone()} ": " {row.lesson_title}</a>
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
