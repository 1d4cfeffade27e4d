//! The permission grid: an APG data grid (`role="grid"`, row and column
//! headers, `aria-rowcount` / `aria-rowindex`) with one roving tab stop.
//! Arrow keys move between cells, Home / End to the row's ends, Ctrl+Home /
//! Ctrl+End to the first / last row, Page Up / Page Down by a page; Space
//! toggles a permission, Enter (or `?`) explains it. Rows are paged, so a
//! group of 10,000 members never mounts 10,000 rows.

use super::rows::{cells, flatten, listed_for, Cell, Checked, Mark, Row};
use super::state::{Action, GridView, State};
use super::why::WhyTarget;
use crate::eval::{PrincipalIdx, Team};
use crate::keys::{grid_move, GridPos};
use crate::model::catalog::Tier;
use crate::model::validate::PrincipalType;
use crate::model::Role;
use crate::ui::hooks::{after_paint, ByPtr};
use crate::ui::icons;
use crate::ui::pager::{turn_to, Page, Pager};
use crate::ui::text::{count, role_label};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What an empty grid says (with no filter).
const EMPTY: &str =
    "Nobody holds a permission here yet. Add a user, group, application or OAuth client above.";

/// Rows per page: about a screenful of the dialog and as much again (rows
/// are about 66 px high; a 900 px window shows 7); a team of any size
/// mounts no more than this. Every mounted row is laid out and painted
/// again on each edit (docs/performance.md).
pub const PAGE_SIZE: usize = 15;

/// Rows the dialog's first frame mounts (a 900 px window shows 6, a 1080 px
/// one 8); the rest of the first page follows once that frame is painted, so
/// the dialog opens with about half the elements to build, style and lay out.
pub const FIRST_FRAME_ROWS: usize = 8;

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub state: GridView,
    pub on_why: Callback<WhyTarget>,
    /// Shown at the start of the toolbar above the grid (the principal picker).
    #[prop_or_default]
    pub toolbar: Html,
    /// Shown between the toolbar and the grid (the bulk-change bar).
    #[prop_or_default]
    pub bulk: Html,
}

/// DOM id of the focus target of a cell (flat row index, column).
fn target_id(row: usize, col: usize) -> String {
    format!("gc-{row}-{col}")
}

fn principal_sub(team: &Team, row: &Row) -> String {
    let info = team.principal(row.principal);
    let mut parts = vec![info.ptype.title().to_string()];
    match info.ptype {
        PrincipalType::Group => {
            parts.push(format!("{} role", role_label(info.role)));
            parts.push(count(row.members, "member", "members"));
        }
        PrincipalType::User => parts.push(role_label(info.role).to_string()),
        PrincipalType::OAuthClient => {
            if let Some(oc) = team
                .snapshot
                .directory
                .oauth_clients
                .iter()
                .find(|o| o.id == info.id)
            {
                parts.push(format!("scopes: {}", oc.scopes.join(", ")));
            }
        }
        _ => {}
    }
    parts.join(" · ")
}

#[function_component(PermissionGrid)]
pub fn permission_grid(props: &GridProps) -> Html {
    let state = props.state.state.clone();
    let team = state.team.clone();
    let r = state.resource;
    let kind = team.kind_of(r);
    let nperm = kind.perms.len();
    // Kinds with few permissions (assets, data models) also show what each
    // row can do here: their capabilities come mostly from above.
    let few = nperm <= 2;
    let ncols = nperm + 3 + usize::from(few);
    let last_col = ncols - 1;

    let filter = use_state(String::new);
    let page = use_state(|| 0usize);
    let active = use_state_eq(|| (0usize, 1usize));
    let focus_req = use_state(|| 0u32);
    let select_all_ref = use_node_ref();
    let whole_page = use_whole_page_after_first_frame();

    let rows = use_memo(
        (props.state.clone(), (*filter).clone()),
        |(view, filter)| flatten(&view.state, filter),
    );
    let total = rows.len();
    let at = Page::of(*page, PAGE_SIZE, total);
    let (start, end) = (at.start, at.end);
    // The roving tab stop: the active cell if it is on this page.
    let (tab_r, tab_c) = match *active {
        (ar, ac) if total > 0 && ar >= start && ar < end => (ar, ac.min(last_col)),
        _ => (start, 1),
    };

    let grid_ref = use_node_ref();
    use_focus_request(grid_ref.clone(), *focus_req, target_id(tab_r, tab_c));

    // Rows selected on this page, for the tri-state "select all" box.
    let page_rows: Vec<&Row> = rows[start..end].iter().collect();
    let (selectable, all_state) = selectable_on(&page_rows, &state.selected);
    use_indeterminate(select_all_ref.clone(), all_state);

    let go = {
        let active = active.clone();
        let page = page.clone();
        let focus_req = focus_req.clone();
        move |row: usize, col: usize| {
            active.set((row, col));
            page.set(row / PAGE_SIZE);
            focus_req.set(*focus_req + 1);
        }
    };

    let onkeydown = grid_keys(GridKeys {
        state: state.clone(),
        on_why: props.on_why.clone(),
        rows: rows.clone(),
        tab: (tab_r, tab_c),
        cols: last_col + 1,
        go: Callback::from(move |(row, col)| go(row, col)),
    });

    let on_focus = {
        let active = active.setter();
        use_callback((), move |at: (usize, usize), _| active.set(at))
    };
    let shows = {
        let rows = rows.clone();
        use_memo(
            (props.state.clone(), (*filter).clone(), start, end),
            move |(view, ..)| {
                rows[start..end]
                    .iter()
                    .map(|row| Rc::new(RowShows::of(&view.state, few, row)))
                    .collect::<Vec<_>>()
            },
        )
    };
    let cx = PageCtx {
        team: &team,
        tab: (tab_r, tab_c),
        last_col,
        dispatch: state.dispatcher(),
        on_why: &props.on_why,
        on_focus: &on_focus,
    };
    let mounted = if whole_page {
        shows.len()
    } else {
        FIRST_FRAME_ROWS
    };
    let body_rows = shows.iter().take(mounted).enumerate().map(|(k, shows)| {
        let row = &shows.row;
        let key = format!(
            "{}-{}",
            row.group.map(|g| g.to_string()).unwrap_or_default(),
            row.principal
        );
        let p = cx.row(start + k, shows);
        html! { <GridRow {key} ..p /> }
    });

    let on_filter = {
        let (filter, page) = (filter.clone(), page.clone());
        Callback::from(move |v: String| {
            filter.set(v);
            page.set(0);
        })
    };
    let on_select_all = select_all(state.clone(), selectable.clone(), all_state);
    let on_page = turn_to(&page);
    html! {
        <div class="grid-area">
            <GridToolbar start={props.toolbar.clone()} filter={(*filter).clone()} {on_filter}>
                if at.is_paged() {
                    <Pager {at} label="Pages of rows" noun="Rows" id="grid" class="pw-pager--toolbar" {on_page} />
                }
            </GridToolbar>
            { props.bulk.clone() }
            <div class={classes!("grid-scroll", few.then_some("few-perms"))}>
                <table role="grid" id="perm-grid" ref={grid_ref} class={classes!("perm-grid", (nperm <= 2).then_some("few-perms"))}
                    data-testid="perm-grid"
                    aria-labelledby="perm-grid-caption" aria-describedby="perm-grid-help"
                    aria-rowcount={(total + 1).to_string()} aria-colcount={ncols.to_string()}
                    {onkeydown}>
                    <caption id="perm-grid-caption" class="visually-hidden">
                        { format!("Who holds which {} permission", kind.label) }
                    </caption>
                    <thead>
                        <GridHead state={state.clone()} {few} select_all={select_all_ref}
                            no_selectable={selectable.is_empty()} {on_select_all} />
                    </thead>
                    <tbody>
                        { for body_rows }
                    </tbody>
                </table>
                if total == 0 {
                    <p class="grid-empty">
                        { if filter.is_empty() { EMPTY } else { "No row matches the filter." } }
                    </p>
                }
            </div>
            <p id="perm-grid-help" class="grid-help">
                { "Arrow keys move between cells · Space grants or removes · Enter explains why · Ctrl+Home / Ctrl+End jump to the first / last row · Ctrl+Z / Ctrl+Shift+Z undo / redo" }
            </p>
        </div>
    }
}

/// False until the grid's first frame is painted, then true.
#[hook]
fn use_whole_page_after_first_frame() -> bool {
    let whole = use_state_eq(|| false);
    {
        let whole = whole.setter();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                after_paint().await;
                whole.set(true);
            });
        });
    }
    *whole
}

/// Focuses the element with DOM id `id` inside `root` each time `request`
/// grows (after the render that moved the roving tab stop there).
#[hook]
fn use_focus_request(root: NodeRef, request: u32, id: String) {
    use_effect_with(request, move |req| {
        if *req > 0 {
            let target = root
                .cast::<web_sys::Element>()
                .and_then(|g| g.query_selector(&format!("#{id}")).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(t) = target {
                let _ = t.focus();
            }
        }
    });
}

/// Keeps a checkbox's `indeterminate` and `checked` in step with a
/// tri-state (the DOM has no attribute for indeterminate).
#[hook]
fn use_indeterminate(input: NodeRef, state: Checked) {
    use_effect_with(state, move |s| {
        if let Some(input) = input.cast::<HtmlInputElement>() {
            input.set_indeterminate(*s == Checked::Mixed);
            input.set_checked(*s == Checked::Yes);
        }
    });
}

/// The rows of a page that can be selected (not member rows), and whether
/// none, some or all of them are.
fn selectable_on(page_rows: &[&Row], selected: &[PrincipalIdx]) -> (Vec<PrincipalIdx>, Checked) {
    let selectable: Vec<PrincipalIdx> = page_rows
        .iter()
        .filter(|row| row.group.is_none())
        .map(|row| row.principal)
        .collect();
    let n = selectable.iter().filter(|p| selected.contains(p)).count();
    let state = select_all_state(n, selectable.len());
    (selectable, state)
}

/// The "select every row on this page" box changed: all of them are
/// selected, or (when all were) none.
fn select_all(
    state: UseReducerHandle<State>,
    selectable: Vec<PrincipalIdx>,
    now: Checked,
) -> Callback<Event> {
    Callback::from(move |_: Event| {
        let mut sel = state.selected.clone();
        if now == Checked::Yes {
            sel.retain(|p| !selectable.contains(p));
        } else {
            for p in &selectable {
                if !sel.contains(p) {
                    sel.push(*p);
                }
            }
        }
        state.dispatch(Action::SetSelection(sel));
    })
}

/// The "select every row on this page" box: none, all or some selected.
fn select_all_state(selected: usize, selectable: usize) -> Checked {
    if selected == 0 {
        Checked::No
    } else if selected == selectable {
        Checked::Yes
    } else {
        Checked::Mixed
    }
}

/// What the grid's key handler reads.
struct GridKeys {
    state: UseReducerHandle<State>,
    on_why: Callback<WhyTarget>,
    rows: Rc<Vec<Row>>,
    /// The roving tab stop `(row, column)`.
    tab: (usize, usize),
    cols: usize,
    /// Moves the tab stop (and the page) to `(row, column)` and focuses it.
    go: Callback<(usize, usize)>,
}

/// The grid's keys: navigation (see [`grid_move`]); on a permission cell,
/// Space toggles (or explains a locked cell), Enter or `?` explains.
fn grid_keys(k: GridKeys) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let total = k.rows.len();
        if total == 0 {
            return;
        }
        let (r0, c0) = k.tab;
        let kind = k.state.team.kind_of(k.state.resource);
        let perm_col = c0 >= 2 && c0 < 2 + kind.perms.len();
        let key = e.key();
        let at = GridPos {
            rows: total,
            cols: k.cols,
            row: r0,
            col: c0,
        };
        if let Some(target) = grid_move(&key, e.ctrl_key() || e.meta_key(), at, PAGE_SIZE) {
            e.prevent_default();
            k.go.emit(target);
            return;
        }
        if !perm_col {
            return;
        }
        let Some(row) = k.rows.get(r0) else { return };
        let flag = kind.perms[c0 - 2].id.clone();
        let why = WhyTarget::Flag {
            principal: row.principal,
            flag: flag.clone(),
        };
        match key.as_str() {
            " " | "Spacebar" => {
                e.prevent_default();
                match cells(&k.state, row).get(c0 - 2) {
                    Some(c) if c.locked.is_none() => k.state.dispatch(Action::Toggle {
                        principal: row.principal,
                        flag,
                    }),
                    _ => k.on_why.emit(why),
                }
            }
            "Enter" | "?" => {
                e.prevent_default();
                k.on_why.emit(why);
            }
            _ => {}
        }
    })
}

#[derive(Properties, PartialEq)]
struct ToolbarProps {
    /// At the start (the principal picker).
    start: Html,
    filter: AttrValue,
    on_filter: Callback<String>,
    /// After the filter (the pager).
    children: Html,
}

/// Above the grid: the picker, the row filter and the pager.
#[function_component(GridToolbar)]
fn grid_toolbar(props: &ToolbarProps) -> Html {
    let on_filter = props
        .on_filter
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <div class="grid-toolbar">
            <div class="grid-toolbar-start">{ props.start.clone() }</div>
            <div class="grid-toolbar-end">
                <label class="field-inline" for="grid-filter">
                    <span>{ "Filter rows" }</span>
                    <input type="search" id="grid-filter" class="input" placeholder="Name or id"
                        value={props.filter.clone()} oninput={on_filter} />
                </label>
                { props.children.clone() }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct GridHeadProps {
    state: UseReducerHandle<State>,
    /// Whether the "Can do here" column is shown.
    few: bool,
    select_all: NodeRef,
    /// No row on this page can be selected.
    no_selectable: bool,
    on_select_all: Callback<Event>,
}

/// The grid's header row: select all, Principal, one column per permission
/// (with its tier), "Can do here", Actions.
#[function_component(GridHead)]
fn grid_head(props: &GridHeadProps) -> Html {
    let kind = props.state.team.kind_of(props.state.resource);
    let header_cells = kind.perms.iter().map(|perm| {
        let tier_class = match perm.tier {
            Tier::Viewer => "tier-viewer",
            Tier::Analyst => "tier-analyst",
        };
        html! {
            <th role="columnheader" scope="col" class="col-perm" data-flag={perm.id.clone()}>
                <span class="perm-label">{ perm.label.clone() }</span>
                <span class={classes!("tier", tier_class)}
                    title={format!("{} tier: works for {}", perm.tier.label(),
                        if perm.tier == Tier::Viewer { "every role" } else { "analysts and admins" })}>
                    { perm.tier.label() }
                </span>
            </th>
        }
    });
    html! {
        <tr role="row" aria-rowindex="1">
            <th role="columnheader" scope="col" class="col-select">
                <input type="checkbox" ref={props.select_all.clone()} id="grid-select-all"
                    aria-label="Select every row on this page"
                    disabled={props.no_selectable}
                    onchange={props.on_select_all.clone()} />
            </th>
            <th role="columnheader" scope="col" class="col-principal">{ "Principal" }</th>
            { for header_cells }
            if props.few {
                <th role="columnheader" scope="col" class="col-caps">{ "Can do here" }</th>
            }
            <th role="columnheader" scope="col" class="col-actions">
                <span class="visually-hidden">{ "Actions" }</span>
            </th>
        </tr>
    }
}

/// A capability in the "Can do here" column, before and after the pending
/// changes.
#[derive(Clone, PartialEq)]
struct CapChip {
    label: String,
    before: bool,
    after: bool,
}

/// What one row of the grid shows from the dialog's state: computed once
/// per state, filter and page (moving the tab stop reuses it).
#[derive(PartialEq)]
struct RowShows {
    row: Row,
    cells: Vec<Cell>,
    selected: bool,
    /// Remove is offered: the row holds something here, the dialog is editable.
    removable: bool,
    /// Why a row that holds nothing here is listed.
    listed_for: Option<String>,
    /// What it can do here (kinds with few permissions only).
    caps: Option<Vec<CapChip>>,
}

impl RowShows {
    fn of(state: &State, few: bool, row: &Row) -> RowShows {
        let cells = cells(state, row);
        let member = row.group.is_some();
        let holds_nothing = !member && !row.direct_here && !row.added;
        let listed_for = (holds_nothing && cells.iter().all(|c| c.checked == Checked::No))
            .then(|| listed_for(state, row.principal));
        RowShows {
            row: row.clone(),
            cells,
            selected: state.selected.contains(&row.principal),
            removable: !member && state.read_only.is_none() && (row.direct_here || row.added),
            listed_for,
            caps: few.then(|| caps_here(state, row.principal)),
        }
    }
}

/// One row of the grid. It renders again only when what it shows changes:
/// an edit re-renders the rows it changes, not the page.
#[derive(Properties, PartialEq)]
struct RowProps {
    team: ByPtr<Team>,
    /// The row's index in the whole (filtered) list.
    i: usize,
    shows: Rc<RowShows>,
    /// The column of the roving tab stop, when it is in this row.
    tab: Option<usize>,
    last_col: usize,
    dispatch: UseReducerDispatcher<State>,
    on_why: Callback<WhyTarget>,
    /// The cell `(row, column)` got focus.
    on_focus: Callback<(usize, usize)>,
}

impl RowProps {
    fn tabindex(&self, col: usize) -> &'static str {
        if self.tab == Some(col) {
            "0"
        } else {
            "-1"
        }
    }

    fn onfocus_at(&self, col: usize) -> Callback<FocusEvent> {
        let i = self.i;
        self.on_focus.reform(move |_: FocusEvent| (i, col))
    }
}

/// What every row of a page shares.
struct PageCtx<'a> {
    team: &'a Rc<Team>,
    /// The roving tab stop `(row, column)`.
    tab: (usize, usize),
    last_col: usize,
    dispatch: UseReducerDispatcher<State>,
    on_why: &'a Callback<WhyTarget>,
    on_focus: &'a Callback<(usize, usize)>,
}

impl PageCtx<'_> {
    fn row(&self, i: usize, shows: &Rc<RowShows>) -> RowProps {
        RowProps {
            team: ByPtr(self.team.clone()),
            i,
            shows: shows.clone(),
            tab: (self.tab.0 == i).then_some(self.tab.1),
            last_col: self.last_col,
            dispatch: self.dispatch.clone(),
            on_why: self.on_why.clone(),
            on_focus: self.on_focus.clone(),
        }
    }
}

/// Row `i` of the grid: select box, principal, one cell per permission,
/// (for few permissions) what it can do here, and Remove.
#[function_component(GridRow)]
fn grid_row(p: &RowProps) -> Html {
    let row = &p.shows.row;
    let pid = &p.team.0.principal(row.principal).id;
    let member = row.group.is_some();
    let caps_col = 2 + p.shows.cells.len();
    let perm_cells = p
        .shows
        .cells
        .iter()
        .enumerate()
        .map(|(j, c)| perm_cell(p, c, j + 2));
    let row_class = classes!(
        "grid-row",
        member.then_some("member-row"),
        row.is_group.then_some("group-row"),
        p.shows.selected.then_some("is-selected"),
        (!member && !row.direct_here && !row.added).then_some("is-inherited-only")
    );
    html! {
        <tr role="row" class={row_class} aria-rowindex={(p.i + 2).to_string()}
            data-testid={if member { format!("member-row-{pid}") } else { format!("row-{pid}") }}
            data-principal={pid.clone()}>
            { select_cell(p) }
            { principal_cell(p) }
            { for perm_cells }
            if let Some(caps) = &p.shows.caps {
                <td role="gridcell" class="col-caps" id={target_id(p.i, caps_col)}
                    tabindex={p.tabindex(caps_col)} onfocus={p.onfocus_at(caps_col)}>
                    { caps_html(caps) }
                </td>
            }
            { action_cell(p) }
        </tr>
    }
}

/// A row's first cell: its selection box (a member row has none).
fn select_cell(p: &RowProps) -> Html {
    let (i, row) = (p.i, &p.shows.row);
    let info = p.team.0.principal(row.principal);
    if row.group.is_some() {
        return html! {
            <td role="gridcell" class="col-select" id={target_id(i, 0)}
                tabindex={p.tabindex(0)} onfocus={p.onfocus_at(0)}>
                <span class="visually-hidden">{ "member row" }</span>
            </td>
        };
    }
    let toggle = {
        let principal = row.principal;
        p.dispatch
            .to_callback()
            .reform(move |_: Event| Action::ToggleSelected(principal))
    };
    html! {
        <td role="gridcell" class="col-select">
            <input type="checkbox" id={target_id(i, 0)} tabindex={p.tabindex(0)}
                onfocus={p.onfocus_at(0)} checked={p.shows.selected}
                onchange={toggle}
                data-testid={format!("select-{}", info.id)}
                aria-label={format!("Select {}", info.name)} />
        </td>
    }
}

/// The badges after a row's name: Admin, Added, Creator, and "Nothing here"
/// (with why it is listed) or "From above".
fn row_badges(p: &RowProps) -> Html {
    let row = &p.shows.row;
    let info = p.team.0.principal(row.principal);
    let member = row.group.is_some();
    let direct_creator = p.shows.cells.iter().any(|c| c.creator);
    html! {
        <>
            if info.role == Role::Admin { <span class="badge badge-muted">{ "Admin" }</span> }
            if row.added && !row.direct_here { <span class="badge badge-pending">{ "Added" }</span> }
            if direct_creator { <span class="badge badge-muted" title="Holds the creator's grants here">{ "Creator" }</span> }
            if let Some(why) = &p.shows.listed_for {
                <span class="badge badge-muted">{ "Nothing here" }</span>
                <span class="row-note" data-testid={format!("why-listed-{}", info.id)}>{ why.clone() }</span>
            } else if !member && !row.direct_here && !row.added {
                <span class="badge badge-inherited" title="Holds nothing directly here: its grants are above">{ "From above" }</span>
            }
        </>
    }
}

/// A row's header: the principal's name (a group's expands its members),
/// what it is, and its badges.
fn principal_cell(p: &RowProps) -> Html {
    let (i, row, team) = (p.i, &p.shows.row, &p.team.0);
    let info = team.principal(row.principal);
    let pid = &info.id;
    let member = row.group.is_some();
    let badges = row_badges(p);
    let sub = principal_sub(team, row);
    if row.is_group {
        let toggle = {
            let principal = row.principal;
            p.dispatch
                .to_callback()
                .reform(move |_: MouseEvent| Action::ToggleExpanded(principal))
        };
        return html! {
            <th role="rowheader" scope="row" class="col-principal">
                <button type="button" class="principal-toggle" id={target_id(i, 1)}
                    tabindex={p.tabindex(1)} onfocus={p.onfocus_at(1)}
                    aria-expanded={if row.expanded { "true" } else { "false" }}
                    data-testid={format!("expand-{pid}")}
                    title={if row.expanded { "Hide members" } else { "Show members" }}
                    onclick={toggle}>
                    { icons::chevron(row.expanded) }
                    { icons::people() }
                    <span class="principal-name">{ info.name.clone() }</span>
                </button>
                <span class="principal-sub">{ sub }</span>
                { badges }
            </th>
        };
    }
    let keys = if info.ptype == PrincipalType::User {
        team.api_keys_of(row.principal).len()
    } else {
        0
    };
    html! {
        <th role="rowheader" scope="row" class={classes!("col-principal", member.then_some("is-member"))}
            id={target_id(i, 1)} tabindex={p.tabindex(1)} onfocus={p.onfocus_at(1)}>
            <span class="principal-name">{ info.name.clone() }</span>
            <span class="principal-sub">
                { sub }
                if keys > 0 { { format!(" · {}", count(keys, "API key", "API keys")) } }
                if let Some(g) = row.group { { format!(" · member of {}", team.principal(g).name) } }
            </span>
            { badges }
        </th>
    }
}

/// A row's last cell: Remove (revoke everything granted here), when the row
/// holds or was given something here and the dialog is not read-only.
fn action_cell(p: &RowProps) -> Html {
    let (i, last) = (p.i, p.last_col);
    let info = p.team.0.principal(p.shows.row.principal);
    if !p.shows.removable {
        return html! {
            <td role="gridcell" class="col-actions muted" id={target_id(i, last)}
                tabindex={p.tabindex(last)} onfocus={p.onfocus_at(last)}>
                <span class="visually-hidden">{ "no action" }</span>
            </td>
        };
    }
    let remove = {
        let principal = p.shows.row.principal;
        p.dispatch
            .to_callback()
            .reform(move |_: MouseEvent| Action::RemovePrincipal(principal))
    };
    html! {
        <td role="gridcell" class="col-actions">
            <button type="button" class="button button-small button-ghost"
                id={target_id(i, last)} tabindex={p.tabindex(last)}
                onfocus={p.onfocus_at(last)}
                data-testid={format!("remove-{}", info.id)}
                aria-label={format!("Remove every permission of {} here", info.name)}
                onclick={remove}>{ "Remove" }</button>
        </td>
    }
}

/// The capabilities a principal has here, before and after the pending changes.
fn caps_here(state: &State, p: PrincipalIdx) -> Vec<CapChip> {
    let r = state.resource;
    let (b, a) = (state.before().caps_of(p, r), state.after().caps_of(p, r));
    let caps = &state.team.kind_of(r).caps;
    caps.iter()
        .enumerate()
        .map(|(i, cap)| CapChip {
            label: cap.label.clone(),
            before: b.has(i as u32),
            after: a.has(i as u32),
        })
        .filter(|c| c.before || c.after)
        .collect()
}

/// "Can do here": the capabilities; those the changes add or remove are marked.
fn caps_html(caps: &[CapChip]) -> Html {
    if caps.is_empty() {
        return html! { <span class="muted">{ "nothing" }</span> };
    }
    let chips = caps.iter().map(|c| {
        let label = c.label.clone();
        match (c.before, c.after) {
            (false, true) => html! {
                <span class="cap-chip cap-gain" title="Gained with the pending changes">
                    <span class="visually-hidden">{ "gains " }</span>{ label }
                </span>
            },
            (true, false) => html! {
                <span class="cap-chip cap-loss" title="Lost with the pending changes">
                    <span class="visually-hidden">{ "loses " }</span>{ label }
                </span>
            },
            _ => html! { <span class="cap-chip">{ label }</span> },
        }
    });
    html! { <span class="cap-chips">{ for chips }</span> }
}

/// The short caption under a cell's box: "new", "from Sales", "via Ops", …
fn cell_caption(c: &Cell) -> String {
    match &c.mark {
        Mark::PendingAdd => "new".to_string(),
        Mark::PendingRemove => "removing".to_string(),
        Mark::Granted if c.redundant => "redundant".to_string(),
        Mark::Granted if c.creator => "creator".to_string(),
        Mark::Granted => String::new(),
        Mark::Inherited => c
            .from
            .as_ref()
            .map(|f| format!("from {f}"))
            .unwrap_or_else(|| "inherited".to_string()),
        Mark::ViaGroup(g) => format!("via {g}"),
        Mark::Implied(_) => "implied".to_string(),
        Mark::Admin => "admin".to_string(),
        Mark::Owner => "owner".to_string(),
        Mark::Mixed => c
            .members_holding
            .map(|(k, n)| format!("{k} of {n}"))
            .unwrap_or_default(),
        Mark::None => String::new(),
    }
}

/// A permission's cell (column `col`): its box, caption and Why?.
fn perm_cell(p: &RowProps, c: &Cell, col: usize) -> Html {
    let (i, row) = (p.i, &p.shows.row);
    let info = p.team.0.principal(row.principal);
    let why_target = WhyTarget::Flag {
        principal: row.principal,
        flag: c.flag.clone(),
    };
    let onclick = {
        let (dispatch, on_why) = (p.dispatch.clone(), p.on_why.clone());
        let locked = c.locked.is_some();
        let target = why_target.clone();
        let flag = c.flag.clone();
        let principal = row.principal;
        Callback::from(move |_: MouseEvent| {
            if locked {
                on_why.emit(target.clone());
            } else {
                dispatch.dispatch(Action::Toggle {
                    principal,
                    flag: flag.clone(),
                });
            }
        })
    };
    let why = {
        let on_why = p.on_why.clone();
        let cell_id = target_id(i, col);
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            // The hover-only `?` button disappears; the Why? dialog must
            // return focus to the cell it explains, so that is the opener.
            if let Some(cell) = crate::ui::modal::element_near_focus(&cell_id)
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = cell.focus();
            }
            on_why.emit(why_target.clone());
        })
    };
    let glyph = match c.checked {
        Checked::Yes => "✓",
        Checked::Mixed => "–",
        Checked::No => "",
    };
    let caption = cell_caption(c);
    // The title is also the box's accessible description (its name is the
    // aria-label), so no hidden text repeats it.
    let mut title = c.detail.clone();
    if let Some(l) = &c.locked {
        title.push_str(&format!(". Locked: {l}"));
    }
    html! {
        <td role="gridcell"
            class={classes!(
                "perm-cell",
                format!("state-{}", c.mark.code()),
                c.ineffective.is_some().then_some("is-ineffective"),
                c.redundant.then_some("is-redundant"),
                c.changed.then_some("is-changed"),
                c.locked.is_some().then_some("is-locked"),
            )}
            data-state={c.mark.code()}
            data-testid={format!("cell-{}-{}", info.id, c.flag)}>
            <span role="checkbox" class="perm-box" id={target_id(i, col)}
                tabindex={p.tabindex(col)} onfocus={p.onfocus_at(col)}
                aria-checked={c.checked.aria()}
                aria-disabled={c.locked.is_some().then_some("true")}
                aria-label={format!("{} for {}", c.label, info.name)}
                title={title}
                {onclick}>
                <span class="box" aria-hidden="true">
                    { glyph }
                    if matches!(c.mark, Mark::Inherited) { <span class="box-lock">{ icons::lock() }</span> }
                </span>
                if c.ineffective.is_some() {
                    <span class="cell-warn" aria-hidden="true">{ icons::warning() }</span>
                }
                // Most cells have no caption: no empty element for them.
                if !caption.is_empty() || c.ineffective.is_some() {
                    <span class="cell-caption" aria-hidden="true">
                        { caption }
                        if let Some(x) = &c.ineffective { <span class="cell-reason">{ x.clone() }</span> }
                    </span>
                }
            </span>
            <button type="button" class="why-button" tabindex="-1"
                aria-label={format!("Why? {} for {}", c.label, info.name)}
                title="Why?" onclick={why}>{ "?" }</button>
        </td>
    }
}
