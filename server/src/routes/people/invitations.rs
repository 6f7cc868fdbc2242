//! Invitations: making them (and password resets), showing a new one's link and code
//! once, and using one to make an account.

use super::{back, signed_in, signed_in_form, Loaded};
use crate::db::accounts::{self, Account, AccountError};
use crate::db::areas::{self, Level};
use crate::db::invitations::{self, Invitation, InviteError};
use crate::db::limits as counters;
use crate::db::now_ms;
use crate::limits::Door;
use crate::routes::api::auth::client_ip;
use crate::state::AppState;
use app::domain::cookies::{self, ISSUED_COOKIE};
use app::domain::role::Role;
use app::people::{AcceptData, Forbidden, InvitationsData, Issued, Made, MadeState, Offer, Place};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// The error code a page shows (content/ui: `people.err.<code>`).
fn code_of(e: &InviteError) -> &'static str {
    match e {
        InviteError::NotAllowed => "not_allowed",
        InviteError::BadArea => "bad_area",
        InviteError::BadLead => "bad_lead",
        InviteError::BadNote => "bad_note",
        InviteError::NotFound => "invitation",
        InviteError::Account(a) => account_code(a),
        InviteError::Db(_) => "unavailable",
    }
}

fn account_code(e: &AccountError) -> &'static str {
    match e {
        AccountError::BadLogin => "bad_login",
        AccountError::BadName => "bad_name",
        AccountError::BadPassword(p) => p,
        AccountError::LoginTaken => "taken",
        _ => "unavailable",
    }
}

/// The one-time notice of a new invitation (its link and code) for the page that shows
/// it next, or (with `None`) its removal. HttpOnly, ten minutes, only for that page.
pub fn issued_cookie(value: Option<&str>, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let v = match value {
        Some(v) => format!("{ISSUED_COOKIE}={v}; Path=/invitations; HttpOnly; SameSite=Strict; Max-Age=600{secure}"),
        None => format!("{ISSUED_COOKIE}=; Path=/invitations; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).expect("cookie values are ASCII")
}

/// Sends the inviter to see the new invitation, once.
fn show_issued(issued: &invitations::Issued, https: bool) -> Response {
    let mut res = back("/invitations", "m=issued");
    let value = format!("{}.{}", issued.token, issued.code);
    res.headers_mut()
        .append(header::SET_COOKIE, issued_cookie(Some(&value), https));
    res
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    note: String,
}

/// `POST /invitations`.
pub async fn invite(State(state): State<AppState>, req: Request) -> Response {
    let (me, form) = match signed_in_form::<InviteForm>(
        &state,
        req,
        "/invitations",
        "/invitations",
        "e=not_allowed",
    )
    .await
    {
        Ok(got) => got,
        Err(answer) => return answer,
    };
    let Some(role) = Role::parse(&form.role) else {
        return back("/invitations", "e=not_allowed");
    };
    // An official always invites to their own commune.
    let area = if me.role == Role::Official || form.area.is_empty() && role != Role::Official {
        me.area_id.clone()
    } else {
        form.area.clone()
    };
    let lead = Some(form.lead.as_str()).filter(|l| !l.is_empty());
    match invitations::invite(&state.db, &me, role, &area, lead, &form.note, now_ms()).await {
        Ok(issued) => show_issued(&issued, state.https),
        Err(e) => back("/invitations", &format!("e={}", code_of(&e))),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    account: String,
}

/// `POST /invitations/reset`: a link for someone this account invited to set a new
/// password.
pub async fn reset(State(state): State<AppState>, req: Request) -> Response {
    let (me, form) = match signed_in_form::<ResetForm>(
        &state,
        req,
        "/invitations",
        "/invitations",
        "e=not_allowed",
    )
    .await
    {
        Ok(got) => got,
        Err(answer) => return answer,
    };
    match invitations::invite_reset(&state.db, &me, &form.account, now_ms()).await {
        Ok(issued) => show_issued(&issued, state.https),
        Err(e) => back("/invitations", &format!("e={}", code_of(&e))),
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// `POST /invite/{code}`: makes the account (or sets the new password) and signs in.
pub async fn accept(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let here = format!("/invite/{}", code_path(&code));
    let ip = client_ip(req.headers(), req.extensions(), &state);
    if state.limits.check(Door::SignIn, ip).is_err() {
        return back(&here, "e=too_many");
    }
    let Ok(Form(form)) = Form::<AcceptForm>::from_request(req, &state).await else {
        return back(&here, "e=invitation");
    };
    if form.password != form.password2 {
        return back(&here, "e=mismatch");
    }
    match invitations::accept(
        &state.db,
        &code,
        &form.login,
        &form.name,
        &form.password,
        now_ms(),
    )
    .await
    {
        Ok(done) => {
            let next = if done.reset {
                "/account?m=password_set"
            } else {
                "/account?m=welcome"
            };
            signed_in(next, &done.session.0, state.https)
        }
        Err(e) => back(&here, &format!("e={}", code_of(&e))),
    }
}

/// A code or token as it may appear in an address (anything else becomes nothing).
fn code_path(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect()
}

/// `GET /invite?code=…`: on to the invitation's own page.
pub fn load_code(req: &Request) -> Loaded {
    let code = req.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|p| p.strip_prefix("code="))
            .map(|c| code_path(&c.replace('+', " ").to_uppercase()))
    });
    match code {
        Some(c) if !c.is_empty() => Loaded::Redirect(format!("/invite/{c}")),
        _ => Loaded::SignedIn,
    }
}

/// Wrong invitation codes looked up, across all servers, per minute.
const FAILED_CODES: i64 = 300;
const FAILED_CODE_WINDOW_MS: i64 = 60_000;
const FAILED_CODES_NAME: &str = "failed_invites";

/// `GET /invite/{code}`: the invitation, if it can still be used. A typed code can be
/// guessed at: its lookups are limited per client and, when wrong, counted for everyone.
pub async fn load_accept(state: &AppState, req: &mut Request) -> Loaded {
    let code = req.uri().path().trim_start_matches("/invite/").to_string();
    let typed = code.len() != 32;
    if typed {
        let ip = client_ip(req.headers(), req.extensions(), state);
        let failed = counters::current(
            &state.db,
            FAILED_CODES_NAME,
            FAILED_CODE_WINDOW_MS,
            now_ms(),
        )
        .await
        .unwrap_or(i64::MAX);
        if state.limits.check(Door::SignIn, ip).is_err() || failed >= FAILED_CODES {
            return Loaded::Redirect("/invite?e=too_many".into());
        }
    }
    let invitation = invitations::find(&state.db, &code, now_ms())
        .await
        .ok()
        .flatten();
    if typed && invitation.is_none() {
        let _ = counters::count_one(
            &state.db,
            FAILED_CODES_NAME,
            FAILED_CODE_WINDOW_MS,
            now_ms(),
        )
        .await;
    }
    let offer = match invitation {
        Some(i) => offer(state, &i).await,
        None => None,
    };
    req.extensions_mut().insert(AcceptData {
        code: code_path(&code),
        offer,
    });
    Loaded::SignedIn
}

async fn offer(state: &AppState, i: &Invitation) -> Option<Offer> {
    let inviter = accounts::get(&state.db, &i.invited_by).await.ok()??;
    let area = areas::get(&state.db, &i.area_id).await.ok()??;
    let reset_login = match &i.for_account {
        Some(id) => Some(accounts::get(&state.db, id).await.ok()??.login),
        None => None,
    };
    Some(Offer {
        inviter: inviter.display_name,
        role: i.role,
        area: format!("{} {}", area.kind, area.name),
        reset_login,
        note: if i.for_account.is_some() {
            String::new()
        } else {
            i.note.clone()
        },
    })
}

/// `GET /invitations`: what this account may invite, and what it invited.
pub async fn load_page(state: &AppState, me: Option<&Account>, req: &mut Request) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| me.role.may_invite(*r))
        .collect();
    if roles.is_empty() {
        req.extensions_mut().insert(Forbidden);
        return Loaded::SignedIn;
    }
    let Ok(mut data) = page_data(state, me, roles).await else {
        return Loaded::SignedIn;
    };
    let headers = req.headers().clone();
    let issued = issued_from(state, me, &headers).await;
    let shown = issued.is_some();
    data.issued = issued;
    req.extensions_mut().insert(data);
    if shown {
        Loaded::ClearIssued
    } else {
        Loaded::SignedIn
    }
}

async fn page_data(
    state: &AppState,
    me: &Account,
    roles: Vec<Role>,
) -> Result<InvitationsData, crate::db::DbError> {
    let db = &state.db;
    let mut communes = Vec::new();
    if me.role == Role::Admin {
        if let Some(province) = areas::the_province(db).await? {
            communes = areas::children(db, &province.area_id)
                .await?
                .into_iter()
                .filter(|a| a.level == Level::Commune)
                .map(|a| Place {
                    id: a.area_id,
                    kind: a.kind,
                    name: a.name,
                    count: 0,
                })
                .collect();
        }
    }
    let people = accounts::in_area(db, &me.area_id).await?;
    let leads = people
        .iter()
        .filter(|a| a.role == Role::Lead && me.role == Role::Official)
        .map(|a| (a.account_id.clone(), a.display_name.clone()))
        .collect();
    let now = now_ms();
    let made = invitations::by_inviter(db, &me.account_id)
        .await?
        .iter()
        .map(|i| Made {
            note: i.note.clone(),
            role: i.role,
            reset: i.for_account.is_some(),
            state: match i.used_ms {
                Some(_) => MadeState::Used,
                None if i.expires_ms <= now => MadeState::Expired,
                None => MadeState::Waiting {
                    until_ms: i.expires_ms,
                },
            },
        })
        .collect();
    let invited = accounts::invited_by(db, &me.account_id)
        .await?
        .into_iter()
        .map(|a| (a.account_id, a.display_name, a.login))
        .collect();
    Ok(InvitationsData {
        roles,
        communes,
        leads,
        made,
        invited,
        issued: None,
    })
}

/// The invitation made a moment ago, from its one-time cookie, if it is one of this
/// account's and still usable.
async fn issued_from(
    state: &AppState,
    me: &Account,
    headers: &axum::http::HeaderMap,
) -> Option<Issued> {
    let value = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookies::get(h, ISSUED_COOKIE).map(String::from))?;
    let (token, code) = value.split_once('.')?;
    let invitation = invitations::find(&state.db, token, now_ms()).await.ok()??;
    if invitation.invited_by != me.account_id || code.len() != 10 {
        return None;
    }
    Some(Issued {
        link: format!("{}/invite/{token}", state.origin(headers)),
        code: format!("{}-{}", &code[..5], &code[5..]),
        note: invitation.note,
        expires_ms: invitation.expires_ms,
    })
}
