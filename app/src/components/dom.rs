//! Reads and marks on the server-rendered page. Islands here add behaviour to HTML the
//! server rendered (passed to them as children), so its text never ships in the wasm.
//! Islands take no props either: what they need (a lesson id, the answers, a label
//! template) is in data-* attributes of that HTML, so the wasm needs no JSON parser.
//! Called only from effects and event handlers, which run in the browser.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// Every element matching `selector`, in document order.
pub fn all(selector: &str) -> Vec<Element> {
    let list = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(selector).ok());
    elements(list)
}

/// Every element matching `selector` inside `root`, in document order.
pub fn all_in(root: &Element, selector: &str) -> Vec<Element> {
    elements(root.query_selector_all(selector).ok())
}

fn elements(list: Option<web_sys::NodeList>) -> Vec<Element> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// The first element matching `selector` inside `root`.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// How many elements match `selector` inside `root`.
pub fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .map(|l| l.length())
        .unwrap_or(0)
}

/// An attribute's value, or "" when it is absent.
pub fn data(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

/// The element an event came from, or its nearest ancestor matching `selector`.
pub fn closest(ev: &web_sys::Event, selector: &str) -> Option<Element> {
    ev.target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// Replaces an element's text (never its markup: names people type stay text).
pub fn set_text(el: &Element, text: &str) {
    el.set_text_content(Some(text));
}

/// Sets or (with `None`) removes an attribute; the CSS shows state from attributes.
pub fn mark(el: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(v) => el.set_attribute(name, v),
        None => el.remove_attribute(name),
    };
}

/// Moves the keyboard focus to `el` (what it can do with it is the element's: a
/// heading or a line needs `tabindex="-1"` first).
pub fn focus(el: &Element) {
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The input an event came from, if it came from one.
pub fn input_of(ev: &web_sys::Event) -> Option<HtmlInputElement> {
    ev.target()?.dyn_into::<HtmlInputElement>().ok()
}

/// The value of the checked radio button named `name`, if any.
pub fn checked(name: &str) -> Option<String> {
    all(&format!("input[name='{name}']:checked"))
        .first()
        .and_then(|el| el.get_attribute("value"))
}

/// Ticks or clears a checkbox.
pub fn set_checked(el: &Element, on: bool) {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_checked(on);
    }
}
