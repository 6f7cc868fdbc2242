//! The sync API, version 1 (documented in docs/SYNC.md):
//! `POST /api/v1/devices` registers a device; `POST /api/v1/sync` pushes a batch of
//! events and pulls what the household's other devices sent.

use crate::db::devices::{self, RegisterError};
use crate::db::events::{self, Outcome};
use crate::state::AppState;
use app::domain::event::{is_uuid, Event};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// At most this many events in one push.
pub const MAX_BATCH: usize = 500;
/// At most this many events returned by one pull.
pub const MAX_PULL: i64 = 500;
/// A request body larger than this is refused before it is read (a full batch of 500
/// events is about 150 KB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Deserialize)]
pub struct RegisterRequest {
    device_id: String,
    #[serde(default)]
    join_code: Option<String>,
}

#[derive(Deserialize)]
pub struct SyncRequest {
    #[serde(default)]
    events: Vec<Event>,
    /// The last `cursor` this device received; 0 the first time.
    #[serde(default)]
    cursor: i64,
}

#[derive(Serialize, Deserialize)]
pub struct SyncResponse {
    pub results: Vec<Outcome>,
    pub events: Vec<Event>,
    pub cursor: i64,
    /// True when more events wait beyond this pull.
    pub more: bool,
}

/// A refusal the device can show: a stable code and a sentence in each language.
fn refuse(status: StatusCode, code: &str, vi: &str, en: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": code, "message_vi": vi, "message_en": en })),
    )
        .into_response()
}

fn bad_json(err: JsonRejection) -> Response {
    tracing::debug!(%err, "refused sync request body");
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    refuse(
        StatusCode::BAD_REQUEST,
        "malformed",
        "Dữ liệu gửi lên không đúng định dạng.",
        "The request body is not valid sync JSON.",
    )
}

pub fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "Gói dữ liệu quá lớn; hãy gửi ít sự kiện hơn mỗi lần.",
        "The request is too large; send fewer events at a time.",
    )
}

fn server_failed(err: impl std::fmt::Display) -> Response {
    tracing::error!(%err, "sync failed");
    refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "Máy chủ đang bận; dữ liệu vẫn an toàn trên điện thoại và sẽ được gửi lại.",
        "The server is busy; your data is safe on the phone and will be sent again.",
    )
}

pub async fn register(
    State(state): State<AppState>,
    body: Result<Json<RegisterRequest>, JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return bad_json(e),
    };
    if !is_uuid(&req.device_id) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "bad_device",
            "Mã thiết bị không hợp lệ.",
            "The device id is not a UUID.",
        );
    }
    match devices::register(
        &state.db,
        &req.device_id,
        req.join_code.as_deref(),
        now_ms(),
    )
    .await
    {
        Ok(reg) => (StatusCode::CREATED, Json(reg)).into_response(),
        Err(RegisterError::AlreadyRegistered) => refuse(
            StatusCode::CONFLICT,
            "already_registered",
            "Thiết bị này đã đăng ký.",
            "This device is already registered.",
        ),
        Err(RegisterError::UnknownJoinCode) => unknown_code(),
        Err(RegisterError::Db(e)) => server_failed(e),
    }
}

#[derive(Deserialize)]
pub struct JoinRequest {
    join_code: String,
}

/// `POST /api/v1/devices/join`: this (authenticated) device joins another household.
pub async fn join(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<JoinRequest>, JsonRejection>,
) -> Response {
    let device_id = match authenticated(&state, &headers).await {
        Ok((device, _)) => device,
        Err(refusal) => return refusal,
    };
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return bad_json(e),
    };
    match devices::join(&state.db, &device_id, &req.join_code).await {
        Ok((household_id, join_code)) => {
            Json(serde_json::json!({ "household_id": household_id, "join_code": join_code }))
                .into_response()
        }
        Err(RegisterError::UnknownJoinCode) => unknown_code(),
        Err(e) => server_failed(e),
    }
}

/// The device id and household of a request's bearer credentials, or the refusal.
async fn authenticated(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(String, String), Response> {
    let Some((device_id, secret)) = bearer(headers) else {
        return Err(unauthorized());
    };
    match devices::authenticate(&state.db, device_id, secret).await {
        Ok(Some(household)) => Ok((device_id.to_string(), household)),
        Ok(None) => Err(unauthorized()),
        Err(e) => Err(server_failed(e)),
    }
}

fn unknown_code() -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        "unknown_join_code",
        "Không có hộ gia đình nào có mã này. Hãy kiểm tra lại mã.",
        "No household has this code. Please check it.",
    )
}

pub async fn sync(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<SyncRequest>, JsonRejection>,
) -> Response {
    let (device_id, household) = match authenticated(&state, &headers).await {
        Ok(who) => who,
        Err(refusal) => return refusal,
    };
    let device_id = device_id.as_str();
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return bad_json(e),
    };
    if req.events.len() > MAX_BATCH {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "batch_too_large",
            "Mỗi lần chỉ gửi tối đa 500 sự kiện.",
            "At most 500 events per batch.",
        );
    }
    let results = match events::push(&state.db, &household, device_id, &req.events, now_ms()).await
    {
        Ok(r) => r,
        Err(e) => return server_failed(e),
    };
    match events::pull(
        &state.db,
        &household,
        device_id,
        req.cursor.max(0),
        MAX_PULL,
    )
    .await
    {
        Ok(pulled) => Json(SyncResponse {
            results,
            events: pulled.events,
            cursor: pulled.cursor,
            more: pulled.more,
        })
        .into_response(),
        Err(e) => server_failed(e),
    }
}

/// `Authorization: Bearer <device id>.<secret>`.
fn bearer(headers: &HeaderMap) -> Option<(&str, &str)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ")?.split_once('.')
}

fn unauthorized() -> Response {
    refuse(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Thiết bị chưa được nhận ra; ứng dụng sẽ đăng ký lại.",
        "This device is not recognised; the app will register it again.",
    )
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
