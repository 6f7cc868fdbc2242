//! Signing in and out. The session cookie is HttpOnly, SameSite=Lax (so another site's
//! form cannot post with it), Secure over HTTPS, and a new one at every sign-in.

use super::{back, signed_in};
use crate::db::accounts;
use crate::db::limits as counters;
use crate::db::now_ms;
use crate::limits::Door;
use crate::routes::api::auth::client_ip;
use crate::state::AppState;
use app::domain::cookies::SESSION_COOKIE;
use app::domain::locale::same_site_path;
use app::domain::role::normalise_login;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

/// Wrong passwords for one sign-in name, across all servers, in a quarter of an hour.
const FAILED_SIGN_INS: i64 = 10;
const FAILED_WINDOW_MS: i64 = 15 * 60 * 1000;

/// How long the browser keeps the session cookie: as long as browsers allow (400
/// days). Whether the session still works is the server's sliding expiry
/// (`accounts::SESSION_TTL_MS` since it was last used), not the cookie's.
const COOKIE_MAX_AGE_S: i64 = 400 * 24 * 3600;

/// The `Set-Cookie` value for a session, or (with `None`) one that removes it.
pub fn session_cookie(token: Option<&str>, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let value = match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={COOKIE_MAX_AGE_S}{secure}"
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).expect("cookie values are ASCII")
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /sign-in`.
pub async fn sign_in(State(state): State<AppState>, req: Request) -> Response {
    let ip = client_ip(req.headers(), req.extensions(), &state);
    let previous = super::session_token(req.headers());
    let Ok(Form(form)) = Form::<SignInForm>::from_request(req, &state).await else {
        return back("/sign-in", "e=wrong");
    };
    if state.limits.check(Door::SignIn, ip).is_err() {
        return back("/sign-in", "e=too_many");
    }
    // Counted per account name as the account stores it, so every way of writing one
    // phone number ("+84 912…", "0912-…") shares one count. A name that cannot be any
    // account's is not counted (nothing to guess at) but answered the same.
    let counter = normalise_login(&form.login).map(|l| format!("signin:{l}"));
    let now = now_ms();
    if let Some(name) = &counter {
        match counters::current(&state.db, name, FAILED_WINDOW_MS, now).await {
            Ok(n) if n >= FAILED_SIGN_INS => return back("/sign-in", "e=too_many"),
            Ok(_) => {}
            Err(_) => return back("/sign-in", "e=unavailable"),
        }
    }
    match accounts::sign_in(&state.db, &form.login, &form.password, now).await {
        Ok(Some((_, token))) => {
            // The session this browser had (if any) ends: one browser, one session.
            if let Some(old) = previous {
                let _ = accounts::sign_out(&state.db, &old).await;
            }
            let next = same_site_path(&form.next).unwrap_or("/account").to_string();
            signed_in(&next, &token.0, state.https)
        }
        Ok(None) => {
            if let Some(name) = &counter {
                let _ = counters::count_one(&state.db, name, FAILED_WINDOW_MS, now).await;
            }
            back("/sign-in", "e=wrong")
        }
        Err(_) => back("/sign-in", "e=unavailable"),
    }
}

/// `POST /sign-out`: this phone's session ends and its cookie goes.
pub async fn sign_out(State(state): State<AppState>, req: Request) -> Response {
    if let Some(token) = super::session_token(req.headers()) {
        let _ = accounts::sign_out(&state.db, &token).await;
    }
    let mut res = back("/sign-in", "m=signed_out");
    res.headers_mut()
        .append(header::SET_COOKIE, session_cookie(None, state.https));
    res
}

/// `POST /sign-out-everywhere`: every session of the account ends, on every phone.
pub async fn sign_out_everywhere(State(state): State<AppState>, req: Request) -> Response {
    let Some(me) = super::viewer(&state, req.headers()).await else {
        return back("/sign-in", "");
    };
    if accounts::sign_out_everywhere(&state.db, &me.account_id)
        .await
        .is_err()
    {
        return back("/account", "e=unavailable");
    }
    let mut res = back("/sign-in", "m=signed_out_everywhere");
    res.headers_mut()
        .append(header::SET_COOKIE, session_cookie(None, state.https));
    res.into_response()
}

use axum::extract::FromRequest;
