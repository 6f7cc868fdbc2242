//! A learning track: its lessons in order.

use super::not_found::NotFound;
use crate::components::frame::{Frame, Tab};
use crate::components::lesson_list::LessonList;
use crate::ui::use_ui;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TrackPage() -> impl IntoView {
    let ui = use_ui();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let Some(track) = ui.content.track(&id).cloned() else {
        return view! { <NotFound/> }.into_any();
    };
    let text = track.text_in(ui.lang()).clone();
    let lessons = ui.content.lessons_in(&track.id).cloned().collect();
    view! {
        <Frame title=text.name tab=Tab::Learn>
            <p class="lead">{text.blurb}</p>
            <LessonList lessons=lessons/>
        </Frame>
    }
    .into_any()
}
