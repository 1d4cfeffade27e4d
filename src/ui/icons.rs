//! Small inline SVG icons (decorative: always `aria-hidden`).
use yew::prelude::*;

/// A 16×16-viewBox icon drawn with one path, shown at `size` pixels.
fn icon(class: Classes, size: &'static str, d: &'static str) -> Html {
    html! {
        <svg {class} viewBox="0 0 16 16" width={size} height={size} aria-hidden="true" focusable="false">
            <path fill="currentColor" {d}/>
        </svg>
    }
}

pub fn lock() -> Html {
    icon(
        classes!("icon"),
        "12",
        "M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.5 0h4V5a2 2 0 1 0-4 0v2z",
    )
}

pub fn warning() -> Html {
    icon(
        classes!("icon"),
        "12",
        "M8 1.5 15.5 14.5H.5L8 1.5zm-.8 5v4h1.6v-4H7.2zm0 5.3v1.6h1.6v-1.6H7.2z",
    )
}

pub fn people() -> Html {
    icon(
        classes!("icon"),
        "12",
        "M5.5 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zm5.5 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM0 13.5C0 11 2.5 9.5 5.5 9.5S11 11 11 13.5V14H0v-.5zm12 .5v-.5c0-1.3-.5-2.4-1.3-3.2 2.4 0 5.3 1 5.3 3.2v.5h-4z",
    )
}

pub fn info() -> Html {
    icon(
        classes!("icon"),
        "14",
        "M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm-.8 6v5h1.6V7H7.2zm0-3v1.6h1.6V4H7.2z",
    )
}

pub fn chevron(open: bool) -> Html {
    icon(
        classes!("icon", "chevron", open.then_some("is-open")),
        "12",
        "M5.5 3 10.5 8l-5 5-1-1 4-4-4-4 1-1z",
    )
}
