//! The lesson's quiz: choose, check, see which answers were right and why. Passing it
//! marks the lesson done on this device.

use crate::domain::lesson::QuizItem;
use crate::domain::quiz::{grade, Grade};
use crate::offline::store;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QuizLabels {
    pub heading: String,
    pub check: String,
    pub right: String,
    pub wrong: String,
    /// "{score}/{total}" with the two placeholders.
    pub score: String,
    pub passed: String,
    pub try_again: String,
    /// Shown without JavaScript: reveals the answer.
    pub show_answer: String,
}

#[island]
pub fn Quiz(lesson: String, items: Vec<QuizItem>, labels: QuizLabels) -> impl IntoView {
    let count = items.len();
    let chosen = RwSignal::new(vec![None::<usize>; count]);
    let result = RwSignal::new(None::<Grade>);
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let quiz = StoredValue::new(items.clone());

    let check = move |_| {
        let g = quiz.with_value(|q| grade(q, &chosen.get_untracked()));
        if g.passed() {
            let mut progress = store::progress();
            progress.complete(&lesson, store::now_ms());
            store::save_progress(&progress);
        }
        result.set(Some(g));
    };

    let questions = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let name = format!("q{i}");
            let right_text = item.options.get(item.answer).cloned().unwrap_or_default();
            let explanation = item.explanation.clone();
            let (right, wrong, show) = (
                labels.right.clone(),
                labels.wrong.clone(),
                labels.show_answer.clone(),
            );
            let verdict = move || {
                result.get().map(|g| {
                    let ok = g.right.get(i).copied().unwrap_or(false);
                    let (class, word) = if ok {
                        ("verdict right", right.clone())
                    } else {
                        ("verdict wrong", wrong.clone())
                    };
                    view! {
                        <p class=class>
                            <strong>{word}</strong>
                            " "
                            {explanation.clone()}
                        </p>
                    }
                })
            };
            let reveal = {
                let explanation = item.explanation.clone();
                move || {
                    (!live.get()).then(|| {
                        view! {
                            <details>
                                <summary>{show.clone()}</summary>
                                <p>{right_text.clone()} " — " {explanation.clone()}</p>
                            </details>
                        }
                    })
                }
            };
            view! {
                <fieldset class="question">
                    <legend>{format!("{}. {}", i + 1, item.question)}</legend>
                    {item
                        .options
                        .into_iter()
                        .enumerate()
                        .map(|(o, option)| {
                            let name = name.clone();
                            view! {
                                <label class="option">
                                    <input
                                        type="radio"
                                        name=name
                                        value=o.to_string()
                                        on:change=move |_| {
                                            chosen.update(|c| c[i] = Some(o));
                                            result.set(None);
                                        }
                                    />
                                    <span>{option}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                    {verdict}
                    {reveal}
                </fieldset>
            }
        })
        .collect_view();

    let summary = move || {
        result.get().map(|g| {
            let score = labels
                .score
                .replace("{score}", &g.score().to_string())
                .replace("{total}", &g.total().to_string());
            let tail = if g.passed() {
                labels.passed.clone()
            } else {
                labels.try_again.clone()
            };
            view! { <p class="score" role="status">{score} " " {tail}</p> }
        })
    };

    view! {
        <section class="quiz" aria-labelledby="quiz-h">
            <h2 id="quiz-h">{labels.heading.clone()}</h2>
            <form on:submit=move |ev| ev.prevent_default()>
                {questions}
                <button type="submit" class="primary" hidden=move || !live.get() on:click=check>
                    {labels.check.clone()}
                </button>
            </form>
            {summary}
        </section>
    }
}
