//! [`PrincipalPicker`]: an editable combobox with a listbox popup (WAI-ARIA
//! APG "combobox with list autocomplete") that finds a principal of the team
//! by name, id, email or OAuth scope.
//!
//! - type-ahead, case-insensitive substring match, ranked prefix-first
//!   (name prefix, then a word / id / email prefix, then anywhere);
//! - at most `max_options` options are mounted ("N more — keep typing");
//! - API keys are never offered unless `include_api_keys` (they act as their
//!   owners and cannot be granted anything — spec §2); a visible hint says so;
//! - keyboard: Down/Up move, Home/End jump (while the list is open), Enter
//!   picks, Escape closes (a second Escape clears), Tab leaves;
//! - the search index (lower-cased names, ids, emails) is built once per team,
//!   when the picker is first opened or typed in (a dialog opened only to look
//!   does not pay for it), so each keystroke is one linear scan — fast on
//!   10,000 principals.
//!
//! Also holds the principal type badge the other components share.

use crate::eval::team::{PrincipalIdx, Team};
use crate::model::validate::PrincipalType;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::hooks::{use_fresh_id, ByPtr};

/// A CSS modifier for a principal type (`pw-badge--user`).
pub fn type_class(t: PrincipalType) -> &'static str {
    match t {
        PrincipalType::User => "pw-badge--user",
        PrincipalType::Group => "pw-badge--group",
        PrincipalType::Application => "pw-badge--app",
        PrincipalType::ApiKey => "pw-badge--key",
        PrincipalType::OAuthClient => "pw-badge--oauth",
    }
}

/// The badge of a principal type.
pub fn type_badge(t: PrincipalType) -> Html {
    html! {
        <span class={classes!("pw-badge", type_class(t))}>{ t.short() }</span>
    }
}

/// One principal as the picker shows and searches it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub p: PrincipalIdx,
    pub ptype: PrincipalType,
    pub name: String,
    /// Email, group role and size, or OAuth scopes.
    pub secondary: String,
    name_lc: String,
    id_lc: String,
    extra_lc: String,
}

/// Every principal of a team, in the team's order, with lower-cased search
/// fields. Built once per team, when the picker is first used.
#[derive(Debug, Clone, Default)]
pub struct PickerIndex {
    pub items: Vec<Candidate>,
}

fn type_order(t: PrincipalType) -> u8 {
    match t {
        PrincipalType::User => 0,
        PrincipalType::Group => 1,
        PrincipalType::Application => 2,
        PrincipalType::OAuthClient => 3,
        PrincipalType::ApiKey => 4,
    }
}

impl PickerIndex {
    pub fn build(team: &Team) -> Self {
        let d = &team.snapshot.directory;
        let mut items: Vec<Candidate> = Vec::with_capacity(team.principals.len());
        // The team lists the directory's principals in its order (users,
        // groups, applications, API keys, OAuth clients; `Team::new`), so
        // each is found by its place, not by looking its id up.
        let mut places = (0..team.principals.len() as u32).map(PrincipalIdx);
        let mut push = |id: &str, secondary: String, extra: String| {
            let Some(p) = places.next() else {
                return;
            };
            let info = team.principal(p);
            debug_assert_eq!(info.id, id, "the team's order is the directory's");
            items.push(Candidate {
                p,
                ptype: info.ptype,
                name: info.name.clone(),
                secondary,
                name_lc: info.name.to_lowercase(),
                id_lc: info.id.to_lowercase(),
                extra_lc: extra.to_lowercase(),
            });
        };
        for u in &d.users {
            push(&u.id, u.email.clone(), u.email.clone());
        }
        for g in &d.groups {
            let n = g.members.len();
            let secondary = format!(
                "role {} · {n} member{}",
                g.role.as_str(),
                if n == 1 { "" } else { "s" }
            );
            push(&g.id, secondary, String::new());
        }
        for a in &d.applications {
            push(&a.id, format!("application key · {}", a.id), String::new());
        }
        for k in &d.api_keys {
            let owner = team
                .principal_idx(&k.owner)
                .map(|o| team.principal(o).name.clone())
                .unwrap_or_else(|| k.owner.clone());
            push(&k.id, format!("acts as {owner}"), owner);
        }
        for o in &d.oauth_clients {
            let scopes = if o.scopes.is_empty() {
                "no scopes".to_string()
            } else {
                o.scopes.join(", ")
            };
            push(&o.id, format!("scopes: {scopes}"), o.scopes.join(" "));
        }
        PickerIndex { items }
    }

    /// The order matches of one rank are shown in: by type, then name.
    fn order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let (a, b) = (&self.items[a as usize], &self.items[b as usize]);
        (type_order(a.ptype), &a.name_lc, a.p).cmp(&(type_order(b.ptype), &b.name_lc, b.p))
    }

    /// How well `c` matches the lower-cased query: 0 name prefix, 1 word /
    /// id / email prefix, 2 substring anywhere; `None` no match.
    fn rank(c: &Candidate, q: &str) -> Option<u8> {
        if q.is_empty() {
            return Some(0);
        }
        if c.name_lc.starts_with(q) {
            return Some(0);
        }
        let word_prefix = c
            .name_lc
            .match_indices(q)
            .any(|(i, _)| c.name_lc[..i].ends_with([' ', '-', '.', '_']));
        if word_prefix || c.id_lc.starts_with(q) || c.extra_lc.starts_with(q) {
            return Some(1);
        }
        if c.name_lc.contains(q) || c.id_lc.contains(q) || c.extra_lc.contains(q) {
            return Some(2);
        }
        None
    }

    /// The best `limit` matches of `query` (positions in `items`), and how
    /// many matched in all. `exclude` must be sorted.
    pub fn search(
        &self,
        query: &str,
        exclude: &[PrincipalIdx],
        include_api_keys: bool,
        limit: usize,
    ) -> SearchResult {
        let q = query.trim().to_lowercase();
        let mut hits: Vec<(u8, u32)> = Vec::new();
        let mut api_keys: Vec<u32> = Vec::new();
        for (i, c) in self.items.iter().enumerate() {
            if exclude.binary_search(&c.p).is_ok() {
                continue;
            }
            let Some(rank) = Self::rank(c, &q) else {
                continue;
            };
            if c.ptype == PrincipalType::ApiKey && !include_api_keys {
                if !q.is_empty() {
                    api_keys.push(i as u32);
                }
                continue;
            }
            hits.push((rank, i as u32));
        }
        let total = hits.len();
        // Only the matches shown are ordered (the index is in the team's order).
        let by_rank =
            |a: &(u8, u32), b: &(u8, u32)| a.0.cmp(&b.0).then_with(|| self.order(a.1, b.1));
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit, by_rank);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(by_rank);
        api_keys.sort_unstable_by(|&a, &b| self.order(a, b));
        SearchResult {
            shown: hits.into_iter().map(|(_, i)| i).collect(),
            total,
            api_keys,
        }
    }
}

/// Matches of one query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResult {
    /// Positions in [`PickerIndex::items`], best first.
    pub shown: Vec<u32>,
    /// Every match (shown or not).
    pub total: usize,
    /// API keys the query matched but that are not offered.
    pub api_keys: Vec<u32>,
}

#[derive(Properties, Clone)]
pub struct PrincipalPickerProps {
    pub team: Rc<Team>,
    /// Principals not to offer (e.g. those already listed).
    pub exclude: Vec<PrincipalIdx>,
    pub on_pick: Callback<PrincipalIdx>,
    /// The visible label of the input.
    pub label: AttrValue,
    /// Offer API keys too (for "check access"; never for granting).
    #[prop_or_default]
    pub include_api_keys: bool,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or(AttrValue::Static("Name, email or id"))]
    pub placeholder: AttrValue,
    /// How many options are mounted at most.
    #[prop_or(20)]
    pub max_options: usize,
    /// The hint under the field (default: about API keys).
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

impl PartialEq for PrincipalPickerProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.team, &o.team)
            && self.exclude == o.exclude
            && self.on_pick == o.on_pick
            && self.label == o.label
            && self.include_api_keys == o.include_api_keys
            && self.disabled == o.disabled
            && self.placeholder == o.placeholder
            && self.max_options == o.max_options
            && self.hint == o.hint
    }
}

#[function_component(PrincipalPicker)]
pub fn principal_picker(props: &PrincipalPickerProps) -> Html {
    let input_id = use_fresh_id("pp-input");
    let listbox_id = use_fresh_id("pp-listbox");
    let hint_id = use_fresh_id("pp-hint");
    let query = use_state(String::new);
    let open = use_state(|| false);
    let active = use_state(|| None::<usize>);
    let listbox_ref = use_node_ref();

    let (index, result) = use_search(props, (*query).clone(), *open);
    let shown_len = result.shown.len();
    let option_id = {
        let listbox_id = listbox_id.clone();
        move |pos: usize| format!("{listbox_id}-opt-{pos}")
    };
    let active_idx = (*active).filter(|&a| *open && a < shown_len);

    use_option_in_view(listbox_ref.clone(), active_idx.map(&option_id));

    let pick = pick_option(
        props.on_pick.clone(),
        (index.clone(), result.clone()),
        query.clone(),
        open.clone(),
        active.clone(),
    );
    let oninput = {
        let (query, open, active) = (query.clone(), open.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
            open.set(true);
            active.set(Some(0));
        })
    };

    let onkeydown = picker_keys(PickerKeys {
        query: query.clone(),
        open: open.clone(),
        active: active.clone(),
        pick: pick.clone(),
        shown: shown_len,
        active_idx,
    });

    let onblur = {
        let (open, active) = (open.clone(), active.clone());
        Callback::from(move |_: FocusEvent| {
            open.set(false);
            active.set(None);
        })
    };
    let onclick_input = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(true))
    };
    // Clicking in the popup must not blur the input (it would close the list).
    let keep_focus = Callback::from(|e: MouseEvent| e.prevent_default());

    let on_hover = {
        let active = active.clone();
        Callback::from(move |pos: usize| {
            if *active != Some(pos) {
                active.set(Some(pos));
            }
        })
    };
    let options = options_html(
        &props.team,
        &index,
        &result,
        active_idx,
        &option_id,
        &pick,
        &on_hover,
    );

    let more = result.total.saturating_sub(shown_len);
    let key_note = (!props.include_api_keys && !result.api_keys.is_empty())
        .then(|| key_note(&props.team, &index, &result.api_keys));
    let is_open = *open && !props.disabled;
    let status = match_status(is_open, shown_len, result.total);

    html! {
        <div class="picker">
            <label class="picker__label" for={input_id.clone()}>{ props.label.clone() }</label>
            <div class="picker__field">
                <input id={input_id.clone()} class="picker__input" type="text"
                    role="combobox" autocomplete="off" spellcheck="false"
                    aria-autocomplete="list"
                    aria-expanded={if is_open && shown_len > 0 { "true" } else { "false" }}
                    aria-controls={listbox_id.clone()}
                    aria-activedescendant={active_idx.map(&option_id)}
                    aria-describedby={hint_id.clone()}
                    placeholder={props.placeholder.clone()}
                    disabled={props.disabled}
                    value={(*query).clone()}
                    {oninput} {onkeydown} {onblur} onclick={onclick_input} />
                <div class="picker__popup" hidden={!is_open} onmousedown={keep_focus}>
                    <ul id={listbox_id.clone()} role="listbox" class="picker__listbox"
                        aria-label={props.label.clone()} ref={listbox_ref}
                        hidden={shown_len == 0}>
                        { options }
                    </ul>
                    { popup_notes(result.total, more) }
                    { key_note }
                </div>
            </div>
            <p id={hint_id} class="picker__hint">{ hint(props) }</p>
            <div class="visually-hidden" role="status" aria-live="polite">{ status }</div>
        </div>
    }
}

/// Keeps the active option in view inside the scrolling listbox.
#[hook]
fn use_option_in_view(listbox: NodeRef, active_id: Option<String>) {
    use_effect_with(active_id, move |active_id| {
        let (Some(id), Some(list)) = (active_id, listbox.cast::<HtmlElement>()) else {
            return;
        };
        let scope = crate::ui::modal::shadow_root_of(&list);
        let Some(opt) = crate::ui::modal::element_in(scope.as_ref(), id)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        let (top, h) = (opt.offset_top(), opt.offset_height());
        let (st, ch) = (list.scroll_top(), list.client_height());
        if top < st {
            list.set_scroll_top(top);
        } else if top + h > st + ch {
            list.set_scroll_top(top + h - ch);
        }
    });
}

/// What the combobox's key handler reads and changes.
struct PickerKeys {
    query: UseStateHandle<String>,
    open: UseStateHandle<bool>,
    active: UseStateHandle<Option<usize>>,
    pick: Callback<usize>,
    /// Options shown, and the active one (when open).
    shown: usize,
    active_idx: Option<usize>,
}

/// The combobox's keys (APG combobox with a listbox popup): Down / Up open
/// the list and move, Home / End, Enter picks, Escape closes then clears,
/// Tab closes.
fn picker_keys(k: PickerKeys) -> Callback<KeyboardEvent> {
    let is_open = *k.open;
    Callback::from(move |e: KeyboardEvent| {
        let last = k.shown.checked_sub(1);
        let (open, active) = (&k.open, &k.active);
        match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                if !is_open {
                    open.set(true);
                    active.set(Some(0));
                } else {
                    let next = match k.active_idx {
                        None => 0,
                        Some(a) => (a + 1).min(last.unwrap_or(0)),
                    };
                    active.set(Some(next));
                }
            }
            "ArrowUp" => {
                e.prevent_default();
                if !is_open {
                    open.set(true);
                    active.set(last);
                } else {
                    active.set(Some(k.active_idx.map(|a| a.saturating_sub(1)).unwrap_or(0)));
                }
            }
            "Home" if is_open && k.shown > 0 => {
                e.prevent_default();
                active.set(Some(0));
            }
            "End" if is_open && k.shown > 0 => {
                e.prevent_default();
                active.set(last);
            }
            "Enter" => {
                if let Some(a) = k.active_idx {
                    e.prevent_default();
                    k.pick.emit(a);
                }
            }
            "Escape" => {
                if is_open {
                    e.prevent_default();
                    open.set(false);
                    active.set(None);
                } else if !k.query.is_empty() {
                    e.prevent_default();
                    k.query.set(String::new());
                }
            }
            "Tab" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    })
}

/// What the live region says about the matches ("3 of 40 matches shown").
fn match_status(open: bool, shown: usize, total: usize) -> String {
    if !open {
        String::new()
    } else if total == 0 {
        "No matches".to_string()
    } else if total > shown {
        format!("{} of {} matches shown", shown, total)
    } else {
        format!("{} match{}", total, if total == 1 { "" } else { "es" })
    }
}

/// The API keys that match but are not offered, and whom to grant instead.
fn key_note(team: &Team, index: &PickerIndex, api_keys: &[u32]) -> Html {
    let names = api_keys
        .iter()
        .take(3)
        .filter_map(|&i| index.items.get(i as usize))
        .map(|c| format!("{} ({})", team.principal(c.p).id, c.secondary))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <p class="picker__keynote">
            { format!("Not offered: API key {names}. Grant to the owner instead.") }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct OptionProps {
    id: String,
    /// The active option (`aria-selected`).
    selected: bool,
    candidate: Candidate,
    principal_id: AttrValue,
    on_pick: Callback<MouseEvent>,
    on_hover: Callback<MouseEvent>,
}

/// One option of the listbox: type badge, name, email or id.
#[function_component(PickerOption)]
fn picker_option(props: &OptionProps) -> Html {
    let c = &props.candidate;
    html! {
        <li id={props.id.clone()} role="option"
            class={classes!("picker__option", props.selected.then_some("picker__option--active"))}
            aria-selected={if props.selected { "true" } else { "false" }}
            data-principal={props.principal_id.clone()}
            data-ptype={c.ptype.short()}
            onclick={props.on_pick.clone()} onmousemove={props.on_hover.clone()}>
            { type_badge(c.ptype) }
            <span class="picker__name">{ c.name.clone() }</span>
            <span class="picker__secondary">{ c.secondary.clone() }</span>
        </li>
    }
}

/// The picker's index of the team, and the search for `query` in it; both
/// empty until the picker is first opened or typed in.
#[hook]
fn use_search(
    props: &PrincipalPickerProps,
    query: String,
    open: bool,
) -> (Rc<PickerIndex>, Rc<SearchResult>) {
    let used = use_mut_ref(|| false);
    if open || !query.is_empty() {
        *used.borrow_mut() = true;
    }
    let used = *used.borrow();
    let index = use_memo((ByPtr(props.team.clone()), used), |(t, used)| {
        if *used {
            PickerIndex::build(&t.0)
        } else {
            PickerIndex::default()
        }
    });
    let mut exclude = props.exclude.clone();
    exclude.sort_unstable();
    exclude.dedup();
    let result = use_memo(
        (
            ByPtr(index.clone()),
            query,
            exclude,
            props.include_api_keys,
            props.max_options,
        ),
        |(idx, q, ex, keys, max)| idx.0.search(q, ex, *keys, *max),
    );
    (index, result)
}

/// The line under the field: the caller's hint, or which principals it finds.
fn hint(props: &PrincipalPickerProps) -> Html {
    if let Some(hint) = &props.hint {
        html! { { hint.clone() } }
    } else if props.include_api_keys {
        html! { { "Search users, groups, applications, OAuth clients and API keys." } }
    } else {
        html! { { "API keys act as their owners — grant to the owner." } }
    }
}

/// Under the options: nothing matches, or how many more there are.
fn popup_notes(total: usize, more: usize) -> Html {
    html! {
        <>
            if total == 0 {
                <p class="picker__empty">{ "No matches" }</p>
            }
            if more > 0 {
                <p class="picker__more">{ format!("{more} more — keep typing") }</p>
            }
        </>
    }
}

/// The listbox's options, the active one selected.
fn options_html(
    team: &Team,
    index: &PickerIndex,
    result: &SearchResult,
    active: Option<usize>,
    option_id: &dyn Fn(usize) -> String,
    pick: &Callback<usize>,
    hover: &Callback<usize>,
) -> Html {
    result
        .shown
        .iter()
        .enumerate()
        .filter_map(|(pos, &i)| index.items.get(i as usize).map(|c| (pos, c)))
        .map(|(pos, c)| {
            html! {
                <PickerOption id={option_id(pos)} selected={active == Some(pos)} candidate={c.clone()}
                    principal_id={team.principal(c.p).id.clone()}
                    on_pick={pick.reform(move |_| pos)} on_hover={hover.reform(move |_| pos)} />
            }
        })
        .collect()
}

/// Picking the option at a position: the query clears, the list closes, the
/// principal goes to `on_pick`.
fn pick_option(
    on_pick: Callback<PrincipalIdx>,
    (index, result): (Rc<PickerIndex>, Rc<SearchResult>),
    query: UseStateHandle<String>,
    open: UseStateHandle<bool>,
    active: UseStateHandle<Option<usize>>,
) -> Callback<usize> {
    Callback::from(move |pos: usize| {
        let Some(c) = result
            .shown
            .get(pos)
            .and_then(|&i| index.items.get(i as usize))
        else {
            return;
        };
        query.set(String::new());
        open.set(false);
        active.set(None);
        on_pick.emit(c.p);
    })
}
