//! Small inline SVG icons (decorative: always `aria-hidden`).
use yew::prelude::*;

pub fn lock() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.5 0h4V5a2 2 0 1 0-4 0v2z"/>
        </svg>
    }
}

pub fn warning() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M8 1.5 15.5 14.5H.5L8 1.5zm-.8 5v4h1.6v-4H7.2zm0 5.3v1.6h1.6v-1.6H7.2z"/>
        </svg>
    }
}

pub fn people() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M5.5 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zm5.5 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM0 13.5C0 11 2.5 9.5 5.5 9.5S11 11 11 13.5V14H0v-.5zm12 .5v-.5c0-1.3-.5-2.4-1.3-3.2 2.4 0 5.3 1 5.3 3.2v.5h-4z"/>
        </svg>
    }
}

pub fn info() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1zm-.8 6v5h1.6V7H7.2zm0-3v1.6h1.6V4H7.2z"/>
        </svg>
    }
}

pub fn chevron(open: bool) -> Html {
    html! {
        <svg class={classes!("icon", "chevron", open.then_some("is-open"))} viewBox="0 0 16 16"
            width="12" height="12" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M5.5 3 10.5 8l-5 5-1-1 4-4-4-4 1-1z"/>
        </svg>
    }
}
