//! A checklist section: its title, why it matters, and the items to tick — and, under
//! an item a volunteer saw done, a line naming them (filled in by the island).

use super::checklist_ticks::ChecklistTicks;
use super::read_aloud::{ReadAloudBar, Said, SayButton};
use crate::ui::use_ui;
use leptos::prelude::*;

/// Checklist ids as named in `content/checklists/`.
pub const DIGITAL_FAMILY: &str = "digital-family";
pub const MARKET_4T: &str = "market-4t";
pub const DIGITAL_IDENTITY: &str = "digital-identity";

#[component]
pub fn ChecklistView(id: &'static str) -> impl IntoView {
    let ui = use_ui();
    let Some(list) = ui.content.checklist(id) else {
        return ().into_any();
    };
    let text = list.text_in(ui.lang());
    let household = list.household.then_some("");
    let household_note = list
        .household
        .then(|| view! { <p class="meta">{ui.t("checklist.household")}</p> });
    let learn = ui.t("checklist.learn");
    let rows = list
        .items
        .iter()
        .filter_map(|item| {
            let t = text.items.get(&item.id)?;
            let lesson = ui.content.lesson(&item.lesson)?;
            let input_id = format!("tick-{}-{}", id, item.id);
            let seen_id = format!("seen-{}-{}", id, item.id);
            Some(view! {
                <li class="card tick" data-say>
                    <input type="checkbox" id=input_id.clone() data-item=item.id.clone()
                        aria-describedby=seen_id.clone()/>
                    <div>
                        <SayButton/>
                        <label for=input_id><Said text=t.label.clone()/></label>
                        <p class="confirmed" id=seen_id hidden></p>
                        <p class="why"><Said text=t.why.clone()/></p>
                        <a href=format!("/lessons/{}", lesson.id)>
                            {learn.clone()} ": " {lesson.text_in(ui.lang()).title.clone()}
                        </a>
                    </div>
                </li>
            })
        })
        .collect_view();
    let (heading_id, labelled_by) = (format!("{id}-h"), format!("{id}-h"));
    let count = ui.t("checklist.count");
    let none_yet = count
        .replace("{done}", "0")
        .replace("{total}", &list.items.len().to_string());
    view! {
        <section class="checklist-section" aria-labelledby=labelled_by data-say-scope>
            <h2 id=heading_id>{text.title.clone()}</h2>
            <ReadAloudBar all="say.all_list"/>
            <p data-say><SayButton/><Said text=text.intro.clone()/></p>
            {household_note}
            <ChecklistTicks>
                <div data-checklist=id data-confirmed-template=ui.t("checklist.confirmed_by")
                    data-household=household>
                    <p class="count" aria-live="polite" data-template=count>{none_yet}</p>
                    <ul class="checklist">{rows}</ul>
                </div>
            </ChecklistTicks>
        </section>
    }
    .into_any()
}
