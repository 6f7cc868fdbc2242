//! "Continue where you left off": the next lesson for this device's learner.

use super::dom;
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Island around server-rendered links, one per lesson of the suggested path in its
/// order (marked `data-next`), of which the server shows the first. The browser then
/// shows the one where this learner stopped (or the review due), or the "all done"
/// note; and the placement check's offer only to someone who has not started.
#[island]
pub fn ContinueCard(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        spawn_local(async move {
            let progress = store::progress_in(&store::view().await);
            show_next(&progress);
        });
    });
    children()
}

fn show_next(progress: &crate::domain::progress::Progress) {
    let order: Vec<String> = dom::all("[data-next]")
        .iter()
        .map(|link| dom::data(link, "data-next"))
        .collect();
    let ids: Vec<&str> = order.iter().map(String::as_str).collect();
    let now = store::now_ms();
    let next = progress.next_lesson(&ids, now);
    for link in dom::all("[data-next]") {
        let show = link.get_attribute("data-next").as_deref() == Some(next.unwrap_or("-"));
        dom::mark(&link, "hidden", (!show).then_some(""));
        if let Some(id) = next.filter(|_| show) {
            let due = progress.due(id, now).is_some();
            dom::mark(&link, "data-due", due.then_some(""));
            super::lesson_marks::review_link(&link, id, due);
        }
    }
    for note in dom::all("[data-all-done]") {
        dom::mark(&note, "hidden", next.is_some().then_some(""));
    }
    // Started, or placed by the check: the check is not offered again.
    let started = !progress.done.is_empty() || progress.last.is_some() || progress.placed.is_some();
    for card in dom::all(".continue") {
        dom::mark(&card, "data-started", started.then_some(""));
        dom::mark(&card, "data-ready", Some(""));
    }
}
