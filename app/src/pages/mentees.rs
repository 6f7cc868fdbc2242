//! Hộ gia đình của tôi: a volunteer's households — each one that agreed, with its
//! learners' lessons, the lesson to suggest next, its checklists and what the volunteer
//! confirmed, its last visit, and the forms to sign off a skill and record a visit —
//! the plan's target of at least five as progress, and the pairing codes (typed, and as
//! a QR code) a household enters on its own phone to agree.

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::components::notice::{Notice, OfflineNotes};
use crate::components::record_forms::{topic_select, SessionSection};
use crate::domain::checklist::Ticks;
use crate::domain::code::grouped;
use crate::domain::event::HouseholdView;
use crate::domain::mentor::HANDOFF_LEN;
use crate::domain::role::MENTEE_TARGET;
use crate::domain::time::{day_as_read, vietnam_date_time};
use crate::domain::visit::{MAX_MINUTES, MAX_NOTE_CHARS};
use crate::pages::home::FIRST_TRACK;
use crate::people::{loaded, Forbidden, MenteeCard, MenteesData};
use crate::ui::{use_ui, Ui};
use leptos::prelude::*;

/// Where the code form posts.
pub const CODE_PATH: &str = "/mentees/code";
/// The household a record names by its household code instead of its id: the page
/// does not list it yet (server/src/routes/people/mentees.rs).
pub const NEW_HOUSEHOLD: &str = "new";
/// Where the visit form posts.
pub const VISIT_PATH: &str = "/mentees/visit";

#[component]
pub fn MenteesPage() -> impl IntoView {
    let ui = use_ui();
    if loaded::<Forbidden>().is_some() {
        return view! { <NotForYou/> }.into_any();
    }
    let Some(data) = loaded::<MenteesData>() else {
        return view! { <NotForYou/> }.into_any();
    };
    let n = data.mentees.len();
    let target = ui
        .t("people.mentees.target")
        .replace("{n}", &n.to_string())
        .replace("{target}", &MENTEE_TARGET.to_string());
    let recording = !data.mentees.is_empty() || !data.codes.is_empty();
    let households = if data.mentees.is_empty() {
        view! { <p class="card">{ui.t("people.mentees.none")}</p> }.into_any()
    } else {
        let cards = data
            .mentees
            .iter()
            .enumerate()
            .map(|(n, m)| mentee_card(&ui, n, m, &data.session_form.account_id, data.now_ms))
            .collect_view();
        view! { <ul class="cards mentees">{cards}</ul> }.into_any()
    };
    view! {
        <Frame title=ui.t("people.mentees.title") tab=Tab::Me>
            <Notice/>
            <OfflineNotes/>
            <section class="card" aria-labelledby="target-h">
                <h2 id="target-h" class="visually-hidden">{ui.t("people.mentees.title")}</h2>
                <p id="target-text">{target.clone()}</p>
                <progress max=MENTEE_TARGET.to_string() value=n.min(MENTEE_TARGET).to_string()
                    aria-labelledby="target-text"></progress>
            </section>
            {households}
            // A volunteer with no household and no code has nobody to record for yet.
            {recording.then(|| visit_form(&ui, &data))}
            {recording.then(|| new_household_section(&ui, &data))}
            <SessionSection form=data.session_form.clone() sessions=data.sessions.clone()/>
            <CodeSection data=data.clone()/>
        </Frame>
    }
    .into_any()
}

fn mentee_card(ui: &Ui, n: usize, m: &MenteeCard, account: &str, now_ms: i64) -> impl IntoView {
    let since = ui
        .t("people.mentees.since")
        .replace("{village}", &m.village)
        .replace("{date}", &vietnam_date_time(m.since_ms));
    let visits = match m.view.visits.values().max_by(|a, b| a.day.cmp(&b.day)) {
        Some(last) => ui
            .t("people.mentees.last_visit")
            .replace("{date}", &day_as_read(&last.day))
            .replace("{minutes}", &last.minutes.to_string())
            .replace("{n}", &m.view.visits.len().to_string()),
        None => ui.t("people.mentees.no_visit"),
    };
    let people = people_of(ui, &m.view, now_ms);
    let forms = (!m.view.profiles.is_empty()).then(|| confirm_form(ui, n, m, account));
    view! {
        <li class="card mentee">
            <p class="meta">{since}</p>
            <p class="meta">{visits}</p>
            {people}
            {forms}
        </li>
    }
}

/// The person's name as the volunteer reads it.
fn name_of(ui: &Ui, person: &crate::domain::profile::Profile) -> String {
    if person.name.trim().is_empty() {
        ui.t("people.mentees.unnamed")
    } else {
        person.name.clone()
    }
}

/// Sign off a checklist item the volunteer saw a person of the household do.
fn confirm_form(ui: &Ui, n: usize, m: &MenteeCard, account: &str) -> impl IntoView {
    let people = m
        .view
        .profiles
        .iter()
        .map(|(id, p)| view! { <option value=id.clone()>{name_of(ui, p)}</option> })
        .collect_view();
    let items = checklist_items(ui);
    let (person_id, item_id) = (format!("confirm-person-{n}"), format!("confirm-item-{n}"));
    view! {
        <details class="record">
            <summary>{ui.t("people.mentees.confirm_title")}</summary>
            <form class="form" method="post" action=format!("/mentees/{}/confirm", m.household_id)>
                <p>{ui.t("people.mentees.confirm_help")}</p>
                <input type="hidden" name="account" value=account.to_string()/>
                <input type="hidden" name="event" value=m.confirm_id.clone()/>
                <label for=person_id.clone()>{ui.t("people.mentees.confirm_person")}</label>
                <select id=person_id name="person">{people}</select>
                <label for=item_id.clone()>{ui.t("people.mentees.confirm_item")}</label>
                <select id=item_id name="item">{items}</select>
                <button type="submit" class="primary">{ui.t("people.mentees.confirm")}</button>
            </form>
        </details>
    }
}

/// Every checklist item, grouped by checklist: what a sign-off names.
fn checklist_items(ui: &Ui) -> impl IntoView {
    ui.content
        .checklists
        .iter()
        .map(|c| {
            let text = c.text_in(ui.lang());
            let options = c
                .items
                .iter()
                .filter_map(|i| {
                    let label = text.items.get(&i.id)?.label.clone();
                    Some(view! { <option value=format!("{}/{}", c.id, i.id)>{label}</option> })
                })
                .collect_view();
            view! { <optgroup label=text.title.clone()>{options}</optgroup> }
        })
        .collect_view()
}

/// A household that agreed while this phone had no signal is not on the page yet: the
/// volunteer names it by the household code its phone shows (app::domain::mentor), and
/// the record waits on this phone until both have synced. The sign-off is for the
/// person who agreed; a visit is recorded with the visit form ("a household that has
/// just agreed").
fn new_household_section(ui: &Ui, data: &MenteesData) -> impl IntoView {
    view! {
        <section class="card" id="new-household" aria-labelledby="new-household-h">
            <h2 id="new-household-h">{ui.t("people.mentees.new_title")}</h2>
            <p>{ui.t("people.mentees.new_help")}</p>
            <details class="record">
                <summary>{ui.t("people.mentees.new_confirm")}</summary>
                <form class="form" method="post" action=format!("/mentees/{NEW_HOUSEHOLD}/confirm")>
                    <input type="hidden" name="account" value=data.session_form.account_id.clone()/>
                    <input type="hidden" name="event" value=data.handoff_id.clone()/>
                    <label for="new-handoff">{ui.t("people.mentees.handoff")}</label>
                    <input id="new-handoff" name="handoff" autocomplete="off" autocapitalize="characters"
                        maxlength=HANDOFF_LEN.to_string() required/>
                    <label for="new-item">{ui.t("people.mentees.confirm_item")}</label>
                    <select id="new-item" name="item">{checklist_items(ui)}</select>
                    <button type="submit" class="primary">{ui.t("people.mentees.confirm")}</button>
                </form>
            </details>
        </section>
    }
}

/// Record a visit: which household, the day, how long, up to three topics from the
/// lessons, a short note. One form for the page, not one per household: the lesson
/// choices are 120 options, which fifty cards would repeat into ~850 KB of HTML.
fn visit_form(ui: &Ui, data: &MenteesData) -> impl IntoView {
    let households = data
        .mentees
        .iter()
        .map(|m| {
            let names: Vec<String> = m.view.profiles.values().map(|p| name_of(ui, p)).collect();
            let label = if names.is_empty() {
                m.village.clone()
            } else {
                format!("{} — {}", names.join(", "), m.village)
            };
            view! { <option value=m.household_id.clone()>{label}</option> }
        })
        .collect_view();
    // Always offered: a household may have agreed to a code that has expired since.
    let new_household =
        view! { <option value=NEW_HOUSEHOLD>{ui.t("people.mentees.visit_new")}</option> };
    let handoff = view! {
        <label for="visit-handoff">{ui.t("people.mentees.visit_handoff")}</label>
        <input id="visit-handoff" name="handoff" autocomplete="off" autocapitalize="characters"
            maxlength=HANDOFF_LEN.to_string()/>
    };
    let topic = |k: usize| topic_select(ui, format!("visit-topic{k}"), k);
    view! {
        <section class="card" id="visit-section" aria-labelledby="visit-h">
            <h2 id="visit-h">{ui.t("people.mentees.visit_title")}</h2>
            <details class="record">
                <summary>{ui.t("people.mentees.visit_open")}</summary>
                <form class="form" method="post" action=VISIT_PATH>
                    <input type="hidden" name="account" value=data.session_form.account_id.clone()/>
                    <input type="hidden" name="event" value=data.visit_id.clone()/>
                    <label for="visit-household">{ui.t("people.mentees.visit_household")}</label>
                    <select id="visit-household" name="household">{households}{new_household}</select>
                    {handoff}
                    <label for="visit-day">{ui.t("people.mentees.visit_day")}</label>
                    <input type="date" id="visit-day" name="day" value=data.today.clone() required/>
                    <label for="visit-minutes">{ui.t("people.mentees.visit_minutes")}</label>
                    <input type="number" id="visit-minutes" name="minutes" value="30" min="1"
                        max=MAX_MINUTES.to_string() inputmode="numeric" required/>
                    {topic(1)}
                    {topic(2)}
                    {topic(3)}
                    <label for="visit-note">{ui.t("people.mentees.visit_note")}</label>
                    <textarea id="visit-note" name="note" rows="3" maxlength=MAX_NOTE_CHARS.to_string()></textarea>
                    <button type="submit" class="primary">{ui.t("people.mentees.visit_save")}</button>
                </form>
            </details>
        </section>
    }
}

/// Each learner: lessons done, the next lesson of the common core, the checklists.
fn people_of(ui: &Ui, view: &HouseholdView, now_ms: i64) -> AnyView {
    let named: Vec<_> = view.profiles.iter().collect();
    if named.is_empty() {
        return view! { <p>{ui.t("people.mentees.no_people")}</p> }.into_any();
    }
    let core: Vec<&str> = ui
        .content
        .lessons_in(FIRST_TRACK)
        .map(|l| l.id.as_str())
        .collect();
    // A checklist of the household's (`household = true` in its content) counts
    // everyone's ticks, each item's latest change by anyone, as the family's phone shows
    // it and the reports count it.
    let family = (
        Ticks::merged(view.ticks.values()),
        Ticks::merged(view.confirmed.values()),
    );
    let rows = named
        .into_iter()
        .map(|(id, person)| {
            let name = name_of(ui, person);
            let done = ui
                .content
                .lessons
                .iter()
                .filter(|l| person.progress.is_done(&l.id))
                .count();
            let next = match person.progress.next_lesson(&core, now_ms) {
                Some(lesson) => {
                    let title = ui
                        .content
                        .lesson(lesson)
                        .map(|l| l.text_in(ui.lang()).title.clone())
                        .unwrap_or_default();
                    ui.t("people.mentees.next").replace("{lesson}", &title)
                }
                None => ui.t("people.mentees.core_done"),
            };
            // What the person tried and did not pass, with the questions missed: where
            // the volunteer can help on the next visit.
            let failed: Vec<String> = ui
                .content
                .lessons
                .iter()
                .filter(|l| person.progress.is_failed(&l.id))
                .map(|l| {
                    let title = l.text_in(ui.lang()).title.clone();
                    let missed = person
                        .progress
                        .tried
                        .get(&l.id)
                        .map(|t| t.missed(&l.answers))
                        .unwrap_or_default();
                    if missed.is_empty() {
                        return title;
                    }
                    let numbers: Vec<String> = missed.iter().map(|q| (q + 1).to_string()).collect();
                    let questions = ui.t("people.mentees.missed").replace("{questions}", &numbers.join(", "));
                    format!("{title} ({questions})")
                })
                .collect();
            let failed = (!failed.is_empty()).then(|| {
                let line = ui.t("people.mentees.failed").replace("{lessons}", &failed.join("; "));
                view! { <p class="failed">{line}</p> }
            });
            // What the placement check found known, and reviews missed since the last
            // pass: what may need going over together.
            let p = &person.progress;
            let placed = p.placed.as_ref().filter(|c| !c.asked.is_empty()).map(|c| {
                let line = ui
                    .t("people.mentees.placed")
                    .replace("{n}", &c.known.len().to_string())
                    .replace("{total}", &c.asked.len().to_string());
                view! { <p>{line}</p> }
            });
            let missed: Vec<String> = ui
                .content
                .lessons
                .iter()
                .filter(|l| p.review_missed(&l.id))
                .map(|l| l.text_in(ui.lang()).title.clone())
                .collect();
            let missed = (!missed.is_empty()).then(|| {
                let line = ui.t("people.mentees.review_missed").replace("{lessons}", &missed.join("; "));
                view! { <p class="failed">{line}</p> }
            });
            let checklists = ui
                .content
                .checklists
                .iter()
                .map(|c| {
                    let text = c.text_in(ui.lang());
                    let (ticks, confirmed) = if c.household {
                        (Some(&family.0), Some(&family.1))
                    } else {
                        (view.ticks.get(id), view.confirmed.get(id))
                    };
                    let ticked = ticks.map_or(0, |t| t.count_on(&c.id));
                    let seen: Vec<String> = c
                        .items
                        .iter()
                        .filter(|i| confirmed.is_some_and(|t| t.is_on(&c.id, &i.id)))
                        .filter_map(|i| text.items.get(&i.id).map(|t| t.label.clone()))
                        .collect();
                    let line = ui
                        .t("people.mentees.checklist")
                        .replace("{title}", &text.title)
                        .replace("{done}", &ticked.to_string())
                        .replace("{total}", &c.items.len().to_string());
                    let seen = (!seen.is_empty()).then(|| {
                        let line = ui.t("people.mentees.confirmed").replace("{items}", &seen.join(", "));
                        view! { <br/><span class="confirmed">{line}</span> }
                    });
                    view! { <li>{line} {seen}</li> }
                })
                .collect_view();
            let d = &person.details;
            let about: Vec<String> = [("person.age", &d.age_band), ("person.group", &d.group)]
                .into_iter()
                .filter(|(_, code)| !code.is_empty())
                .map(|(prefix, code)| ui.t(&format!("{prefix}.{code}")))
                .collect();
            let about = (!about.is_empty()).then(|| view! { <p class="meta">{about.join(" · ")}</p> });
            view! {
                <li class="person">
                    <p class="person-name">{ui.t("people.mentees.person").replace("{name}", &name).replace("{done}", &done.to_string())}</p>
                    {about}
                    <p>{next}</p>
                    {failed}
                    {placed}
                    {missed}
                    <ul class="plain meta">{checklists}</ul>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="plain people-list">{rows}</ul> }.into_any()
}

/// The codes that work now, and the form for a new one.
#[component]
fn CodeSection(data: MenteesData) -> impl IntoView {
    let ui = use_ui();
    let codes = data
        .codes
        .iter()
        .map(|c| {
            let shown = grouped(&c.code);
            let line = ui
                .t("people.mentees.code")
                .replace("{code}", &shown)
                .replace("{village}", &c.village)
                .replace("{time}", &vietnam_date_time(c.expires_ms));
            let label = ui.t("people.mentees.qr").replace("{code}", &shown);
            let stop = ui.t("people.mentees.revoke");
            view! {
                <li class="pairing-code">
                    <p class="secret"><code>{line}</code></p>
                    <div class="qr" role="img" aria-label=label inner_html=c.qr_svg.clone()></div>
                    <form method="post" action=format!("/mentees/code/{}/revoke", c.code)>
                        <button type="submit" aria-label=format!("{stop}: {shown}")>{stop.clone()}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let form = if data.villages.is_empty() {
        view! { <p>{ui.t("people.mentees.no_villages")}</p> }.into_any()
    } else {
        let options = data
            .villages
            .iter()
            .map(|v| view! { <option value=v.id.clone()>{format!("{} {}", v.kind, v.name)}</option> })
            .collect_view();
        view! {
            <form class="form" method="post" action=CODE_PATH>
                <label for="code-village">{ui.t("people.mentees.village")}</label>
                <select id="code-village" name="village">{options}</select>
                <button type="submit" class="primary">{ui.t("people.mentees.make_code")}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="codes-h">
            <h2 id="codes-h">{ui.t("people.mentees.code_title")}</h2>
            <p>{ui.t("people.mentees.code_help")}</p>
            <ul class="plain codes">{codes}</ul>
            {form}
        </section>
    }
}
