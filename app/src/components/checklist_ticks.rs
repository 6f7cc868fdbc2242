//! A checklist the household ticks off on its own phone.

use super::dom;
use crate::domain::event::Action;
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::Element;

/// Island around a server-rendered checklist: a box with `data-checklist`, holding a
/// count line (`.count`, its wording in `data-template` with `{done}` and `{total}`)
/// and checkboxes each with `data-item`. Each tick is recorded on the device; the count
/// follows the boxes. An item a volunteer confirmed (received by sync) is shown ticked
/// and fixed, with the volunteer's name in the line the box is described by (wording in
/// `data-confirmed-template`, with `{name}`): it counts as seen done, not self-ticked.
/// A list marked `data-household` is the household's: it shows everyone's ticks.
#[island]
pub fn ChecklistTicks(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        spawn_local(async move {
            let view = store::view().await;
            let own = (store::ticks_in(&view), store::confirmed_in(&view));
            let everyone = store::household_ticks_in(&view);
            for list in dom::all("[data-checklist]") {
                let checklist = dom::data(&list, "data-checklist");
                // The household's checklist shows whoever of it ticked an item.
                let (ticks, confirmed) = if list.has_attribute("data-household") {
                    &everyone
                } else {
                    &own
                };
                let template = dom::data(&list, "data-confirmed-template");
                for input in dom::all_in(&list, "input[data-item]") {
                    let item = dom::data(&input, "data-item");
                    let seen = confirmed.get(&checklist, &item).filter(|t| t.on);
                    dom::set_checked(&input, seen.is_some() || ticks.is_on(&checklist, &item));
                    dom::mark(&input, "disabled", seen.map(|_| ""));
                    let line = input
                        .get_attribute("aria-describedby")
                        .and_then(|id| dom::find(&list, &format!("#{id}")));
                    if let (Some(line), Some(seen)) = (line, seen) {
                        dom::set_text(&line, &template.replace("{name}", &seen.by));
                        dom::mark(&line, "hidden", None);
                    }
                }
                recount(&list);
            }
        });
    });
    let toggle = move |ev: leptos::ev::Event| {
        let (Some(input), Some(list)) = (dom::input_of(&ev), dom::closest(&ev, "[data-checklist]"))
        else {
            return;
        };
        let Some(item) = input.get_attribute("data-item") else {
            return;
        };
        recount(&list);
        let action = Action::ChecklistTicked {
            checklist: dom::data(&list, "data-checklist"),
            item,
            on: input.checked(),
        };
        spawn_local(async move {
            if let Err(err) = store::record(action).await {
                leptos::logging::warn!("could not save the tick: {err}");
            }
        });
    };
    view! { <div on:change=toggle>{children()}</div> }
}

fn recount(list: &Element) {
    let Some(line) = dom::find(list, ".count") else {
        return;
    };
    let done = dom::count(list, "input[data-item]:checked");
    let total = dom::count(list, "input[data-item]");
    let text = dom::data(&line, "data-template")
        .replace("{done}", &done.to_string())
        .replace("{total}", &total.to_string());
    dom::set_text(&line, &text);
}
