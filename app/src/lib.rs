//! Học Số: the pages, islands and domain rules shared by the server (which renders every
//! page) and the browser (which wakes up only the interactive islands).

pub mod assets;
pub mod components;
pub mod domain;
pub mod offline;
pub mod pages;
pub mod people;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// Sets the text-size class from the cookie, for pages the service worker kept; `js`
/// tells the CSS that islands will wake, so it can lay the page out as they will leave
/// it and nothing jumps when they do (public/app.js removes it if they cannot).
pub const HEAD_SCRIPT: &str = "document.documentElement.className='js size-'+((document.cookie.match(/hocso_size=(\\w+)/)||[])[1]||'normal')";

/// The HTML document around every page, rendered on the server per request in the
/// reader's language and text size. `public/app.js` wakes the islands: it loads the
/// wasm these links name (so the loader is one cached file, not a script repeated in
/// every page the phone keeps).
pub fn shell() -> impl IntoView {
    let ui = ui::use_ui();
    let assets =
        use_context::<assets::Assets>().unwrap_or_else(|| assets::Assets::unhashed("hocso"));
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
                <link rel="stylesheet" href=assets.css/>
                // Pages kept offline were rendered at one text size: apply the chosen one
                // before the first paint.
                <script inner_html=HEAD_SCRIPT></script>
                <link rel="modulepreload" href=assets.js/>
                <link rel="preload" href=assets.wasm r#as="fetch" type="application/wasm" crossorigin="anonymous"/>
                // Defer scripts run in order: the words are there when app.js starts.
                <script src=ui::words_path(&ui.prefs.lang) defer></script>
                <script src="/app.js" defer></script>
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
                <Route path=path!("/ask") view=pages::ask::AskPage/>
                <Route path=path!("/placement") view=pages::placement::PlacementPage/>
                <Route path=path!("/sign-in") view=pages::sign_in::SignInPage/>
                <Route path=path!("/account") view=pages::account::AccountPage/>
                <Route path=path!("/invite") view=pages::invite::InviteCodePage/>
                <Route path=path!("/invite/:code") view=pages::invite::AcceptPage/>
                <Route path=path!("/invitations") view=pages::invitations::InvitationsPage/>
                <Route path=path!("/areas") view=pages::areas::AreasPage/>
                <Route path=path!("/areas/:id") view=pages::areas::AreaPage/>
                <Route path=path!("/mentees") view=pages::mentees::MenteesPage/>
                <Route path=path!("/team") view=pages::team::TeamPage/>
                <Route path=path!("/coverage") view=pages::coverage::CoveragePage/>
            </Routes>
        </Router>
    }
}

/// Starts the reactive system; `public/app.js` then calls each island's own export.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
