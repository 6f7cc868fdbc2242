//! The one line a form sends the reader back to: `?m=<code>` for what was done,
//! `?e=<code>` for why it was not, each in the reader's language (content/ui:
//! `people.msg.<code>`, `people.err.<code>`). An unknown code shows nothing.

use crate::people::query;
use crate::ui::use_ui;
use leptos::prelude::*;

#[component]
pub fn Notice() -> impl IntoView {
    let ui = use_ui();
    let text = |prefix: &str, code: Option<String>| {
        let key = format!("{prefix}.{}", code?);
        ui.content
            .ui
            .get(ui.lang())
            .and_then(|m| m.get(&key))
            .cloned()
    };
    let done = text("people.msg", query("m"));
    let failed = text("people.err", query("e"));
    view! {
        {done.map(|t| view! { <p class="notice" role="status">{t}</p> })}
        {failed.map(|t| view! { <p class="error notice" role="alert">{t}</p> })}
    }
}
