//! A list of lesson cards, each with its length and a "done" mark from the device.

use super::lesson_marks::LessonMarks;
use crate::domain::lesson::Lesson;
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn LessonList(lessons: Vec<Lesson>) -> impl IntoView {
    let ui = use_ui();
    let minutes = ui.t("lesson.minutes");
    let done = ui.t("lesson.done");
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
                    <span class="badge">"✓ " {done.clone()}</span>
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
