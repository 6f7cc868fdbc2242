//! Who is asking: the one place the API checks credentials and finds the client's
//! address. Every handler that reads or writes a household takes a `Device`, so it
//! can only ever reach the household of the credentials it was given.

use super::error::{ApiError, Refusal};
use crate::db::devices::{self, Auth};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// A device that proved itself with `Authorization: Bearer <device id>.<secret>`.
#[derive(Clone, Debug)]
pub struct Device {
    pub device_id: String,
    pub household_id: String,
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (device_id, secret) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .and_then(|v| v.split_once('.'))
            .ok_or(Refusal::Unauthorized)?;
        if device_id.len() > 64 || secret.len() > 128 {
            return Err(Refusal::Unauthorized.into());
        }
        match devices::authenticate(&state.db, device_id, secret).await? {
            Auth::Device {
                device_id,
                household_id,
            } => Ok(Device {
                device_id,
                household_id,
            }),
            Auth::Unknown => Err(Refusal::UnknownDevice.into()),
            Auth::Removed => Err(Refusal::DeviceRemoved.into()),
        }
    }
}

/// The client's address: the connection's peer, or — behind a proxy the configuration
/// names — the address that proxy reports.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(
            &parts.headers,
            &parts.extensions,
            state,
        )))
    }
}

/// The client's address from a request's headers and connection (see `ClientIp`).
pub fn client_ip(
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
    state: &AppState,
) -> IpAddr {
    let forwarded = state.client_ip_header.as_ref().and_then(|name| {
        let value = headers.get(name)?.to_str().ok()?;
        // X-Forwarded-For lists every hop; the last is the one our proxy saw.
        value.rsplit(',').next()?.trim().parse::<IpAddr>().ok()
    });
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    forwarded
        .or(peer)
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}
