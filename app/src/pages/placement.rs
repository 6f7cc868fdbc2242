//! The placement check (issue 12): about ten questions over the common core, one per
//! lesson, so a person who already knows some of it starts where their knowledge ends.
//! Skippable: a link goes straight to the first lesson.

use super::home::FIRST_TRACK;
use super::lesson::options;
use crate::components::frame::{Frame, Tab};
use crate::components::quiz::Quiz;
use crate::components::read_aloud::{ReadAloudBar, Said, SayButton};
use crate::domain::review::PLACEMENT_LESSONS;
use crate::ui::use_ui;
use leptos::prelude::*;

/// Where the check is (the home page offers it to someone who has not started).
pub const PLACEMENT_PATH: &str = "/placement";

#[component]
pub fn PlacementPage() -> impl IntoView {
    let ui = use_ui();
    let lang = ui.lang().to_string();
    // The first question of each of the core's first lessons.
    let asked: Vec<_> = ui
        .content
        .lessons_in(FIRST_TRACK)
        .filter_map(|l| {
            l.quiz_in(&lang)
                .into_iter()
                .next()
                .map(|q| (l.id.clone(), q))
        })
        .take(PLACEMENT_LESSONS)
        .collect();
    let total = asked.len().to_string();
    let first = ui
        .content
        .lessons_in(FIRST_TRACK)
        .next()
        .map(|l| format!("/lessons/{}", l.id))
        .unwrap_or_else(|| "/".to_string());
    let questions = asked
        .into_iter()
        .enumerate()
        .map(|(i, (lesson, item))| {
            let options = options(&format!("p{i}"), &item.options);
            view! {
                <fieldset class="question" data-say data-lesson=lesson data-answer=item.answer.to_string()>
                    <legend><Said text=format!("{}. {}", i + 1, item.question)/></legend>
                    <SayButton/>
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <Frame title=ui.t("placement.title") tab=Tab::Learn>
            <p class="lead">{ui.t("placement.lead").replace("{n}", &total)}</p>
            <ReadAloudBar all="say.all_list"/>
            // The Quiz island runs this form too (components/placement_check.rs).
            <Quiz>
                <form class="placement-form">
                    {questions}
                    <div class="actions">
                        <button type="submit" class="primary" hidden>{ui.t("placement.check")}</button>
                        <a class="button" href=first>{ui.t("placement.skip")}</a>
                    </div>
                </form>
                <div class="placement-result" hidden>
                    <p role="status" data-template=ui.t("placement.result")></p>
                    <a class="button primary" href=format!("/tracks/{FIRST_TRACK}")>{ui.t("placement.go")}</a>
                </div>
            </Quiz>
        </Frame>
    }
}
