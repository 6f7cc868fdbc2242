//! Tài khoản: who is signed in, where they work, and signing out — here, or on every
//! phone at once. Links to what the account may do.

use crate::components::frame::{Frame, Tab};
use crate::components::notice::{Notice, OfflineNotes};
use crate::people::{loaded, Viewer};
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let ui = use_ui();
    // The server sends anyone not signed in to the sign-in page first.
    let Some(me) = loaded::<Viewer>() else {
        return view! { <a href="/sign-in">{ui.t("people.sign_in.title")}</a> }.into_any();
    };
    let role = ui.t(&format!("people.role.{}", me.role.code()));
    view! {
        <Frame title=ui.t("people.account.title") tab=Tab::Me>
            <Notice/>
            <OfflineNotes/>
            <section class="card" aria-labelledby="account-name">
                <h2 id="account-name">{me.name.clone()}</h2>
                <p>{role}</p>
                <p>{ui.t("people.account.area").replace("{area}", &me.area_name)}</p>
                <p class="meta">{ui.t("people.account.signed_in_as").replace("{login}", &me.login)}</p>
            </section>
            <nav class="card" aria-label=ui.t("people.account.title")>
                <ul class="links">
                    {me.invites().then(|| view! { <li><a href="/invitations">{ui.t("people.invitations_link")}</a></li> })}
                    {me.guides().then(|| view! { <li><a href="/mentees">{ui.t("people.mentees_link")}</a></li> })}
                    {me.sees_teams().then(|| view! { <li><a href="/team">{ui.t("people.team_link")}</a></li> })}
                    {me.sees_coverage().then(|| view! { <li><a href="/coverage">{ui.t("people.coverage_link")}</a></li> })}
                    {me.keeps_places().then(|| view! { <li><a href="/areas">{ui.t("people.areas_link")}</a></li> })}
                </ul>
            </nav>
            <form class="card form" method="post" action="/sign-out">
                <button type="submit" class="primary">{ui.t("people.sign_out")}</button>
            </form>
            <form class="card form" method="post" action="/sign-out-everywhere">
                <p>{ui.t("people.sign_out_everywhere_help")}</p>
                <button type="submit">{ui.t("people.sign_out_everywhere")}</button>
            </form>
        </Frame>
    }
    .into_any()
}
