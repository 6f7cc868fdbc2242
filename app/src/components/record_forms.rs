//! Pieces of the forms a volunteer or a lead records with: a choice of lesson (a topic),
//! and the community session section (its latest sessions and the form for another).
//! Plain server-rendered forms: with no signal the service worker keeps what they post
//! (public/sw-account.js).

use crate::domain::time::day_as_read;
use crate::domain::visit::{MAX_ATTENDEES, MAX_PLACE_CHARS};
use crate::people::{SessionForm, SessionRow};
use crate::ui::{use_ui, Ui};
use leptos::prelude::*;

/// A labelled choice of one lesson; the first topic is required, the others may stay
/// empty.
pub fn topic_select(ui: &Ui, id: String, k: usize) -> impl IntoView {
    let none = (k > 1)
        .then(|| view! { <option value="">{ui.t("people.mentees.visit_no_topic")}</option> });
    let options = ui
        .content
        .lessons
        .iter()
        .map(|l| view! { <option value=l.id.clone()>{l.text_in(ui.lang()).title.clone()}</option> })
        .collect_view();
    let label = ui
        .t("people.mentees.visit_topic")
        .replace("{k}", &k.to_string());
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id name=format!("topic{k}")>{none} {options}</select>
    }
}

/// The lesson titles of a list of ids, joined for reading.
pub fn topic_titles(ui: &Ui, topics: &[String]) -> String {
    topics
        .iter()
        .filter_map(|t| ui.content.lesson(t))
        .map(|l| l.text_in(ui.lang()).title.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The latest community sessions, or a line saying there are none.
pub fn session_list(ui: &Ui, sessions: &[SessionRow]) -> AnyView {
    if sessions.is_empty() {
        return view! { <p>{ui.t("people.sessions.none")}</p> }.into_any();
    }
    let rows = sessions
        .iter()
        .map(|s| {
            let place = match &s.village {
                Some(v) => format!("{} ({v})", s.place),
                None => s.place.clone(),
            };
            let line = ui
                .t("people.sessions.row")
                .replace("{date}", &day_as_read(&s.day))
                .replace("{place}", &place)
                .replace("{n}", &s.attendees.to_string())
                .replace("{by}", &s.by);
            view! { <li>{line}<br/><span class="meta">{topic_titles(ui, &s.topics)}</span></li> }
        })
        .collect_view();
    view! { <ul class="plain sessions">{rows}</ul> }.into_any()
}

/// The community learning sessions: the latest, and the form for another.
#[component]
pub fn SessionSection(form: SessionForm, sessions: Vec<SessionRow>) -> impl IntoView {
    let ui = use_ui();
    let list = session_list(&ui, &sessions);
    let villages = form
        .villages
        .iter()
        .map(|v| view! { <option value=v.id.clone()>{format!("{} {}", v.kind, v.name)}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="sessions-h">
            <h2 id="sessions-h">{ui.t("people.sessions.title")}</h2>
            {list}
            <details class="record">
                <summary>{ui.t("people.sessions.add")}</summary>
                <form class="form" method="post" action="/sessions">
                    <input type="hidden" name="account" value=form.account_id.clone()/>
                    <input type="hidden" name="event" value=form.session_id.clone()/>
                    <label for="session-day">{ui.t("people.sessions.day")}</label>
                    <input type="date" id="session-day" name="day" value=form.today.clone() required/>
                    <label for="session-village">{ui.t("people.sessions.village")}</label>
                    <select id="session-village" name="village">
                        <option value="">{ui.t("people.sessions.whole_commune")}</option>
                        {villages}
                    </select>
                    <label for="session-place">{ui.t("people.sessions.place")}</label>
                    <input type="text" id="session-place" name="place" required
                        maxlength=MAX_PLACE_CHARS.to_string()/>
                    {topic_select(&ui, "session-topic1".into(), 1)}
                    {topic_select(&ui, "session-topic2".into(), 2)}
                    {topic_select(&ui, "session-topic3".into(), 3)}
                    <label for="session-attendees">{ui.t("people.sessions.attendees")}</label>
                    <input type="number" id="session-attendees" name="attendees" min="1"
                        max=MAX_ATTENDEES.to_string() inputmode="numeric" required/>
                    <button type="submit" class="primary">{ui.t("people.sessions.save")}</button>
                </form>
            </details>
        </section>
    }
}
