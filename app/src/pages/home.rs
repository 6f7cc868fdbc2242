//! The home page: where to continue, and the learning tracks.

use crate::components::continue_card::{ContinueCard, ContinueLabels};
use crate::components::frame::{Frame, Tab};
use crate::ui::use_ui;
use leptos::prelude::*;

/// The suggested first path through the lessons: the common core first.
pub const FIRST_TRACK: &str = "core";

#[component]
pub fn HomePage() -> impl IntoView {
    let ui = use_ui();
    let lang = ui.lang().to_string();
    let order: Vec<(String, String)> = ui
        .content
        .lessons_in(FIRST_TRACK)
        .map(|l| (l.id.clone(), l.text_in(&lang).title.clone()))
        .collect();
    let labels = ContinueLabels {
        heading: ui.t("home.continue"),
        start: ui.t("home.start"),
        resume: ui.t("home.resume"),
        all_done: ui.t("home.all_done"),
    };
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
                        <span class="track-icon" aria-hidden="true">{track.icon.clone()}</span>
                        <span>
                            <strong>{text.name}</strong>
                            <span class="meta">{text.blurb} " · " {lessons}</span>
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <Frame title=ui.t("home.title") tab=Tab::Learn>
            <p class="lead">{ui.t("home.lead")}</p>
            <ContinueCard lessons=order labels=labels/>
            <h2>{ui.t("home.tracks")}</h2>
            <ul class="cards tracks">{tracks}</ul>
        </Frame>
    }
}
