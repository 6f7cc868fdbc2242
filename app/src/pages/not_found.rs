//! The page for a lesson, track or address that does not exist: HTTP 404, translated.

use crate::components::frame::{Frame, Tab};
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let ui = use_ui();
    view! {
        <Frame title=ui.t("notfound.title") tab=Tab::None>
            <p class="lead">{ui.t("notfound.body")}</p>
            <a class="button primary" href="/">{ui.t("notfound.home")}</a>
        </Frame>
    }
}
