//! The resource navigator: an APG treegrid (rows with `aria-level`,
//! `aria-expanded`, `aria-posinset` / `aria-setsize`; arrow keys move between
//! rows and cells, Right / Left expand and collapse, Home / End jump, Enter
//! opens the Permissions dialog) with an Options menu button on every row.

use super::dialog::state::Tab;
use super::modal::{active_element, element_near_focus, focus_id};
use super::text::{count, dom_id};
use crate::eval::change::may_manage;
use crate::eval::{PrincipalIdx, ResourceIdx, Team};
use crate::keys::{tree_key, TreeKey, TreePos};
use crate::model::catalog::Level;
use crate::ui::hooks::ByPtr;
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use rustc_hash::FxHashSet;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// From this many visible rows on, only the rows on screen (and
/// [`OVERSCAN`] more on each side) are mounted; spacer rows keep the height.
const WINDOW_FROM: usize = 200;
const OVERSCAN: usize = 20;

/// Number of cells per row (Name, Type, Grants, You, Options).
const COLS: u8 = 5;
const OPTIONS_COL: u8 = 4;

#[derive(Properties, PartialEq)]
pub struct TreeProps {
    pub team: ByPtr<Team>,
    pub actor: PrincipalIdx,
    /// Opens the dialog of a resource on a tab.
    pub on_open: Callback<(ResourceIdx, Tab)>,
}

pub fn row_id(team: &Team, r: ResourceIdx) -> String {
    format!("tree-row-{}", dom_id(&team.resource(r).id))
}
fn cell_id(team: &Team, r: ResourceIdx, c: u8) -> String {
    format!("tree-cell-{}-{c}", dom_id(&team.resource(r).id))
}
/// DOM id of a row's Options button (focus returns here when its dialog closes).
pub fn options_id(team: &Team, r: ResourceIdx) -> String {
    format!("tree-options-{}", dom_id(&team.resource(r).id))
}
fn menu_id(team: &Team, r: ResourceIdx) -> String {
    format!("tree-menu-{}", dom_id(&team.resource(r).id))
}

/// Where keyboard focus is in the treegrid: a row, or one of its cells.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Focus {
    row: ResourceIdx,
    col: Option<u8>,
}

fn focus_dom_id(team: &Team, f: Focus) -> String {
    match f.col {
        None => row_id(team, f.row),
        Some(OPTIONS_COL) => options_id(team, f.row),
        Some(c) => cell_id(team, f.row, c),
    }
}

/// The rows open at first: services, and containers near the top (packages
/// start closed).
fn initially_expanded(team: &Team) -> FxHashSet<ResourceIdx> {
    team.tree_order
        .iter()
        .copied()
        .filter(|&r| {
            let k = team.kind_of(r);
            k.level == Level::Service || (k.level == Level::Container && team.resource(r).depth < 2)
        })
        .collect()
}

/// Whether the acting user may manage each resource (the evaluator's
/// authority check), by resource index.
fn manageable(team: &Team, actor: PrincipalIdx) -> Vec<bool> {
    let view = team.view();
    (0..team.resources.len())
        .map(|r| may_manage(&view, actor, ResourceIdx(r as u32)).is_ok())
        .collect()
}

/// The visible rows in tree order (every ancestor expanded).
fn visible_rows(team: &Team, expanded: &FxHashSet<ResourceIdx>) -> Vec<ResourceIdx> {
    let mut shown = vec![false; team.resources.len()];
    let mut out = Vec::new();
    for &r in team.tree_order.iter() {
        let ok = match team.resource(r).parent {
            None => true,
            Some(p) => shown[p.index()] && expanded.contains(&p),
        };
        if ok {
            shown[r.index()] = true;
            out.push(r);
        }
    }
    out
}

/// `aria-posinset` and `aria-setsize` of a row among its siblings (or the
/// roots).
fn pos_in_set(team: &Team, r: ResourceIdx) -> (usize, usize) {
    let roots: Vec<ResourceIdx>;
    let siblings: &[ResourceIdx] = match team.resource(r).parent {
        Some(p) => &team.resource(p).children,
        None => {
            roots = team
                .tree_order
                .iter()
                .copied()
                .filter(|&x| team.resource(x).parent.is_none())
                .collect();
            &roots
        }
    };
    (
        siblings.iter().position(|&s| s == r).unwrap_or(0) + 1,
        siblings.len(),
    )
}

#[function_component(ResourceTree)]
pub fn resource_tree(props: &TreeProps) -> Html {
    let team = props.team.0.clone();
    let expanded = {
        let team = team.clone();
        use_state(move || initially_expanded(&team))
    };
    let focus = {
        let first = team.tree_order.first().copied().unwrap_or(ResourceIdx(0));
        use_state(move || Focus {
            row: first,
            col: None,
        })
    };
    let menu = use_state(|| None::<ResourceIdx>);
    let manage = use_memo((props.team.clone(), props.actor), |(team, actor)| {
        manageable(&team.0, *actor)
    });
    let visible = visible_rows(&team, &expanded);
    let window = use_row_window(visible.len() >= WINDOW_FROM);
    let (lo, hi) = window.range(visible.len());

    // A row the keyboard moved to before it was mounted; or the focused row,
    // which moving the window can blur (the DOM moves it).
    {
        let (team, focus, w) = (team.clone(), *focus, window.clone());
        use_effect(move || {
            let refocus = w.refocus.replace(false);
            let lost = active_element().is_none_or(|a| a == gloo::utils::body());
            if (w.focus_later.get() == Some(focus.row) || (refocus && lost))
                && focus_in_place(&focus_dom_id(&team, focus))
            {
                w.focus_later.set(None);
            }
        });
    }

    // Focus the menu's first item when it opens.
    {
        let team = team.clone();
        use_effect_with(*menu, move |m| {
            if let Some(r) = *m {
                focus_id(&format!("{}-permissions", menu_id(&team, r)));
            }
        });
    }

    let on_expand = {
        let expanded = expanded.clone();
        Callback::from(move |(r, open): (ResourceIdx, bool)| {
            let mut next = (*expanded).clone();
            if open {
                next.insert(r);
            } else {
                next.remove(&r);
            }
            expanded.set(next);
        })
    };
    let onkeydown = tree_keys(TreeKeys {
        team: team.clone(),
        focus: focus.clone(),
        expanded: expanded.clone(),
        visible: visible.clone(),
        menu_open: menu.is_some(),
        on_open: props.on_open.clone(),
        on_expand: on_expand.clone(),
        window: window.clone(),
    });
    let on_focus = {
        let focus = focus.clone();
        Callback::from(move |f: Focus| {
            if *focus != f {
                focus.set(f);
            }
        })
    };
    let on_menu = {
        let menu = menu.clone();
        Callback::from(move |m: Option<ResourceIdx>| menu.set(m))
    };

    // The rows mounted: the window, and the focused row wherever it is, so
    // that scrolling never unmounts the row that has focus.
    let focused_at = visible.iter().position(|&r| r == focus.row);
    let mut mounted: Vec<usize> = (lo..hi).collect();
    if let Some(f) = focused_at.filter(|f| !(lo..hi).contains(f)) {
        mounted.push(f);
        mounted.sort_unstable();
    }
    // The tab stop: the focused row, or the first mounted one when the
    // focused row is hidden (under a collapsed parent).
    let tab_stop = match (focused_at, mounted.first()) {
        (None, Some(&first)) => Focus {
            row: visible[first],
            col: None,
        },
        _ => *focus,
    };
    let row = |i: usize| {
        let r = visible[i];
        html! {
            <TreeRow key={format!("r{}", r.index())} team={ByPtr(team.clone())} resource={r}
                row_index={i + 2}
                focus={tab_stop} expanded={expanded.contains(&r)}
                can_manage={manage.get(r.index()).copied().unwrap_or(false)}
                menu_open={*menu == Some(r)}
                on_focus={on_focus.clone()} on_expand={on_expand.clone()}
                on_open={props.on_open.clone()} on_menu={on_menu.clone()} />
        }
    };
    // One keyed list, spacers standing in for the rows in between, so that
    // the focused row keeps its DOM node while the window moves past it.
    let mut body = Vec::with_capacity(mounted.len() + 3);
    let mut next = 0;
    for i in mounted {
        if i > next {
            let name = if next == 0 { "top" } else { "gap" };
            body.push(spacer(name, i - next, window.row_px()));
        }
        body.push(row(i));
        next = i + 1;
    }
    if visible.len() > next {
        body.push(spacer("end", visible.len() - next, window.row_px()));
    }

    html! {
        <table role="treegrid" id="resource-tree" class={classes!("tree", window.on.then_some("is-windowed"))}
            aria-label="Resources" aria-rowcount={(visible.len() + 1).to_string()}
            aria-readonly="true" data-testid="resource-tree" {onkeydown} ref={window.table.clone()}>
            <thead>
                <tr role="row" aria-rowindex="1">
                    <th role="columnheader" scope="col" class="tree-name">{ "Name" }</th>
                    <th role="columnheader" scope="col" class="tree-kind">{ "Type" }</th>
                    <th role="columnheader" scope="col" class="tree-grants">{ "Granted to" }</th>
                    <th role="columnheader" scope="col" class="tree-you">{ "Your access" }</th>
                    <th role="columnheader" scope="col" class="tree-options">
                        <span class="visually-hidden">{ "Options" }</span>
                    </th>
                </tr>
            </thead>
            <tbody>{ for body }</tbody>
        </table>
    }
}

/// Focuses the element with this id without scrolling the page (the
/// window has put it where it belongs).
fn focus_in_place(id: &str) -> bool {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    element_near_focus(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|e| e.focus_with_options(&options).is_ok())
}

/// A spacer standing in for `rows` unmounted rows: the `top` one, the one
/// at the `end`, or a `gap` between the window and the focused row. Each
/// keeps its place (and so the page's scroll position) as the window moves.
fn spacer(name: &str, rows: usize, row_px: f64) -> Html {
    html! {
        <tr key={format!("spacer-{name}")} class="tree-spacer" aria-hidden="true"
            style={format!("height: {}px", rows as f64 * row_px)}>
            <td colspan={COLS.to_string()}></td>
        </tr>
    }
}

/// Which rows of a long tree are mounted: those on screen, from the page's
/// scroll position, plus some overscan.
#[derive(Clone)]
struct RowWindow {
    on: bool,
    first: UseStateHandle<usize>,
    table: NodeRef,
    /// A row's height in pixels, measured once rows are on screen.
    row_px: Rc<Cell<f64>>,
    /// A row to focus once it is mounted (keyboard moves to unmounted rows).
    focus_later: Rc<Cell<Option<ResourceIdx>>>,
    /// Set when the window moves while focus is in the tree.
    refocus: Rc<Cell<bool>>,
}

/// The viewport's height in pixels.
fn screen_px() -> f64 {
    gloo::utils::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(900.0)
}

impl RowWindow {
    fn row_px(&self) -> f64 {
        self.row_px.get()
    }
    /// The mounted rows, as a range of indexes into the visible rows.
    fn range(&self, len: usize) -> (usize, usize) {
        if !self.on {
            return (0, len);
        }
        let mounted = (screen_px() / self.row_px()) as usize + 2 * OVERSCAN;
        // Never past the end: the last screenful stays mounted.
        let lo = (*self.first).min(len.saturating_sub(mounted));
        (lo, (lo + mounted).min(len))
    }
    /// Whether focus is in the table.
    fn holds_focus(&self) -> bool {
        let table = self.table.cast::<web_sys::Node>();
        let active = active_element().map(web_sys::Node::from);
        table.is_some_and(|t| t.contains(active.as_ref()))
    }
    /// The first row to mount for the table's position on the page now.
    fn first_for_scroll(&self) -> usize {
        let Some(table) = self.table.cast::<web_sys::Element>() else {
            return 0;
        };
        if let Some(row) = table.query_selector("tbody tr.tree-row").ok().flatten() {
            let h = row.get_bounding_client_rect().height();
            if h > 0.0 {
                self.row_px.set(h);
            }
        }
        let above = -table.get_bounding_client_rect().top();
        ((above / self.row_px()).max(0.0) as usize).saturating_sub(OVERSCAN)
    }
    /// Scrolls the page so that row `i` is on screen, and mounts it.
    fn reveal(&self, i: usize) {
        let Some(table) = self.table.cast::<web_sys::Element>() else {
            return;
        };
        let row_top = table.get_bounding_client_rect().top() + (i + 1) as f64 * self.row_px();
        gloo::utils::window().scroll_by_with_x_and_y(0.0, row_top - screen_px() / 2.0);
        self.first.set(i.saturating_sub(OVERSCAN));
    }
}

#[hook]
fn use_row_window(on: bool) -> RowWindow {
    let window = RowWindow {
        on,
        first: use_state_eq(|| 0usize),
        table: use_node_ref(),
        row_px: (*use_state(|| Rc::new(Cell::new(40.0)))).clone(),
        focus_later: (*use_state(|| Rc::new(Cell::new(None)))).clone(),
        refocus: (*use_state(|| Rc::new(Cell::new(false)))).clone(),
    };
    {
        // Scroll events do not bubble: listen on the window in the capture phase.
        let w = window.clone();
        use_effect_with(on, move |&on| {
            if on {
                // Measures a row and places the window for where the page is.
                w.first.set(w.first_for_scroll());
            }
            let listeners = on.then(|| {
                let opts = EventListenerOptions {
                    phase: EventListenerPhase::Capture,
                    passive: true,
                };
                let target = gloo::utils::window();
                ["scroll", "resize"].map(|name| {
                    let w = w.clone();
                    EventListener::new_with_options(&target, name, opts, move |_| {
                        w.refocus.set(w.holds_focus());
                        w.first.set(w.first_for_scroll());
                    })
                })
            });
            move || drop(listeners)
        });
    }
    window
}

/// What the treegrid's key handler reads.
struct TreeKeys {
    team: Rc<Team>,
    focus: UseStateHandle<Focus>,
    expanded: UseStateHandle<FxHashSet<ResourceIdx>>,
    visible: Vec<ResourceIdx>,
    menu_open: bool,
    on_open: Callback<(ResourceIdx, Tab)>,
    on_expand: Callback<(ResourceIdx, bool)>,
    window: RowWindow,
}

/// The treegrid's keys (see [`tree_key`]), applied to the visible rows.
fn tree_keys(k: TreeKeys) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if k.menu_open {
            return;
        }
        let f = *k.focus;
        let Some(pos) = k.visible.iter().position(|&r| r == f.row) else {
            return;
        };
        let at = TreePos {
            rows: k.visible.len(),
            cols: COLS,
            row: pos,
            col: f.col,
            has_children: !k.team.resource(f.row).children.is_empty(),
            expanded: k.expanded.contains(&f.row),
        };
        let move_to = |to: Focus| {
            if !focus_id(&focus_dom_id(&k.team, to)) {
                // Not mounted (a long tree's far row): scroll to it, focus it once drawn.
                if let Some(i) = k.visible.iter().position(|&r| r == to.row) {
                    k.window.focus_later.set(Some(to.row));
                    k.window.reveal(i);
                }
            }
            k.focus.set(to);
        };
        match tree_key(&e.key(), at) {
            None => return,
            Some(TreeKey::Open) if f.col == Some(OPTIONS_COL) => return,
            Some(TreeKey::Open) => k.on_open.emit((f.row, Tab::Permissions)),
            Some(TreeKey::Focus { row, col }) => {
                if let Some(&r) = k.visible.get(row) {
                    move_to(Focus { row: r, col });
                }
            }
            Some(TreeKey::Parent) => {
                if let Some(p) = k.team.resource(f.row).parent {
                    move_to(Focus { row: p, col: None });
                }
            }
            Some(TreeKey::Expand(open)) => k.on_expand.emit((f.row, open)),
            Some(TreeKey::Stay) => {}
        }
        e.prevent_default();
    })
}

#[derive(Properties, PartialEq)]
struct TreeRowProps {
    team: ByPtr<Team>,
    resource: ResourceIdx,
    /// `aria-rowindex` (the header row is 1): rows of a long tree are not all mounted.
    row_index: usize,
    /// Where the treegrid's focus is (this row, one of its cells, or elsewhere).
    focus: Focus,
    expanded: bool,
    can_manage: bool,
    menu_open: bool,
    on_focus: Callback<Focus>,
    on_expand: Callback<(ResourceIdx, bool)>,
    on_open: Callback<(ResourceIdx, Tab)>,
    on_menu: Callback<Option<ResourceIdx>>,
}

/// One resource's row: name (with its twisty), type, grants, the actor's
/// access, and the Options menu button.
#[function_component(TreeRow)]
fn tree_row(props: &TreeRowProps) -> Html {
    let team = &props.team.0;
    let r = props.resource;
    let res = team.resource(r);
    let kind = team.kind_of(r);
    let has_children = !res.children.is_empty();
    let is_open = props.expanded;
    let (posinset, setsize) = pos_in_set(team, r);
    let tab = |f: Focus| if props.focus == f { "0" } else { "-1" };
    let row_focus = Focus { row: r, col: None };
    let cell_focus = |c: u8| Focus {
        row: r,
        col: Some(c),
    };
    let onfocus_of = |f: Focus| {
        let on_focus = props.on_focus.clone();
        Callback::from(move |e: FocusEvent| {
            e.stop_propagation();
            on_focus.emit(f);
        })
    };
    let toggle = {
        let on_expand = props.on_expand.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on_expand.emit((r, !is_open));
        })
    };
    let open = {
        let on_open = props.on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit((r, Tab::Permissions)))
    };
    let grantees = team.grantees_on(r).len();
    let menu_open = props.menu_open;
    let toggle_menu = {
        let on_menu = props.on_menu.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on_menu.emit(if menu_open { None } else { Some(r) });
        })
    };
    let on_pick = {
        let (on_open, on_menu) = (props.on_open.clone(), props.on_menu.clone());
        Callback::from(move |t: Tab| {
            on_menu.emit(None);
            on_open.emit((r, t));
        })
    };
    let on_dismiss = props.on_menu.reform(|_: ()| None);
    let level_class = format!("tree-level-{}", res.depth.min(4));
    let kind_class = format!("kind-{}", dom_id(&kind.id));
    html! {
        <tr role="row" id={row_id(team, r)}
            class={classes!("tree-row", level_class, if props.focus == row_focus { "is-current" } else { "" })}
            aria-level={(res.depth + 1).to_string()}
            aria-expanded={has_children.then_some(if is_open { "true" } else { "false" })}
            aria-posinset={posinset.to_string()} aria-setsize={setsize.to_string()}
            aria-rowindex={props.row_index.to_string()}
            data-testid={format!("tree-row-{}", res.id)}
            data-resource={res.id.clone()}
            tabindex={tab(row_focus)} onfocus={onfocus_of(row_focus)}>
            <td role="gridcell" class="tree-name" id={cell_id(team, r, 0)}
                tabindex={tab(cell_focus(0))} onfocus={onfocus_of(cell_focus(0))}>
                <span class="tree-indent" style={format!("--depth: {}", res.depth)}>
                    if has_children {
                        <span class={classes!("tree-twisty", is_open.then_some("is-open"))}
                            aria-hidden="true" onclick={toggle}>{ "▸" }</span>
                    } else {
                        <span class="tree-twisty tree-leaf" aria-hidden="true"></span>
                    }
                    <span class={classes!("kind-icon", kind_class)} aria-hidden="true"></span>
                    <span class="tree-label" ondblclick={open}>{ res.name.clone() }</span>
                </span>
            </td>
            <td role="gridcell" class="tree-kind" id={cell_id(team, r, 1)}
                tabindex={tab(cell_focus(1))} onfocus={onfocus_of(cell_focus(1))}>
                { kind.label.clone() }
            </td>
            <td role="gridcell" class="tree-grants" id={cell_id(team, r, 2)}
                tabindex={tab(cell_focus(2))} onfocus={onfocus_of(cell_focus(2))}>
                if grantees > 0 { { count(grantees, "principal", "principals") } }
                else { <span class="muted">{ "—" }</span> }
            </td>
            <td role="gridcell" class="tree-you" id={cell_id(team, r, 3)}
                tabindex={tab(cell_focus(3))} onfocus={onfocus_of(cell_focus(3))}>
                if props.can_manage {
                    <span class="badge badge-allow">{ "Can manage" }</span>
                } else {
                    <span class="badge badge-muted">{ "View only" }</span>
                }
            </td>
            <td role="gridcell" class="tree-options">
                <div class="menu-anchor">
                    <button type="button" class="button button-small button-ghost"
                        id={options_id(team, r)}
                        data-testid={format!("options-{}", res.id)}
                        aria-haspopup="menu"
                        aria-expanded={if menu_open { "true" } else { "false" }}
                        aria-controls={menu_open.then(|| menu_id(team, r))}
                        aria-label={format!("Options for {} {}", kind.label, res.name)}
                        tabindex={tab(cell_focus(OPTIONS_COL))}
                        onfocus={onfocus_of(cell_focus(OPTIONS_COL))}
                        onclick={toggle_menu}>
                        { "Options" }<span aria-hidden="true" class="caret">{ " ▾" }</span>
                    </button>
                    if menu_open {
                        <OptionsMenu id={menu_id(team, r)} resource={r}
                            resource_id={AttrValue::from(res.id.clone())}
                            service={kind.level == Level::Service}
                            data_model={kind.id == "data-model"}
                            button_id={AttrValue::from(options_id(team, r))}
                            {on_pick} {on_dismiss} />
                    }
                </div>
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct OptionsMenuProps {
    id: String,
    resource: ResourceIdx,
    resource_id: AttrValue,
    service: bool,
    data_model: bool,
    button_id: AttrValue,
    on_pick: Callback<Tab>,
    on_dismiss: Callback<()>,
}

/// The Options menu of one row (APG menu button pattern).
#[function_component(OptionsMenu)]
fn options_menu(props: &OptionsMenuProps) -> Html {
    let mut items: Vec<(&str, &str, Tab)> = vec![(
        "permissions",
        if props.service {
            "Service permissions…"
        } else {
            "Permissions…"
        },
        Tab::Permissions,
    )];
    if props.data_model {
        items.push(("data", "Data permissions…", Tab::Data));
    }
    items.push(("check", "Check access…", Tab::Check));
    let ids: Vec<String> = items
        .iter()
        .map(|(k, _, _)| format!("{}-{k}", props.id))
        .collect();
    let onkeydown = {
        let ids = ids.clone();
        let on_dismiss = props.on_dismiss.clone();
        let button_id = props.button_id.clone();
        Callback::from(move |e: KeyboardEvent| {
            let active = gloo::utils::document()
                .active_element()
                .map(|a| a.id())
                .unwrap_or_default();
            let pos = ids.iter().position(|i| *i == active).unwrap_or(0);
            let n = ids.len();
            match e.key().as_str() {
                "ArrowDown" => {
                    focus_id(&ids[(pos + 1) % n]);
                }
                "ArrowUp" => {
                    focus_id(&ids[(pos + n - 1) % n]);
                }
                "Home" => {
                    focus_id(&ids[0]);
                }
                "End" => {
                    focus_id(&ids[n - 1]);
                }
                "Escape" => {
                    on_dismiss.emit(());
                    focus_id(&button_id);
                }
                "Tab" => {
                    on_dismiss.emit(());
                    return;
                }
                _ => return,
            }
            e.prevent_default();
            e.stop_propagation();
        })
    };
    let onfocusout = {
        let on_dismiss = props.on_dismiss.clone();
        let id = props.id.clone();
        Callback::from(move |e: FocusEvent| {
            let inside = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest(&format!("#{id}")).ok().flatten())
                .is_some();
            if !inside {
                on_dismiss.emit(());
            }
        })
    };
    let entries = items.into_iter().zip(ids).map(|((key, label, tab), id)| {
        let on_pick = props.on_pick.clone();
        let pick = Callback::from(move |_: MouseEvent| on_pick.emit(tab));
        let on_pick = props.on_pick.clone();
        let keys = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                on_pick.emit(tab);
            }
        });
        html! {
            <li role="menuitem" id={id} tabindex="-1" class="menu-item"
                data-testid={format!("menu-{key}-{}", props.resource_id)}
                onclick={pick} onkeydown={keys}>{ label }</li>
        }
    });
    html! {
        <ul role="menu" id={props.id.clone()} class="menu" aria-labelledby={props.button_id.clone()}
            {onkeydown} onfocusout={onfocusout}>
            { for entries }
        </ul>
    }
}
