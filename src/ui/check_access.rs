//! [`CheckAccess`]: pick any principal (API keys included) and see what it
//! can do on a resource and everything below it — one row per resource in
//! tree order, each capability of the resource's kind as a ✓ / ✗ chip that
//! opens the evaluator's explanation, and the data access of data models.
//!
//! With an overlay (pending changes) every value is computed on
//! `View::with_overlay`, and it says so. The subtree is evaluated once per
//! principal with `View::walk` (each resource from its parent's context), and
//! only one page of rows is mounted, so a space with thousands of assets
//! stays light.

use super::data_permissions::access_html;
use super::explain::ExplainView;
use super::hooks::{use_fresh_id, ByPtr};
use super::pager::{turn_to, Page, Pager};
use super::principal_picker::{type_badge, PrincipalPicker};
use crate::eval::data_access::DataAccess;
use crate::eval::team::{Overlay, PrincipalIdx, ResourceIdx, Team, View};
use crate::model::validate::PrincipalType;
use crate::model::CapSet;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct CheckAccessProps {
    pub team: Rc<Team>,
    /// Pending changes laid over the team, if any.
    pub overlay: Option<Rc<Overlay>>,
    /// The top of the subtree to check.
    pub resource: ResourceIdx,
    /// The principal to start with.
    #[prop_or_default]
    pub principal: Option<PrincipalIdx>,
    /// Resource rows per page.
    #[prop_or(25)]
    pub page_size: usize,
}

impl PartialEq for CheckAccessProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.team, &o.team)
            && match (&self.overlay, &o.overlay) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a == b,
                (None, None) => true,
                _ => false,
            }
            && self.resource == o.resource
            && self.principal == o.principal
            && self.page_size == o.page_size
    }
}

/// The resource filter is offered from this many rows on.
const FILTER_FROM: usize = 8;

/// One resource of the subtree, evaluated for one principal.
#[derive(Debug, Clone, PartialEq)]
struct AccessRow {
    r: ResourceIdx,
    /// Depth below the checked resource.
    depth: u8,
    caps: CapSet,
    data: Option<DataAccess>,
}

fn view_of<'a>(team: &'a Team, overlay: Option<&'a Overlay>) -> View<'a> {
    match overlay {
        Some(o) => View::with_overlay(team, o),
        None => team.view(),
    }
}

fn evaluate(
    team: &Team,
    overlay: Option<&Overlay>,
    p: PrincipalIdx,
    top: ResourceIdx,
) -> Vec<AccessRow> {
    let view = view_of(team, overlay);
    let base = team.resource(top).depth;
    let mut rows = Vec::new();
    view.walk(p, top, &mut |r, ctx| {
        let data = view
            .use_cap_of_model(r)
            .map(|cap| view.data_access_with(p, r, ctx.caps.has(u32::from(cap))));
        rows.push(AccessRow {
            r,
            depth: team.resource(r).depth.saturating_sub(base),
            caps: ctx.caps,
            data,
        });
    });
    rows
}

#[function_component(CheckAccess)]
pub fn check_access(props: &CheckAccessProps) -> Html {
    let base = use_fresh_id("ca");
    let team = props.team.clone();
    let picked = use_state(|| props.principal);
    let selected = use_state(|| None::<(ResourceIdx, u8)>);
    let page = use_state(|| 0usize);
    let filter = use_state(String::new);

    let valid_resource = props.resource.index() < team.resources.len();
    let principal = (*picked).filter(|&p| p.index() < team.principals.len());

    let rows = use_access_rows(props, principal);
    let on_pick = {
        let (picked, selected, page) = (picked.clone(), selected.clone(), page.clone());
        Callback::from(move |p: PrincipalIdx| {
            picked.set(Some(p));
            selected.set(None);
            page.set(0);
        })
    };
    let on_filter = {
        let (filter, page) = (filter.clone(), page.clone());
        Callback::from(move |v: String| {
            filter.set(v);
            page.set(0);
        })
    };
    if !valid_resource {
        return html! { <p class="ca ca--empty">{ "Unknown resource." }</p> };
    }
    let top = team.resource(props.resource);
    let pending = props.overlay.is_some();

    let who = principal.map(|p| who_html(&team, p, props.resource));

    let q = filter.trim().to_lowercase();
    let visible: Vec<&AccessRow> = rows
        .iter()
        .filter(|row| q.is_empty() || team.resource(row.r).name.to_lowercase().contains(&q))
        .collect();
    let at = Page::of(*page, props.page_size, visible.len());
    let has_models = rows.iter().any(|r| r.data.is_some());
    let explain_id = format!("{base}-explain");

    let on_select = {
        let selected = selected.clone();
        Callback::from(move |s: Option<(ResourceIdx, u8)>| selected.set(s))
    };
    let row_html = |row: &AccessRow| -> Html {
        let Some(p) = principal else {
            return Html::default();
        };
        html! {
            <CheckRow team={ByPtr(team.clone())} overlay={props.overlay.clone().map(ByPtr)}
                principal={p} row={row.clone()} selected={*selected} on_select={on_select.clone()}
                explain_id={explain_id.clone()} {has_models} />
        }
    };
    let on_page = turn_to(&page);
    let exclude: Vec<PrincipalIdx> = principal.into_iter().collect();
    let filter_id = format!("{base}-filter");

    html! {
        <section class="ca" aria-labelledby={format!("{base}-title")}>
            <h3 id={format!("{base}-title")} class="ca__title">
                { "Check access" }
                if pending {
                    <span class="pw-tag pw-tag--pending">{ "with pending changes" }</span>
                }
            </h3>
            <PrincipalPicker team={team.clone()} {exclude} {on_pick} include_api_keys={true}
                label={AttrValue::Static("Check access for")} />
            { who.unwrap_or_default() }
            if principal.is_some() {
                if rows.len() > FILTER_FROM {
                    <CheckFilter id={filter_id} value={(*filter).clone()} {on_filter} count={visible.len()} />
                }
                <table class="pw-table ca__table">
                    <caption class="visually-hidden">{ format!("Capabilities on {} and everything in it", top.name) }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Resource" }</th>
                            <th scope="col">{ "Capabilities (select one to see why)" }</th>
                            if has_models {
                                <th scope="col">{ "Data access" }</th>
                            }
                        </tr>
                    </thead>
                    <tbody>{ for visible[at.start..at.end].iter().map(|r| row_html(r)) }</tbody>
                </table>
                if at.is_paged() {
                    <Pager {at} label="Pages of resources" noun="Resources" {on_page} />
                }
            } else {
                <p class="ca__muted">{ "Pick a user, group, application, OAuth client or API key to see what it can do here." }</p>
            }
        </section>
    }
}

/// What the principal is, and what its access here means (an API key is
/// its owner; a group holds only its own grants; an OAuth client is scoped).
fn who_note(team: &Team, p: PrincipalIdx) -> Option<String> {
    let info = team.principal(p);
    match info.ptype {
        PrincipalType::ApiKey => info.owner.map(|o| {
            format!(
                "An API key acts as its owner: this is exactly the access of {}.",
                team.principal(o).name
            )
        }),
        PrincipalType::Group => Some(
            "A group on its own holds only its own grants; its members may have more.".to_string(),
        ),
        PrincipalType::OAuthClient => {
            Some("An OAuth client's permissions are narrowed by its scopes.".to_string())
        }
        _ => None,
    }
}

/// Whose access is shown, on what, and what it means.
fn who_html(team: &Team, p: PrincipalIdx, r: ResourceIdx) -> Html {
    let info = team.principal(p);
    let top = team.resource(r);
    html! {
        <div class="ca__who" data-principal={info.id.clone()}>
            <p class="ca__who-line">
                { "Access of " }
                { type_badge(info.ptype) }
                <strong>{ &info.name }</strong>
                <span class="ca__muted">{ format!(" ({})", info.id) }</span>
                { format!(" on {} {}{}", team.kind_of(r).label, top.name,
                    if top.children.is_empty() { "" } else { " and everything in it" }) }
            </p>
            if let Some(n) = who_note(team, p) {
                <p class="ca__muted">{ n }</p>
            }
        </div>
    }
}

/// The subtree's rows for the principal (none without one), evaluated once
/// per team, overlay, resource and principal.
#[hook]
fn use_access_rows(
    props: &CheckAccessProps,
    principal: Option<PrincipalIdx>,
) -> Rc<Vec<AccessRow>> {
    use_memo(
        (
            ByPtr(props.team.clone()),
            props.overlay.clone().map(ByPtr),
            props.resource,
            principal,
        ),
        |(t, o, r, p)| match p {
            Some(p) if r.index() < t.0.resources.len() => {
                evaluate(&t.0, o.as_ref().map(|o| &*o.0), *p, *r)
            }
            _ => Vec::new(),
        },
    )
}

#[derive(Properties, PartialEq)]
struct CheckFilterProps {
    id: String,
    value: AttrValue,
    on_filter: Callback<String>,
    /// Resources matching.
    count: usize,
}

/// The resource filter, and how many resources match.
#[function_component(CheckFilter)]
fn check_filter(props: &CheckFilterProps) -> Html {
    let oninput = props
        .on_filter
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let n = props.count;
    html! {
        <div class="ca__tools">
            <label for={props.id.clone()} class="ca__filter-label">{ "Filter resources" }</label>
            <input id={props.id.clone()} type="search" class="pw-input ca__filter"
                value={props.value.clone()} {oninput} placeholder="Name" />
            <span class="ca__muted" role="status">
                { format!("{} resource{}", n, if n == 1 { "" } else { "s" }) }
            </span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CheckRowProps {
    team: ByPtr<Team>,
    overlay: Option<ByPtr<Overlay>>,
    principal: PrincipalIdx,
    row: AccessRow,
    /// The capability chip whose explanation is open (anywhere in the table).
    selected: Option<(ResourceIdx, u8)>,
    on_select: Callback<Option<(ResourceIdx, u8)>>,
    explain_id: AttrValue,
    /// The table has a Data access column.
    has_models: bool,
}

/// One resource's row: its name, a chip per capability (✓ / ✗, opening the
/// explanation under the row), and its data access.
#[function_component(CheckRow)]
fn check_row(props: &CheckRowProps) -> Html {
    let team = &props.team.0;
    let row = &props.row;
    let res = team.resource(row.r);
    let kind = team.kind_of(row.r);
    let chips = kind
        .caps
        .iter()
        .enumerate()
        .map(|(i, cap)| {
            let key = (row.r, i as u8);
            let allowed = row.caps.has(i as u32);
            let open = props.selected == Some(key);
            let onclick = props
                .on_select
                .reform(move |_: MouseEvent| if open { None } else { Some(key) });
            html! {
                <li>
                    <button type="button"
                        class={classes!("pw-chip", "ca__cap", if allowed { "pw-chip--allow" } else { "pw-chip--deny" }, open.then_some("pw-chip--open"))}
                        data-cap={cap.id.clone()} data-allowed={if allowed { "true" } else { "false" }}
                        aria-expanded={if open { "true" } else { "false" }}
                        aria-controls={open.then(|| props.explain_id.clone())}
                        title={format!("Why {}?", if allowed { "allowed" } else { "not allowed" })}
                        {onclick}>
                        <span class="pw-chip__mark" aria-hidden="true">{ if allowed { "✓" } else { "✗" } }</span>
                        { &cap.label }
                        <span class="visually-hidden">{ if allowed { " (allowed)" } else { " (not allowed)" } }</span>
                    </button>
                </li>
            }
        })
        .collect::<Html>();
    let explain = props
        .selected
        .filter(|(r, _)| *r == row.r)
        .map(|(r, cap)| {
            let view = view_of(team, props.overlay.as_ref().map(|o| &*o.0));
            let explanation = view.explain(props.principal, r, cap);
            let close = props.on_select.reform(|_: MouseEvent| None);
            let cols = if props.has_models { 3 } else { 2 };
            html! {
                <tr class="ca__explain-row">
                    <td colspan={cols.to_string()} id={props.explain_id.clone()}>
                        <div class="ca__explain">
                            <ExplainView {explanation} team={Some(team.clone())}
                                note={props.overlay.is_some().then_some(AttrValue::Static("with pending changes"))} />
                            <button type="button" class="pw-btn pw-btn--quiet ca__close" onclick={close}>{ "Close" }</button>
                        </div>
                    </td>
                </tr>
            }
        });
    let indent = format!(
        "padding-left: calc(var(--space-3) + {} * 1.25rem)",
        row.depth
    );
    html! {
        <>
            <tr class="ca__row" data-resource={res.id.clone()}>
                <th scope="row" class="ca__resource" style={indent}>
                    <span class="ca__name">{ &res.name }</span>
                    <span class="ca__kind">{ &kind.label }</span>
                    if row.depth > 0 {
                        <span class="visually-hidden">{ format!(", level {}", row.depth + 1) }</span>
                    }
                </th>
                <td>
                    <ul class="pw-chips ca__caps" aria-label={format!("Capabilities on {}", res.name)}>{ chips }</ul>
                </td>
                if props.has_models {
                    <td class="ca__data">
                        { row.data.as_ref().map(access_html).unwrap_or_else(|| html! { <span class="ca__muted" aria-label="not a data model">{ "—" }</span> }) }
                    </td>
                }
            </tr>
            { explain }
        </>
    }
}
