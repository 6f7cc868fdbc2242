//! A lesson: what it is for, its steps, its quiz and a task to do on one's own phone.

use super::not_found::NotFound;
use crate::components::frame::{Frame, Tab};
use crate::components::quiz::Quiz;
use crate::components::read_aloud::{ReadAloudBar, Said, SayButton};
use crate::components::steps::Steps;
use crate::domain::review::answering_steps;
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
    let total_steps = text.steps.len();
    let step_of = ui.t("lesson.step_of");
    let first_step = step_of
        .replace("{n}", "1")
        .replace("{total}", &total_steps.to_string());
    let answers = lesson
        .answers
        .iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let (back, next, check) = (ui.t("lesson.back"), ui.t("lesson.next"), ui.t("quiz.check"));
    let (score, passed, try_again) = (
        ui.t("quiz.score"),
        ui.t("quiz.passed"),
        ui.t("quiz.try_again"),
    );
    let (steps_lesson, quiz_lesson) = (lesson.id.clone(), lesson.id.clone());
    let steps = text
        .steps
        .iter()
        .map(|s| view! { <li data-say><SayButton/><Said text=s.clone()/></li> })
        .collect_view();
    let (right, wrong, show) = (
        ui.t("quiz.right"),
        ui.t("quiz.wrong"),
        ui.t("quiz.show_answer"),
    );
    // Where a missed review sends the person back (review.rs).
    let answered_in = answering_steps(&lesson, ui.lang());
    let questions = quiz
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let answered_in = answered_in.get(i).copied().unwrap_or(1);
            let options = options(&format!("q{i}"), &item.options);
            let answer = item.options.get(item.answer).cloned().unwrap_or_default();
            view! {
                <fieldset class="question" data-say data-step=answered_in.to_string()>
                    <legend><Said text=format!("{}. {}", i + 1, item.question)/></legend>
                    <SayButton/>
                    {options}
                    // Read with the question once shown (read_aloud.rs reads what is shown).
                    <p class="verdict right">
                        <strong class="sentence">{right.clone()}</strong> " " <Said text=item.explanation.clone()/>
                    </p>
                    <p class="verdict wrong">
                        <strong class="sentence">{wrong.clone()}</strong> " " <Said text=item.explanation.clone()/>
                    </p>
                    <details>
                        <summary>{show.clone()}</summary>
                        <p>{answer} " — " {item.explanation.clone()}</p>
                    </details>
                </fieldset>
            }
        })
        .collect_view();
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
    // Width and height are given so the page does not jump when the picture arrives.
    let illustration = lesson.image.as_ref().map(|file| {
        view! {
            <img class="illus" src=format!("/img/lessons/{file}")
                alt=text.image_alt.clone().unwrap_or_default() width="320" height="180"/>
        }
    });
    view! {
        <Frame title=text.title tab=Tab::Learn>
            {track_link}
            <p class="meta">{meta}</p>
            <ReadAloudBar all="say.all_lesson"/>
            <p class="lead" data-say><SayButton/><Said text=text.summary/></p>
            {illustration}
            <section class="steps" aria-labelledby="steps-h">
                <h2 id="steps-h">{ui.t("lesson.steps")}</h2>
                <Steps>
                    <div class="steps-body" data-lesson-id=steps_lesson>
                        <p class="counter" aria-live="polite" hidden data-template=step_of>{first_step}</p>
                        <ol>{steps}</ol>
                        <div class="step-buttons" hidden>
                            <button type="button" data-go="-1" disabled>{back}</button>
                            <button type="button" class="primary" data-go="1">{next}</button>
                        </div>
                    </div>
                </Steps>
            </section>
            <section class="task" aria-labelledby="task-h">
                <h2 id="task-h">{ui.t("lesson.task")}</h2>
                <p data-say><SayButton/><Said text=text.task/></p>
            </section>
            <section class="quiz" aria-labelledby="quiz-h">
                <h2 id="quiz-h">{ui.t("quiz.heading")}</h2>
                <Quiz>
                    <form class="quiz-form" data-lesson-id=quiz_lesson data-answers=answers>
                        {questions}
                        <button type="submit" class="primary" hidden>{check}</button>
                        <p class="score" role="status" data-template=score
                            data-passed=passed data-try-again=try_again></p>
                    </form>
                </Quiz>
            </section>
        </Frame>
    }
    .into_any()
}

/// A question's options as radio buttons named `name`, their values the options'
/// numbers (the lesson's quiz and the placement check).
pub fn options(name: &str, options: &[String]) -> impl IntoView {
    options
        .iter()
        .enumerate()
        .map(|(o, option)| {
            view! {
                <label class="option">
                    <input type="radio" name=name.to_string() value=o.to_string()/>
                    <span class="sentence">{option.clone()}</span>
                </label>
            }
        })
        .collect_view()
}
