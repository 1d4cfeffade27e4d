//! The preview panel: what the pending change set does before it is saved,
//! recomputed by the evaluator on every edit ([`crate::eval::impact`]). A
//! plain-language summary, the warnings, and a before → after table per
//! principal (changed groups expandable to their users, API keys shown with
//! their owners), each row with a Why?.

use super::state::State;
use super::why::WhyTarget;
use crate::eval::data_access::{AccessKind, DataAccess};
use crate::eval::words::flag_effects;
use crate::eval::{Changes, Delta, HeldImpact, Op, PrincipalIdx, ResourceIdx, Team};
use crate::model::catalog::KindIdx;
use crate::model::validate::PrincipalType;
use crate::model::{Code, Problem};
use crate::ui::data_permissions::access_html;
use crate::ui::hooks::ByPtr;
use crate::ui::icons;
use crate::ui::pager::{turn_to, Page, Pager};
use crate::ui::text::{
    cap_label, count, flag_label, is_asset, kind_noun, message_html, principal_phrase,
    resource_label,
};
use rustc_hash::{FxHashMap, FxHashSet};
use yew::prelude::*;

/// A changed group (or none: everyone else) and its changed members, by name.
pub type Section = (Option<PrincipalIdx>, Vec<PrincipalIdx>);

/// Lines of the preview's table per page.
const PREVIEW_PAGE: usize = 25;

/// One principal's changes per page.
const DETAIL_PAGE: usize = 30;

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub state: UseReducerHandle<State>,
    pub on_why: Callback<WhyTarget>,
}

/// One change of one principal.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Cap {
        resource: ResourceIdx,
        capability: String,
        before: bool,
        after: bool,
    },
    Data {
        model: ResourceIdx,
        before: DataAccess,
        after: DataAccess,
    },
}

/// One change in the words of the detail rows.
fn item(team: &Team, (r, d): &(ResourceIdx, Delta)) -> Item {
    match d {
        Delta::Cap { cap, after } => Item::Cap {
            resource: *r,
            capability: cap_id(team, *r, *cap).to_string(),
            before: !after,
            after: *after,
        },
        Delta::Data(b) => Item::Data {
            model: *r,
            before: b.0.clone(),
            after: b.1.clone(),
        },
    }
}

fn cap_id(team: &Team, r: ResourceIdx, cap: u8) -> &str {
    &team.kind_of(r).caps[usize::from(cap)].id
}

/// A list of changes shared by several principals, compared by pointer.
#[derive(Clone)]
pub struct Shared(pub Changes);

impl PartialEq for Shared {
    fn eq(&self, o: &Shared) -> bool {
        self.0.same(&o.0)
    }
}

/// "3 users", "1 application and 2 OAuth clients".
fn who(team: &Team, ps: &[PrincipalIdx]) -> (String, bool) {
    if let [p] = ps {
        return (principal_phrase(team, *p), true);
    }
    let n = |t: PrincipalType| ps.iter().filter(|&&p| team.principal(p).ptype == t).count();
    let parts: Vec<String> = [
        (n(PrincipalType::User), "user", "users"),
        (n(PrincipalType::Application), "application", "applications"),
        (
            n(PrincipalType::OAuthClient),
            "OAuth client",
            "OAuth clients",
        ),
        (n(PrincipalType::Group), "group", "groups"),
    ]
    .into_iter()
    .filter(|(k, _, _)| *k > 0)
    .map(|(k, one, many)| count(k, one, many))
    .collect();
    (parts.join(" and "), false)
}

/// "A", "A and B", "A, B and C", "A, B and 3 more".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

/// The plain-language summary: one phrase per group of principals and
/// direction ("3 users gain Edit and See in navigation on 14 assets"),
/// largest first.
pub fn summary(state: &State) -> Vec<String> {
    let team = &state.team;
    let mut pos = vec![0usize; team.resources.len()];
    for (i, &r) in team.tree_order.iter().enumerate() {
        pos[r.index()] = i;
    }
    // Principals that change alike are one class: collect per class, then
    // name the principals of the classes.
    let classes = state.impact.classes();
    let (by_cap, data) = gathered(team, &classes);
    let principals_of = |cs: &[usize]| -> Vec<PrincipalIdx> {
        let mut ps: Vec<PrincipalIdx> = cs
            .iter()
            .flat_map(|&c| classes[c].1.iter().copied())
            .collect();
        ps.sort_unstable();
        ps.dedup();
        ps
    };
    // Merge what the same principals gain (or lose): capabilities in first-seen
    // order, resources per bucket.
    type Merged = (Vec<String>, Vec<(String, ResourceSet)>);
    let mut merged: Vec<((Vec<PrincipalIdx>, bool), Merged)> = Vec::new();
    for ((label, bucket, gained), (cs, rs)) in by_cap {
        let e = entry(&mut merged, (principals_of(&cs), gained));
        if !e.0.contains(&label) {
            e.0.push(label);
        }
        entry(&mut e.1, bucket).union(&rs);
    }
    let mut phrases: Vec<(usize, String)> = Vec::new();
    for ((ps, gained), (caps, buckets)) in merged {
        let (w, one) = who(team, &ps);
        let verb = match (gained, one) {
            (true, true) => "gains",
            (true, false) => "gain",
            (false, true) => "loses",
            (false, false) => "lose",
        };
        let mut targets: Vec<(usize, String)> = buckets
            .iter()
            .filter_map(|(_, rs)| {
                let first = rs.iter().min_by_key(|&r| pos[r.index()])?;
                let t = if rs.len() == 1 {
                    resource_label(team, first)
                } else {
                    kind_noun(team, first, rs.len())
                };
                Some((pos[first.index()], t))
            })
            .collect();
        targets.sort_unstable();
        let targets: Vec<String> = targets.into_iter().map(|(_, t)| t).collect();
        phrases.push((
            ps.len(),
            format!("{w} {verb} {} on {}", list(&caps), list(&targets)),
        ));
    }
    for ((model, dir), mut ps) in data {
        ps.sort_unstable();
        ps.dedup();
        let (w, one) = who(team, &ps);
        let verb = match (dir, one) {
            (0, true) => "gains data access to",
            (0, false) => "gain data access to",
            (1, true) => "loses data access to",
            (1, false) => "lose data access to",
            (_, true) => "gets different data access to",
            (_, false) => "get different data access to",
        };
        phrases.push((
            ps.len(),
            format!("{w} {verb} {}", resource_label(team, model)),
        ));
    }
    phrases.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    phrases.into_iter().map(|(_, s)| s).collect()
}

/// (classes, resources) per (capability label, bucket, gained).
type Who = (Vec<usize>, ResourceSet);

/// Resources, each once: a bitset over the team's resources.
#[derive(Clone, Default)]
struct ResourceSet {
    bits: Vec<u64>,
}

impl ResourceSet {
    /// Room for the resources of `team`, so that inserting never grows it.
    fn for_team(team: &Team) -> ResourceSet {
        ResourceSet {
            bits: vec![0; team.resources.len().div_ceil(64)],
        }
    }

    fn insert(&mut self, r: ResourceIdx) {
        let (word, bit) = (r.index() / 64, 1u64 << (r.index() % 64));
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= bit;
    }

    fn union(&mut self, other: &ResourceSet) {
        if self.bits.len() < other.bits.len() {
            self.bits.resize(other.bits.len(), 0);
        }
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a |= b;
        }
    }

    fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn iter(&self) -> impl Iterator<Item = ResourceIdx> + '_ {
        self.bits.iter().enumerate().flat_map(|(i, &w)| {
            (0..64)
                .filter(move |b| w & (1u64 << b) != 0)
                .map(move |b| ResourceIdx((i * 64 + b) as u32))
        })
    }
}
/// (capability label, bucket, gained) → (classes, resources), by label.
type ByCap = Vec<((String, String, bool), Who)>;
/// Principals per (data model, direction: 0 gained, 1 lost, 2 changed),
/// some more than once.
type DataWho = Vec<((ResourceIdx, u8), Vec<PrincipalIdx>)>;

/// The value of `key` in a short list of pairs, added if missing (the
/// summary's lists hold a few dozen keys at most).
fn entry<K: PartialEq, V: Default>(list: &mut Vec<(K, V)>, key: K) -> &mut V {
    let i = list.iter().position(|(k, _)| *k == key).unwrap_or_else(|| {
        list.push((key, V::default()));
        list.len() - 1
    });
    &mut list[i].1
}

/// What the classes of principals gain and lose, by capability label and
/// bucket ("asset" or the kind), and their data-access changes.
fn gathered(team: &Team, classes: &[(Changes, Vec<PrincipalIdx>)]) -> (ByCap, DataWho) {
    // Each (kind, capability) once, with its label and bucket.
    let mut words: Vec<((KindIdx, u8), String, String)> = Vec::new();
    // (classes, resources) at `2 * word + gained`.
    let mut by_word: Vec<Who> = Vec::new();
    // (model, direction) → principals
    let mut data: DataWho = Vec::new();
    // The slot of each (kind, capability, gained) met so far, at
    // `per_kind * kind + 2 * capability + gained`: one lookup per change (a
    // resource's changes alternate between capabilities).
    let kinds = &team.catalog.kinds;
    let per_kind = 2 * kinds.iter().map(|k| k.caps.len()).max().unwrap_or(0);
    let mut slots: Vec<Option<usize>> = vec![None; per_kind * kinds.len()];
    for (ci, (changes, members)) in classes.iter().enumerate() {
        for &(resource, ref delta) in changes.iter() {
            match delta {
                Delta::Cap { cap, after } => {
                    let kind = team.resource(resource).kind;
                    let at = per_kind * kind.index() + 2 * usize::from(*cap);
                    let slot = *slots[at + usize::from(*after)].get_or_insert_with(|| {
                        let w = words.iter().position(|w| w.0 == (kind, *cap));
                        let w = w.unwrap_or_else(|| {
                            let label = cap_label(team, resource, cap_id(team, resource, *cap));
                            words.push(((kind, *cap), label, bucket(team, resource)));
                            by_word.resize_with(2 * words.len(), || {
                                (Vec::new(), ResourceSet::for_team(team))
                            });
                            words.len() - 1
                        });
                        2 * w + usize::from(*after)
                    });
                    if by_word[slot].0.last() != Some(&ci) {
                        by_word[slot].0.push(ci);
                    }
                    by_word[slot].1.insert(resource);
                }
                Delta::Data(b) => {
                    let dir = match (b.0.access, b.1.access) {
                        (AccessKind::None, _) => 0,
                        (_, AccessKind::None) => 1,
                        _ => 2,
                    };
                    entry(&mut data, (resource, dir)).extend(members.iter().copied());
                }
            }
        }
    }
    let mut by_cap: ByCap = Vec::new();
    for (i, (cs, rs)) in by_word.into_iter().enumerate() {
        if cs.is_empty() {
            continue;
        }
        let (_, label, bucket) = &words[i / 2];
        let e = entry(&mut by_cap, (label.clone(), bucket.clone(), i % 2 == 1));
        e.0.extend(cs);
        e.1.union(&rs);
    }
    // By label: the summary names capabilities in this order.
    by_cap.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (by_cap, data)
}

/// Where the summary counts a resource: "asset", or its kind.
fn bucket(team: &Team, r: ResourceIdx) -> String {
    if is_asset(team, r) {
        "asset".to_string()
    } else {
        team.kind_of(r).id.clone()
    }
}

fn yes_no(v: bool) -> Html {
    if v {
        html! { <span class="val val-yes"><span aria-hidden="true">{ "✓ " }</span>{ "yes" }</span> }
    } else {
        html! { <span class="val val-no"><span aria-hidden="true">{ "✗ " }</span>{ "no" }</span> }
    }
}

/// One principal's changes in a line: "gains Edit and See in navigation on
/// 3 assets · data access on Order to Cash: none → all".
fn item_line(team: &Team, changes: &Changes) -> String {
    let mut parts = Vec::new();
    for gained in [true, false] {
        let (mut caps, mut seen): (Vec<String>, Vec<(KindIdx, u8)>) = (Vec::new(), Vec::new());
        // Changes are in tree order: one resource's are adjacent.
        let (mut first, mut last, mut n) = (None, None, 0usize);
        for (r, d) in changes.iter() {
            let Delta::Cap { cap, after } = d else {
                continue;
            };
            if *after != gained {
                continue;
            }
            let key = (team.resource(*r).kind, *cap);
            if !seen.contains(&key) {
                seen.push(key);
                let l = cap_label(team, *r, cap_id(team, *r, *cap));
                if !caps.contains(&l) {
                    caps.push(l);
                }
            }
            if last != Some(*r) {
                last = Some(*r);
                first.get_or_insert(*r);
                n += 1;
            }
        }
        if let Some(first) = first {
            let on = if n == 1 {
                resource_label(team, first)
            } else {
                count(n, "resource", "resources")
            };
            let verb = if gained { "gains" } else { "loses" };
            parts.push(format!("{verb} {} on {on}", list(&caps)));
        }
    }
    for (model, d) in changes.iter() {
        if let Delta::Data(b) = d {
            parts.push(format!(
                "data access on {}: {} → {}",
                team.resource(*model).name,
                b.0.access.as_str(),
                b.1.access.as_str()
            ));
        }
    }
    parts.join(" · ")
}

/// One line of the preview's table: a changed group (with its changed
/// members), or one principal (`nested` under an open group).
#[derive(Clone, Copy)]
enum Line<'a> {
    Group(PrincipalIdx, &'a [PrincipalIdx]),
    Principal(PrincipalIdx, bool),
}

/// The table's lines: every changed group (its members under it when it is
/// open), then the principals outside groups.
fn lines<'a>(sections: &'a [Section], open: &FxHashSet<PrincipalIdx>) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for (group, rows) in sections {
        let nested = match group {
            Some(g) => {
                out.push(Line::Group(*g, rows));
                if !open.contains(g) {
                    continue;
                }
                true
            }
            None => false,
        };
        out.extend(rows.iter().map(|&p| Line::Principal(p, nested)));
    }
    out
}

/// What a changed group's line says about its members.
fn group_line(state: &State, rows: &[PrincipalIdx]) -> String {
    let team = &state.team;
    match rows {
        [] => "no member's access changes".to_string(),
        [only] => format!(
            "1 member affected: {} {}",
            team.principal(*only).name,
            state
                .impact
                .changes_of(*only)
                .map_or_else(String::new, |c| item_line(team, c))
        ),
        _ => format!("{} affected", count(rows.len(), "member", "members")),
    }
}

/// Adds `key` to a set held in state, or removes it if present.
fn set_toggle(set: &UseStateHandle<FxHashSet<PrincipalIdx>>) -> Callback<PrincipalIdx> {
    let set = set.clone();
    Callback::from(move |key: PrincipalIdx| {
        let mut next = (*set).clone();
        if !next.insert(key) {
            next.remove(&key);
        }
        set.set(next);
    })
}

#[function_component(Preview)]
pub fn preview(props: &PreviewProps) -> Html {
    let state = props.state.clone();
    let team = state.team.clone();
    let open = use_state(FxHashSet::<PrincipalIdx>::default);
    let page = use_state(|| 0usize);
    // Made again only for a new impact (not when the preview turns busy).
    let warnings = use_memo(
        (ByPtr(team.clone()), ByPtr(state.impact.clone())),
        |(team, impact)| warnings_html(&team.0, &impact.0),
    );
    // Which page of its changes each open principal shows.
    let detail_pages = use_state(FxHashMap::<PrincipalIdx, usize>::default);

    let lines = lines(&state.sections, &open);
    let at = Page::of(*page, PREVIEW_PAGE, lines.len());
    let on_toggle = set_toggle(&open);
    let on_detail_page = {
        let detail_pages = detail_pages.clone();
        Callback::from(move |(p, to): (PrincipalIdx, usize)| {
            let mut next = (*detail_pages).clone();
            next.insert(p, to);
            detail_pages.set(next);
        })
    };
    let body = lines[at.start..at.end].iter().map(|&line| match line {
        Line::Group(g, rows) => html! {
            <PreviewGroupRow team={ByPtr(team.clone())} group={g} open={open.contains(&g)}
                what={group_line(&state, rows)} on_toggle={on_toggle.clone()} />
        },
        Line::Principal(p, nested) => match state.impact.changes_of(p) {
            Some(changes) => html! {
                <PreviewPrincipalRow team={ByPtr(team.clone())} principal={p}
                    changes={Shared(changes.clone())}
                    {nested} open={open.contains(&p)} detail_page={detail_pages.get(&p).copied().unwrap_or(0)}
                    on_toggle={on_toggle.clone()} on_detail_page={on_detail_page.clone()} on_why={props.on_why.clone()} />
            },
            None => html! {},
        },
    });
    let on_page = turn_to(&page);

    html! {
        <section class="preview" id="preview" aria-labelledby="preview-heading" data-testid="preview"
            aria-busy={state.is_stale().then_some("true")}
            data-evaluation-ms={format!("{:.1}", state.last_evaluation_ms)}
            data-evaluation-slices={state.last_evaluation_slices.to_string()}>
            <h3 id="preview-heading" class="preview-heading">{ "Preview before saving" }</h3>
            <div aria-live="polite">{ summary_html(state.evaluated_count, &state.summary) }</div>
            { meanings_html(&state) }
            { (*warnings).clone() }
            if !state.impact.is_empty() {
                <table class="preview-table" id="preview-table">
                    <caption class="visually-hidden">{ "Effective access before and after, per principal" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Principal" }</th>
                        <th scope="col">{ "What changes" }</th>
                    </tr></thead>
                    <tbody>{ for body }</tbody>
                </table>
                if at.is_paged() {
                    <Pager {at} label="Pages of the preview" noun="Rows" id="preview" {on_page} />
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct GroupRowProps {
    team: ByPtr<Team>,
    group: PrincipalIdx,
    open: bool,
    /// What changes for its members.
    what: String,
    on_toggle: Callback<PrincipalIdx>,
}

/// A changed group's line: expands to its members' lines.
#[function_component(PreviewGroupRow)]
fn preview_group_row(props: &GroupRowProps) -> Html {
    let info = props.team.0.principal(props.group);
    let g = props.group;
    html! {
        <tr class="preview-group" data-testid={format!("preview-group-{}", info.id)}>
            <th scope="row">
                <button type="button" class="disclosure" aria-expanded={if props.open { "true" } else { "false" }}
                    onclick={props.on_toggle.reform(move |_: MouseEvent| g)}>
                    { icons::chevron(props.open) }{ icons::people() }
                    <span class="principal-name">{ info.name.clone() }</span>
                </button>
                <span class="principal-sub">{ format!("Group · {}", count(info.related.len(), "member", "members")) }</span>
            </th>
            <td>{ props.what.clone() }</td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct PrincipalRowProps {
    team: ByPtr<Team>,
    principal: PrincipalIdx,
    changes: Shared,
    /// Under an open group.
    nested: bool,
    /// The details are shown, and which page of them.
    open: bool,
    detail_page: usize,
    on_toggle: Callback<PrincipalIdx>,
    on_detail_page: Callback<(PrincipalIdx, usize)>,
    on_why: Callback<WhyTarget>,
}

/// One principal's line (with its API keys), and when open its changes one
/// per line, each with a Why?.
#[function_component(PreviewPrincipalRow)]
fn preview_principal_row(props: &PrincipalRowProps) -> Html {
    let team = &props.team.0;
    let p = props.principal;
    let info = team.principal(p);
    let keys: Vec<String> = team
        .api_keys_of(p)
        .into_iter()
        .map(|k| team.principal(k).name.clone())
        .collect();
    let details_id = format!("preview-details-{p}");
    let changes = &props.changes.0;
    let at = Page::of(props.detail_page, DETAIL_PAGE, changes.len());
    let lines = changes
        .iter()
        .skip(at.start)
        .take(at.end - at.start)
        .map(|c| detail_line(team, p, &item(team, c), &props.on_why));
    html! {
        <>
            <tr class={classes!("preview-principal", props.nested.then_some("is-nested"))}
                data-testid={format!("preview-row-{}", info.id)}>
                <th scope="row">
                    <button type="button" class="disclosure" aria-expanded={if props.open { "true" } else { "false" }}
                        aria-controls={details_id.clone()} onclick={props.on_toggle.reform(move |_: MouseEvent| p)}>
                        { icons::chevron(props.open) }
                        <span class="principal-name">{ info.name.clone() }</span>
                    </button>
                    <span class="principal-sub">
                        { info.ptype.title() }
                        if !keys.is_empty() {
                            { format!(" · with API {} {}", if keys.len() == 1 { "key" } else { "keys" }, keys.join(", ")) }
                        }
                    </span>
                </th>
                <td>{ item_line(team, changes) }</td>
            </tr>
            if props.open {
                <tr class="preview-details" id={details_id}>
                    <td colspan="2">
                        <table class="preview-items">
                            <caption class="visually-hidden">{ format!("Changes for {}", info.name) }</caption>
                            <thead><tr>
                                <th scope="col">{ "Resource" }</th>
                                <th scope="col">{ "Capability" }</th>
                                <th scope="col">{ "Before → after" }</th>
                                <th scope="col"><span class="visually-hidden">{ "Explain" }</span></th>
                            </tr></thead>
                            <tbody>{ for lines }</tbody>
                        </table>
                        if at.is_paged() {
                            <Pager {at} label={format!("Pages of the changes for {}", info.name)} noun="Changes"
                                on_page={props.on_detail_page.reform(move |to| (p, to))} />
                        }
                    </td>
                </tr>
            }
        </>
    }
}

/// One change of a principal, before → after, with a Why?.
fn detail_line(team: &Team, p: PrincipalIdx, item: &Item, on_why: &Callback<WhyTarget>) -> Html {
    let (res, what, before, after, target) = match item {
        Item::Cap {
            resource,
            capability,
            before,
            after,
        } => (
            *resource,
            cap_label(team, *resource, capability),
            yes_no(*before),
            yes_no(*after),
            WhyTarget::Capability {
                principal: p,
                resource: *resource,
                capability: capability.clone(),
            },
        ),
        Item::Data {
            model,
            before,
            after,
        } => (
            *model,
            "Data access".to_string(),
            access_html(before),
            access_html(after),
            WhyTarget::DataAccess {
                principal: p,
                model: *model,
            },
        ),
    };
    let why = on_why.reform(move |_: MouseEvent| target.clone());
    let name = &team.principal(p).name;
    html! {
        <tr class="preview-item">
            <td>{ resource_label(team, res) }</td>
            <td>{ what.clone() }</td>
            <td class="preview-change">{ before }<span class="arrow" aria-label="becomes">{ " → " }</span>{ after }</td>
            <td><button type="button" class="button button-small button-ghost"
                aria-label={format!("Why? {what} on {} for {name}", resource_label(team, res))}
                onclick={why}>{ "Why?" }</button></td>
        </tr>
    }
}

/// The warnings the pending change set causes (not those about the team
/// itself, which every impact repeats).
pub fn change_set_warnings<'a>(team: &Team, impact: &'a HeldImpact) -> Vec<&'a Problem> {
    impact
        .warnings
        .iter()
        .filter(|w| !team.warnings.0.contains(w))
        .collect()
}

/// The plain-language summary, or why there is none.
fn summary_html(pending: usize, phrases: &[String]) -> Html {
    if pending == 0 {
        html! { <p class="preview-summary muted" id="preview-summary">{ "No pending changes. Tick or clear a cell to see its effect here before saving." }</p> }
    } else if phrases.is_empty() {
        html! { <p class="preview-summary" id="preview-summary">{ "Nobody's effective access changes." }</p> }
    } else {
        let shown: Vec<String> = phrases.iter().take(4).cloned().collect();
        let more = phrases.len().saturating_sub(4);
        html! {
            <p class="preview-summary" id="preview-summary">
                { shown.join(" · ") }
                if more > 0 { { format!(" · and {}", count(more, "more change", "more changes")) } }
            </p>
        }
    }
}

/// "Edit Space → Rename" for each permission the pending edits change.
fn meanings_html(state: &State) -> Html {
    let meanings = flag_meanings(state);
    if meanings.is_empty() {
        html! {}
    } else {
        html! {
            <ul class="preview-meanings" id="preview-meanings" aria-label="What the changed permissions do">
                { for meanings.into_iter().map(|(flag, effects)| html! {
                    <li>
                        <strong>{ flag }</strong>{ " → " }
                        { if effects.is_empty() { "nothing by itself".to_string() } else { effects.join(", ") } }
                    </li>
                }) }
            </ul>
        }
    }
}

/// The change set's warnings, each labelled by its kind.
fn warnings_html(team: &Team, impact: &HeldImpact) -> Html {
    let warnings = change_set_warnings(team, impact);
    if warnings.is_empty() {
        html! {}
    } else {
        html! {
            <ul class="preview-warnings" id="preview-warnings" aria-label="Warnings">
                { for warnings.iter().map(|w| {
                    let (label, class) = match w.code {
                        Code::SelfLockout => ("Self-lockout", "warn-danger"),
                        Code::DataExposure => ("Data exposure", "warn-danger"),
                        Code::Ineffective => ("Ineffective", "warn-warn"),
                        Code::Redundant => ("Redundant", "warn-info"),
                        Code::NoEffect => ("No effect", "warn-info"),
                        _ => ("Note", "warn-info"),
                    };
                    html! {
                        <li class={classes!("warning", class)} data-code={w.code.as_str()}>
                            { icons::warning() }
                            <span class="warning-label">{ label }</span>
                            <span class="warning-text">{ message_html(team, &w.message) }</span>
                        </li>
                    }
                }) }
            </ul>
        }
    }
}

/// The changed principals in sections: each changed group with its affected
/// members (shown expandable), then everyone else; principals by name.
pub fn sections(state: &State) -> Vec<Section> {
    let team = &state.team;
    let mut changed: Vec<PrincipalIdx> = state.impact.principals().map(|(p, _)| p).collect();
    changed.sort_by_cached_key(|&p| (team.principal(p).name.to_lowercase(), p));
    let changed_groups = state
        .prepared
        .changed_grantees
        .iter()
        .copied()
        .filter(|&g| team.principal(g).ptype == PrincipalType::Group);
    let mut placed = FxHashSet::<PrincipalIdx>::default();
    let mut sections: Vec<Section> = Vec::new();
    for g in changed_groups {
        let members: FxHashSet<PrincipalIdx> = team.principal(g).related.iter().copied().collect();
        let mine: Vec<PrincipalIdx> = changed
            .iter()
            .copied()
            .filter(|p| members.contains(p) && !placed.contains(p))
            .collect();
        placed.extend(mine.iter().copied());
        sections.push((Some(g), mine));
    }
    let rest: Vec<PrincipalIdx> = changed
        .into_iter()
        .filter(|p| !placed.contains(p))
        .collect();
    if !rest.is_empty() {
        sections.push((None, rest));
    }
    sections
}

/// Each permission the pending edits grant or revoke, once, with what it
/// lets a person do ("Edit Space" → "Rename"), so ticks and capabilities read
/// as one vocabulary.
fn flag_meanings(state: &State) -> Vec<(String, Vec<String>)> {
    let team = &state.team;
    let mut seen: Vec<(ResourceIdx, &str)> = Vec::new();
    let mut out = Vec::new();
    for op in state.pending() {
        let (Op::Grant(g) | Op::Revoke(g)) = op else {
            continue;
        };
        let Some(r) = team.resource_idx(&g.resource) else {
            continue;
        };
        if seen.contains(&(r, g.permission.as_str())) {
            continue;
        }
        seen.push((r, g.permission.as_str()));
        let mut label = flag_label(team, r, &g.permission);
        if r != state.resource {
            label.push_str(&format!(" on {}", resource_label(team, r)));
        }
        out.push((label, flag_effects(team, r, &g.permission)));
    }
    out
}
