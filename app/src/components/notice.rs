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

/// The notes a signed-in page shows when it came from the phone with no signal
/// (`public/account.js` shows the one `?offline=<code>` names, and how many of the
/// volunteer's records wait to be sent; `public/sw-account.js` keeps them).
#[component]
pub fn OfflineNotes() -> impl IntoView {
    let ui = use_ui();
    view! {
        <div id="offline-notes" hidden>
            <p class="notice" role="status" data-note="queued" hidden>{ui.t("people.offline.queued")}</p>
            <p class="notice" role="status" data-note="paired_later" hidden>{ui.t("people.offline.paired_later")}</p>
            <p class="error notice" role="alert" data-note="sign_out" hidden>{ui.t("people.offline.sign_out")}</p>
            <p class="notice" role="status" data-records=ui.t("people.offline.waiting") hidden></p>
        </div>
        <script src="/account.js" defer></script>
    }
}
