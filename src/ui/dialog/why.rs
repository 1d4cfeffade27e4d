//! "Why?": the evaluator's explanation of a grid cell (a flag) or a preview
//! row (a capability or a data-access change), as readable sentences, in a
//! modal above the permissions dialog. With pending changes it explains the
//! state after them, and the state before them beside it.

use crate::eval::team::Overlay;
use crate::eval::{PrincipalIdx, ResourceIdx, Team, View};
use crate::model::catalog::Cond;
use crate::model::snapshot::{DataEntry, DataPermissions};
use crate::ui::data_permissions::access_html;
use crate::ui::explain::ExplainView;
use crate::ui::hooks::ByPtr;
use crate::ui::modal::Modal;
use crate::ui::text::{cap_label, flag_label, flag_sentences, principal_phrase, resource_label};
use std::rc::Rc;
use yew::prelude::*;

/// What a Why? button explains.
#[derive(Clone, Debug, PartialEq)]
pub enum WhyTarget {
    /// A grid cell: a flag of the dialog's resource.
    Flag {
        principal: PrincipalIdx,
        flag: String,
    },
    /// A capability on any resource (preview rows).
    Capability {
        principal: PrincipalIdx,
        resource: ResourceIdx,
        capability: String,
    },
    /// Data access on a data model (preview rows).
    DataAccess {
        principal: PrincipalIdx,
        model: ResourceIdx,
    },
}

#[derive(Properties, PartialEq)]
pub struct WhyProps {
    pub team: ByPtr<Team>,
    pub overlay: ByPtr<Overlay>,
    /// Whether there are pending changes (the overlay is not empty).
    pub pending: bool,
    /// The dialog's resource (for flags).
    pub resource: ResourceIdx,
    pub target: WhyTarget,
    pub on_close: Callback<()>,
    /// DOM id to return focus to when it closes.
    pub return_focus: Option<AttrValue>,
}

fn sentences(lines: Vec<String>) -> Html {
    html! {
        <ul class="why-sentences">
            { for lines.into_iter().map(|l| html! { <li>{ l }</li> }) }
        </ul>
    }
}

/// The evaluator's explanation of capability `cap` of `p` on `r` in `view`.
fn explain(
    team: &Rc<Team>,
    view: View,
    (p, r): (PrincipalIdx, ResourceIdx),
    cap: u8,
    note: &'static str,
) -> Html {
    html! {
        <ExplainView explanation={view.explain(p, r, cap)} team={Some(team.clone())}
            note={Some(AttrValue::Static(note))} />
    }
}

/// The views before and after the pending changes.
struct Views<'a> {
    before: View<'a>,
    after: View<'a>,
    pending: bool,
}

impl Views<'_> {
    /// How the explanation of the state after the changes is labelled.
    fn after_note(&self) -> &'static str {
        if self.pending {
            "with pending changes"
        } else {
            "now"
        }
    }
}

/// Why a grid cell is as it is: the flag's sentences (after, and before
/// when it differs), and the capabilities that read it.
fn flag_why(
    team: &Rc<Team>,
    v: &Views,
    (p, r): (PrincipalIdx, ResourceIdx),
    flag: &str,
) -> (String, Html) {
    let title = format!(
        "Why? {} for {}",
        flag_label(team, r, flag),
        team.principal(p).name
    );
    let a = v.after.flag_state_by_id(p, r, flag);
    let b = v.before.flag_state_by_id(p, r, flag);
    let kind = team.kind_of(r);
    let bit = kind.perm_bit(flag).unwrap_or_default();
    // Capabilities of this kind that read this flag on the resource itself.
    let caps: Vec<u8> = kind
        .caps
        .iter()
        .enumerate()
        .filter(|(_, c)| c.any.contains(&Cond::FlagSelf(bit)))
        .map(|(i, _)| i as u8)
        .collect();
    let body = html! {
        <>
            <section class="why-section" aria-labelledby="why-flag-h">
                <h3 id="why-flag-h">{ format!("The permission on {}", resource_label(team, r)) }</h3>
                if let Some(a) = &a {
                    if v.pending && b.as_ref() != Some(a) {
                        <p class="why-note">{ "With the pending changes:" }</p>
                    }
                    { sentences(flag_sentences(team, p, r, a)) }
                }
                if v.pending {
                    if let Some(b) = b.as_ref().filter(|b| Some(*b) != a.as_ref()) {
                        <p class="why-note">{ "Before the pending changes:" }</p>
                        { sentences(flag_sentences(team, p, r, b)) }
                    }
                }
            </section>
            if !caps.is_empty() {
                <section class="why-section" aria-labelledby="why-caps-h">
                    <h3 id="why-caps-h">{ "What it lets them do" }</h3>
                    { for caps.iter().map(|&c| explain(team, v.after, (p, r), c, v.after_note())) }
                </section>
            }
        </>
    };
    (title, body)
}

/// Why a principal has a capability or not: after (and, with pending
/// changes, now).
fn capability_why(
    team: &Rc<Team>,
    v: &Views,
    (p, r): (PrincipalIdx, ResourceIdx),
    capability: &str,
) -> (String, Html) {
    let title = format!(
        "Why? {} on {} for {}",
        cap_label(team, r, capability),
        resource_label(team, r),
        team.principal(p).name
    );
    let body = match team.kind_of(r).cap_index(capability) {
        Some(c) => html! {
            <>
                <section class="why-section" aria-labelledby="why-after-h">
                    <h3 id="why-after-h">{ if v.pending { "After saving" } else { "Now" } }</h3>
                    { explain(team, v.after, (p, r), c, v.after_note()) }
                </section>
                if v.pending {
                    <section class="why-section" aria-labelledby="why-before-h">
                        <h3 id="why-before-h">{ "Now" }</h3>
                        { explain(team, v.before, (p, r), c, "before the pending changes") }
                    </section>
                }
            </>
        },
        None => html! { <p>{ "This capability is not defined for this resource." }</p> },
    };
    (title, body)
}

/// A data permission entry in a sentence: "Ken Watanabe: unlimited access",
/// "Sales: VBAK.BUKRS ∈ {1000, 2000}".
fn entry_sentence(team: &Team, e: &DataEntry) -> String {
    let whose = team
        .principal_idx(&e.principal)
        .map(|x| principal_phrase(team, x))
        .unwrap_or_else(|| e.principal.clone());
    if e.is_unlimited() {
        return format!("{whose}: unlimited access");
    }
    let rules = e
        .rules
        .as_ref()
        .map(|rs| {
            rs.iter()
                .map(|x| format!("{}.{} ∈ {{{}}}", x.table, x.column, x.values.join(", ")))
                .collect::<Vec<_>>()
                .join(" AND ")
        })
        .unwrap_or_default();
    format!("{whose}: {rules}")
}

/// What data permissions on a model mean for everyone, in a sentence.
fn data_permissions_state(dp: Option<&DataPermissions>) -> &'static str {
    match dp {
        None => "Data permissions are not set up on this model, so everyone who can use it sees all its data.",
        Some(d) if !d.enabled => "Data permissions are switched off, so everyone who can use the model sees all its data.",
        Some(d) if d.entries.is_empty() => "Data permissions are on without entries, so everyone who can use the model sees all its data.",
        Some(_) => "Data permissions are on: the entries that apply decide.",
    }
}

/// A principal's data access on a model in one view: what it gets, the
/// state of data permissions, the entries that apply, and why it may use
/// the model.
fn data_part(
    team: &Rc<Team>,
    v: View,
    (p, r): (PrincipalIdx, ResourceIdx),
    use_cap: Option<u8>,
    (label, id): (&'static str, &'static str),
) -> Html {
    let who = principal_phrase(team, p);
    let access = v.data_access(p, r);
    let applicable: Vec<String> = v
        .applicable_entries(p, r)
        .iter()
        .map(|e| entry_sentence(team, e))
        .collect();
    html! {
        <section class="why-section" aria-labelledby={id}>
            <h3 id={id}>{ label }</h3>
            <p>
                { format!("{who} gets: ") }
                if let Some(a) = &access { { access_html(a) } }
            </p>
            <p>{ data_permissions_state(v.data_permissions(r)) }</p>
            if !applicable.is_empty() {
                <p>{ "Entries that apply:" }</p>
                { sentences(applicable) }
            }
            if let Some(c) = use_cap {
                { explain(team, v, (p, r), c, label) }
            }
        </section>
    }
}

#[function_component(WhyDialog)]
pub fn why_dialog(props: &WhyProps) -> Html {
    let team = &props.team.0;
    let v = Views {
        before: team.view(),
        after: View::with_overlay(team, &props.overlay.0),
        pending: props.pending,
    };
    let (title, body) = match &props.target {
        WhyTarget::Flag { principal, flag } => {
            flag_why(team, &v, (*principal, props.resource), flag)
        }
        WhyTarget::Capability {
            principal,
            resource,
            capability,
        } => capability_why(team, &v, (*principal, *resource), capability),
        WhyTarget::DataAccess { principal, model } => {
            let (p, r) = (*principal, *model);
            let title = format!(
                "Why? Data access on {} for {}",
                resource_label(team, r),
                team.principal(p).name
            );
            let use_cap = v.after.use_cap_of_model(r);
            let body = html! {
                <>
                    { data_part(team, v.after, (p, r), use_cap, (if v.pending { "After saving" } else { "Now" }, "why-da-after")) }
                    if v.pending { { data_part(team, v.before, (p, r), use_cap, ("Now", "why-da-before")) } }
                </>
            };
            (title, body)
        }
    };
    let close = props.on_close.clone();
    let footer = html! {
        <>
            <span class="footer-spacer"></span>
            <button type="button" class="button button-primary" id="why-close"
                onclick={Callback::from(move |_| close.emit(()))}>{ "Close" }</button>
        </>
    };
    html! {
        <Modal id="why-dialog" title={title} class="modal-medium" on_close={props.on_close.clone()}
            {footer} initial_focus={Some(AttrValue::Static("why-close"))}
            return_focus={props.return_focus.clone()}>
            <div class="why-body" data-testid="why-body">{ body }</div>
        </Modal>
    }
}
