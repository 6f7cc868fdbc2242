//! Độ phủ: how far a commune's villages (for its official) or the province's communes
//! (for an administrator) have come — households and people reached, adults with basic
//! digital skills, digital identity self-ticked and volunteer-confirmed apart, digital
//! families, 4T traders — with what each count means and when it was counted. Counts
//! only, every one of them already "< 5" when small (server/src/routes/people/coverage.rs).

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::domain::time::vietnam_date_time;
use crate::people::{loaded, CoverageData, CoverageRow, Forbidden};
use crate::ui::{use_ui, Ui};
use leptos::prelude::*;

/// The columns, in order: content/ui `coverage.col.<key>`.
const COLUMNS: [&str; 8] = [
    "households",
    "learning",
    "adults",
    "adults_basic",
    "identity_self",
    "identity_confirmed",
    "digital_families",
    "traders",
];

fn cells(r: &CoverageRow) -> [&str; 8] {
    [
        &r.households,
        &r.learning,
        &r.adults,
        &r.adults_basic,
        &r.identity_self,
        &r.identity_confirmed,
        &r.digital_families,
        &r.traders,
    ]
}

#[component]
pub fn CoveragePage() -> impl IntoView {
    let ui = use_ui();
    if loaded::<Forbidden>().is_some() {
        return view! { <NotForYou/> }.into_any();
    }
    let Some(data) = loaded::<CoverageData>() else {
        return view! { <NotForYou/> }.into_any();
    };
    let (basic, identity) = data
        .texts
        .get(ui.lang())
        .or_else(|| data.texts.values().next())
        .cloned()
        .unwrap_or_default();
    let as_of = ui
        .t("coverage.as_of")
        .replace("{time}", &vietnam_date_time(data.as_of_ms));
    let pending = (data.pending > 0).then(|| {
        let line = ui
            .t("coverage.pending")
            .replace("{n}", &data.pending.to_string());
        view! { <p class="meta">{line}</p> }
    });
    let caption = ui
        .t(if data.province {
            "coverage.by_commune"
        } else {
            "coverage.by_village"
        })
        .replace("{place}", &data.place);
    view! {
        <Frame title=ui.t("coverage.title") tab=Tab::Me>
            <section class="card" aria-labelledby="coverage-h">
                <h2 id="coverage-h">{data.place.clone()}</h2>
                <p class="meta">{as_of}</p>
                {pending}
                <p>{basic}</p>
                <p>{identity}</p>
                <p class="meta">{ui.t("coverage.small")}</p>
            </section>
            <section class="card wide" aria-labelledby="places-h">
                <h2 id="places-h">{caption.clone()}</h2>
                {table(&ui, &caption, &data)}
            </section>
        </Frame>
    }
    .into_any()
}

fn table(ui: &Ui, caption: &str, data: &CoverageData) -> impl IntoView {
    let head = COLUMNS
        .iter()
        .map(|k| view! { <th scope="col">{ui.t(&format!("coverage.col.{k}"))}</th> })
        .collect_view();
    let line = |r: &CoverageRow, total: bool| {
        let tds = cells(r)
            .into_iter()
            .map(|c| view! { <td>{c.to_string()}</td> })
            .collect_view();
        let name = if total {
            ui.t("coverage.total")
        } else {
            r.name.clone()
        };
        view! { <tr class:total=total><th scope="row">{name}</th>{tds}</tr> }
    };
    let rows = data.rows.iter().map(|r| line(r, false)).collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="places-h">
            <table class="counts">
                <caption class="visually-hidden">{caption.to_string()}</caption>
                <thead>
                    <tr><th scope="col">{ui.t("coverage.col.place")}</th>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>{line(&data.total, true)}</tfoot>
            </table>
        </div>
    }
}
