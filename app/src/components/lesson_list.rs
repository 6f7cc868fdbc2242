//! A list of lesson cards, each with its length and marks from the device: done, to try
//! again, and the one to learn next.

use super::lesson_marks::LessonMarks;
use crate::domain::lesson::Lesson;
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn LessonList(lessons: Vec<Lesson>) -> impl IntoView {
    let ui = use_ui();
    let minutes = ui.t("lesson.minutes");
    let (done, retry, next, review, known) = (
        ui.t("lesson.done"),
        ui.t("lesson.retry"),
        ui.t("lesson.suggested"),
        ui.t("lesson.review"),
        ui.t("lesson.known"),
    );
    let cards = lessons
        .into_iter()
        .map(|lesson| {
            let text = lesson.text_in(ui.lang()).clone();
            view! {
                <li class="card lesson-card" data-lesson=lesson.id.clone()>
                    <a href=format!("/lessons/{}", lesson.id)>
                        <strong>{text.title}</strong>
                        <span class="meta">{format!("{} {}", lesson.minutes, minutes)}</span>
                    </a>
                    <span class="badge badge-done">"✓ " {done.clone()}</span>
                    <span class="badge badge-retry">"↻ " {retry.clone()}</span>
                    <span class="badge badge-next">"→ " {next.clone()}</span>
                    <span class="badge badge-review">"⟳ " {review.clone()}</span>
                    <span class="badge badge-known">{known.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <LessonMarks>
            <ul class="cards">{cards}</ul>
        </LessonMarks>
    }
}
