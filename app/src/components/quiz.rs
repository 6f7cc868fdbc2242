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
            if let Some(button) = dom::find(&form, "button[type='submit']") {
                dom::mark(&button, "hidden", None);
            }
            if window().location().hash().unwrap_or_default() == "#review" {
                spawn_local(async move {
                    let progress = store::progress_in(&store::view().await);
                    let lesson = dom::data(&form, "data-lesson-id");
                    if let Some(turn) = progress.due(&lesson, store::now_ms()) {
                        start_review(&form, turn);
                    }
                });
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
        let answers: Vec<usize> = dom::data(&form, "data-answers")
            .split(',')
            .filter_map(|a| a.parse().ok())
            .collect();
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
    let answers: Vec<usize> = dom::data(form, "data-answers")
        .split(',')
        .filter_map(|a| a.parse().ok())
        .collect();
    let Some((question, &answer)) = dom::all_in(form, ".question")
        .into_iter()
        .zip(&answers)
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
    if let Some(line) = dom::find(form, ".score") {
        let text = word(if right {
            "review.right"
        } else {
            "review.wrong"
        });
        dom::set_text(&line, &text.replace("{n}", &step));
        // Missed: the lesson's pager turns to that step, and "read step N again" (made
        // here: only a missed review needs it) is a plain link to the steps.
        if !right {
            if let Some(body) = dom::all(".steps-body").into_iter().next() {
                super::steps::show(&body, step.parse().unwrap_or(1));
            }
            if let Ok(link) = document().create_element("a") {
                dom::mark(&link, "class", Some("review-step button"));
                dom::mark(&link, "href", Some("#steps-h"));
                dom::set_text(&link, &word("review.go_step").replace("{n}", &step));
                let _ = line.after_with_node_1(&link);
            }
        }
    }
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

/// One of the words script's words (`/words/<lang>.js`, ui::SCRIPT_WORDS): the same on
/// every lesson, so not in each page.
fn word(key: &str) -> String {
    js_sys::Reflect::get(&window(), &"HOCSO_WORDS".into())
        .and_then(|words| js_sys::Reflect::get(&words, &key.into()))
        .ok()
        .and_then(|w| w.as_string())
        .unwrap_or_default()
}
