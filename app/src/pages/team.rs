//! Đội tình nguyện: a team lead's own team, or every team of an official's commune —
//! each volunteer with the households they guide now (against the plan's target of
//! five), their visits and their community sessions — and the latest sessions; a lead
//! records sessions here too.

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::components::notice::{Notice, OfflineNotes};
use crate::components::record_forms::{session_list, SessionSection};
use crate::domain::role::MENTEE_TARGET;
use crate::people::{loaded, Forbidden, MemberRow, TeamData};
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
