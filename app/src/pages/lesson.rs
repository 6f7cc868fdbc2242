//! A lesson: what it is for, its steps, its quiz and a task to do on one's own phone.

use super::not_found::NotFound;
use crate::components::frame::{Frame, Tab};
use crate::components::quiz::{Quiz, QuizLabels};
use crate::components::steps::{StepLabels, Steps};
use crate::ui::use_ui;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LessonPage() -> impl IntoView {
    let ui = use_ui();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let Some(lesson) = ui.content.lesson(&id).cloned() else {
        return view! { <NotFound/> }.into_any();
    };
    let text = lesson.text_in(ui.lang()).clone();
    let quiz = lesson.quiz_in(ui.lang());
    let meta = format!(
        "{} {} · {} {}",
        lesson.minutes,
        ui.t("lesson.minutes"),
        ui.t("lesson.competence"),
        lesson.competence
    );
    let step_labels = StepLabels {
        heading: ui.t("lesson.steps"),
        step_of: ui.t("lesson.step_of"),
        next: ui.t("lesson.next"),
        back: ui.t("lesson.back"),
    };
    let quiz_labels = QuizLabels {
        heading: ui.t("quiz.heading"),
        check: ui.t("quiz.check"),
        right: ui.t("quiz.right"),
        wrong: ui.t("quiz.wrong"),
        score: ui.t("quiz.score"),
        passed: ui.t("quiz.passed"),
        try_again: ui.t("quiz.try_again"),
        show_answer: ui.t("quiz.show_answer"),
    };
    let track_link = lesson
        .tracks
        .first()
        .and_then(|t| ui.content.track(t))
        .map(|t| {
            view! {
                <a class="back" href=format!("/tracks/{}", t.id)>
                    "← " {t.text_in(ui.lang()).name.clone()}
                </a>
            }
        });
    view! {
        <Frame title=text.title tab=Tab::Learn>
            {track_link}
            <p class="meta">{meta}</p>
            <p class="lead">{text.summary}</p>
            <Steps lesson=lesson.id.clone() steps=text.steps labels=step_labels/>
            <section class="task" aria-labelledby="task-h">
                <h2 id="task-h">{ui.t("lesson.task")}</h2>
                <p>{text.task}</p>
            </section>
            <Quiz lesson=lesson.id.clone() items=quiz labels=quiz_labels/>
        </Frame>
    }
    .into_any()
}
