//! The home page: where to continue, and the learning tracks.

use super::placement::PLACEMENT_PATH;
use crate::components::continue_card::ContinueCard;
use crate::components::frame::{Frame, Tab};
use crate::components::icon::Icon;
use crate::domain::review::PLACEMENT_LESSONS;
use crate::ui::use_ui;
use leptos::prelude::*;

/// The suggested first path through the lessons: the common core first.
pub const FIRST_TRACK: &str = "core";

#[component]
pub fn HomePage() -> impl IntoView {
    let ui = use_ui();
    let lang = ui.lang().to_string();
    // The suggested path; the server shows its first lesson, the device the right one.
    let path: Vec<_> = ui.content.lessons_in(FIRST_TRACK).collect();
    let (start, resume, review) = (
        ui.t("home.start"),
        ui.t("home.resume"),
        ui.t("lesson.review"),
    );
    let links = path
        .iter()
        .enumerate()
        .map(|(i, lesson)| {
            view! {
                <a
                    class="button primary"
                    href=format!("/lessons/{}", lesson.id)
                    data-next=lesson.id.clone()
                    hidden={ i > 0 }
                >
                    <span>
                        <span class="verb-start">{start.clone()}</span>
                        <span class="verb-resume">{resume.clone()}</span>
                        <span class="verb-review">{review.clone()}</span>
                        ": "
                        {lesson.text_in(&lang).title.clone()}
                    </span>
                </a>
            }
        })
        .collect_view();
    let tracks = ui
        .content
        .tracks
        .iter()
        .map(|track| {
            let text = track.text_in(&lang).clone();
            let count = ui.content.lessons_in(&track.id).count();
            let lessons = ui.t("home.lessons").replace("{n}", &count.to_string());
            view! {
                <li class="card track-card">
                    <a href=format!("/tracks/{}", track.id)>
                        <span class="track-icon">
                            <Icon name=track.icon.clone()/>
                        </span>
                        <span>
                            <strong>{text.name}</strong>
                            <span class="meta">{text.blurb} " · " {lessons}</span>
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let all_done = ui.t("home.all_done");
    let offer = ui
        .t("placement.offer")
        .replace("{n}", &PLACEMENT_LESSONS.to_string());
    view! {
        <Frame title=ui.t("home.title") tab=Tab::Learn>
            <p class="lead">{ui.t("home.lead")}</p>
            <section class="card continue" aria-labelledby="continue-h">
                <h2 id="continue-h">{ui.t("home.continue")}</h2>
                <ContinueCard>
                    {links}
                    <p data-all-done="" hidden>{all_done}</p>
                    <p class="placement-offer">
                        <a href=PLACEMENT_PATH>{offer}</a>
                    </p>
                </ContinueCard>
            </section>
            <h2>{ui.t("home.tracks")}</h2>
            <ul class="cards tracks">{tracks}</ul>
        </Frame>
    }
}
