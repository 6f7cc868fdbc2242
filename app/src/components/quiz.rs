//! The lesson's quiz: choose, check, see which answers were right and why. Passing it
//! marks the lesson done on this device.

use super::dom;
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
/// the CSS shows the matching verdict.
#[island]
pub fn Quiz(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        for form in dom::all("form.quiz-form") {
            dom::mark(&form, "data-live", Some(""));
            if let Some(button) = dom::find(&form, "button[type='submit']") {
                dom::mark(&button, "hidden", None);
            }
        }
    });
    let check = move |ev: leptos::ev::SubmitEvent| {
        let Some(form) = dom::closest(&ev, "form.quiz-form") else {
            return;
        };
        ev.prevent_default();
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
