//! What a family controls on the server: a fresh family code for another phone, an
//! export of everything the server holds about it (JSON and CSV), and deletion.

use super::auth::Device;
use super::error::ApiError;
use crate::db::family_data::{self, Deleted, Export};
use crate::db::now_ms;
use crate::db::{handover, households, mentoring};
use crate::state::AppState;
use app::domain::event::HouseholdView;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;

#[derive(Serialize)]
pub struct Code {
    join_code: String,
    code_expires_ms: i64,
}

/// `POST /api/v2/household/code`: a new family code, valid for an hour; the old one
/// stops working.
pub async fn renew_code(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<Code>, ApiError> {
    let (join_code, code_expires_ms) =
        households::renew_code(&state.db, &device.household_id, now_ms()).await?;
    Ok(Json(Code {
        join_code,
        code_expires_ms,
    }))
}

/// `GET /api/v2/household/mentors`: the volunteers the household agreed to, by name,
/// and those it ended, as the server has them (a pairing made offline shows here once
/// it has been sent).
pub async fn mentors(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<Vec<mentoring::Mentor>>, ApiError> {
    Ok(Json(
        mentoring::mentors_of(&state.db, &device.household_id).await?,
    ))
}

/// `GET /api/v2/household/offers`: volunteers the commune offers the household in place
/// of one who left; the household takes one (or declines) with a pairing event, like
/// any code (db/handover.rs).
pub async fn offers(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<Vec<handover::Offer>>, ApiError> {
    Ok(Json(
        handover::offers_for(&state.db, &device.household_id, now_ms()).await?,
    ))
}

/// `GET /api/v2/household/export`: everything, as indented JSON, with the people's
/// names beside their ids and readable times.
pub async fn export_json(
    State(state): State<AppState>,
    device: Device,
) -> Result<impl IntoResponse, ApiError> {
    let export = family_data::export(&state.db, &device.household_id).await?;
    let people = people(&export);
    let body = serde_json::json!({
        "household_id": export.household_id,
        "created": iso_utc(export.created_ms),
        "exported": iso_utc(now_ms()),
        "family_code": { "code": export.join_code, "valid_until": iso_utc(export.code_expires_ms) },
        "devices": export.devices.iter().map(|d| serde_json::json!({
            "device_id": d.device_id,
            "label": d.label,
            "registered": iso_utc(d.created_ms),
            "last_seen": iso_utc(d.last_seen_ms),
            "consent_version": d.consent_version,
            "consent_given": d.consent_ms.map(iso_utc),
        })).collect::<Vec<_>>(),
        "devices_that_left": export.left,
        "volunteers": export.mentors.iter().map(|m| serde_json::json!({
            "pairing_code": m.code,
            "name": m.name,
            "agreed": m.active,
            "since": iso_utc(m.at_ms),
        })).collect::<Vec<_>>(),
        "people": people.iter().map(|(id, name)| serde_json::json!({ "profile_id": id, "name": name })).collect::<Vec<_>>(),
        "events": export.events.iter().map(|e| serde_json::json!({
            "seq": e.seq,
            "event_id": e.event.event_id,
            "time": iso_utc(e.event.at_ms),
            "received": iso_utc(e.received_ms),
            "device_id": e.event.device_id,
            "profile_id": e.event.profile_id,
            "kind": e.event.kind,
            "schema_version": e.event.schema_version,
            "payload": e.event.payload,
        })).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&body).map_err(ApiError::failed)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"hocso-household.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    ))
}

/// `GET /api/v2/household/export.csv`: the same, one row per record, UTF-8 with a byte
/// order mark so spreadsheet programs read Vietnamese.
pub async fn export_csv(
    State(state): State<AppState>,
    device: Device,
) -> Result<impl IntoResponse, ApiError> {
    let export = family_data::export(&state.db, &device.household_id).await?;
    let people = people(&export);
    let mut out = String::from("\u{feff}record,id,time,name,kind,details\r\n");
    let mut row = |cells: [&str; 6]| {
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    };
    row([
        "household",
        &export.household_id,
        &iso_utc(export.created_ms),
        "",
        "",
        "",
    ]);
    for d in &export.devices {
        let details = format!(
            "last seen {}; consent {} given {}",
            iso_utc(d.last_seen_ms),
            d.consent_version.as_deref().unwrap_or("-"),
            d.consent_ms.map(iso_utc).unwrap_or_else(|| "-".into())
        );
        row([
            "device",
            &d.device_id,
            &iso_utc(d.created_ms),
            &d.label,
            "",
            &details,
        ]);
    }
    for m in &export.mentors {
        let state = if m.active { "agreed" } else { "ended" };
        row(["volunteer", &m.code, &iso_utc(m.at_ms), &m.name, state, ""]);
    }
    for e in &export.events {
        let name = people
            .get(&e.event.profile_id)
            .map(String::as_str)
            .unwrap_or("");
        row([
            "event",
            &e.event.event_id,
            &iso_utc(e.event.at_ms),
            name,
            &e.event.kind,
            &e.event.payload.to_string(),
        ]);
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"hocso-household.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        out,
    ))
}

/// `DELETE /api/v2/household`: the household and everything of it leave the database.
/// Its phones keep what is on them; their credentials stop working.
pub async fn delete(
    State(state): State<AppState>,
    device: Device,
) -> Result<Json<Deleted>, ApiError> {
    let deleted = family_data::delete(&state.db, &device.household_id, None, now_ms())
        .await?
        .unwrap_or(Deleted {
            events: 0,
            devices: 0,
        });
    tracing::info!(
        household_id = device.household_id,
        events = deleted.events,
        devices = deleted.devices,
        "household deleted at its own request"
    );
    Ok(Json(deleted))
}

/// Each person's id and current name, folded from the events as every phone folds them.
fn people(export: &Export) -> std::collections::BTreeMap<String, String> {
    let view = HouseholdView::from_events(export.events.iter().map(|e| &e.event));
    view.profiles
        .into_iter()
        .map(|(id, p)| (id, p.name))
        .collect()
}

/// A CSV cell: quoted, and a leading `= + - @` (a formula to a spreadsheet) made text.
pub fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

pub use app::domain::time::iso_utc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_text() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("Bà Lan"), "\"Bà Lan\"");
        assert_eq!(csv_cell("-1"), "\"'-1\"");
    }
}
