//! "Continue where you left off": the next lesson for this device's learner.

use super::dom;
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Island around server-rendered links, one per lesson of the suggested path in its
/// order (marked `data-next`), of which the server shows the first. The browser then
/// shows the one where this learner stopped, or the "all done" note.
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
    let next = progress.next_lesson(&ids);
    for link in dom::all("[data-next]") {
        let show = link.get_attribute("data-next").as_deref() == Some(next.unwrap_or("-"));
        dom::mark(&link, "hidden", (!show).then_some(""));
    }
    for note in dom::all("[data-all-done]") {
        dom::mark(&note, "hidden", next.is_some().then_some(""));
    }
    let started = !progress.done.is_empty() || progress.last.is_some();
    for card in dom::all(".continue") {
        dom::mark(&card, "data-started", started.then_some(""));
    }
}
