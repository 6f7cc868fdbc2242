//! Độ phủ: the coverage report of a commune (its villages, for its official) or of the
//! province (its communes ranked, for an administrator) for a period — a quarter, half
//! a year, a year or any days: households and people reached, adults with basic digital
//! skills, digital identity self-ticked and volunteer-confirmed apart, digital families,
//! 4T traders, visits and sessions; the plan's targets with a progress chart; the trend
//! over quarters with the 10 October festival marked. Drawn on the server as SVG, each
//! chart with its figures in a table; printable on A4; the same as CSV. Counts only,
//! every one of them already "< 5" when small (server/src/routes/people/coverage.rs).

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::components::notice::Notice;
use crate::domain::time::vietnam_date_time;
use crate::people::{
    loaded, CoverageData, CoverageRow, Forbidden, COVERAGE_COLUMNS, TARGET_COLUMNS,
};
use crate::ui::{use_ui, Ui};
use leptos::prelude::*;

/// Where the population form posts.
pub const POPULATION_PATH: &str = "/coverage/population";
/// Where populations pasted from a spreadsheet go.
pub const IMPORT_PATH: &str = "/coverage/population/import";
/// The report as CSV (same query as the page).
pub const CSV_PATH: &str = "/coverage/report.csv";

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
    let festival = data
        .period
        .festival
        .then(|| view! { <p class="festival-note">{ui.t("coverage.festival_in")}</p> });
    let caption = ui
        .t(if data.province {
            "coverage.by_commune"
        } else {
            "coverage.by_village"
        })
        .replace("{place}", &data.place);
    let period = data.period.label(|k| ui.t(k));
    let csv = format!("{CSV_PATH}?period={}", query_value(&data.period.name));
    view! {
        <Frame title=ui.t("coverage.title") tab=Tab::Me>
            // The report's own styles: nothing of them in the household's first load.
            <link rel="stylesheet" href="/report.css"/>
            <Notice/>
            <section class="card report-head" aria-labelledby="coverage-h">
                <h2 id="coverage-h">{format!("{} — {}", ui.t("coverage.report"), data.place)}</h2>
                <p class="period">{period}</p>
                <p class="meta">{as_of}</p>
                {pending}
                <p class="meta">{ui.t("coverage.period_help")}</p>
                {festival}
                <p>{basic}</p>
                <p>{identity}</p>
                <p class="meta">{ui.t("coverage.small")}</p>
                <p class="no-print"><a href=csv download="">{ui.t("coverage.csv")}</a></p>
                <p class="meta no-print">{ui.t("coverage.print_help")}</p>
            </section>
            {chooser(&ui, &data)}
            {targets(&ui, &data)}
            {trend(&ui, &data)}
            <section class="card wide" aria-labelledby="places-h">
                <h2 id="places-h">{caption.clone()}</h2>
                {table(&ui, &caption, &data)}
            </section>
            {learning(&ui, &data)}
            {population_form(&ui, &data)}
        </Frame>
    }
    .into_any()
}

/// A period name as it goes in an address (`2026-07-01..2026-08-15` needs no escaping
/// beyond the dots it already has; anything else is dropped).
fn query_value(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        .collect()
}

/// The period chooser: a form that asks for the page again.
fn chooser(ui: &Ui, data: &CoverageData) -> impl IntoView {
    let t = |k: &str| ui.t(k);
    let options = data
        .choices
        .iter()
        .map(|name| {
            let p = crate::people::ReportPeriod {
                name: name.clone(),
                ..Default::default()
            };
            let selected = *name == data.period.name;
            view! { <option value=name.clone() selected=selected>{p.label(t)}</option> }
        })
        .collect_view();
    let is_range = data.period.name.contains("..");
    view! {
        <section class="card no-print" aria-labelledby="choose-h">
            <h2 id="choose-h">{ui.t("coverage.choose")}</h2>
            <form class="form" method="get" action="/coverage">
                <label for="period">{ui.t("coverage.choose.period")}</label>
                <select id="period" name="period">{options}</select>
                <label for="from">{ui.t("coverage.from")}</label>
                <input id="from" name="from" type="date" min="2025-01-01" max="2035-12-31"
                    value=if is_range { data.period.from_day.clone() } else { String::new() }/>
                <label for="to">{ui.t("coverage.to")}</label>
                <input id="to" name="to" type="date" min="2025-01-01" max="2035-12-31"
                    value=if is_range { data.period.to_day.clone() } else { String::new() }/>
                <button type="submit" class="primary">{ui.t("coverage.show")}</button>
            </form>
        </section>
    }
}

fn table(ui: &Ui, caption: &str, data: &CoverageData) -> impl IntoView {
    let head = COVERAGE_COLUMNS
        .iter()
        .map(|k| view! { <th scope="col">{ui.t(&format!("coverage.col.{k}"))}</th> })
        .collect_view();
    let line = |r: &CoverageRow, total: bool| {
        let tds = r
            .cells()
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

/// Chart geometry (SVG user units).
const CHART_W: u32 = 640;
const BAR_AREA: u32 = 160;

/// Bar heights for `values` in `0..=height`, the largest full height (all 0 when all are).
pub fn bar_heights(values: &[u64], height: u32) -> Vec<u32> {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| (v * u64::from(height)).checked_div(max).unwrap_or(0) as u32)
        .collect()
}

/// The plan's targets for the year: a progress chart, and each target as count,
/// denominator, share, target and gap (the chart's figures).
fn targets(ui: &Ui, data: &CoverageData) -> impl IntoView {
    let title = ui
        .t("coverage.targets")
        .replace("{year}", &data.year.to_string());
    let heads = TARGET_COLUMNS
        .map(|k| view! { <th scope="col">{ui.t(&format!("coverage.target.{k}"))}</th> });
    let rows = data
        .targets
        .iter()
        .map(|t| {
            let tds = t
                .cells()
                .into_iter()
                .map(|c| view! { <td>{c.to_string()}</td> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{ui.t(&format!("coverage.measure.{}", t.measure))}</th>
                    {tds}
                </tr>
            }
        })
        .collect_view();
    let drawn: Vec<(String, u32)> = data
        .targets
        .iter()
        .filter_map(|t| {
            t.reached
                .map(|r| (ui.t(&format!("coverage.measure.{}", t.measure)), r))
        })
        .collect();
    let chart_title = ui
        .t("coverage.progress.title")
        .replace("{year}", &data.year.to_string());
    let chart = if drawn.is_empty() {
        view! { <p class="meta">{ui.t("coverage.progress.none")}</p> }.into_any()
    } else {
        let row_h = 48;
        let height = row_h * drawn.len() as u32;
        let track = CHART_W - 60;
        let bars = drawn
            .into_iter()
            .enumerate()
            .map(|(i, (name, reached))| {
                let y = i as u32 * row_h;
                view! {
                    <text x="0" y=y + 16 class="chart-label">{format!("{name}: {reached} %")}</text>
                    <rect x="0" y=y + 22 width=track height="18" class="track"/>
                    <rect x="0" y=y + 22 width=track * reached / 100 height="18" class="bar"/>
                }
            })
            .collect_view();
        view! {
            <svg class="chart" role="img" viewBox=format!("0 0 {CHART_W} {height}")
                aria-labelledby="progress-t progress-d">
                <title id="progress-t">{chart_title.clone()}</title>
                <desc id="progress-d">{ui.t("coverage.progress.desc")}</desc>
                {bars}
                <line x1=track y1="0" x2=track y2=height class="target-line"/>
            </svg>
        }
        .into_any()
    };
    view! {
        <section class="card wide" aria-labelledby="targets-h">
            <h2 id="targets-h">{title.clone()}</h2>
            <p class="meta">{ui.t("coverage.targets_help")}</p>
            <h3>{chart_title}</h3>
            {chart}
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

/// Adults with basic skills at the end of each quarter up to the period's, as bars, the
/// festival's quarter marked; then the same figures (and two more) as a table.
fn trend(ui: &Ui, data: &CoverageData) -> impl IntoView {
    let t = |k: &str| ui.t(k);
    let title = ui.t("coverage.trend.title");
    let n = data.trend.len().max(1) as u32;
    let slot = CHART_W / n;
    let heights = bar_heights(
        &data.trend.iter().map(|p| p.bar).collect::<Vec<_>>(),
        BAR_AREA,
    );
    let top = 40;
    let bars = data
        .trend
        .iter()
        .zip(heights)
        .enumerate()
        .map(|(i, (p, h))| {
            let x = i as u32 * slot + slot / 5;
            let w = slot * 3 / 5;
            let base = top + BAR_AREA;
            let (y, m) = (p.quarter.from_day.get(..4), p.quarter.name.get(5..));
            let short = format!("{}/{}", m.unwrap_or(""), y.map_or("", |y| &y[2..]));
            let mark = p.quarter.festival.then(|| {
                view! {
                    <text x=x + w / 2 y="14" text-anchor="middle" class="festival-label">{ui.t("coverage.festival")}</text>
                    <line x1=x + w / 2 y1="18" x2=x + w / 2 y2=base class="festival-line"/>
                }
            });
            view! {
                {mark}
                <rect x=x y=base - h width=w height=h class:bar=true class:festival=p.quarter.festival/>
                <text x=x + w / 2 y=base - h - 4 text-anchor="middle" class="chart-value">{p.adults_basic.clone()}</text>
                <text x=x + w / 2 y=base + 18 text-anchor="middle" class="chart-label">{short}</text>
            }
        })
        .collect_view();
    let rows = data
        .trend
        .iter()
        .map(|p| {
            view! {
                <tr class:festival=p.quarter.festival>
                    <th scope="row">{p.quarter.label(t)}</th>
                    <td>{p.adults_basic.clone()}</td>
                    <td>{p.identity_confirmed.clone()}</td>
                    <td>{p.digital_families.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card wide" aria-labelledby="trend-h">
            <h2 id="trend-h">{title.clone()}</h2>
            <svg class="chart" role="img" viewBox=format!("0 0 {CHART_W} {}", top + BAR_AREA + 28)
                aria-labelledby="trend-t trend-d">
                <title id="trend-t">{title.clone()}</title>
                <desc id="trend-d">{ui.t("coverage.trend.desc")}</desc>
                {bars}
            </svg>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="trend-h">
                <table class="counts">
                    <caption class="visually-hidden">{title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ui.t("coverage.trend.quarter")}</th>
                            <th scope="col">{ui.t("coverage.measure.adults_basic_skills")}</th>
                            <th scope="col">{ui.t("coverage.col.identity_confirmed")}</th>
                            <th scope="col">{ui.t("coverage.col.digital_families")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// People learning in the whole area, by age band and by group.
fn learning(ui: &Ui, data: &CoverageData) -> impl IntoView {
    let title = ui.t("coverage.learning_title");
    let rows = data
        .learning
        .iter()
        .map(|(key, n)| view! { <tr><th scope="row">{ui.t(key)}</th><td>{n.clone()}</td></tr> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="learning-h">
            <h2 id="learning-h">{title.clone()}</h2>
            <table class="counts">
                <caption class="visually-hidden">{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{ui.t("coverage.col.place")}</th>
                        <th scope="col">{ui.t("coverage.col.learning")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
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
    // Which pasted line was wrong, after a refused import; how many were saved.
    let number = |name: &str| {
        crate::people::query(name).filter(|n| n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let line = number("line").map(|n| {
        let text = ui.t("coverage.import_line").replace("{n}", &n);
        view! { <p class="error" role="alert">{text}</p> }
    });
    let saved = number("n").map(|n| {
        let text = ui.t("coverage.import_saved").replace("{n}", &n);
        view! { <p class="notice" role="status">{text}</p> }
    });
    let label = ui
        .t("coverage.import_label")
        .replace("{year}", &data.year.to_string());
    view! {
        <section class="card no-print" aria-labelledby="population-h">
            <h2 id="population-h">{title}</h2>
            <p>{ui.t("coverage.population_help")}</p>
            <form class="form" method="post" action=POPULATION_PATH>
                <input type="hidden" name="year" value=data.year.to_string()/>
                {fields}
                <button type="submit" class="primary">{ui.t("coverage.population_save")}</button>
            </form>
        </section>
        <section class="card no-print" aria-labelledby="import-h">
            <h2 id="import-h">{ui.t("coverage.import_title")}</h2>
            <p>{ui.t("coverage.import_help")}</p>
            {line}
            {saved}
            <form class="form" method="post" action=IMPORT_PATH>
                <input type="hidden" name="year" value=data.year.to_string()/>
                <label for="import-lines">{label}</label>
                <textarea id="import-lines" name="lines" rows="6" autocomplete="off"></textarea>
                <button type="submit" class="primary">{ui.t("coverage.import_save")}</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tallest_bar_fills_the_chart_and_none_when_all_are_zero() {
        assert_eq!(bar_heights(&[0, 50, 100], 160), vec![0, 80, 160]);
        assert_eq!(bar_heights(&[0, 0], 160), vec![0, 0]);
        assert_eq!(bar_heights(&[], 160), Vec::<u32>::new());
    }
}
