//! What a signed-in person sees on a page meant for another role or area: HTTP 403,
//! translated, and the way back to their account.

use super::frame::{Frame, Tab};
use crate::ui::use_ui;
use leptos::prelude::*;

/// A page for other accounts than this one: HTTP 403, translated.
#[component]
pub fn NotForYou() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
    let ui = use_ui();
    view! {
        <Frame title=ui.t("people.forbidden.title") tab=Tab::Me>
            <p class="lead">{ui.t("people.forbidden.body")}</p>
            <a class="button" href="/account">{ui.t("people.account.title")}</a>
        </Frame>
    }
}
