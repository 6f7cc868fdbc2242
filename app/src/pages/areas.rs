//! Địa bàn: the province's communes (for an administrator), and a commune's villages —
//! added one by one or imported from a list, renamed without losing what is counted
//! against them (for its official and the administrator).

use crate::components::frame::{Frame, Tab};
use crate::components::not_for_you::NotForYou;
use crate::components::notice::Notice;
use crate::people::{loaded, query, AreaData, AreasData, Forbidden};
use crate::ui::use_ui;
use leptos::prelude::*;

/// `/areas`: the communes of the province.
#[component]
pub fn AreasPage() -> impl IntoView {
    let ui = use_ui();
    if loaded::<Forbidden>().is_some() {
        return view! { <NotForYou/> }.into_any();
    }
    let Some(data) = loaded::<AreasData>() else {
        return view! { <NotForYou/> }.into_any();
    };
    let rows = data
        .communes
        .iter()
        .map(|c| {
            view! {
                <li class="card">
                    <a href=format!("/areas/{}", c.id)>
                        <span class="area-name">{format!("{} {}", c.kind, c.name)}</span>
                        <span class="meta">{ui.t("people.areas.villages").replace("{n}", &c.count.to_string())}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <Frame title=format!("{} · {}", ui.t("people.areas.title"), data.province) tab=Tab::Me>
            <Notice/>
            <ul class="cards">{rows}</ul>
        </Frame>
    }
    .into_any()
}

/// `/areas/{id}`: a commune's villages.
#[component]
pub fn AreaPage() -> impl IntoView {
    let ui = use_ui();
    let Some(data) = loaded::<AreaData>() else {
        return view! { <NotForYou/> }.into_any();
    };
    let action = |what: &str| format!("/areas/{}/{what}", data.area.id);
    let villages = if data.villages.is_empty() {
        view! { <p>{ui.t("people.area.none")}</p> }.into_any()
    } else {
        let rows = data
            .villages
            .iter()
            .map(|v| {
                let label = ui.t("people.area.rename_label").replace("{name}", &v.name);
                let input_id = format!("rename-{}", v.id);
                let rename = data.can_edit.then(|| {
                    view! {
                        <form method="post" action=format!("/areas/{}/rename", v.id) class="inline-form">
                            <label for=input_id.clone() class="visually-hidden">{label}</label>
                            <input id=input_id name="name" value=v.name.clone() required maxlength="80"/>
                            <button type="submit">{ui.t("people.area.rename")}</button>
                        </form>
                    }
                });
                view! {
                    <li>
                        <span class="area-name">{format!("{} {}", v.kind, v.name)}</span>
                        {rename}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain villages">{rows}</ul> }.into_any()
    };
    let report = import_report(&ui);
    let edit = data.can_edit.then(|| {
        view! {
            <form class="card form" method="post" action=action("villages")>
                <h2>{ui.t("people.area.add")}</h2>
                <label for="village-kind">{ui.t("people.area.kind")}</label>
                <input id="village-kind" name="kind" value="bản" required maxlength="30"/>
                <label for="village-name">{ui.t("people.area.name")}</label>
                <input id="village-name" name="name" required maxlength="80" autocomplete="off"/>
                <button type="submit" class="primary">{ui.t("people.area.add_button")}</button>
            </form>
            <form class="card form" method="post" action=action("import")>
                <h2>{ui.t("people.area.import")}</h2>
                <p>{ui.t("people.area.import_help")}</p>
                <label for="village-csv">{ui.t("people.area.import_label")}</label>
                <textarea id="village-csv" name="csv" rows="6" required>"kind,name\n"</textarea>
                <button type="submit">{ui.t("people.area.import_button")}</button>
            </form>
        }
    });
    view! {
        <Frame title=format!("{} {}", data.area.kind, data.area.name) tab=Tab::Me>
            <Notice/>
            {report}
            {data.up.map(|up| view! { <a class="back" href=up>{ui.t("people.areas.title")}</a> })}
            <section class="card" aria-labelledby="villages-h">
                <h2 id="villages-h">{ui.t("people.area.villages")}</h2>
                {villages}
            </section>
            {edit}
        </Frame>
    }
    .into_any()
}

/// What an import did, from the address the import sent the reader back to:
/// `?added=2&present=3&problems=4.empty_name,5.repeated`.
fn import_report(ui: &crate::ui::Ui) -> Option<impl IntoView> {
    let added = query("added")?;
    let present = query("present").unwrap_or_default();
    let problems: Vec<(String, String)> = query("problems")
        .unwrap_or_default()
        .split(',')
        .filter_map(|p| {
            let (line, code) = p.split_once('.')?;
            Some((line.to_string(), code.to_string()))
        })
        .collect();
    let summary = ui
        .t("people.area.report")
        .replace("{added}", &added)
        .replace("{present}", &present)
        .replace("{problems}", &problems.len().to_string());
    let rows = problems
        .into_iter()
        .map(|(line, code)| {
            let problem = ui.t(&format!("people.problem.{code}"));
            view! {
                <li>{ui.t("people.area.problem_line").replace("{line}", &line).replace("{problem}", &problem)}</li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="card" role="status">
            <p>{summary}</p>
            <ul class="plain">{rows}</ul>
        </section>
    })
}
