//! The lesson's quiz: choose, check, see which answers were right and why. Passing it
//! marks the lesson done on this device.

use super::dom;
use crate::domain::event::Action;
use crate::domain::quiz::{grade, Grade};
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QuizLabels {
    pub check: String,
    /// "{score}/{total}" with the two placeholders.
    pub score: String,
    pub passed: String,
    pub try_again: String,
}

/// Island around the server-rendered questions (radio inputs named `q0`, `q1`, … and,
/// in each `.question`, a right and a wrong verdict with the explanation). Checking sets
/// `data-result` on each question; the CSS shows the matching verdict.
#[island]
pub fn Quiz(
    lesson: String,
    answers: Vec<usize>,
    labels: QuizLabels,
    children: Children,
) -> impl IntoView {
    let result = RwSignal::new(None::<Grade>);
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));

    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen: Vec<Option<usize>> = (0..answers.len())
            .map(|i| dom::checked(&format!("q{i}")).and_then(|v| v.parse().ok()))
            .collect();
        let g = grade(&answers, &chosen);
        for (question, right) in dom::all(".quiz .question").iter().zip(&g.right) {
            dom::mark(
                question,
                "data-result",
                Some(if *right { "right" } else { "wrong" }),
            );
        }
        let (lesson, score, total, passed) = (
            lesson.clone(),
            g.score() as u32,
            g.total() as u32,
            g.passed(),
        );
        spawn_local(async move {
            let mut actions = vec![Action::QuizAttempted {
                lesson: lesson.clone(),
                score,
                total,
            }];
            if passed {
                actions.push(Action::LessonCompleted { lesson });
            }
            for action in actions {
                if let Err(err) = store::record(action).await {
                    leptos::logging::warn!("could not save the quiz: {err}");
                }
            }
        });
        result.set(Some(g));
    };
    // Changing an answer clears that question's verdict until the next check.
    let changed = move |ev: leptos::ev::Event| {
        if let Some(question) =
            dom::input_of(&ev).and_then(|i| i.closest(".question").ok().flatten())
        {
            dom::mark(&question, "data-result", None);
        }
    };
    let summary = move || {
        result.get().map(|g| {
            let tail = if g.passed() {
                &labels.passed
            } else {
                &labels.try_again
            };
            format!(
                "{} {}",
                labels
                    .score
                    .replace("{score}", &g.score().to_string())
                    .replace("{total}", &g.total().to_string()),
                tail
            )
        })
    };
    view! {
        <form class="quiz-form" data-live=move || live.get().then_some("") on:submit=check on:change=changed>
            {children()}
            <button type="submit" class="primary" hidden=move || !live.get()>
                {labels.check.clone()}
            </button>
            <p class="score" role="status">{summary}</p>
        </form>
    }
}
