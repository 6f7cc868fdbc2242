//! The frame around every page: title bar, the page itself, and the bottom navigation
//! a thumb can reach (Học, Gia đình, Chợ số, Tôi).

use super::icon::Icon;
use crate::ui::use_ui;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Learn,
    Family,
    Market,
    Me,
    None,
}

#[component]
pub fn Frame(
    /// The page's heading and document title.
    title: String,
    /// Which bottom tab this page belongs to.
    tab: Tab,
    children: Children,
) -> impl IntoView {
    let ui = use_ui();
    let doc_title = format!("{} · Học Số", title);
    let tabs = [
        (Tab::Learn, "/", "nav.learn", "book"),
        (Tab::Family, "/family", "nav.family", "home"),
        (Tab::Market, "/market", "nav.market", "cart"),
        (Tab::Me, "/me", "nav.me", "user"),
    ];
    // Where the language switch sends the reader back: this page, if its address is one
    // of this site's (a 404 for `//evil.example` must not send them there).
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let here = crate::domain::locale::same_site_path(&here)
        .unwrap_or("/")
        .to_string();
    // One button per other language: a plain form, so switching works before the
    // WebAssembly arrives.
    let switch = ui
        .content
        .locales
        .iter()
        .filter(|l| l.code != ui.prefs.lang)
        .map(|l| {
            view! {
                <button type="submit" name="lang" value=l.code.clone() lang=l.code.clone()>
                    {l.name.clone()}
                </button>
            }
        })
        .collect_view();
    // A question from any page: a plain form to the Hỏi page (pages/ask.rs), which has
    // its own box.
    let ask_bar = (here != crate::pages::ask::ASK_PATH).then(|| {
        view! {
            <form class="ask-bar" role="search" method="get" action=crate::pages::ask::ASK_PATH>
                <label for="ask-bar-q" class="visually-hidden">{ui.t("ask.bar")}</label>
                <input id="ask-bar-q" type="search" name="q" maxlength="200"
                    placeholder=ui.t("ask.placeholder") autocomplete="off"/>
                <button type="submit">{ui.t("ask.button")}</button>
            </form>
        }
    });
    view! {
        <Title text=doc_title/>
        <a class="skip" href="#main">{ui.t("nav.skip")}</a>
        <header class="bar">
            <a class="brand" href="/">"Học Số"</a>
            <form class="lang-switch" method="post" action=crate::pages::me::PREFS_PATH data-prefs="">
                <input type="hidden" name="back" value=here/>
                {switch}
            </form>
        </header>
        {ask_bar}
        // The offers' and the sync line's words come from the language's words script
        // (ui::SCRIPT_WORDS); app.js puts each in the element naming it in data-word.
        <div id="install-banner" class="banner" hidden>
            <p data-word="install.offer"></p>
            <div class="banner-buttons">
                <button type="button" data-install="later" data-word="install.later"></button>
                <button type="button" class="primary" data-install="now" data-word="install.button"></button>
            </div>
        </div>
        <div id="update-banner" class="banner" role="status" hidden>
            <p data-word="update.available"></p>
            <button type="button" class="primary" data-word="update.now"></button>
        </div>
        <main id="main">
            <p id="sync-status" class="sync-status" role="status" hidden></p>
            <h1>{title}</h1>
            {children()}
        </main>
        <nav class="tabs" aria-label=ui.t("nav.label")>
            {tabs
                .into_iter()
                .map(|(t, href, key, icon)| {
                    let current = (t == tab).then_some("page");
                    view! {
                        <a href=href aria-current=current>
                            <Icon name=icon.to_string()/>
                            <span>{ui.t(key)}</span>
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
