//! A dialog's link: `#permissions/<resource id>` (`/data` or `/check` for
//! those tabs), in the page's address while the dialog is open, so that an
//! administrator can bookmark or share it; opening the page at such an
//! address opens the dialog.

use crate::eval::{ResourceIdx, Team};
use crate::ui::dialog::state::Tab;

const PREFIX: &str = "#permissions/";

/// The address fragment of `r`'s dialog on `tab`.
pub fn dialog_link(team: &Team, r: ResourceIdx, tab: Tab) -> String {
    let id = String::from(js_sys::encode_uri_component(&team.resource(r).id));
    match tab {
        Tab::Permissions => format!("{PREFIX}{id}"),
        Tab::Data => format!("{PREFIX}{id}/data"),
        Tab::Check => format!("{PREFIX}{id}/check"),
    }
}

/// Why a link cannot be followed (shown in the page's banner).
#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    UnknownResource(String),
    UnknownTab(String),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::UnknownResource(id) => write!(
                f,
                "The link names a resource that does not exist here: “{id}”."
            ),
            LinkError::UnknownTab(tab) => write!(
                f,
                "The link names a tab that does not exist: “{tab}” (permissions, data or check)."
            ),
        }
    }
}

/// The dialog `fragment` (the address's `#…`) links to: `None` when it is
/// no dialog's link.
pub fn linked_dialog(team: &Team, fragment: &str) -> Option<Result<(ResourceIdx, Tab), LinkError>> {
    let rest = fragment.strip_prefix(PREFIX)?;
    let (id, tab) = rest.split_once('/').unwrap_or((rest, ""));
    let id = js_sys::decode_uri_component(id)
        .map(String::from)
        .unwrap_or_else(|_| id.to_string());
    let tab = match tab {
        "" | "permissions" => Tab::Permissions,
        "data" => Tab::Data,
        "check" => Tab::Check,
        other => return Some(Err(LinkError::UnknownTab(other.to_string()))),
    };
    Some(
        team.resource_idx(&id)
            .map(|r| (r, tab))
            .ok_or(LinkError::UnknownResource(id)),
    )
}

/// Whether `fragment` is a dialog's link (known here or not).
pub fn linked_dialog_anywhere(fragment: &str) -> bool {
    fragment.starts_with(PREFIX)
}

/// The page address's fragment (`#…`; empty when it has none).
pub fn current_fragment() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Shows `fragment` in the page's address (`None`: none) without a new
/// history entry.
pub fn show_in_address(fragment: Option<&str>) {
    let location = gloo::utils::window().location();
    let here = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    let url = format!("{here}{}", fragment.unwrap_or_default());
    if let Ok(history) = gloo::utils::window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
