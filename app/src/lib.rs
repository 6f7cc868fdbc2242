//! Học Số: the pages, islands and domain rules shared by the server (which renders every
//! page) and the browser (which wakes up only the interactive islands).

pub mod components;
pub mod domain;
pub mod offline;
pub mod pages;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// Sets the text-size class from the cookie, for pages the service worker kept.
const APPLY_TEXT_SIZE: &str = "document.documentElement.className='size-'+((document.cookie.match(/hocso_size=(\\w+)/)||[])[1]||'normal')";

/// The HTML document around every page, rendered on the server per request in the
/// reader's language and text size.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let ui = ui::use_ui();
    let html_class = format!("size-{}", ui.prefs.size.code());
    view! {
        <!DOCTYPE html>
        <html lang=ui.prefs.lang.clone() class=html_class>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b5e44"/>
                <meta name="description" content=ui.t("app.description")/>
                <link rel="icon" href="/icon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // Pages kept offline were rendered at one text size: apply the chosen one
                // before the first paint.
                <script inner_html=APPLY_TEXT_SIZE></script>
                <script src="/app.js" defer></script>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::home::HomePage/>
                <Route path=path!("/tracks/:id") view=pages::track::TrackPage/>
                <Route path=path!("/lessons/:id") view=pages::lesson::LessonPage/>
                <Route path=path!("/family") view=pages::family::FamilyPage/>
                <Route path=path!("/market") view=pages::market::MarketPage/>
                <Route path=path!("/me") view=pages::me::MePage/>
                <Route path=path!("/offline") view=pages::offline::OfflinePage/>
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
    // A mark that the islands are awake: browser tests wait for it instead of guessing.
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "1");
    }
}
