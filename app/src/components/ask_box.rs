//! The question box of the Hỏi page (issue 12). The server answers a question it is
//! sent; with no signal the service worker gives back the page as it kept it (with no
//! question), and this island answers on the phone from the lessons' index, which the
//! service worker keeps too. Once the page is interactive, asking again needs no network.

use super::dom;
use crate::domain::ask::{entries_from_text, shown, Index, Shown, MAX_QUESTION_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Where the phone gets the lessons' index (served by the server, kept by the worker).
pub const INDEX_PATH: &str = "/ask/index.txt";

/// Island around the server-rendered box (`.ask` with the reader's language in
/// `data-lang` and its wording in `data-found` (`{q}`), `data-none`, `data-loading`,
/// `data-unavailable`, `data-step` (`{n}`) and `data-summary`; the question asked, if
/// the server answered one, in `data-asked`): the form, a `.ask-status` line and the
/// `.answers` list, whose hidden first item (`AnswerItem` with nothing in it) is the
/// pattern each answer is made from.
#[island]
pub fn AskBox(children: Children) -> impl IntoView {
    // The page came from the phone's cache for `/ask?q=…`: the question is in the
    // address, not in the page — or the page answers another question (the worker keeps
    // only the plain `/ask`, but what a stranger asked must never be what is shown).
    Effect::new(move |_| {
        let Some(box_) = dom::all(".ask").into_iter().next() else {
            return;
        };
        let q: String = asked_in_address()
            .trim()
            .chars()
            .take(MAX_QUESTION_CHARS)
            .collect();
        if dom::data(&box_, "data-asked") != q && !q.is_empty() {
            if let Some(input) = dom::find(&box_, "input[name='q']") {
                if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                    input.set_value(&q);
                }
            }
            ask(box_, q);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(box_) = dom::closest(&ev, ".ask") else {
            return;
        };
        let Some(q) = dom::find(&box_, "input[name='q']")
            .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
        else {
            return;
        };
        ev.prevent_default();
        if !q.trim().is_empty() {
            ask(box_, q);
        }
    };
    view! { <div on:submit=submit>{children()}</div> }
}

/// Answers `q` in `box_` from the index (fetched once).
fn ask(box_: Element, q: String) {
    say(&box_, &dom::data(&box_, "data-loading"));
    spawn_local(async move {
        let Some(index) = index().await else {
            say(&box_, &dom::data(&box_, "data-unavailable"));
            return;
        };
        let found = shown(&index, &q, &dom::data(&box_, "data-lang"));
        show(&box_, &found);
        let line = if found.is_empty() {
            dom::data(&box_, "data-none")
        } else {
            dom::data(&box_, "data-found").replace("{q}", &q)
        };
        say(&box_, &line);
    });
}

fn say(box_: &Element, text: &str) {
    if let Some(line) = dom::find(box_, ".ask-status") {
        dom::set_text(&line, text);
    }
}

/// Puts `found` in the list, each made from the list's pattern item.
fn show(box_: &Element, found: &[Shown]) {
    let (Some(list), Some(pattern)) = (
        dom::find(box_, ".answers"),
        dom::find(box_, ".answers > li[hidden]"),
    ) else {
        return;
    };
    for old in dom::all_in(&list, "li:not([hidden])") {
        old.remove();
    }
    for a in found {
        let Some(item) = pattern
            .clone_node_with_deep(true)
            .ok()
            .and_then(|n| n.dyn_into::<Element>().ok())
        else {
            continue;
        };
        dom::mark(&item, "hidden", None);
        if let Some(link) = dom::find(&item, "a") {
            dom::mark(&link, "href", Some(&format!("/lessons/{}", a.lesson)));
            dom::set_text(&link, &a.title);
        }
        let place = a.place(
            &dom::data(box_, "data-step"),
            &dom::data(box_, "data-summary"),
        );
        if let Some(at) = dom::find(&item, ".meta") {
            dom::set_text(&at, &place);
        }
        if let Some(text) = dom::find(&item, ".answer-text") {
            dom::set_text(&text, &a.text);
        }
        let _ = list.append_child(&item);
    }
}

/// `q` of the page's address, decoded ("" if none).
fn asked_in_address() -> String {
    let search = window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("q="))
        .and_then(|q| js_sys::decode_uri_component(&q.replace('+', " ")).ok())
        .and_then(|q| q.as_string())
        .unwrap_or_default()
}

thread_local! {
    /// The index, once fetched and built: asked again, it answers at once.
    static INDEX: RefCell<Option<Rc<Index>>> = const { RefCell::new(None) };
}

/// The lessons' index, from the service worker's cache (or the network).
async fn index() -> Option<Rc<Index>> {
    if let Some(index) = INDEX.with(|i| i.borrow().clone()) {
        return Some(index);
    }
    let response = wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(INDEX_PATH))
        .await
        .ok()?
        .dyn_into::<web_sys::Response>()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    let index = Rc::new(Index::new(entries_from_text(&text)?));
    INDEX.with(|i| *i.borrow_mut() = Some(index.clone()));
    Some(index)
}
