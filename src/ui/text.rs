//! Display helpers: labels, plurals, DOM-safe ids and the evaluator's
//! messages made readable (ids in backticks shown as names). Presentation
//! only: no permission rule lives here.

use crate::eval::flags::{FlagState, Ineffective, Origin, Via};
use crate::eval::{PIdx, RIdx, Team};
use crate::model::catalog::Level;
use crate::model::validate::PrincipalType;
use crate::model::Role;
use yew::prelude::*;

/// `n thing` / `n things` (thousands separated: `10,000 users`).
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", num(n))
    }
}

/// `12345` → `12,345`.
pub fn num(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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

/// The string with its first letter in upper case.
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The evaluator's view of one flag as sentences (for the Why? dialog of a cell).
pub fn flag_sentences(team: &Team, p: PIdx, r: RIdx, state: &FlagState) -> Vec<String> {
    let who = principal_phrase(team, p);
    let label = flag_label(team, r, &state.permission);
    let on = resource_label(team, r);
    if !state.held {
        return vec![capitalize(&format!(
            "{who} does not hold {label} on {on}: it is not granted to them, any of their groups, or above it."
        ))];
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
    out.iter().map(|s| capitalize(s)).collect()
}

/// One piece of an evaluator message: plain text, a name, or code.
enum Piece {
    Text(String),
    Name(String),
    Code(String),
}

/// Splits a message on backticks and names what the ids name: principals by
/// name, resources as "Space Sales" (or just "Sales" right after the kind's
/// label, dropping a following "(Sales)"), permission ids of the first named
/// resource's kind by label.
fn pieces(team: &Team, msg: &str) -> Vec<Piece> {
    let context = msg
        .split('`')
        .skip(1)
        .step_by(2)
        .find_map(|piece| team.resource_idx(piece));
    let raw: Vec<&str> = msg.split('`').collect();
    let mut out: Vec<Piece> = Vec::new();
    let mut skip_paren: Option<String> = None;
    for (i, piece) in raw.iter().enumerate() {
        if i % 2 == 0 {
            let mut text = piece.to_string();
            if let Some(p) = skip_paren.take() {
                if let Some(rest) = text.strip_prefix(&p) {
                    text = rest.to_string();
                }
            }
            if !text.is_empty() {
                out.push(Piece::Text(text));
            }
        } else if let Some(p) = team.principal_idx(piece) {
            out.push(Piece::Name(principal_phrase(team, p)));
        } else if let Some(r) = team.resource_idx(piece) {
            let kind = &team.kind_of(r).label;
            let name = &team.resource(r).name;
            let after_kind =
                matches!(out.last(), Some(Piece::Text(t)) if t.ends_with(&format!("{kind} ")));
            out.push(Piece::Name(if after_kind {
                name.clone()
            } else {
                format!("{kind} {name}")
            }));
            skip_paren = Some(format!(" ({name})"));
        } else if let Some(label) = context.and_then(|r| {
            team.kind_of(r)
                .perms
                .iter()
                .find(|p| p.id == *piece)
                .map(|p| p.label.clone())
        }) {
            out.push(Piece::Name(label));
        } else {
            out.push(Piece::Code(piece.to_string()));
        }
    }
    out
}

/// Renders an evaluator message with the ids in backticks named (see [`pieces`]).
pub fn message_html(team: &Team, msg: &str) -> Html {
    let parts = pieces(team, msg).into_iter().map(|p| match p {
        Piece::Text(t) => html! { { t } },
        Piece::Name(n) => html! { <strong>{ n }</strong> },
        Piece::Code(c) => html! { <code>{ c }</code> },
    });
    html! { <>{ for parts }</> }
}

/// The same as plain text (for `title` and `aria-label`).
pub fn message_text(team: &Team, msg: &str) -> String {
    pieces(team, msg)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Name(t) | Piece::Code(t) => t,
        })
        .collect()
}
