//! The people who share this phone (and the household's other phones): pick who is
//! learning now, or add someone. Each profile's progress is its own.

use super::dom;
use crate::domain::profile::{color_name, nth_color};
use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// Island around a server-rendered box (`.people`, with the words for an unnamed
/// profile, "now" and "switch" in `data-unnamed`, `data-current`, `data-switch`) holding
/// an empty `ul.profiles` and the add-profile form. The list is the device's to fill:
/// the server cannot know who shares this phone.
#[island]
pub fn Profiles(children: Children) -> impl IntoView {
    Effect::new(move |_| {
        spawn_local(async move {
            let view = store::view().await;
            let me = store::profile();
            let mut people: Vec<_> = view
                .profiles
                .iter()
                .map(|(id, p)| (id.clone(), p.name.clone(), p.color.clone()))
                .collect();
            if !people.iter().any(|(id, ..)| *id == me) {
                people.insert(0, (me.clone(), String::new(), nth_color(0).to_string()));
            }
            for bx in dom::all(".people") {
                fill(&bx, &people, &me);
            }
        });
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        let Some(bx) = dom::closest(&ev, ".people") else {
            return;
        };
        ev.prevent_default();
        let typed = dom::find(&bx, "input")
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value().trim().to_string())
            .unwrap_or_default();
        if typed.is_empty() {
            return;
        }
        let color = nth_color(dom::count(&bx, ".profile") as usize).to_string();
        spawn_local(async move {
            if store::add_profile(typed, color).await.is_ok() {
                reload();
            }
        });
    };
    let pick = move |ev: leptos::ev::MouseEvent| {
        if let Some(button) = dom::closest(&ev, "[data-profile]") {
            store::use_profile(&dom::data(&button, "data-profile"));
            reload();
        }
    };
    view! { <div on:submit=add on:click=pick>{children()}</div> }
}

fn reload() {
    let _ = web_sys::window().map(|w| w.location().reload());
}

/// One row per person: a coloured initial, the name, and "now" or a switch button.
fn fill(bx: &Element, people: &[(String, String, String)], me: &str) {
    let (Some(list), Some(doc)) = (
        dom::find(bx, "ul.profiles"),
        web_sys::window().and_then(|w| w.document()),
    ) else {
        return;
    };
    let el = |tag: &str, class: &str, text: &str| -> Option<Element> {
        let e = doc.create_element(tag).ok()?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        dom::set_text(&e, text);
        Some(e)
    };
    dom::set_text(&list, "");
    for (id, name, color) in people {
        let shown = if name.is_empty() {
            dom::data(bx, "data-unnamed")
        } else {
            name.clone()
        };
        let initial = shown.chars().next().unwrap_or('?').to_string();
        let (Some(row), Some(avatar), Some(label)) = (
            el("li", "profile", ""),
            el("span", "avatar", &initial),
            el("span", "profile-name", &shown),
        ) else {
            return;
        };
        // A palette name the CSS colours: no inline style under the page's CSP.
        let _ = avatar.set_attribute("data-color", color_name(color).unwrap_or(nth_color(0)));
        let _ = avatar.set_attribute("aria-hidden", "true");
        let action = if id == me {
            el("span", "badge-current", &dom::data(bx, "data-current"))
        } else {
            el("button", "", &dom::data(bx, "data-switch")).inspect(|b| {
                let _ = b.set_attribute("type", "button");
                let _ = b.set_attribute("data-profile", id);
            })
        };
        let _ = row.append_child(&avatar);
        let _ = row.append_child(&label);
        if let Some(action) = action {
            let _ = row.append_child(&action);
        }
        let _ = list.append_child(&row);
    }
}
