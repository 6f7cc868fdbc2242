//! A checklist the household ticks off on its own phone.

use super::dom;
use crate::domain::checklist::Tick;
use crate::offline::store;
use leptos::prelude::*;

/// Island around a server-rendered list of checkboxes, each with `data-item`. Ticks are
/// kept on the device; the count above the list follows them.
#[island]
pub fn ChecklistTicks(
    checklist: String,
    total: usize,
    count_label: String,
    children: Children,
) -> impl IntoView {
    let done = RwSignal::new(0usize);
    let list = StoredValue::new(checklist);
    let selector = move || list.with_value(|c| format!("[data-checklist='{c}'] input[data-item]"));
    Effect::new(move |_| {
        let ticks = store::ticks();
        list.with_value(|c| {
            for input in dom::all(&selector()) {
                let item = input.get_attribute("data-item").unwrap_or_default();
                dom::set_checked(&input, ticks.is_on(c, &item));
            }
            done.set(ticks.count_on(c));
        });
    });
    let toggle = move |ev: leptos::ev::Event| {
        let Some(input) = dom::input_of(&ev) else {
            return;
        };
        let Some(item) = input.get_attribute("data-item") else {
            return;
        };
        let mut ticks = store::ticks();
        let tick = Tick {
            on: input.checked(),
            at_ms: store::now_ms(),
            device: String::new(),
        };
        list.with_value(|c| {
            ticks.set(c, &item, tick);
            done.set(ticks.count_on(c));
        });
        store::save_ticks(&ticks);
    };
    let count = move || {
        count_label
            .replace("{done}", &done.get().to_string())
            .replace("{total}", &total.to_string())
    };
    view! {
        <div data-checklist=list.get_value() on:change=toggle>
            <p class="count" aria-live="polite">{count}</p>
            {children()}
        </div>
    }
}
