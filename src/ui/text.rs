//! Display helpers: labels, plurals, DOM-safe ids and the evaluator's
//! messages made readable (ids in backticks shown as names). Presentation
//! only: no permission rule lives here.

use crate::eval::flags::{FlagState, Ineffective, Origin, Via};
use crate::eval::{PIdx, RIdx, Team};
use crate::model::catalog::Level;
use crate::model::validate::PrincipalType;
use crate::model::Role;
use yew::prelude::*;

/// `n thing` / `n things`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A string usable inside an HTML `id` (resource and principal ids are opaque).
pub fn dom_id(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub fn type_label(t: PrincipalType) -> &'static str {
    match t {
        PrincipalType::User => "User",
        PrincipalType::Group => "Group",
        PrincipalType::Application => "Application",
        PrincipalType::ApiKey => "API key",
        PrincipalType::OAuthClient => "OAuth client",
    }
}

/// Sort rank of principal types in lists: groups, users, applications, OAuth clients.
pub fn type_rank(t: PrincipalType) -> u8 {
    match t {
        PrincipalType::Group => 0,
        PrincipalType::User => 1,
        PrincipalType::Application => 2,
        PrincipalType::OAuthClient => 3,
        PrincipalType::ApiKey => 4,
    }
}

pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::Admin => "Admin",
        Role::Analyst => "Analyst",
        Role::Member => "Member",
    }
}

/// "Carla Mendes" for a user, "group Finance" etc. for the others (in sentences).
pub fn principal_phrase(team: &Team, p: PIdx) -> String {
    let info = team.principal(p);
    match info.ptype {
        PrincipalType::User => info.name.clone(),
        t => format!("{} {}", t.label(), info.name),
    }
}

/// "Space Sales".
pub fn resource_label(team: &Team, r: RIdx) -> String {
    format!("{} {}", team.kind_of(r).label, team.resource(r).name)
}

pub fn resource_label_by_id(team: &Team, id: &str) -> String {
    match team.resource_idx(id) {
        Some(r) => resource_label(team, r),
        None => id.to_string(),
    }
}

/// "Studio › Sales › Order to Cash".
pub fn breadcrumb(team: &Team, r: RIdx) -> String {
    team.path_to(r)
        .iter()
        .map(|&x| team.resource(x).name.clone())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// Whether a resource's kind is a Studio asset (an object below a package).
pub fn is_asset(team: &Team, r: RIdx) -> bool {
    let kind = team.kind_of(r);
    kind.level == Level::Object
        && kind
            .parent
            .is_some_and(|pk| team.catalog.kind(pk).id == "package")
}

/// "assets", "packages", "data models": how to count resources of `r`'s kind.
pub fn kind_noun(team: &Team, r: RIdx, n: usize) -> String {
    if is_asset(team, r) {
        return count(n, "asset", "assets");
    }
    let label = team.kind_of(r).label.to_lowercase();
    count(n, &label, &format!("{label}s"))
}

/// The label of permission `flag` of `r`'s kind.
pub fn flag_label(team: &Team, r: RIdx, flag: &str) -> String {
    team.kind_of(r)
        .perms
        .iter()
        .find(|p| p.id == flag)
        .map(|p| p.label.clone())
        .unwrap_or_else(|| flag.to_string())
}

pub fn flag_label_by_id(team: &Team, resource: &str, flag: &str) -> String {
    match team.resource_idx(resource) {
        Some(r) => flag_label(team, r, flag),
        None => flag.to_string(),
    }
}

/// The label of capability `cap` of `r`'s kind.
pub fn cap_label(team: &Team, r: RIdx, cap: &str) -> String {
    team.kind_of(r)
        .caps
        .iter()
        .find(|c| c.id == cap)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| cap.to_string())
}

fn group_name(team: &Team, id: &str) -> String {
    team.principal_idx(id)
        .map(|g| team.principal(g).name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// "from Space Sales via group Finance" for an inherited flag.
pub fn origin_phrase(team: &Team, origin: &Origin) -> String {
    let from = resource_label_by_id(team, &origin.resource);
    let perm = flag_label_by_id(team, &origin.resource, &origin.permission);
    let via = match &origin.via {
        Via::Group { group } => format!(", via group {}", group_name(team, group)),
        Via::ApiKeyOwner { owner } => format!(", via owner {}", group_name(team, owner)),
        Via::RoleAdmin => ", as an admin".to_string(),
        _ => String::new(),
    };
    format!("from {from} ({perm}){via}")
}

/// The reason a held flag is not effective, in words.
pub fn ineffective_phrase(team: &Team, r: RIdx, who: &str, reason: &Ineffective) -> String {
    match reason {
        Ineffective::Role => {
            format!("needs the Analyst role; the effective role of {who} is Member")
        }
        Ineffective::Scope => format!("the OAuth scopes of {who} do not allow it"),
        Ineffective::Requires(partner) => format!(
            "requires {}, which {who} does not have here",
            flag_label(team, r, partner)
        ),
    }
}

/// Short reason badge text: "role", "requires Edit package", "scope".
pub fn ineffective_short(team: &Team, r: RIdx, reason: &Ineffective) -> String {
    match reason {
        Ineffective::Role => "needs Analyst role".into(),
        Ineffective::Scope => "outside OAuth scope".into(),
        Ineffective::Requires(p) => format!("requires {}", flag_label(team, r, p)),
    }
}

/// One source of a held flag, in words.
pub fn via_phrase(team: &Team, r: RIdx, via: &Via) -> String {
    match via {
        Via::Direct => "granted directly here".into(),
        Via::Group { group } => format!("granted here to group {}", group_name(team, group)),
        Via::RoleAdmin => "held by every admin".into(),
        Via::ApiKeyOwner { owner } => format!("held by its owner {}", group_name(team, owner)),
        Via::Implied { flag } => format!("implied by {}", flag_label(team, r, flag)),
        Via::Flow { from, flag } => format!(
            "flows from {} ({})",
            resource_label_by_id(team, from),
            flag_label_by_id(team, from, flag)
        ),
    }
}

/// The evaluator's view of one flag as sentences (for the Why? dialog of a cell).
pub fn flag_sentences(team: &Team, p: PIdx, r: RIdx, state: &FlagState) -> Vec<String> {
    let who = principal_phrase(team, p);
    let label = flag_label(team, r, &state.permission);
    let on = resource_label(team, r);
    if !state.held {
        return vec![format!(
            "{who} does not hold {label} on {on}: it is not granted to them, any of their groups, or above it."
        )];
    }
    let mut out = Vec::new();
    let ways: Vec<String> = state
        .sources
        .iter()
        .map(|s| via_phrase(team, r, &s.via))
        .collect();
    out.push(format!("{who} holds {label} on {on}: {}.", ways.join("; ")));
    if let Some(origin) = &state.origin {
        if state.inherited {
            out.push(format!(
                "It is inherited {}, so it is locked here: the highest level overrides.",
                origin_phrase(team, origin)
            ));
        }
    }
    if state.redundant {
        out.push(
            "The grant here is redundant: the permission already flows from above.".to_string(),
        );
    }
    match &state.reason {
        Some(reason) => out.push(format!(
            "It is not effective: it {}.",
            ineffective_phrase(team, r, &who, reason)
        )),
        None => out.push("It is effective.".to_string()),
    }
    out
}

/// Renders an evaluator message with `ids` in backticks as names where they
/// name a principal or a resource, and as code otherwise.
pub fn message_html(team: &Team, msg: &str) -> Html {
    let context = context_resource(team, msg);
    let mut parts = Vec::new();
    for (i, piece) in msg.split('`').enumerate() {
        if i % 2 == 0 {
            if !piece.is_empty() {
                parts.push(html! { {piece.to_string()} });
            }
        } else if let Some(p) = team.principal_idx(piece) {
            parts.push(html! { <strong>{ principal_phrase(team, p) }</strong> });
        } else if let Some(r) = team.resource_idx(piece) {
            parts.push(html! { <strong>{ resource_label(team, r) }</strong> });
        } else if let Some(label) = context.and_then(|r| perm_label(team, r, piece)) {
            parts.push(html! { <strong>{ label }</strong> });
        } else {
            parts.push(html! { <code>{ piece.to_string() }</code> });
        }
    }
    html! { <>{ for parts }</> }
}

/// The first resource a message names in backticks (its kind labels the flags).
fn context_resource(team: &Team, msg: &str) -> Option<RIdx> {
    msg.split('`')
        .skip(1)
        .step_by(2)
        .find_map(|piece| team.resource_idx(piece))
}

fn perm_label(team: &Team, r: RIdx, id: &str) -> Option<String> {
    team.kind_of(r)
        .perms
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.label.clone())
}

/// The same as plain text (for `title` and `aria-label`).
pub fn message_text(team: &Team, msg: &str) -> String {
    let context = context_resource(team, msg);
    let mut out = String::new();
    for (i, piece) in msg.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(piece);
        } else if let Some(p) = team.principal_idx(piece) {
            out.push_str(&principal_phrase(team, p));
        } else if let Some(r) = team.resource_idx(piece) {
            out.push_str(&resource_label(team, r));
        } else if let Some(label) = context.and_then(|r| perm_label(team, r, piece)) {
            out.push_str(&label);
        } else {
            out.push_str(piece);
        }
    }
    out
}
