//! A checklist section: its title, why it matters, and the items to tick.

use super::checklist_ticks::{ChecklistLabels, ChecklistRow, ChecklistTicks};
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
    let rows = list
        .items
        .iter()
        .filter_map(|item| {
            let t = text.items.get(&item.id)?;
            let lesson = ui.content.lesson(&item.lesson)?;
            Some(ChecklistRow {
                id: item.id.clone(),
                label: t.label.clone(),
                why: t.why.clone(),
                lesson_href: format!("/lessons/{}", lesson.id),
                lesson_title: lesson.text_in(ui.lang()).title.clone(),
            })
        })
        .collect();
    let labels = ChecklistLabels {
        count: ui.t("checklist.count"),
        learn: ui.t("checklist.learn"),
    };
    let (heading_id, labelled_by) = (format!("{id}-h"), format!("{id}-h"));
    view! {
        <section class="checklist-section" aria-labelledby=labelled_by>
            <h2 id=heading_id>{text.title.clone()}</h2>
            <p>{text.intro.clone()}</p>
            <ChecklistTicks checklist=id.to_string() rows=rows labels=labels/>
        </section>
    }
    .into_any()
}
