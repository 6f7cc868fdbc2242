//! The pages and forms of the people who work with households: sign-in, the account,
//! invitations, places. Forms are plain HTML posts answered with a redirect (they work
//! without the wasm); what a page shows is loaded here, before Leptos renders it, and
//! handed to it in the request (`app::people`). Every check of who may see or change
//! what goes through `access.rs`.

mod access;
mod areas;
mod coverage;
mod invitations;
mod mentees;
mod session;
mod team;

pub use session::session_cookie;

use crate::db::accounts::{self, Account};
use crate::db::now_ms;
use crate::state::AppState;
use app::domain::cookies::{self, SESSION_COOKIE};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

/// The form posts.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", post(session::sign_in))
        .route("/sign-out", post(session::sign_out))
        .route("/sign-out-everywhere", post(session::sign_out_everywhere))
        .route("/invitations", post(invitations::invite))
        .route("/invitations/reset", post(invitations::reset))
        .route("/invite/{code}", post(invitations::accept))
        .route("/areas/{id}/villages", post(areas::add))
        .route("/areas/{id}/import", post(areas::import))
        .route("/areas/{id}/rename", post(areas::rename))
        .route(app::pages::mentees::CODE_PATH, post(mentees::make_code))
        .route("/mentees/code/{code}/revoke", post(mentees::revoke_code))
        .route("/team/left", post(team::close))
        .route("/team/offer", post(team::offer))
        .route("/coverage/population", post(coverage::set_population))
        .route(app::pages::coverage::CSV_PATH, get(coverage::csv))
        .route(
            app::pages::coverage::IMPORT_PATH,
            post(coverage::import_population),
        )
        .merge(records())
}

/// The forms a volunteer's phone keeps and sends again (public/sw-account.js): the only
/// ones that give the worker a short answer.
fn records() -> Router<AppState> {
    Router::new()
        .route("/mentees/{household}/confirm", post(mentees::confirm))
        .route(app::pages::mentees::VISIT_PATH, post(mentees::visit))
        .route("/sessions", post(team::record))
        .layer(axum::middleware::from_fn(short_answer))
}

/// The header the volunteer's service worker sends with a record it posts
/// (public/sw-account.js): it needs only where the answer leads.
pub const ANSWER_ONLY: &str = "x-hocso-answer-only";
/// Where the answer leads, in a short answer.
pub const ANSWER_TO: &str = "x-hocso-to";

/// A form's redirect, for the service worker, as `204` with the address in `x-hocso-to`:
/// following the redirect would download the page the answer leads to (~300 KB for a
/// volunteer with fifty households) for every record it sends, on a phone with little
/// signal. A browser's own posts get the redirect as before.
async fn short_answer(req: Request, next: Next) -> Response {
    let asked = req.headers().contains_key(ANSWER_ONLY);
    let res = next.run(req).await;
    if !asked || res.status() != StatusCode::SEE_OTHER {
        return res;
    }
    let mut short = StatusCode::NO_CONTENT.into_response();
    if let Some(to) = res.headers().get(header::LOCATION) {
        short.headers_mut().insert(ANSWER_TO, to.clone());
    }
    short
}

/// The signed-in account and the form it sent, or where the reader goes instead: to sign
/// in first (coming back to `next`), or back to `here` with `bad` when the form cannot be
/// read. The first lines of every form handler.
pub async fn signed_in_form<T: serde::de::DeserializeOwned>(
    state: &AppState,
    req: Request,
    next: &str,
    here: &str,
    bad: &str,
) -> Result<(Account, T), Response> {
    let Some(me) = viewer(state, req.headers()).await else {
        return Err(back("/sign-in", &format!("next={next}")));
    };
    match axum::Form::<T>::from_request(req, state).await {
        Ok(axum::Form(form)) => Ok((me, form)),
        Err(_) => Err(back(here, bad)),
    }
}

/// A 303 to `path` with `query` (`e=wrong`, `m=added`): where a form sends the reader.
pub fn back(path: &str, query: &str) -> Response {
    let to = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// A path made safe to put in a query parameter.
fn escape(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The answer to a sign-in: the session cookie, and on to `next`.
pub fn signed_in(next: &str, token: &str, https: bool) -> Response {
    let mut res = back(next, "");
    res.headers_mut()
        .append(header::SET_COOKIE, session_cookie(Some(token), https));
    res
}

/// The session id in the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookies::get(h, SESSION_COOKIE).map(String::from))
}

/// The signed-in account of a request, if any.
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Option<Account> {
    let token = session_token(headers)?;
    accounts::session(&state.db, &token, now_ms())
        .await
        .ok()
        .flatten()
}

/// Refuses a form post from another site (a second guard beside SameSite cookies): a
/// browser names the site a form came from in `Origin` — "null" for another site's,
/// under this site's same-origin referrer policy. A request without `Origin` (no
/// browser) carries no cookie another site could have made it send.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == axum::http::Method::POST {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            if origin.to_str().unwrap_or_default() != state.origin(req.headers()) {
                return (StatusCode::FORBIDDEN, "Forbidden").into_response();
            }
        }
    }
    next.run(req).await
}

/// Loads what the people pages show, or sends the reader where they should be first:
/// runs for every request, and does something only for these pages' addresses.
pub async fn load(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let personal = path == "/account"
        || path == "/invitations"
        || path.starts_with("/areas")
        || path == "/mentees"
        || path == "/team"
        || path == "/coverage"
        || path.starts_with("/invite/");
    if req.method() != axum::http::Method::GET || !(personal || path == "/invite") {
        return next.run(req).await;
    }
    let me = viewer(&state, req.headers()).await;
    if let Some(me) = &me {
        if let Some(v) = view_of(&state, me).await {
            req.extensions_mut().insert(v);
        }
    }
    let step = match path.as_str() {
        "/account" => Loaded::SignedIn,
        "/invitations" => invitations::load_page(&state, me.as_ref(), &mut req).await,
        "/invite" => invitations::load_code(&req),
        p if p.starts_with("/invite/") => invitations::load_accept(&state, &mut req).await,
        "/areas" => areas::load_list(&state, me.as_ref(), &mut req).await,
        "/mentees" => mentees::load_page(&state, me.as_ref(), &mut req).await,
        "/team" => team::load_page(&state, me.as_ref(), &mut req).await,
        "/coverage" => coverage::load_page(&state, me.as_ref(), &mut req).await,
        p => areas::load_one(&state, me.as_ref(), p, &mut req).await,
    };
    let needs_account = path != "/invite" && !path.starts_with("/invite/");
    let clear_issued = matches!(step, Loaded::ClearIssued);
    let mut res = match step {
        Loaded::Redirect(to) => back(&to, ""),
        _ if needs_account && me.is_none() => back("/sign-in", &format!("next={}", escape(&path))),
        _ => next.run(req).await,
    };
    if personal {
        // Personal pages are never kept: not by the HTTP cache, not by the service worker
        // (it keeps only the release's own pages).
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if clear_issued {
        res.headers_mut().append(
            header::SET_COOKIE,
            invitations::issued_cookie(None, state.https),
        );
    }
    res
}

/// What loading did besides adding data to the request.
pub enum Loaded {
    /// The page renders with what was added (or a refusal).
    SignedIn,
    /// Send the reader to this address instead.
    Redirect(String),
    /// Rendered; also remove the one-time notice of a new invitation.
    ClearIssued,
}

/// The account as pages show it, with its area's name.
async fn view_of(state: &AppState, me: &Account) -> Option<app::people::Viewer> {
    let area = crate::db::areas::get(&state.db, &me.area_id).await.ok()??;
    Some(app::people::Viewer {
        name: me.display_name.clone(),
        login: me.login.clone(),
        role: me.role,
        area_name: format!("{} {}", area.kind, area.name),
    })
}
