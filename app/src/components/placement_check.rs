//! The placement check's form, run by the Quiz island (one island less to ship): graded
//! on the phone, recorded as one event for the current person (`PlacementChecked`),
//! then the result in place of the questions.
//!
//! The server renders `form.placement-form` (a `.question` per lesson, with
//! `data-lesson`, the right option in `data-answer` and radios named `p0`, `p1`, …; a
//! hidden submit button) and the hidden `.placement-result` (its line's wording in
//! `data-template`, `{n}` and `{total}`).

use super::dom;
use crate::domain::event::Action;
use crate::offline::store;
use leptos::task::spawn_local;
use web_sys::Element;

/// The form can be sent once the page is interactive.
pub fn wake() {
    for button in dom::all(".placement-form button[type='submit']") {
        dom::mark(&button, "hidden", None);
    }
}

/// Grades the form, records the result, then shows it.
pub fn check(form: Element) {
    let (mut asked, mut known) = (Vec::new(), Vec::new());
    for (i, question) in dom::all_in(&form, ".question").iter().enumerate() {
        let lesson = dom::data(question, "data-lesson");
        let right = dom::checked(&format!("p{i}")) == Some(dom::data(question, "data-answer"));
        if right {
            known.push(lesson.clone());
        }
        asked.push(lesson);
    }
    let (n, total) = (known.len().to_string(), asked.len().to_string());
    spawn_local(async move {
        // Shown once kept: the next pages read it from the store.
        if let Err(err) = store::record(Action::PlacementChecked { asked, known }).await {
            leptos::logging::warn!("could not save the placement check: {err}");
            return;
        }
        dom::mark(&form, "hidden", Some(""));
        for result in dom::all(".placement-result") {
            if let Some(line) = dom::find(&result, "[data-template]") {
                let text = dom::data(&line, "data-template")
                    .replace("{n}", &n)
                    .replace("{total}", &total);
                dom::set_text(&line, &text);
            }
            dom::mark(&result, "hidden", None);
            if let Some(go) = dom::find(&result, "a") {
                dom::focus(&go);
            }
        }
    });
}
