//! Mời người tham gia: an administrator invites commune officials; an official invites
//! the team leads and volunteers of their commune. A new invitation's link and code are
//! shown once; the list says which were used. People one invited can be given a link to
//! set a forgotten password.

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::components::notice::Notice;
use crate::domain::time::vietnam_date_time;
use crate::people::{loaded, Forbidden, InvitationsData, MadeState};
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let ui = use_ui();
    if loaded::<Forbidden>().is_some() {
        return view! { <NotForYou/> }.into_any();
    }
    let Some(data) = loaded::<InvitationsData>() else {
        return view! { <a href="/sign-in">{ui.t("people.sign_in.title")}</a> }.into_any();
    };
    let role_name = |code: &str| ui.t(&format!("people.role.{code}"));
    let issued = data.issued.clone().map(|i| {
        view! {
            <section class="card issued" aria-labelledby="issued-h">
                <h2 id="issued-h">{i.note.clone()}</h2>
                <p>{ui.t("people.invitations.link_label")}</p>
                <p class="secret"><code>{i.link.clone()}</code></p>
                <p>{ui.t("people.invitations.code_label")}</p>
                <p class="secret"><code>{i.code.clone()}</code></p>
                <p class="meta">{ui.t("people.invitations.valid").replace("{time}", &vietnam_date_time(i.expires_ms))}</p>
            </section>
        }
    });
    let roles = data
        .roles
        .iter()
        .enumerate()
        .map(|(n, r)| {
            view! {
                <label class="option">
                    <input type="radio" name="role" value=r.code() checked={n == 0}/>
                    <span>{role_name(r.code())}</span>
                </label>
            }
        })
        .collect_view();
    let communes = (!data.communes.is_empty()).then(|| {
        let options = data
            .communes
            .iter()
            .map(|c| view! { <option value=c.id.clone()>{format!("{} {}", c.kind, c.name)}</option> })
            .collect_view();
        view! {
            <label for="invite-area">{ui.t("people.invitations.area")}</label>
            <select id="invite-area" name="area">{options}</select>
        }
    });
    let leads = (!data.leads.is_empty()).then(|| {
        let options = data
            .leads
            .iter()
            .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
            .collect_view();
        view! {
            <label for="invite-lead">{ui.t("people.invitations.lead")}</label>
            <select id="invite-lead" name="lead">
                <option value="">{ui.t("people.invitations.no_lead")}</option>
                {options}
            </select>
        }
    });
    let made = if data.made.is_empty() {
        view! { <p>{ui.t("people.invitations.none")}</p> }.into_any()
    } else {
        let rows = data
            .made
            .iter()
            .map(|m| {
                let state = match m.state {
                    MadeState::Waiting { until_ms } => ui
                        .t("people.invitations.waiting")
                        .replace("{time}", &vietnam_date_time(until_ms)),
                    MadeState::Used => ui.t("people.invitations.used"),
                    MadeState::Expired => ui.t("people.invitations.expired"),
                };
                let what = if m.reset {
                    ui.t("people.invitations.reset_kind")
                } else {
                    role_name(m.role.code())
                };
                view! { <li><strong>{m.note.clone()}</strong>" — "{what}" · "{state}</li> }
            })
            .collect_view();
        view! { <ul class="plain">{rows}</ul> }.into_any()
    };
    let invited = (!data.invited.is_empty()).then(|| {
        let rows = data
            .invited
            .iter()
            .map(|(id, name, login)| {
                view! {
                    <li>
                        <form method="post" action="/invitations/reset" class="inline-form">
                            <input type="hidden" name="account" value=id.clone()/>
                            <span>{format!("{name} ({login})")}</span>
                            <button type="submit">{ui.t("people.invitations.reset")}</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="invited-h">
                <h2 id="invited-h">{ui.t("people.invitations.people")}</h2>
                <ul class="plain">{rows}</ul>
            </section>
        }
    });
    view! {
        <Frame title=ui.t("people.invitations.title") tab=Tab::Me>
            <Notice/>
            {issued}
            <form class="card form" method="post" action="/invitations">
                <fieldset>
                    <legend>{ui.t("people.invitations.role")}</legend>
                    {roles}
                </fieldset>
                {communes}
                {leads}
                <label for="invite-note">{ui.t("people.invitations.note")}</label>
                <input id="invite-note" name="note" required maxlength="60" autocomplete="off"/>
                <button type="submit" class="primary">{ui.t("people.invitations.button")}</button>
            </form>
            <section class="card" aria-labelledby="made-h">
                <h2 id="made-h">{ui.t("people.invitations.made")}</h2>
                {made}
            </section>
            {invited}
        </Frame>
    }
    .into_any()
}
