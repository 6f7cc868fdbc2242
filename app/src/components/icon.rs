//! Small line icons drawn inline: no icon font to download, no emoji a cheap phone may
//! lack, and they take the text colour.

use leptos::prelude::*;

/// SVG path data (24×24 grid, stroked) for each icon name used by tracks and tabs.
fn path(name: &str) -> &'static str {
    match name {
        "book" => "M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2zM4 21V5M8 7h7",
        "home" => "M3 11l9-7 9 7M5 10v10h14V10M10 20v-6h4v6",
        "cart" => "M3 4h2l2.5 11h11L21 7H6.5M9 20h.01M18 20h.01",
        "user" => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
        "star" => "M12 3l2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3 6.4 20.2l1.1-6.2L3 9.6l6.2-.9z",
        "elder" => "M10 6a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM10 8v6l-3 7M10 14l3 7M10 9l4 3M17 12v9",
        "student" => "M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5M22 9v6",
        "worker" => "M4 15a8 8 0 0 1 16 0zM3 15h18v3H3zM12 7V4",
        "official" => "M3 21h18M5 21V10M19 21V10M9 21V10M15 21V10M3 10l9-6 9 6z",
        _ => "M12 12h.01",
    }
}

#[component]
pub fn Icon(name: String) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            width="24"
            height="24"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            <path d=path(&name)/>
        </svg>
    }
}
