//! The evaluator's words: labels and phrases for principals, resources,
//! flags, their sources and the reasons they are ineffective. Explanations,
//! the UI and the JS API all say things the same way through these.

use super::flags::{FlagState, Ineffective, Origin, Via};
use super::team::{PrincipalIdx, ResourceIdx, Team};
use crate::model::catalog::Cond;
use crate::model::validate::PrincipalType;

/// `12345` → `12,345`.
pub fn thousands(n: usize) -> String {
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

/// "Carla Mendes" for a user, "group Finance" etc. for the others (in sentences).
pub fn principal_phrase(team: &Team, p: PrincipalIdx) -> String {
    let info = team.principal(p);
    match info.ptype {
        PrincipalType::User => info.name.clone(),
        t => format!("{} {}", t.label(), info.name),
    }
}

/// "Space Sales".
pub fn resource_label(team: &Team, r: ResourceIdx) -> String {
    let (kind, name) = (&team.kind_of(r).label, &team.resource(r).name);
    // A service is usually named as its kind: "Studio", not "Studio Studio".
    if name == kind {
        name.clone()
    } else {
        format!("{kind} {name}")
    }
}

pub fn resource_label_by_id(team: &Team, id: &str) -> String {
    match team.resource_idx(id) {
        Some(r) => resource_label(team, r),
        None => id.to_string(),
    }
}

/// The label of permission `flag` of `r`'s kind.
pub fn flag_label(team: &Team, r: ResourceIdx, flag: &str) -> String {
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
pub fn cap_label(team: &Team, r: ResourceIdx, cap: &str) -> String {
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
pub fn ineffective_phrase(team: &Team, r: ResourceIdx, who: &str, reason: &Ineffective) -> String {
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

/// One source of a held flag, in words.
pub fn via_phrase(team: &Team, r: ResourceIdx, via: &Via) -> String {
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
pub fn flag_sentences(
    team: &Team,
    p: PrincipalIdx,
    r: ResourceIdx,
    state: &FlagState,
) -> Vec<String> {
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

/// What holding `flag` on `r` lets a principal do, read from the catalog:
/// the capabilities it (or a flag it implies) turns on there, then what it
/// flows down as ("Rename, See in navigation"; "Edit package on every
/// Package in it"). Empty for a flag the catalog gives no effect of its own.
pub fn flag_effects(team: &Team, r: ResourceIdx, flag: &str) -> Vec<String> {
    let kind = team.kind_of(r);
    let Some(bit) = kind.perm_bit(flag) else {
        return Vec::new();
    };
    let held = kind.close(bit);
    let mut out: Vec<String> = kind
        .caps
        .iter()
        .filter(|cap| {
            cap.any
                .iter()
                .any(|c| matches!(c, Cond::FlagSelf(b) if held.intersects(*b)))
        })
        .map(|cap| cap.label.clone())
        .collect();
    // What flows down, once per flag however many child kinds receive it:
    // (flag label, the partner it needs, the child kinds).
    let mut flows: Vec<(&str, Option<String>, Vec<&str>)> = Vec::new();
    for child in &team.catalog.kinds {
        if child.parent != Some(team.resource(r).kind) {
            continue;
        }
        for f in child.inflows.iter().filter(|f| f.from.intersects(held)) {
            let to = child.flag_id(f.to);
            let what = child
                .perms
                .iter()
                .find(|p| p.id == to)
                .map_or(to, |p| p.label.as_str());
            let with =
                (!f.while_held.is_empty()).then(|| flag_label(team, r, kind.flag_id(f.while_held)));
            match flows.iter_mut().find(|(w, p, _)| *w == what && *p == with) {
                Some((_, _, kinds)) => kinds.push(&child.label),
                None => flows.push((what, with, vec![&child.label])),
            }
        }
    }
    out.extend(flows.into_iter().map(|(what, with, kinds)| {
        let place = match kinds.as_slice() {
            [one] => format!("every {one} in it"),
            _ => "everything in it".to_string(),
        };
        match with {
            Some(partner) => format!("{what} on {place} (with {partner})"),
            None => format!("{what} on {place}"),
        }
    }));
    out
}

/// One piece of an evaluator message: plain text, a name, or code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Name(String),
    Code(String),
}

/// An evaluator message (ids in backticks, as the evaluator writes them) in
/// pieces, with what the ids name: principals by
/// name, resources as "Space Sales" (or just "Sales" right after the kind's
/// label, dropping a following "(Sales)"), permission ids of the first named
/// resource's kind by label.
pub fn readable(team: &Team, msg: &str) -> Vec<Piece> {
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

/// An evaluator message as plain text with its ids named (see [`readable`]).
pub fn message_text(team: &Team, msg: &str) -> String {
    readable(team, msg)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Name(t) | Piece::Code(t) => t,
        })
        .collect()
}
