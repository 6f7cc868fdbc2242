//! Đăng nhập: volunteers, team leads and officials sign in with a phone number or a
//! username and a password. A plain form, so it works before (or without) the wasm.

use crate::components::frame::{Frame, Tab};
use crate::components::notice::Notice;
use crate::domain::locale::same_site_path;
use crate::people::query;
use crate::ui::use_ui;
use leptos::prelude::*;

/// Where the forms of the people pages post.
pub const SIGN_IN_PATH: &str = "/sign-in";

#[component]
pub fn SignInPage() -> impl IntoView {
    let ui = use_ui();
    let next = query("next")
        .as_deref()
        .and_then(same_site_path)
        .unwrap_or("/account")
        .to_string();
    view! {
        <Frame title=ui.t("people.sign_in.title") tab=Tab::Me>
            <Notice/>
            <p class="lead">{ui.t("people.sign_in.lead")}</p>
            <form class="card form" method="post" action=SIGN_IN_PATH>
                <input type="hidden" name="next" value=next/>
                <label for="login">{ui.t("people.login")}</label>
                <input id="login" name="login" autocomplete="username" required maxlength="40"/>
                <label for="password">{ui.t("people.password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"/>
                <button type="submit" class="primary">{ui.t("people.sign_in.button")}</button>
            </form>
            <p>{ui.t("people.forgot")}</p>
            <p><a href="/invite">{ui.t("people.have_code")}</a></p>
        </Frame>
    }
}
