//! Nhận lời mời: someone invited opens the link, or types the code, and makes their
//! account — or, invited to reset a forgotten password, sets a new one.

use crate::components::frame::{Frame, Tab};
use crate::components::notice::Notice;
use crate::people::{loaded, AcceptData};
use crate::ui::use_ui;
use leptos::prelude::*;

/// `/invite`: type the code from the invitation.
#[component]
pub fn InviteCodePage() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Frame title=ui.t("people.code.title") tab=Tab::Me>
            <Notice/>
            <form class="card form" method="get" action="/invite">
                <label for="invite-code">{ui.t("people.code.label")}</label>
                <input id="invite-code" name="code" autocomplete="off" autocapitalize="characters" maxlength="14" required/>
                <button type="submit" class="primary">{ui.t("people.code.button")}</button>
            </form>
        </Frame>
    }
}

/// `/invite/{code}`: the invitation, and the form that uses it.
#[component]
pub fn AcceptPage() -> impl IntoView {
    let ui = use_ui();
    let data = loaded::<AcceptData>();
    let Some((code, offer)) = data.and_then(|d| Some((d.code, d.offer?))) else {
        #[cfg(feature = "ssr")]
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
        return view! {
            <Frame title=ui.t("people.accept.title") tab=Tab::Me>
                <p class="error" role="alert">{ui.t("people.err.invitation")}</p>
                <p><a href="/invite">{ui.t("people.have_code")}</a></p>
            </Frame>
        }
        .into_any();
    };
    let role = ui.t(&format!("people.role.{}", offer.role.code()));
    let action = format!("/invite/{code}");
    let new_password = view! {
        <label for="password">{ui.t("people.password_new")}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128"/>
        <label for="password2">{ui.t("people.password_again")}</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required minlength="8" maxlength="128"/>
    };
    let body = match &offer.reset_login {
        Some(login) => view! {
            <p class="lead">{ui.t("people.accept.reset").replace("{inviter}", &offer.inviter).replace("{login}", login)}</p>
            <form class="card form" method="post" action=action>
                {new_password}
                <button type="submit" class="primary">{ui.t("people.accept.reset_button")}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <p class="lead">
                {ui.t("people.accept.lead").replace("{inviter}", &offer.inviter).replace("{role}", &role).replace("{area}", &offer.area)}
            </p>
            <form class="card form" method="post" action=action>
                <label for="display-name">{ui.t("people.accept.display_name")}</label>
                <input id="display-name" name="name" autocomplete="name" required maxlength="60" value=offer.note.clone()/>
                <label for="login">{ui.t("people.login")}</label>
                <input id="login" name="login" autocomplete="username" required maxlength="40"/>
                <p class="meta">{ui.t("people.login_help")}</p>
                {new_password}
                <button type="submit" class="primary">{ui.t("people.accept.button")}</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <Frame title=ui.t("people.accept.title") tab=Tab::Me>
            <Notice/>
            {body}
        </Frame>
    }
    .into_any()
}
