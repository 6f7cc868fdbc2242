//! Hỏi (issue 12): a question typed in plain words, answered from the lessons — by the
//! server when it is reached, on the phone when it is not (components/ask_box.rs).

use crate::components::ask_box::AskBox;
use crate::components::frame::{Frame, Tab};
use crate::domain::ask::{shown, Index, Shown, MAX_QUESTION_CHARS};
use crate::ui::use_ui;
use leptos::prelude::*;
use std::sync::Arc;

pub const ASK_PATH: &str = "/ask";

/// Questions the page suggests (content/ui `ask.example.N`).
const EXAMPLES: [&str; 3] = ["ask.example.1", "ask.example.2", "ask.example.3"];

#[component]
pub fn AskPage() -> impl IntoView {
    let ui = use_ui();
    let asked = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("q"))
        .unwrap_or_default();
    let asked: String = asked.trim().chars().take(MAX_QUESTION_CHARS).collect();
    // The server built the index from the content at start; the phone fetches it.
    let found = match use_context::<Arc<Index>>() {
        Some(index) if !asked.is_empty() => shown(&index, &asked, ui.lang()),
        _ => Vec::new(),
    };
    let status = match (asked.is_empty(), found.is_empty()) {
        (true, _) => String::new(),
        (false, true) => ui.t("ask.none"),
        (false, false) => ui.t("ask.found").replace("{q}", &asked),
    };
    let (step, summary) = (ui.t("ask.step"), ui.t("ask.summary"));
    let answers = found
        .iter()
        .map(|a| {
            let place = a.place(&step, &summary);
            view! { <AnswerItem answer=Some(a.clone()) place=place/> }
        })
        .collect_view();
    let examples = EXAMPLES
        .iter()
        .map(|key| {
            let q = ui.t(key);
            let href = format!("{ASK_PATH}?q={}", query_value(&q));
            view! { <li><a href=href>{q}</a></li> }
        })
        .collect_view();
    let box_ = view! {
        <div class="ask" data-lang=ui.lang().to_string() data-asked=asked.clone()
            data-found=ui.t("ask.found") data-none=ui.t("ask.none")
            data-loading=ui.t("ask.loading") data-unavailable=ui.t("ask.unavailable")
            data-step=step data-summary=summary>
            <form class="ask-form" role="search" method="get" action=ASK_PATH>
                <label for="ask-q">{ui.t("ask.label")}</label>
                <div class="ask-row">
                    <input id="ask-q" type="search" name="q" value=asked.clone()
                        placeholder=ui.t("ask.placeholder")
                        maxlength=MAX_QUESTION_CHARS.to_string() autocomplete="off"/>
                    <button type="submit" class="primary">{ui.t("ask.button")}</button>
                </div>
            </form>
            <p class="ask-status" role="status">{status}</p>
            <ol class="answers plain">
                <AnswerItem answer=None place=String::new()/>
                {answers}
            </ol>
        </div>
    };
    view! {
        <Frame title=ui.t("ask.title") tab=Tab::None>
            <p class="lead">{ui.t("ask.intro")}</p>
            <AskBox>{box_}</AskBox>
            <h2>{ui.t("ask.examples")}</h2>
            <ul class="examples plain">{examples}</ul>
        </Frame>
    }
}

/// One answer: its lesson (a link) and the step's words. With none, the hidden pattern
/// the island makes the phone's answers from — one definition of the markup.
#[component]
fn AnswerItem(answer: Option<Shown>, place: String) -> impl IntoView {
    let hidden = answer.is_none();
    let (href, title, text) = match answer {
        Some(a) => (format!("/lessons/{}", a.lesson), a.title, a.text),
        None => (String::new(), String::new(), String::new()),
    };
    view! {
        <li hidden=hidden>
            <a href=href>{title}</a>
            <p><span class="meta">{place}</span>" "<span class="answer-text">{text}</span></p>
        </li>
    }
}

/// `s` as a value in an address's query: ASCII letters and digits as they are, a space
/// as `+`, anything else as `%XX` of its UTF-8 bytes.
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
