//! Marks, on any list of lesson cards, the lessons this person has finished, those whose
//! quiz they should try again, those due for review (their link opens the review), those
//! known from the placement check, and the one to learn next (`Progress::next_lesson`).

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
            let now = store::now_ms();
            let next = progress.next_lesson(&order, now);
            for (card, id) in cards.iter().zip(&order) {
                let mark = |name, on: bool| dom::mark(card, name, on.then_some(""));
                mark("data-done", progress.is_done(id));
                mark("data-failed", progress.is_failed(id));
                mark("data-known", progress.is_known(id) && !progress.is_done(id));
                let due = progress.due(id, now).is_some();
                mark("data-due", due);
                mark("data-suggested", next == Some(*id));
                if let Some(link) = dom::find(card, "a") {
                    review_link(&link, id, due);
                }
            }
        });
    });
    children()
}

/// Points a lesson's link at its review while it is due, at the lesson otherwise.
pub fn review_link(link: &web_sys::Element, lesson: &str, due: bool) {
    let href = format!("/lessons/{lesson}{}", if due { "#review" } else { "" });
    dom::mark(link, "href", Some(&href));
}
