//! Độ phủ: how far a commune's villages (for its official) or the province's communes
//! (for an administrator) have come — households and people reached, adults with basic
//! digital skills, digital identity self-ticked and volunteer-confirmed apart, digital
//! families, 4T traders — with what each count means and when it was counted. Counts
//! only, every one of them already "< 5" when small (server/src/routes/people/coverage.rs).

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::components::notice::Notice;
use crate::domain::time::vietnam_date_time;
use crate::people::{loaded, CoverageData, CoverageRow, Forbidden};

/// Where the population form posts.
pub const POPULATION_PATH: &str = "/coverage/population";
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
            <Notice/>
            <section class="card" aria-labelledby="coverage-h">
                <h2 id="coverage-h">{data.place.clone()}</h2>
                <p class="meta">{as_of}</p>
                {pending}
                <p>{basic}</p>
                <p>{identity}</p>
                <p class="meta">{ui.t("coverage.small")}</p>
            </section>
            {targets(&ui, &data)}
            <section class="card wide" aria-labelledby="places-h">
                <h2 id="places-h">{caption.clone()}</h2>
                {table(&ui, &caption, &data)}
            </section>
            {population_form(&ui, &data)}
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

/// The plan's targets for the year: each as count, denominator, share, target and gap.
fn targets(ui: &Ui, data: &CoverageData) -> impl IntoView {
    let title = ui
        .t("coverage.targets")
        .replace("{year}", &data.year.to_string());
    let heads = ["count", "denominator", "percent", "target", "gap"]
        .map(|k| view! { <th scope="col">{ui.t(&format!("coverage.target.{k}"))}</th> });
    let rows = data
        .targets
        .iter()
        .map(|t| {
            view! {
                <tr>
                    <th scope="row">{ui.t(&format!("coverage.measure.{}", t.measure))}</th>
                    <td>{t.count.clone()}</td>
                    <td>{t.denominator.clone()}</td>
                    <td>{t.percent.clone()}</td>
                    <td>{t.target.clone()}</td>
                    <td>{t.gap.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card wide" aria-labelledby="targets-h">
            <h2 id="targets-h">{title.clone()}</h2>
            <p class="meta">{ui.t("coverage.targets_help")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="targets-h">
                <table class="counts">
                    <caption class="visually-hidden">{title}</caption>
                    <thead>
                        <tr><th scope="col">{ui.t("coverage.target.measure")}</th>{heads}</tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The area's populations for the year: the denominators of its targets.
fn population_form(ui: &Ui, data: &CoverageData) -> impl IntoView {
    let fields = data
        .population
        .iter()
        .map(|(kind, people)| {
            let id = format!("population-{kind}");
            view! {
                <label for=id.clone()>{ui.t(&format!("coverage.population.{kind}"))}</label>
                <input id=id name=kind.clone() inputmode="numeric" autocomplete="off"
                    value=people.map(|n| n.to_string()).unwrap_or_default()/>
            }
        })
        .collect_view();
    let title = ui
        .t("coverage.population_title")
        .replace("{place}", &data.place)
        .replace("{year}", &data.year.to_string());
    view! {
        <section class="card" aria-labelledby="population-h">
            <h2 id="population-h">{title}</h2>
            <p>{ui.t("coverage.population_help")}</p>
            <form class="form" method="post" action=POPULATION_PATH>
                <input type="hidden" name="year" value=data.year.to_string()/>
                {fields}
                <button type="submit" class="primary">{ui.t("coverage.population_save")}</button>
            </form>
        </section>
    }
}
