//! A lesson's steps, one at a time once the page is interactive; all of them, as a plain
//! list, before that (or with no JavaScript at all).

use super::dom;
use crate::offline::store;
use leptos::prelude::*;
use web_sys::Element;

/// Island around the server-rendered steps: a `.steps-body` (with `data-lesson-id`)
/// holding a hidden counter (`.counter`, its wording in `data-template` with `{n}` and
/// `{total}`), the `<ol>` of steps and hidden buttons marked `data-go="-1"` / `"1"`.
/// Which step shows is a `data-step` attribute the CSS reads, so the steps' text stays
/// in the HTML.
#[island]
pub fn Steps(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        for body in dom::all(".steps-body") {
            store::set_last_lesson(&dom::data(&body, "data-lesson-id"));
            show(&body, 1);
        }
    });
    let go = move |ev: leptos::ev::MouseEvent| {
        let (Some(button), Some(body)) = (
            dom::closest(&ev, "[data-go]"),
            dom::closest(&ev, ".steps-body"),
        ) else {
            return;
        };
        let delta: i32 = dom::data(&button, "data-go").parse().unwrap_or(0);
        let current: i32 = dom::data(&body, "data-step").parse().unwrap_or(1);
        show(&body, current + delta);
    };
    view! { <div on:click=go>{children()}</div> }
}

/// Shows step `n` (kept within the steps there are) and the pager around it (also for a
/// missed review, quiz.rs).
pub fn show(body: &Element, n: i32) {
    let total = dom::count(body, "ol > li") as i32;
    let n = n.clamp(1, total.max(1));
    dom::mark(body, "data-step", Some(&n.to_string()));
    if let Some(counter) = dom::find(body, ".counter") {
        let text = dom::data(&counter, "data-template")
            .replace("{n}", &n.to_string())
            .replace("{total}", &total.to_string());
        dom::set_text(&counter, &text);
        dom::mark(&counter, "hidden", None);
    }
    if let Some(buttons) = dom::find(body, ".step-buttons") {
        dom::mark(&buttons, "hidden", None);
    }
    if let Some(back) = dom::find(body, "[data-go='-1']") {
        dom::mark(&back, "disabled", (n <= 1).then_some(""));
    }
    if let Some(next) = dom::find(body, "[data-go='1']") {
        dom::mark(&next, "disabled", (n >= total).then_some(""));
    }
}
