//! Marks the lessons this device has finished, on any list of lesson cards.

use super::dom;
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Island around server-rendered cards carrying `data-lesson`: the server cannot know
/// what this phone has learned, so the marks appear once the page wakes up.
#[island]
pub fn LessonMarks(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        spawn_local(async {
            let progress = store::progress_in(&store::view().await);
            for card in dom::all("[data-lesson]") {
                let done = card
                    .get_attribute("data-lesson")
                    .is_some_and(|id| progress.is_done(&id));
                dom::mark(&card, "data-done", done.then_some(""));
            }
        });
    });
    children()
}
