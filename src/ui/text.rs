//! Display helpers: labels, plurals, DOM-safe ids and the evaluator's
//! messages made readable (ids in backticks shown as names). Presentation
//! only: no permission rule lives here. The words about principals, resources,
//! flags and their sources are the evaluator's (`eval::words`), re-exported.

use crate::eval::flags::Ineffective;
use crate::eval::words::thousands;
use crate::eval::{ResourceIdx, Team};
use crate::model::catalog::Level;
use crate::model::Role;
use yew::prelude::*;

pub use crate::eval::words::{
    cap_label, capitalize, flag_label, flag_label_by_id, flag_sentences, ineffective_phrase,
    message_text, origin_phrase, principal_phrase, readable, resource_label, resource_label_by_id,
    via_phrase, Piece,
};

/// `n thing` / `n things` (thousands separated: `10,000 users`).
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
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

pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::Admin => "Admin",
        Role::Analyst => "Analyst",
        Role::Member => "Member",
    }
}

/// "Studio › Sales › Order to Cash".
pub fn breadcrumb(team: &Team, r: ResourceIdx) -> String {
    team.path_to(r)
        .iter()
        .map(|&x| team.resource(x).name.clone())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// Whether a resource's kind is a Studio asset (an object below a package).
pub fn is_asset(team: &Team, r: ResourceIdx) -> bool {
    let kind = team.kind_of(r);
    kind.level == Level::Object
        && kind
            .parent
            .is_some_and(|pk| team.catalog.kind(pk).id == "package")
}

/// The string with its first letter in lower case, the rest as it is (names
/// keep their case: "Inherited from Space Sales" → "inherited from Space Sales").
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "assets", "packages", "data models": how to count resources of `r`'s kind.
pub fn kind_noun(team: &Team, r: ResourceIdx, n: usize) -> String {
    if is_asset(team, r) {
        return count(n, "asset", "assets");
    }
    let label = team.kind_of(r).label.to_lowercase();
    count(n, &label, &format!("{label}s"))
}

/// Short reason badge text: "role", "requires Edit package", "scope".
pub fn ineffective_short(team: &Team, r: ResourceIdx, reason: &Ineffective) -> String {
    match reason {
        Ineffective::Role => "needs Analyst role".into(),
        Ineffective::Scope => "outside OAuth scope".into(),
        Ineffective::Requires(p) => format!("requires {}", flag_label(team, r, p)),
    }
}

/// Renders an evaluator message with its ids named (`eval::words::readable`).
pub fn message_html(team: &Team, msg: &str) -> Html {
    let parts = readable(team, msg).into_iter().map(|p| match p {
        Piece::Text(t) => html! { { t } },
        Piece::Name(n) => html! { <strong>{ n }</strong> },
        Piece::Code(c) => html! { <code>{ c }</code> },
    });
    html! { <>{ for parts }</> }
}

/// The errors of a refused change set, as one readable sentence.
pub fn problems_text(team: &Team, problems: &crate::model::Problems) -> String {
    let msgs: Vec<String> = problems
        .errors()
        .map(|p| message_text(team, &p.message))
        .collect();
    if msgs.is_empty() {
        "the change was refused".to_string()
    } else {
        msgs.join("; ")
    }
}

/// What the dialog says about saving.
pub mod saving {
    use super::{count, message_text};
    use crate::backend::SavedMeanwhile;
    use crate::eval::{Dropped, Op, Rebased, Team};

    pub const NO_BACKEND: &str = "There is nowhere to save to: no backend is configured.";
    pub const REJECTED: &str = "Nothing was saved:";
    pub const FAILED: &str = "Saving failed:";
    pub const FIX_DRAFT_FIRST: &str = "Save waits until the data permissions are fixed —";
    pub const AFTER_PREVIEW: &str = "Saving once the preview is up to date…";
    pub const IN_FLIGHT: &str = "Saving…";
    pub const EDITS_KEPT: &str = "Nothing was saved; your changes are still here, so try again.";

    /// A dialog reopened with the unsaved edits kept before a reload.
    pub fn restored(kept: usize, refused: usize) -> String {
        let mut out = format!(
            "Restored {} not saved before the page was reloaded",
            count(kept, "edit", "edits")
        );
        if refused > 0 {
            out.push_str(&format!(
                "; {} no longer {} and {} left out",
                count(refused, "edit", "edits"),
                if refused == 1 { "applies" } else { "apply" },
                if refused == 1 { "was" } else { "were" }
            ));
        }
        out.push_str(". Check the preview, then save or discard them.");
        out
    }

    /// The backend could not be reached; an automatic retry is scheduled.
    pub fn retrying(why: &str, in_seconds: u32, retry: usize, retries: usize) -> String {
        format!(
            "{FAILED} {why}. Nothing was saved; your changes are still here, and saving is tried again in {in_seconds} s (retry {retry} of {retries})."
        )
    }
    pub const GONE: &str =
        "Someone else saved first, and this resource or the acting user no longer exists there. Close the dialog to see the current permissions.";

    /// How many of the changes saved meanwhile are named one by one.
    const MEANWHILE_NAMED: usize = 5;

    /// After someone else saved first: what they saved (when the backend
    /// says) and what became of the pending edits.
    pub fn conflict(team: &Team, rebased: &Rebased, meanwhile: &[SavedMeanwhile]) -> String {
        let mut out = String::from("Someone else saved these permissions first");
        if !meanwhile.is_empty() {
            let named: Vec<String> = meanwhile
                .iter()
                .take(MEANWHILE_NAMED)
                .map(|m| saved_meanwhile_text(team, m))
                .collect();
            out.push_str(&format!(": {}", named.join("; ")));
            let more = meanwhile.len().saturating_sub(MEANWHILE_NAMED);
            if more > 0 {
                out.push_str(&format!(" (and {} more)", count(more, "change", "changes")));
            }
        }
        out.push_str(&format!(
            ". Your edits now apply to their version ({} kept)",
            count(rebased.kept.len(), "edit", "edits")
        ));
        let dropped: Vec<String> = rebased
            .dropped
            .iter()
            .map(|(op, why)| format!("{} ({})", op_text(team, op), dropped_text(team, why)))
            .collect();
        if !dropped.is_empty() {
            out.push_str(&format!("; dropped: {}", dropped.join("; ")));
        }
        out.push_str(". Check the preview and save again.");
        out
    }

    /// "Ana Lima granted Edit package to Bo Berg on Package O2C at 2026-11-29 20:30".
    fn saved_meanwhile_text(team: &Team, m: &SavedMeanwhile) -> String {
        let did = match &m.op {
            Op::Grant(g) => format!(
                "granted `{}` to `{}` on `{}`",
                g.permission, g.principal, g.resource
            ),
            Op::Revoke(g) => format!(
                "revoked `{}` from `{}` on `{}`",
                g.permission, g.principal, g.resource
            ),
            Op::SetDataPermissions(d) => {
                format!("changed the data permissions of `{}`", d.data_model)
            }
        };
        let utc = if m.at.ends_with('Z') || m.at.ends_with("+00:00") {
            " UTC"
        } else {
            ""
        };
        let when = format!("{}{utc}", m.at.get(..16).unwrap_or(&m.at).replace('T', " "));
        message_text(team, &format!("`{}` {did} at {when}", m.actor))
    }

    fn op_text(team: &Team, op: &Op) -> String {
        let text = match op {
            Op::Grant(g) => format!("granting `{}` to `{}`", g.permission, g.principal),
            Op::Revoke(g) => format!("revoking `{}` from `{}`", g.permission, g.principal),
            Op::SetDataPermissions(d) => format!("the data permissions of `{}`", d.data_model),
        };
        message_text(team, &text)
    }

    fn dropped_text(team: &Team, why: &Dropped) -> String {
        match why {
            Dropped::AlreadyThere => "already so".into(),
            Dropped::ChangedMeanwhile => "changed by someone else meanwhile".into(),
            Dropped::Refused(problems) => super::problems_text(team, problems),
        }
    }
}
