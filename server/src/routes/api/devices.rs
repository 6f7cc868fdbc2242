//! Phones: register (idempotent: a retry is the same registration), join a household
//! with its family code, and the household's list of its phones, from which one can be
//! removed.

use super::auth::{ClientIp, Device};
use super::error::{ApiError, Refusal};
use crate::db::devices::{self, is_secret, NewDevice, RegisterError, Registration};
use crate::db::{limits as counters, now_ms};
use crate::limits::Door;
use crate::state::AppState;
use app::domain::event::is_uuid;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

/// The longest name a phone can be given ("Điện thoại của bà Lan").
pub const MAX_LABEL_CHARS: usize = 40;
/// Wrong family codes are counted in the database in windows of this length.
const FAILED_JOIN_WINDOW_MS: i64 = 60_000;
const FAILED_JOINS: &str = "failed_joins";

#[derive(Deserialize)]
pub struct RegisterRequest {
    device_id: String,
    /// Made by the phone (32 random bytes, hex) and kept before it first asks.
    secret: String,
    #[serde(default)]
    label: String,
    /// The version of the consent text the person accepted.
    #[serde(default)]
    consent: String,
    #[serde(default)]
    join_code: Option<String>,
    #[serde(default)]
    recover: Option<Recover>,
}

#[derive(Deserialize)]
pub struct Recover {
    household_id: String,
    cert: String,
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> Self {
        match e {
            RegisterError::AlreadyRegistered => Refusal::AlreadyRegistered.into(),
            RegisterError::UnknownJoinCode => Refusal::UnknownJoinCode.into(),
            RegisterError::Removed => Refusal::DeviceRemoved.into(),
            RegisterError::HouseholdDeleted => Refusal::HouseholdDeleted.into(),
            RegisterError::BadCertificate => Refusal::BadCertificate.into(),
            RegisterError::HouseholdFull => Refusal::HouseholdFull.into(),
            RegisterError::Db(e) => ApiError::failed(e),
        }
    }
}

fn check_label(label: &str) -> Result<(), ApiError> {
    if label.chars().count() > MAX_LABEL_CHARS || !app::domain::profile::is_plain_text(label) {
        return Err(Refusal::BadLabel.into());
    }
    Ok(())
}

/// `POST /api/v2/devices`: 201 when registered now, 200 with the same answer when this
/// id and secret were registered before.
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Result<Json<RegisterRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Registration>), ApiError> {
    let Json(req) = body?;
    if !is_uuid(&req.device_id) {
        return Err(Refusal::BadDevice.into());
    }
    if !is_secret(&req.secret) {
        return Err(Refusal::BadSecret.into());
    }
    check_label(&req.label)?;
    if req.consent != state.consent_version() {
        return Err(Refusal::ConsentRequired.into());
    }
    if let Some(r) = &req.recover {
        if !is_uuid(&r.household_id) || r.cert.len() != 64 {
            return Err(Refusal::Malformed.into());
        }
    }
    state
        .limits
        .check(Door::Register, ip)
        .map_err(|wait| ApiError::wait(Refusal::TooManyRequests, wait.as_secs()))?;
    let code = req.join_code.as_deref().filter(|c| !c.trim().is_empty());
    if code.is_some() {
        guard_join(&state, ip).await?;
    }
    let new = NewDevice {
        device_id: &req.device_id,
        secret: &req.secret,
        label: req.label.trim(),
        consent: &req.consent,
        join_code: code,
        recover: req
            .recover
            .as_ref()
            .map(|r| (r.household_id.as_str(), r.cert.as_str())),
    };
    match devices::register(&state.db, &new, now_ms()).await {
        Ok((reg, made)) => Ok((
            if made {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            Json(reg),
        )),
        Err(RegisterError::UnknownJoinCode) => Err(wrong_code(&state).await),
        Err(e) => Err(e.into()),
    }
}

/// Whether this client, and everyone together, may try a family code now.
async fn guard_join(state: &AppState, ip: std::net::IpAddr) -> Result<(), ApiError> {
    state
        .limits
        .check(Door::Join, ip)
        .map_err(|wait| ApiError::wait(Refusal::TooManyRequests, wait.as_secs()))?;
    let now = now_ms();
    let failed = counters::current(&state.db, FAILED_JOINS, FAILED_JOIN_WINDOW_MS, now).await?;
    if failed >= state.limits.policy.failed_joins_overall {
        let left = FAILED_JOIN_WINDOW_MS - now.rem_euclid(FAILED_JOIN_WINDOW_MS);
        return Err(ApiError::wait(
            Refusal::TooManyRequests,
            (left / 1000) as u64 + 1,
        ));
    }
    Ok(())
}

/// A wrong family code: counted against everyone's limit, and refused.
async fn wrong_code(state: &AppState) -> ApiError {
    if let Err(e) =
        counters::count_one(&state.db, FAILED_JOINS, FAILED_JOIN_WINDOW_MS, now_ms()).await
    {
        return ApiError::failed(e);
    }
    Refusal::UnknownJoinCode.into()
}

#[derive(Deserialize)]
pub struct JoinRequest {
    join_code: String,
}

/// `POST /api/v2/devices/join`: this phone, and what it has sent, joins the household
/// of the code.
pub async fn join(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    device: Device,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Result<Json<Registration>, ApiError> {
    let Json(req) = body?;
    guard_join(&state, ip).await?;
    match devices::join(&state.db, &device.device_id, &req.join_code, now_ms()).await {
        Ok(reg) => Ok(Json(reg)),
        Err(RegisterError::UnknownJoinCode) => Err(wrong_code(&state).await),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Serialize)]
pub struct DeviceList {
    /// Which of them is the phone asking.
    this_device: String,
    devices: Vec<devices::DeviceInfo>,
}

/// `GET /api/v2/household/devices`.
pub async fn list(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<DeviceList>, ApiError> {
    Ok(Json(DeviceList {
        devices: devices::list(&state.db, &device.household_id).await?,
        this_device: device.device_id,
    }))
}

/// `DELETE /api/v2/household/devices/{id}`: the removed phone's credential stops
/// working at once. Only a phone of the same household can remove one; any other id
/// is "not found", so nobody learns which ids exist elsewhere.
pub async fn remove(
    State(state): State<AppState>,
    device: Device,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    // An id that is not even text (bad percent-encoding) is no device of this household.
    let Ok(Path(id)) = id else {
        return Err(Refusal::NotFound.into());
    };
    if id == device.device_id {
        return Err(Refusal::CannotRemoveSelf.into());
    }
    if !is_uuid(&id) {
        return Err(Refusal::NotFound.into());
    }
    if devices::remove(&state.db, &device.household_id, &id, now_ms()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Refusal::NotFound.into())
    }
}
