//! The API's one error type. Each refusal has a stable code and an HTTP status, from one
//! table; the person reads it in their language from `content/ui` (`api.<code>`), added
//! to the body by `with_messages`, which has the content. Nothing a refusal answers has
//! changed anything.

use crate::state::AppState;
use app::domain::content::Content;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;

macro_rules! refusals {
    ($($name:ident => $status:ident, $code:literal;)*) => {
        /// Every way the API says no.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Refusal { $($name),* }

        impl Refusal {
            pub const ALL: &'static [Refusal] = &[$(Refusal::$name),*];

            pub fn code(self) -> &'static str {
                match self { $(Refusal::$name => $code),* }
            }

            pub fn status(self) -> StatusCode {
                match self { $(Refusal::$name => StatusCode::$status),* }
            }
        }
    };
}

refusals! {
    Malformed => BAD_REQUEST, "malformed";
    BadDevice => BAD_REQUEST, "bad_device";
    BadSecret => BAD_REQUEST, "bad_secret";
    BadLabel => BAD_REQUEST, "bad_label";
    Unauthorized => UNAUTHORIZED, "unauthorized";
    UnknownDevice => UNAUTHORIZED, "unknown_device";
    DeviceRemoved => UNAUTHORIZED, "device_removed";
    BadCertificate => FORBIDDEN, "bad_certificate";
    NotFound => NOT_FOUND, "not_found";
    UnknownJoinCode => NOT_FOUND, "unknown_join_code";
    MethodNotAllowed => METHOD_NOT_ALLOWED, "method_not_allowed";
    AlreadyRegistered => CONFLICT, "already_registered";
    CannotRemoveSelf => CONFLICT, "cannot_remove_self";
    HouseholdDeleted => GONE, "household_deleted";
    UpdateRequired => GONE, "update_required";
    TooLarge => PAYLOAD_TOO_LARGE, "too_large";
    UnsupportedMediaType => UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type";
    BatchTooLarge => UNPROCESSABLE_ENTITY, "batch_too_large";
    HouseholdFull => UNPROCESSABLE_ENTITY, "household_full";
    ConsentRequired => PRECONDITION_REQUIRED, "consent_required";
    TooManyRequests => TOO_MANY_REQUESTS, "too_many_requests";
    Busy => SERVICE_UNAVAILABLE, "busy";
    Unavailable => SERVICE_UNAVAILABLE, "unavailable";
}

/// A refusal, with how long to wait before trying again where that applies, and the
/// cause for the log (never shown).
#[derive(Debug)]
pub struct ApiError {
    pub refusal: Refusal,
    pub retry_after_s: Option<u64>,
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        ApiError {
            refusal,
            retry_after_s: None,
        }
    }
}

impl ApiError {
    pub fn wait(refusal: Refusal, retry_after_s: u64) -> ApiError {
        ApiError {
            refusal,
            retry_after_s: Some(retry_after_s.max(1)),
        }
    }

    /// The server's own failure: logged with its cause; the phone is told its data is
    /// safe and will be sent again.
    pub fn failed(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "request failed");
        ApiError::wait(Refusal::Unavailable, 5)
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        ApiError::failed(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(err: JsonRejection) -> Self {
        tracing::debug!(%err, "refused request body");
        match err.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Refusal::TooLarge.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Refusal::UnsupportedMediaType.into(),
            _ => Refusal::Malformed.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.refusal.code() });
        if let Some(s) = self.retry_after_s {
            body["retry_after_s"] = s.into();
        }
        let mut res = (self.refusal.status(), Json(body)).into_response();
        if let Some(s) = self.retry_after_s {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res.extensions_mut().insert(self.refusal);
        res
    }
}

/// The interface strings for `key` in every language the content has.
pub fn messages(content: &Content, key: &str) -> BTreeMap<String, String> {
    content
        .locale_codes()
        .into_iter()
        .map(|lang| (lang.to_string(), content.t(lang, key).to_string()))
        .collect()
}

/// Adds the person-readable sentences to every refusal the API sends.
pub async fn with_messages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let Some(refusal) = res.extensions().get::<Refusal>().copied() else {
        return res;
    };
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let mut json: serde_json::Value =
        serde_json::from_slice(&bytes).unwrap_or_else(|_| serde_json::json!({}));
    json["error"] = refusal.code().into();
    json["messages"] =
        serde_json::to_value(messages(&state.content, &format!("api.{}", refusal.code())))
            .unwrap_or_default();
    let body = serde_json::to_vec(&json).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// Interface strings the API needs and the content lacks: a server with such content
/// refuses to start.
pub fn missing_messages(content: &Content) -> Vec<String> {
    let keys = Refusal::ALL
        .iter()
        .map(|r| format!("api.{}", r.code()))
        .chain(
            app::domain::event::Reason::ALL
                .iter()
                .map(|r| format!("event.{}", r.code())),
        );
    let mut out = Vec::new();
    for key in keys {
        for lang in content.locale_codes() {
            if content.ui.get(lang).and_then(|m| m.get(&key)).is_none() {
                out.push(format!("ui/{lang}.toml: `{key}` is missing"));
            }
        }
    }
    out
}

/// Unknown API addresses answer in the API's words, not with the HTML 404 page.
pub async fn unknown_route() -> ApiError {
    Refusal::NotFound.into()
}
