//! The people who share this phone (and the household's other phones): pick who is
//! learning now, or add someone. Each profile's progress is its own.

use crate::offline::store;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProfileLabels {
    /// Shown for a profile nobody has named yet.
    pub unnamed: String,
    pub current: String,
    pub switch: String,
    pub add: String,
    pub name: String,
}

/// Avatar colours, all with white text at AA contrast.
const COLORS: [&str; 5] = ["#0b5e44", "#8a3b12", "#1d4e89", "#6b2d83", "#7a5c00"];

#[island]
pub fn Profiles(labels: ProfileLabels) -> impl IntoView {
    let people = RwSignal::new(Vec::<(String, String, String)>::new());
    let current = RwSignal::new(String::new());
    Effect::new(move |_| {
        spawn_local(async move {
            let view = store::view().await;
            let me = store::profile();
            let mut list: Vec<_> = view
                .profiles
                .iter()
                .map(|(id, p)| (id.clone(), p.name.clone(), p.color.clone()))
                .collect();
            if !list.iter().any(|(id, ..)| *id == me) {
                list.insert(0, (me.clone(), String::new(), COLORS[0].to_string()));
            }
            current.set(me);
            people.set(list);
        });
    });
    let name = NodeRef::<leptos::html::Input>::new();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(input) = name.get() else { return };
        let typed = input.value().trim().to_string();
        if typed.is_empty() {
            return;
        }
        let color = COLORS[people.with(|p| p.len()) % COLORS.len()].to_string();
        spawn_local(async move {
            if store::add_profile(typed, color).await.is_ok() {
                let _ = web_sys::window().map(|w| w.location().reload());
            }
        });
    };
    let labels = StoredValue::new(labels);
    // A plain list re-rendered whole: it is a handful of people, and a keyed list would
    // cost the phone more wasm than it saves.
    let rows = move || {
        let me = current.get();
        people
            .get()
            .into_iter()
            .map(|(id, name, color)| {
                let shown = if name.is_empty() { labels.with_value(|l| l.unnamed.clone()) } else { name };
                let initial = shown.chars().next().unwrap_or('?').to_string();
                let action = if id == me {
                    view! { <span class="badge-current">{labels.with_value(|l| l.current.clone())}</span> }.into_any()
                } else {
                    let pick = move |_| {
                        store::use_profile(&id);
                        let _ = web_sys::window().map(|w| w.location().reload());
                    };
                    view! { <button type="button" on:click=pick>{labels.with_value(|l| l.switch.clone())}</button> }
                        .into_any()
                };
                view! {
                    <li class="profile">
                        <span class="avatar" style=format!("background:{color}") aria-hidden="true">{initial}</span>
                        <span class="profile-name">{shown}</span>
                        {action}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul class="profiles">{rows}</ul>
        <form class="add-profile" on:submit=add>
            <label for="profile-name">{labels.with_value(|l| l.name.clone())}</label>
            <input id="profile-name" node_ref=name maxlength="40" autocomplete="off"/>
            <button type="submit">{labels.with_value(|l| l.add.clone())}</button>
        </form>
    }
}
