//! Đội tình nguyện: a team lead's own team, or every team of an official's commune —
//! each volunteer with the households they guide now (against the plan's target of
//! five), their visits and their community sessions — and the latest sessions; a lead
//! records sessions here too.

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::components::notice::{Notice, OfflineNotes};
use crate::components::record_forms::{session_list, SessionSection};
use crate::domain::role::MENTEE_TARGET;
use crate::people::{loaded, Forbidden, Handover, MemberRow, TeamData};
use crate::ui::{use_ui, Ui};
use leptos::prelude::*;

#[component]
pub fn TeamPage() -> impl IntoView {
    let ui = use_ui();
    if loaded::<Forbidden>().is_some() {
        return view! { <NotForYou/> }.into_any();
    }
    let Some(data) = loaded::<TeamData>() else {
        return view! { <NotForYou/> }.into_any();
    };
    if !data.province.is_empty() {
        return view! {
            <Frame title=ui.t("people.team.province_title") tab=Tab::Me>
                <ProvinceTable data=data.clone()/>
            </Frame>
        }
        .into_any();
    }
    let teams = if data
        .teams
        .iter()
        .all(|t| t.lead.is_none() && t.volunteers.is_empty())
    {
        view! { <p class="card">{ui.t("people.team.none")}</p> }.into_any()
    } else {
        data.teams
            .iter()
            .enumerate()
            .map(|(n, t)| {
                let title = match &t.lead {
                    Some(lead) => ui.t("people.team.led_by").replace("{name}", &lead.name),
                    None => ui.t("people.team.no_lead"),
                };
                let (heading, labelled_by) = (format!("team-{n}-h"), format!("team-{n}-h"));
                let rows = if t.volunteers.is_empty() {
                    view! { <p>{ui.t("people.team.no_volunteers")}</p> }.into_any()
                } else {
                    let rows = t
                        .volunteers
                        .iter()
                        .map(|v| member_row(&ui, v))
                        .collect_view();
                    view! {
                        <table class="counts">
                            <caption class="visually-hidden">{title.clone()}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ui.t("people.team.volunteer")}</th>
                                    <th scope="col">{ui.t("people.team.households")}</th>
                                    <th scope="col">{ui.t("people.team.visits")}</th>
                                    <th scope="col">{ui.t("people.team.sessions")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                    .into_any()
                };
                let lead_line = t.lead.as_ref().map(|l| {
                    let line = ui
                        .t("people.team.lead_sessions")
                        .replace("{n}", &l.sessions.to_string());
                    view! { <p class="meta">{line}</p> }
                });
                view! {
                    <section class="card" aria-labelledby=labelled_by>
                        <h2 id=heading>{title}</h2>
                        {lead_line}
                        {rows}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    let sessions = match data.form.clone() {
        Some(form) => {
            view! { <SessionSection form=form sessions=data.sessions.clone()/> }.into_any()
        }
        None => view! { <SessionList data=data.clone()/> }.into_any(),
    };
    view! {
        <Frame title=ui.t("people.team.title") tab=Tab::Me>
            <Notice/>
            <OfflineNotes/>
            {teams}
            {data.handover.clone().map(|h| view! { <HandoverSection handover=h/> })}
            {sessions}
        </Frame>
    }
    .into_any()
}

fn member_row(ui: &Ui, v: &MemberRow) -> impl IntoView {
    let households = ui
        .t("people.team.of_target")
        .replace("{n}", &v.mentees.to_string())
        .replace("{target}", &MENTEE_TARGET.to_string());
    view! {
        <tr>
            <th scope="row">{v.name.clone()}</th>
            <td>{households}</td>
            <td>{v.visits}</td>
            <td>{v.sessions}</td>
        </tr>
    }
}

/// The latest sessions, for an official (who records none).
#[component]
fn SessionList(data: TeamData) -> impl IntoView {
    let ui = use_ui();
    view! {
        <section class="card" aria-labelledby="sessions-h">
            <h2 id="sessions-h">{ui.t("people.sessions.title")}</h2>
            {session_list(&ui, &data.sessions)}
        </section>
    }
}

/// Where an official closes the account of someone who left.
pub const CLOSE_PATH: &str = "/team/left";
/// Where an official offers a left volunteer's households to another volunteer.
pub const OFFER_PATH: &str = "/team/offer";

/// For an official: close the account of a volunteer or lead who left (after ticking a
/// box that says so), then offer each of their households to another volunteer — the
/// household answers on its own phone, and the new volunteer sees it only if it agrees.
#[component]
fn HandoverSection(handover: Handover) -> impl IntoView {
    let ui = use_ui();
    let left = handover
        .left
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let line = ui
                .t("people.team.left_row")
                .replace("{name}", &l.name)
                .replace("{n}", &l.households.to_string())
                .replace("{offered}", &l.offered.to_string());
            let options = handover
                .volunteers
                .iter()
                .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
                .collect_view();
            let to = format!("offer-to-{n}");
            let form = (!handover.volunteers.is_empty()).then(|| {
                view! {
                    <form class="form" method="post" action=OFFER_PATH>
                        <input type="hidden" name="from" value=l.account_id.clone()/>
                        <label for=to.clone()>{ui.t("people.team.offer_to")}</label>
                        <select id=to name="to">{options}</select>
                        <button type="submit" class="primary">{ui.t("people.team.offer")}</button>
                    </form>
                }
            });
            view! {
                <li class="left-volunteer">
                    <p>{line}</p>
                    {form}
                </li>
            }
        })
        .collect_view();
    let close = (!handover.people.is_empty()).then(|| {
        let options = handover
            .people
            .iter()
            .map(|(id, name, role)| {
                let label = format!("{name} ({})", ui.t(&format!("people.role.{role}")));
                view! { <option value=id.clone()>{label}</option> }
            })
            .collect_view();
        view! {
            <details class="record">
                <summary>{ui.t("people.team.close_open")}</summary>
                <form class="form" method="post" action=CLOSE_PATH>
                    <label for="close-account">{ui.t("people.team.close_who")}</label>
                    <select id="close-account" name="account">{options}</select>
                    <label class="check">
                        <input type="checkbox" name="confirm" value="yes" required/>
                        {ui.t("people.team.close_confirm")}
                    </label>
                    <button type="submit" class="danger">{ui.t("people.team.close")}</button>
                </form>
            </details>
        }
    });
    view! {
        <section class="card" id="handover" aria-labelledby="handover-h">
            <h2 id="handover-h">{ui.t("people.team.handover_title")}</h2>
            <p>{ui.t("people.team.handover_help")}</p>
            <ul class="plain">{left}</ul>
            {close}
        </section>
    }
}

/// For an administrator: each commune of the province with its volunteers, the
/// households they guide, their visits and sessions — counts only.
#[component]
fn ProvinceTable(data: TeamData) -> impl IntoView {
    let ui = use_ui();
    let rows = data
        .province
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{c.name.clone()}</th>
                    <td>{c.volunteers}</td>
                    <td>{c.households}</td>
                    <td>{c.visits}</td>
                    <td>{c.sessions}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="province-h">
            <h2 id="province-h">{ui.t("people.team.province_h")}</h2>
            <table class="counts">
                <caption class="visually-hidden">{ui.t("people.team.province_h")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{ui.t("people.team.commune")}</th>
                        <th scope="col">{ui.t("people.team.volunteers")}</th>
                        <th scope="col">{ui.t("people.team.households_now")}</th>
                        <th scope="col">{ui.t("people.team.visits")}</th>
                        <th scope="col">{ui.t("people.team.sessions")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
