//! The lesson's quiz: choose, check, see which answers were right and why. Passing it
//! marks the lesson done on this device. Opened for a review (`#review`, from the
//! continue card or a track page) while the lesson is due, it asks the one question
//! the review is for; a miss points back to the step that answers it. The same island
//! runs the placement check's form (placement_check.rs): one island less to ship.

use super::{dom, placement_check};
use crate::domain::event::Action;
use crate::domain::quiz::grade;
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Island around the server-rendered quiz form: `data-lesson-id`, the right options in
/// `data-answers` ("1,2,0"), radio inputs named `q0`, `q1`, … and, in each `.question`,
/// a right and a wrong verdict with the explanation; a hidden submit button; and a
/// `.score` line whose wording is in `data-template` (`{score}`, `{total}`),
/// `data-passed` and `data-try-again`. Checking sets `data-result` on each question;
/// the CSS shows the matching verdict. For a review, each question names the step that
/// answers it in `data-step`; the review's words come from the words script (they are
/// the same on every lesson, so no page carries them).
#[island]
pub fn Quiz(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        placement_check::wake();
        for form in dom::all("form.quiz-form") {
            dom::mark(&form, "data-live", Some(""));
            if window().location().hash().unwrap_or_default() == "#review" {
                // The check button waits for the decision: tapped before it, it would
                // grade the whole quiz instead of the review's one question.
                spawn_local(async move {
                    let progress = store::progress_in(&store::view().await);
                    let lesson = dom::data(&form, "data-lesson-id");
                    if let Some(turn) = progress.due(&lesson, store::now_ms()) {
                        start_review(&form, turn);
                    }
                    show_button(&form);
                });
            } else {
                show_button(&form);
            }
        }
    });
    let check = move |ev: leptos::ev::SubmitEvent| {
        if let Some(form) = dom::closest(&ev, "form.placement-form") {
            ev.prevent_default();
            placement_check::check(form);
            return;
        }
        let Some(form) = dom::closest(&ev, "form.quiz-form") else {
            return;
        };
        ev.prevent_default();
        if let Some(asked) = form.get_attribute("data-review") {
            // Answered once; the other questions stay hidden, so nothing is graded.
            if form.get_attribute("data-reviewed").is_none() {
                answer_review(&form, asked.parse().unwrap_or(0));
            }
            return;
        }
        let answers = right_answers(&form);
        let chosen: Vec<Option<usize>> = (0..answers.len())
            .map(|i| dom::checked(&format!("q{i}")).and_then(|v| v.parse().ok()))
            .collect();
        let g = grade(&answers, &chosen);
        for (question, right) in dom::all(".quiz-form .question").iter().zip(&g.right) {
            dom::mark(
                question,
                "data-result",
                Some(if *right { "right" } else { "wrong" }),
            );
        }
        if let Some(line) = dom::find(&form, ".score") {
            let verdict = if g.passed() {
                "data-passed"
            } else {
                "data-try-again"
            };
            let text = format!(
                "{} {}",
                dom::data(&line, "data-template")
                    .replace("{score}", &g.score().to_string())
                    .replace("{total}", &g.total().to_string()),
                dom::data(&line, verdict)
            );
            dom::set_text(&line, &text);
        }
        let lesson = dom::data(&form, "data-lesson-id");
        let mut actions = vec![Action::QuizAttempted {
            lesson: lesson.clone(),
            score: g.score() as u32,
            total: g.total() as u32,
            chosen: chosen.iter().map(|c| c.map(|o| o as u32)).collect(),
        }];
        if g.passed() {
            actions.push(Action::LessonCompleted { lesson });
        }
        spawn_local(async move {
            for action in actions {
                if let Err(err) = store::record(action).await {
                    leptos::logging::warn!("could not save the quiz: {err}");
                }
            }
        });
    };
    // Changing an answer clears that question's verdict until the next check.
    let changed = move |ev: leptos::ev::Event| {
        if let Some(question) = dom::closest(&ev, ".question") {
            dom::mark(&question, "data-result", None);
        }
    };
    view! { <div on:submit=check on:change=changed>{children()}</div> }
}

/// Shows only question `turn` (modulo their number) and the review's intro in the
/// score line; the quiz comes into view.
fn start_review(form: &web_sys::Element, turn: usize) {
    let questions = dom::all_in(form, ".question");
    if questions.is_empty() {
        return;
    }
    let asked = turn % questions.len();
    dom::mark(form, "data-review", Some(&asked.to_string()));
    for (i, question) in questions.iter().enumerate() {
        dom::mark(question, "hidden", (i != asked).then_some(""));
    }
    if let Some(line) = dom::find(form, ".score") {
        dom::set_text(&line, &word("review.intro"));
    }
    form.scroll_into_view();
}

/// Checks the review's one question (blank is a miss, as in the quiz), records the
/// answer, and on a miss offers the step that answers it.
fn answer_review(form: &web_sys::Element, asked: usize) {
    let Some((question, answer)) = dom::all_in(form, ".question")
        .into_iter()
        .zip(right_answers(form))
        .nth(asked)
    else {
        return;
    };
    let chosen: Option<usize> = dom::checked(&format!("q{asked}")).and_then(|v| v.parse().ok());
    let right = chosen == Some(answer);
    dom::mark(
        &question,
        "data-result",
        Some(if right { "right" } else { "wrong" }),
    );
    dom::mark(form, "data-reviewed", Some(""));
    if let Some(button) = dom::find(form, "button[type='submit']") {
        dom::mark(&button, "hidden", Some(""));
    }
    let step = dom::data(&question, "data-step");
    // Missed: the lesson's pager turns to the step that answers the question.
    if !right {
        if let Some(body) = dom::all(".steps-body").into_iter().next() {
            super::steps::show(&body, step.parse().unwrap_or(1));
        }
    }
    // The button had the focus: it goes to what the answer brought, the link back to
    // the step, else the line that says how it went, else the question and its
    // verdict (the words script missing, the line would be empty).
    let mut focus = question.clone();
    let said = word(if right {
        "review.right"
    } else {
        "review.wrong"
    });
    if let (Some(line), false) = (dom::find(form, ".score"), said.is_empty()) {
        dom::set_text(&line, &said.replace("{n}", &step));
        focus = line.clone();
        // "Read step N again": made here, only a missed review needs it; a plain link
        // to the steps.
        let go = word("review.go_step");
        if let (false, Ok(link)) = (right || go.is_empty(), document().create_element("a")) {
            dom::mark(&link, "class", Some("review-step button"));
            dom::mark(&link, "href", Some("#steps-h"));
            dom::set_text(&link, &go.replace("{n}", &step));
            let _ = line.after_with_node_1(&link);
            focus = link;
        }
    }
    focus_on(&focus);
    let lesson = dom::data(form, "data-lesson-id");
    spawn_local(async move {
        let action = Action::ReviewAnswered {
            lesson,
            question: asked as u32,
            right,
        };
        if let Err(err) = store::record(action).await {
            leptos::logging::warn!("could not save the review: {err}");
        }
    });
}

/// Shows the form's check button (hidden in the page: it needs the island).
fn show_button(form: &web_sys::Element) {
    if let Some(button) = dom::find(form, "button[type='submit']") {
        dom::mark(&button, "hidden", None);
    }
}

/// The right option of each question, from `data-answers` ("1,2,0").
fn right_answers(form: &web_sys::Element) -> Vec<usize> {
    dom::data(form, "data-answers")
        .split(',')
        .filter_map(|a| a.parse().ok())
        .collect()
}

/// Moves the focus to `el`, focusable or not (a link is; a line or a question gets
/// `tabindex="-1"` so a script may focus it).
fn focus_on(el: &web_sys::Element) {
    if el.tag_name() != "A" {
        dom::mark(el, "tabindex", Some("-1"));
    }
    dom::focus(el);
}

/// One of the words script's words (`/words/<lang>.js`, ui::SCRIPT_WORDS): the same on
/// every lesson, so not in each page.
fn word(key: &str) -> String {
    js_sys::Reflect::get(&window(), &"HOCSO_WORDS".into())
        .and_then(|words| js_sys::Reflect::get(&words, &key.into()))
        .ok()
        .and_then(|w| w.as_string())
        .unwrap_or_default()
}
