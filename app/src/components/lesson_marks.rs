//! Marks, on any list of lesson cards, the lessons this person has finished, those whose
//! quiz they should try again, and the one to learn next (`Progress::next_lesson`).

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
            let cards = dom::all("[data-lesson]");
            let ids: Vec<String> = cards.iter().map(|c| dom::data(c, "data-lesson")).collect();
            let order: Vec<&str> = ids.iter().map(String::as_str).collect();
            let next = progress.next_lesson(&order);
            for (card, id) in cards.iter().zip(&order) {
                let mark = |name, on: bool| dom::mark(card, name, on.then_some(""));
                mark("data-done", progress.is_done(id));
                mark("data-failed", progress.is_failed(id));
                mark("data-suggested", next == Some(*id));
            }
        });
    });
    children()
}
