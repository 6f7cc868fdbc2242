//! A checklist the household ticks off on its own phone.

use super::dom;
use crate::domain::checklist::{Tick, Ticks};
use crate::domain::event::Action;
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Island around a server-rendered list of checkboxes, each with `data-item`. Each tick
/// is recorded on the device; the count above the list follows them.
#[island]
pub fn ChecklistTicks(
    checklist: String,
    total: usize,
    count_label: String,
    children: Children,
) -> impl IntoView {
    let ticks = RwSignal::new(Ticks::default());
    let list = StoredValue::new(checklist);
    Effect::new(move |_| {
        spawn_local(async move {
            let loaded = store::ticks_in(&store::view().await);
            list.with_value(|c| {
                for input in dom::all(&format!("[data-checklist='{c}'] input[data-item]")) {
                    let item = input.get_attribute("data-item").unwrap_or_default();
                    dom::set_checked(&input, loaded.is_on(c, &item));
                }
            });
            ticks.set(loaded);
        });
    });
    let toggle = move |ev: leptos::ev::Event| {
        let Some(input) = dom::input_of(&ev) else {
            return;
        };
        let Some(item) = input.get_attribute("data-item") else {
            return;
        };
        let on = input.checked();
        let checklist = list.get_value();
        let tick = Tick {
            on,
            at_ms: store::now_ms(),
            device: String::new(),
        };
        ticks.update(|t| t.set(&checklist, &item, tick));
        spawn_local(async move {
            if let Err(err) = store::record(Action::ChecklistTicked {
                checklist,
                item,
                on,
            })
            .await
            {
                leptos::logging::warn!("could not save the tick: {err}");
            }
        });
    };
    let count = move || {
        let done = ticks.with(|t| list.with_value(|c| t.count_on(c)));
        count_label
            .replace("{done}", &done.to_string())
            .replace("{total}", &total.to_string())
    };
    view! {
        <div data-checklist=list.get_value() on:change=toggle>
            <p class="count" aria-live="polite">{count}</p>
            {children()}
        </div>
    }
}
