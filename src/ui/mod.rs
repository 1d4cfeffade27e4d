//! Yew components (placeholder until the dialogs land).
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! { <main id="app-root"><h1>{ "Permissions" }</h1></main> }
}
