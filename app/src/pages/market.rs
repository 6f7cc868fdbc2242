//! Chợ số: the 4T track for small traders and their checklist.

use crate::components::checklist_view::{ChecklistView, MARKET_4T};
use crate::components::frame::{Frame, Tab};
use crate::components::lesson_list::LessonList;
use crate::ui::use_ui;
use leptos::prelude::*;

/// The track whose lessons the market tab lists.
pub const TRADER_TRACK: &str = "trader";

#[component]
pub fn MarketPage() -> impl IntoView {
    let ui = use_ui();
    let lessons = ui.content.lessons_in(TRADER_TRACK).cloned().collect();
    view! {
        <Frame title=ui.t("market.title") tab=Tab::Market>
            <p class="lead">{ui.t("market.lead")}</p>
            <ChecklistView id=MARKET_4T/>
            <h2>{ui.t("market.lessons")}</h2>
            <LessonList lessons=lessons/>
        </Frame>
    }
}
