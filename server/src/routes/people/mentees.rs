//! A volunteer's households: the page (`GET /mentees`) and a new pairing code
//! (`POST /mentees/code`). Only a volunteer has households; what each shows comes from
//! the households that agree to this volunteer now (db/mentoring.rs).

use super::{back, viewer, Loaded};
use crate::db::accounts::Account;
use crate::db::mentoring::{self, MentorError};
use crate::db::{areas, now_ms};
use crate::state::AppState;
use app::domain::role::Role;
use app::people::{CodeShown, Forbidden, MenteeCard, MenteesData, Place};
use axum::extract::{FromRequest, Path, Request, State};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

const HERE: &str = "/mentees";

/// `GET /mentees`.
pub async fn load_page(state: &AppState, me: Option<&Account>, req: &mut Request) -> Loaded {
    let Some(me) = me else {
        return Loaded::SignedIn;
    };
    if me.role != Role::Volunteer {
        req.extensions_mut().insert(Forbidden);
        return Loaded::SignedIn;
    }
    let now = now_ms();
    let (Ok(mentees), Ok(codes), Ok(villages)) = (
        mentoring::mentees(&state.db, &me.account_id).await,
        mentoring::live_codes(&state.db, &me.account_id, now).await,
        areas::children(&state.db, &me.area_id).await,
    ) else {
        return Loaded::SignedIn;
    };
    let origin = state.origin(req.headers());
    req.extensions_mut().insert(MenteesData {
        mentees: mentees
            .into_iter()
            .map(|m| MenteeCard {
                village: m.village_name,
                since_ms: m.since_ms,
                view: m.view,
            })
            .collect(),
        codes: codes
            .into_iter()
            .map(|c| CodeShown {
                // The QR code opens the household's Tôi page with the code filled in,
                // with any camera app: no scanner needed on the household's phone.
                qr_svg: crate::qr::svg(&format!("{origin}/me?pair={}", c.code)),
                code: c.code,
                village: c.village_name,
                expires_ms: c.expires_ms,
            })
            .collect(),
        villages: villages
            .into_iter()
            .map(|v| Place {
                id: v.area_id,
                kind: v.kind,
                name: v.name,
                count: 0,
            })
            .collect(),
    });
    Loaded::SignedIn
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    village: String,
}

/// `POST /mentees/code`: a new pairing code for a village of the volunteer's commune.
pub async fn make_code(State(state): State<AppState>, req: Request) -> Response {
    let Some(me) = viewer(&state, req.headers()).await else {
        return back("/sign-in", "next=/mentees");
    };
    let Ok(Form(form)) = Form::<CodeForm>::from_request(req, &state).await else {
        return back(HERE, "e=bad_village");
    };
    match mentoring::make_code(&state.db, &me, &form.village, now_ms()).await {
        Ok(_) => back(HERE, "m=code_made"),
        Err(MentorError::NotAllowed) => back("/account", "e=not_allowed"),
        Err(MentorError::BadVillage) => back(HERE, "e=bad_village"),
        Err(MentorError::Db(_)) => back(HERE, "e=unavailable"),
    }
}

/// `POST /mentees/code/{code}/revoke`: the volunteer stops one of their own codes.
pub async fn revoke_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let Some(me) = viewer(&state, req.headers()).await else {
        return back("/sign-in", "next=/mentees");
    };
    match mentoring::revoke_code(&state.db, &me.account_id, &code, now_ms()).await {
        Ok(true) => back(HERE, "m=code_revoked"),
        // Another volunteer's code, an unknown one, or one already stopped: nothing changes.
        Ok(false) => back(HERE, "e=not_allowed"),
        Err(_) => back(HERE, "e=unavailable"),
    }
}
