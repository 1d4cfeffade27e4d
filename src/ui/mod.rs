//! Yew components (placeholder until the dialogs land).
pub mod check_access;
pub mod data_permissions;
pub mod explain;
pub mod principal_picker;

use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! { <main id="app-root"><h1>{ "Permissions" }</h1></main> }
}
