//! [`ExplainView`]: an evaluator [`Explanation`] as readable text — the
//! evaluator's own sentences (a ✓ headline when allowed; a ✗ headline and a
//! bullet per failing condition when not) — plus a collapsible "How" list of
//! every condition with its chain of steps (grant → implied → flow), labelled
//! from the team when one is given and by ids otherwise.
//!
//! Nothing here decides anything: every state shown comes from the
//! explanation.

use crate::eval::explain::{Condition, Explanation};
use crate::eval::flags::{FlagState, Ineffective, Step, Via};
use crate::eval::team::Team;
use crate::eval::words::{cap_label, flag_label_by_id, principal_phrase, resource_label_by_id};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct ExplainViewProps {
    pub explanation: Explanation,
    /// Labels resources, flags and principals; ids are shown without it.
    #[prop_or_default]
    pub team: Option<Rc<Team>>,
    /// A note beside the headline, e.g. "with pending changes".
    #[prop_or_default]
    pub note: Option<AttrValue>,
    /// Open the "How" details initially.
    #[prop_or_default]
    pub how_open: bool,
}

impl PartialEq for ExplainViewProps {
    fn eq(&self, o: &Self) -> bool {
        self.explanation == o.explanation
            && match (&self.team, &o.team) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
            && self.note == o.note
            && self.how_open == o.how_open
    }
}

/// "Space Sales" (the core's words: a service named as its kind once), or
/// the id when it is unknown.
pub fn resource_label(team: Option<&Team>, id: &str) -> String {
    team.map_or_else(|| id.to_string(), |t| resource_label_by_id(t, id))
}

/// A permission's label ("Edit all packages"), or its id.
pub fn flag_label(team: Option<&Team>, resource: &str, flag: &str) -> String {
    team.map_or_else(|| flag.to_string(), |t| flag_label_by_id(t, resource, flag))
}

/// A capability's label ("Rename"), or its id.
pub fn capability_label(team: Option<&Team>, resource: &str, cap: &str) -> String {
    match team.and_then(|t| Some((t, t.resource_idx(resource)?))) {
        Some((t, r)) => cap_label(t, r, cap),
        None => cap.to_string(),
    }
}

/// "group Finance", "Ana Lima", or the id.
pub fn principal_label(team: Option<&Team>, id: &str) -> String {
    match team.and_then(|t| Some((t, t.principal_idx(id)?))) {
        Some((t, p)) => principal_phrase(t, p),
        None => id.to_string(),
    }
}

fn via_text(team: Option<&Team>, via: &Via) -> String {
    match via {
        Via::Direct => "granted directly".into(),
        Via::Group { group } => format!("granted to {}", principal_label(team, group)),
        Via::RoleAdmin => "held through the admin role".into(),
        Via::ApiKeyOwner { owner } => {
            format!("granted to its owner {}", principal_label(team, owner))
        }
        Via::Implied { flag } => format!("implied by {flag}"),
        Via::Flow { from, flag } => format!("flows from {flag} on {from}"),
    }
}

fn step_html(team: Option<&Team>, step: &Step) -> Html {
    match step {
        Step::Grant {
            resource,
            flag,
            via,
        } => html! {
            <li class="explain__step explain__step--grant">
                <span class="explain__step-kind">{ "Grant" }</span>
                <span>
                    <strong>{ flag_label(team, resource, flag) }</strong>
                    { format!(" on {} — {}", resource_label(team, resource), via_text(team, via)) }
                </span>
            </li>
        },
        Step::Implied { resource, from, to } => html! {
            <li class="explain__step explain__step--implied">
                <span class="explain__step-kind">{ "Implies" }</span>
                <span>
                    { format!("{} implies ", flag_label(team, resource, from)) }
                    <strong>{ flag_label(team, resource, to) }</strong>
                    { format!(" on {}", resource_label(team, resource)) }
                </span>
            </li>
        },
        Step::Flow {
            from_resource,
            from_flag,
            to_resource,
            to_flag,
        } => html! {
            <li class="explain__step explain__step--flow">
                <span class="explain__step-kind">{ "Flows" }</span>
                <span>
                    { format!("{} on {} flows to {} as ",
                        flag_label(team, from_resource, from_flag),
                        resource_label(team, from_resource),
                        resource_label(team, to_resource)) }
                    <strong>{ flag_label(team, to_resource, to_flag) }</strong>
                </span>
            </li>
        },
    }
}

fn flag_status(team: Option<&Team>, resource: &str, f: &FlagState) -> String {
    match (&f.reason, f.held, f.effective) {
        (_, false, _) => "not granted".into(),
        (_, true, true) if f.redundant => "effective (also granted here: redundant)".into(),
        (_, true, true) => "effective".into(),
        (Some(Ineffective::Role), ..) => "held, not effective: needs the Analyst role".into(),
        (Some(Ineffective::Scope), ..) => {
            "held, not effective: the OAuth scopes do not allow it".into()
        }
        (Some(Ineffective::Requires(p)), ..) => format!(
            "held, not effective: requires {}",
            flag_label(team, resource, p)
        ),
        (None, ..) => "held, not effective".into(),
    }
}

fn mark(holds: bool) -> Html {
    html! {
        <>
            <span class={classes!("explain__mark", if holds { "explain__mark--yes" } else { "explain__mark--no" })}
                aria-hidden="true">{ if holds { "✓" } else { "✗" } }</span>
            <span class="visually-hidden">{ if holds { "holds: " } else { "does not hold: " } }</span>
        </>
    }
}

fn condition_html(team: Option<&Team>, c: &Condition, depth: u32) -> Html {
    match c {
        Condition::Flag {
            resource,
            holds,
            flag,
            chain,
        } => {
            let status = flag_status(team, resource, flag);
            html! {
                <li class="explain__condition">
                    <div class="explain__cond-head">
                        { mark(*holds) }
                        <span>
                            <strong>{ flag_label(team, resource, &flag.permission) }</strong>
                            { format!(" on {}", resource_label(team, resource)) }
                        </span>
                        <span class="explain__status">{ status }</span>
                    </div>
                    if !chain.is_empty() {
                        <ol class="explain__steps">
                            { for chain.iter().map(|s| step_html(team, s)) }
                        </ol>
                    }
                </li>
            }
        }
        Condition::ParentCapability {
            resource,
            holds,
            explanation,
        } => html! {
            <li class="explain__condition">
                <div class="explain__cond-head">
                    { mark(*holds) }
                    <span>
                        <strong>{ capability_label(team, resource, &explanation.capability) }</strong>
                        { format!(" on {}", resource_label(team, resource)) }
                    </span>
                    <span class="explain__status">{ if *holds { "allowed" } else { "not allowed" } }</span>
                </div>
                if depth < 8 {
                    <ul class="explain__conditions explain__conditions--nested">
                        { for explanation.conditions.iter().map(|c| condition_html(team, c, depth + 1)) }
                    </ul>
                }
            </li>
        },
        Condition::AnyFlag {
            resource,
            children,
            holds,
            except,
            found,
        } => {
            let except = except
                .iter()
                .map(|f| flag_label(team, resource, f))
                .collect::<Vec<_>>()
                .join(", ");
            let what = if *children {
                format!(
                    "Any permission on {} or on what is in it, other than {except}",
                    resource_label(team, resource)
                )
            } else {
                format!(
                    "Any permission on {}, other than {except}",
                    resource_label(team, resource)
                )
            };
            html! {
                <li class="explain__condition">
                    <div class="explain__cond-head">
                        { mark(*holds) }
                        <span>{ what }</span>
                    </div>
                    if !found.is_empty() {
                        <ul class="explain__steps">
                            { for found.iter().map(|(r, f)| html! {
                                <li class="explain__step">
                                    <span class="explain__step-kind">{ "Holds" }</span>
                                    <span>
                                        <strong>{ flag_label(team, r, f) }</strong>
                                        { format!(" on {}", resource_label(team, r)) }
                                    </span>
                                </li>
                            }) }
                        </ul>
                    }
                </li>
            }
        }
    }
}

#[function_component(ExplainView)]
pub fn explain_view(props: &ExplainViewProps) -> Html {
    let e = &props.explanation;
    let team = props.team.as_deref();
    let headline = e.sentences.first().cloned().unwrap_or_else(|| {
        format!(
            "{} {} {} on {}",
            e.principal,
            if e.allowed { "can" } else { "cannot" },
            e.capability,
            e.resource
        )
    });
    let reasons = if e.allowed {
        &[][..]
    } else {
        e.sentences.get(1..).unwrap_or(&[])
    };
    let class = classes!(
        "explain",
        if e.allowed {
            "explain--allowed"
        } else {
            "explain--denied"
        }
    );
    html! {
        <div {class} data-allowed={if e.allowed { "true" } else { "false" }}>
            <p class="explain__headline">
                <span class="explain__icon" aria-hidden="true">{ if e.allowed { "✓" } else { "✗" } }</span>
                <span class="visually-hidden">{ if e.allowed { "Allowed: " } else { "Not allowed: " } }</span>
                <span class="explain__sentence">{ headline }</span>
                if let Some(note) = &props.note {
                    <span class="explain__note">{ note.clone() }</span>
                }
            </p>
            if !reasons.is_empty() {
                <ul class="explain__reasons">
                    { for reasons.iter().map(|s| html! { <li>{ s }</li> }) }
                </ul>
            }
            if !e.conditions.is_empty() {
                <details class="explain__how" open={props.how_open}>
                    <summary>{ "How" }</summary>
                    <ul class="explain__conditions">
                        { for e.conditions.iter().map(|c| condition_html(team, c, 0)) }
                    </ul>
                </details>
            }
        </div>
    }
}
