//! Shown by the service worker for a page the phone has never kept, when there is no
//! network.

use crate::components::frame::{Frame, Tab};
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn OfflinePage() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Frame title=ui.t("offline.title") tab=Tab::None>
            <p class="lead">{ui.t("offline.body")}</p>
            <a class="button primary" href="/">{ui.t("notfound.home")}</a>
        </Frame>
    }
}
