//! Gia đình số: the digital-family checklist.

use crate::components::checklist_view::{ChecklistView, DIGITAL_FAMILY};
use crate::components::frame::{Frame, Tab};
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn FamilyPage() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Frame title=ui.t("family.title") tab=Tab::Family>
            <p class="lead">{ui.t("family.lead")}</p>
            <ChecklistView id=DIGITAL_FAMILY/>
        </Frame>
    }
}
