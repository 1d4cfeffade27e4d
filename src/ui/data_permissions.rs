//! [`DataPermissionsEditor`]: the "Data permissions" tab of a data model's
//! dialog (spec §6).
//!
//! The user edits a *draft*: the on/off switch and one entry per principal,
//! either "Unlimited access" or a table of rules (table, column, values typed
//! comma-separated and shown as chips). Every edit is validated with
//! [`check_data_entries`] — the model's own check, so codes and messages are
//! the snapshot validator's — and each problem is shown next to the field its
//! JSON path names, with a summary. An invalid draft is kept (nothing the user
//! typed is lost) but not emitted; a valid one is emitted as a [`SetDataOp`].
//!
//! Below, "Resulting data access" lists, for every principal that can use the
//! model, its data access computed by the evaluator on a [`View`] with the
//! draft laid over the team (the last valid draft while the current one has
//! problems).

use super::hooks::{use_fresh_id, ByPtr};
use super::pager::{turn_to, Page, Pager};
use super::principal_picker::{type_badge, PrincipalPicker};
use crate::eval::change::SetDataOp;
use crate::eval::data_access::{AccessKind, DataAccess};
use crate::eval::team::{Overlay, PrincipalIdx, ResourceIdx, Team, View};
use crate::model::problem::{Problem, Problems};
use crate::model::snapshot::{DataEntry, DataPermissions, Rule};
use crate::model::validate::{check_data_entries, Ids, PrincipalType};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct DataPermissionsEditorProps {
    pub team: Rc<Team>,
    /// The data model.
    pub model: ResourceIdx,
    /// Its data permissions now (with pending changes, if any).
    pub current: Option<DataPermissions>,
    pub read_only: bool,
    /// A valid edit of the draft.
    pub on_change: Callback<SetDataOp>,
    /// The draft's first problem while it has any (`None` once it is valid,
    /// or when the editor goes away): the dialog must not save meanwhile.
    #[prop_or_default]
    pub on_validity: Callback<Option<String>>,
    /// Rows per page of "Resulting data access".
    #[prop_or(25)]
    pub page_size: usize,
}

impl PartialEq for DataPermissionsEditorProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.team, &o.team)
            && self.model == o.model
            && self.current == o.current
            && self.read_only == o.read_only
            && self.on_change == o.on_change
            && self.page_size == o.page_size
    }
}

/// One rule as typed: values are the comma-separated text.
#[derive(Debug, Clone, PartialEq, Default)]
struct DraftRule {
    table: String,
    column: String,
    values: String,
}

#[derive(Debug, Clone, PartialEq)]
struct DraftEntry {
    principal: String,
    unlimited: bool,
    /// Kept while "unlimited" is chosen, so switching back loses nothing.
    rules: Vec<DraftRule>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Draft {
    enabled: bool,
    entries: Vec<DraftEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Table,
    Column,
    Values,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Table => "table",
            Field::Column => "column",
            Field::Values => "values",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Field::Table => "Table",
            Field::Column => "Column",
            Field::Values => "Values",
        }
    }
}

/// One user action on the draft.
#[derive(Debug, Clone, PartialEq)]
enum Edit {
    SetEnabled(bool),
    AddEntry(String),
    RemoveEntry(usize),
    SetUnlimited(usize, bool),
    AddRule(usize),
    RemoveRule(usize, usize),
    SetField(usize, usize, Field, String),
}

/// `"1000, 2000,"` → `["1000", "2000"]` (trimmed, empty and repeated values dropped).
fn parse_values(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in text.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

impl Draft {
    fn of(current: Option<&DataPermissions>) -> Draft {
        let Some(dp) = current else {
            return Draft::default();
        };
        Draft {
            enabled: dp.enabled,
            entries: dp
                .entries
                .iter()
                .map(|e| DraftEntry {
                    principal: e.principal.clone(),
                    unlimited: e.is_unlimited(),
                    rules: e
                        .rules
                        .iter()
                        .flatten()
                        .map(|r| DraftRule {
                            table: r.table.clone(),
                            column: r.column.clone(),
                            values: r.values.join(", "),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    fn entries(&self) -> Vec<DataEntry> {
        self.entries
            .iter()
            .map(|e| DataEntry {
                principal: e.principal.clone(),
                access: e.unlimited.then(|| "unlimited".to_string()),
                rules: (!e.unlimited).then(|| {
                    e.rules
                        .iter()
                        .map(|r| Rule {
                            table: r.table.trim().to_string(),
                            column: r.column.trim().to_string(),
                            values: parse_values(&r.values),
                        })
                        .collect()
                }),
            })
            .collect()
    }

    fn data_permissions(&self, model: &str) -> DataPermissions {
        DataPermissions {
            data_model: model.to_string(),
            enabled: self.enabled,
            entries: self.entries(),
        }
    }

    fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::SetEnabled(on) => self.enabled = on,
            Edit::AddEntry(principal) => {
                if !self.entries.iter().any(|e| e.principal == principal) {
                    self.entries.push(DraftEntry {
                        principal,
                        unlimited: false,
                        rules: vec![DraftRule::default()],
                    });
                }
            }
            Edit::RemoveEntry(j) => {
                if j < self.entries.len() {
                    self.entries.remove(j);
                }
            }
            Edit::SetUnlimited(j, unlimited) => {
                if let Some(e) = self.entries.get_mut(j) {
                    e.unlimited = unlimited;
                    if !unlimited && e.rules.is_empty() {
                        e.rules.push(DraftRule::default());
                    }
                }
            }
            Edit::AddRule(j) => {
                if let Some(e) = self.entries.get_mut(j) {
                    e.rules.push(DraftRule::default());
                }
            }
            Edit::RemoveRule(j, n) => {
                if let Some(e) = self.entries.get_mut(j) {
                    if n < e.rules.len() {
                        e.rules.remove(n);
                    }
                }
            }
            Edit::SetField(j, n, field, text) => {
                if let Some(r) = self.entries.get_mut(j).and_then(|e| e.rules.get_mut(n)) {
                    match field {
                        Field::Table => r.table = text,
                        Field::Column => r.column = text,
                        Field::Values => r.values = text,
                    }
                }
            }
        }
    }
}

/// The model's validation of the draft's entries: each problem says which
/// entry, rule and field it is about (`Problem::about`), so the editor shows
/// it beside that field.
fn validate(team: &Team, entries: &[DataEntry]) -> Problems {
    let mut problems = Problems::default();
    check_data_entries(&Ids::of(&team.snapshot), &mut problems, entries, "$");
    problems
}

/// The field of a rule a problem is about: `(entry, rule, field)`.
fn rule_field(p: &Problem) -> Option<(usize, usize, &str)> {
    let a = &p.about;
    Some((a.entry?, a.rule?, a.field.as_deref()?))
}

/// What every entry of the draft needs to render.
struct EntryCtx<'a> {
    /// The editor's id prefix (field ids derive from it).
    base: &'a str,
    edit: &'a Callback<Edit>,
    /// The draft's errors (paths `$.entries[j]…`).
    errors: &'a [&'a Problem],
    team: &'a Team,
    read_only: bool,
}

impl EntryCtx<'_> {
    /// Where a problem is (the DOM id to jump to) and how the summary names
    /// the place.
    fn problem_target(&self, entries: &[DraftEntry], p: &Problem) -> (String, String) {
        let who = |j: usize| {
            entries
                .get(j)
                .map(|e| self.principal_name(&e.principal).1)
                .unwrap_or_default()
        };
        match (rule_field(p), p.about.entry) {
            (Some((j, n, f)), _) => (
                self.field_id(j, n, f),
                format!("{}, rule {}, {f}", who(j), n + 1),
            ),
            (None, Some(j)) => (self.entry_msg_id(j), who(j)),
            (None, None) => (format!("{}-entries", self.base), "Data permissions".into()),
        }
    }

    fn field_id(&self, j: usize, n: usize, f: &str) -> String {
        format!("{}-e{j}-r{n}-{f}", self.base)
    }

    fn entry_msg_id(&self, j: usize) -> String {
        format!("{}-e{j}-msg", self.base)
    }

    /// The principal's type and name (the id itself when unknown).
    fn principal_name(&self, id: &str) -> (Option<PrincipalType>, String) {
        match self.team.principal_idx(id) {
            Some(p) => (
                Some(self.team.principal(p).ptype),
                self.team.principal(p).name.clone(),
            ),
            None => (None, id.to_string()),
        }
    }
}

/// Field `f` of rule `n` of entry `j`: the input, its values as chips, its
/// problems.
fn rule_cell(cx: &EntryCtx, (j, n): (usize, usize), f: Field, value: &str, name: &str) -> Html {
    let id = cx.field_id(j, n, f.key());
    let path = format!("$.entries[{j}].rules[{n}].{}", f.key());
    let msgs: Vec<&Problem> = cx
        .errors
        .iter()
        .copied()
        .filter(|p| rule_field(p) == Some((j, n, f.key())))
        .collect();
    let err_id = format!("{id}-err");
    let oninput = {
        let edit = cx.edit.clone();
        Callback::from(move |ev: InputEvent| {
            let input: HtmlInputElement = ev.target_unchecked_into();
            edit.emit(Edit::SetField(j, n, f, input.value()));
        })
    };
    let chips = (f == Field::Values).then(|| {
        let vals = parse_values(value);
        html! {
            if !vals.is_empty() {
                <ul class="pw-chips dpe__values" aria-label={format!("Values of rule {}", n + 1)}>
                    { for vals.iter().map(|v| html! { <li class="pw-chip pw-chip--value">{ v }</li> }) }
                </ul>
            }
        }
    });
    html! {
        <td class={classes!("dpe__cell", format!("dpe__cell--{}", f.key()))}>
            <input id={id.clone()} type="text" class="pw-input"
                value={value.to_string()}
                aria-label={format!("{}, rule {} for {name}", f.label(), n + 1)}
                aria-invalid={(!msgs.is_empty()).then_some("true")}
                aria-describedby={(!msgs.is_empty()).then(|| err_id.clone())}
                placeholder={match f { Field::Table => "e.g. VBAK", Field::Column => "e.g. BUKRS", Field::Values => "e.g. 1000, 2000" }}
                readonly={cx.read_only}
                {oninput} />
            { chips }
            if !msgs.is_empty() {
                <p id={err_id} class="pw-field-error" data-path={path.clone()}>
                    { for msgs.iter().map(|p| html! { <span>{ &p.message }</span> }) }
                </p>
            }
        </td>
    }
}

/// Rule `n` of entry `j`: table, column, values, Remove.
fn rule_row(cx: &EntryCtx, j: usize, n: usize, r: &DraftRule, name: &str) -> Html {
    let remove_rule = {
        let edit = cx.edit.clone();
        Callback::from(move |_: MouseEvent| edit.emit(Edit::RemoveRule(j, n)))
    };
    html! {
        <tr key={n}>
            { rule_cell(cx, (j, n), Field::Table, &r.table, name) }
            { rule_cell(cx, (j, n), Field::Column, &r.column, name) }
            { rule_cell(cx, (j, n), Field::Values, &r.values, name) }
            <td class="dpe__cell dpe__cell--actions">
                if !cx.read_only {
                    <button type="button" class="pw-btn pw-btn--quiet"
                        aria-label={format!("Remove rule {} for {name}", n + 1)}
                        onclick={remove_rule}>{ "Remove" }</button>
                }
            </td>
        </tr>
    }
}

/// Entry `j` of the draft: who, unlimited or rules, its rules, its problems.
fn entry_html(cx: &EntryCtx, j: usize, e: &DraftEntry) -> Html {
    let (ptype, name) = cx.principal_name(&e.principal);
    let entry_problems: Vec<&Problem> = cx
        .errors
        .iter()
        .copied()
        .filter(|p| p.about.entry == Some(j) && rule_field(p).is_none())
        .collect();
    let radio_name = format!("{}-e{j}-access", cx.base);
    let set_unlimited = |v: bool| {
        let edit = cx.edit.clone();
        Callback::from(move |_: Event| edit.emit(Edit::SetUnlimited(j, v)))
    };
    let remove = {
        let edit = cx.edit.clone();
        Callback::from(move |_: MouseEvent| edit.emit(Edit::RemoveEntry(j)))
    };
    let rules_html = e
        .rules
        .iter()
        .enumerate()
        .map(|(n, r)| rule_row(cx, j, n, r, &name))
        .collect::<Html>();
    let add_rule = {
        let edit = cx.edit.clone();
        Callback::from(move |_: MouseEvent| edit.emit(Edit::AddRule(j)))
    };
    html! {
        <li key={e.principal.clone()} class="dpe__entry" data-principal={e.principal.clone()}>
            <div class="dpe__entry-head">
                <span class="dpe__who">
                    { ptype.map(type_badge).unwrap_or_default() }
                    <span class="dpe__who-name">{ &name }</span>
                    <span class="dpe__who-id">{ &e.principal }</span>
                </span>
                <fieldset class="dpe__mode" disabled={cx.read_only}>
                    <legend class="visually-hidden">{ format!("Data access for {name}") }</legend>
                    <label class="dpe__radio">
                        <input type="radio" name={radio_name.clone()} checked={e.unlimited}
                            onchange={set_unlimited(true)} />
                        { "Unlimited access" }
                    </label>
                    <label class="dpe__radio">
                        <input type="radio" name={radio_name} checked={!e.unlimited}
                            onchange={set_unlimited(false)} />
                        { "Only rows matching rules" }
                    </label>
                </fieldset>
                if !cx.read_only {
                    <button type="button" class="pw-btn pw-btn--quiet dpe__remove"
                        aria-label={format!("Remove {name}")} onclick={remove}>{ "Remove" }</button>
                }
            </div>
            <div id={cx.entry_msg_id(j)} tabindex="-1">
                { for entry_problems.iter().map(|p| html! {
                    <p class="pw-field-error" data-path={p.path.clone()}>{ &p.message }</p>
                }) }
            </div>
            if !e.unlimited {
                <table class="pw-table dpe__rules">
                    <caption class="visually-hidden">{ format!("Rules for {name}: a row matches when every rule matches") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Table" }</th>
                            <th scope="col">{ "Column" }</th>
                            <th scope="col">{ "Values (comma-separated)" }</th>
                            <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ rules_html }</tbody>
                </table>
                if !cx.read_only {
                    <button type="button" class="pw-btn pw-btn--secondary dpe__add-rule"
                        onclick={add_rule}>{ "Add rule" }</button>
                }
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ResultingAccessProps {
    team: ByPtr<Team>,
    rows: ByPtr<AccessRows>,
    model_name: String,
    /// The draft has problems: the rows show the last valid state.
    draft_invalid: bool,
    page_size: usize,
}

/// Who can use the model and what data each sees, paged; groups expand to
/// their members.
#[function_component(ResultingAccess)]
fn resulting_access(props: &ResultingAccessProps) -> Html {
    let (team, rows, model_name) = (&props.team.0, &props.rows.0, &props.model_name);
    let page = use_state(|| 0usize);
    let expanded = use_state(Vec::<PrincipalIdx>::new);
    let mut flat: Vec<Row> = Vec::new();
    for g in &rows.groups {
        flat.push(Row::Group(g));
        if expanded.contains(&g.group) {
            flat.extend(g.members.iter().map(|(u, a)| Row::Member(*u, a)));
        }
    }
    flat.extend(rows.principals.iter().map(|(p, a)| Row::Principal(*p, a)));
    let at = Page::of(*page, props.page_size, flat.len());
    let row_html = |row: &Row| -> Html {
        match row {
            Row::Group(g) => {
                let open = expanded.contains(&g.group);
                let toggle = {
                    let expanded = expanded.clone();
                    let gi = g.group;
                    Callback::from(move |_: MouseEvent| {
                        let mut v = (*expanded).clone();
                        match v.iter().position(|x| *x == gi) {
                            Some(i) => {
                                v.remove(i);
                            }
                            None => v.push(gi),
                        }
                        expanded.set(v);
                    })
                };
                let info = team.principal(g.group);
                let n = g.members.len();
                html! {
                    <tr class="dpe__group-row" data-principal={info.id.clone()}>
                        <th scope="row">
                            <button type="button" class="pw-disclosure" aria-expanded={if open { "true" } else { "false" }}
                                onclick={toggle} disabled={n == 0}>
                                <span class="pw-disclosure__icon" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span>
                                { type_badge(PrincipalType::Group) }
                                <span>{ &info.name }</span>
                                <span class="dpe__inline-note">{ format!(" · {n} member{} can use it", if n == 1 { "" } else { "s" }) }</span>
                            </button>
                        </th>
                        <td>
                            { match &g.own {
                                Some(a) => html! { <>{ access_html(a) }<span class="dpe__inline-note">{ " (the group on its own)" }</span></> },
                                None => html! { <span class="dpe__inline-note">{ "The group on its own cannot use the model" }</span> },
                            } }
                        </td>
                    </tr>
                }
            }
            Row::Member(u, a) | Row::Principal(u, a) => {
                let info = team.principal(*u);
                let member = matches!(row, Row::Member(..));
                html! {
                    <tr class={classes!(member.then_some("dpe__member-row"))} data-principal={info.id.clone()}>
                        <th scope="row" class={classes!(member.then_some("dpe__indent"))}>
                            { type_badge(info.ptype) }
                            <span>{ &info.name }</span>
                        </th>
                        <td>{ access_html(a) }</td>
                    </tr>
                }
            }
        }
    };
    let on_page = turn_to(&page);
    let [n_all, n_filtered, n_none] = rows.counts;

    html! {
        <div class="dpe__result">
            <h4 class="dpe__subtitle">{ "Resulting data access" }</h4>
            if props.draft_invalid {
                <p class="dpe__muted">{ "The draft has problems; this shows the last valid state." }</p>
            }
            if !rows.is_model {
                <p class="dpe__muted">{ "This resource is not a data model." }</p>
            } else if flat.is_empty() {
                <p class="dpe__muted">{ "Nobody can use this data model." }</p>
            } else {
                <p class="dpe__counts">
                    { format!("{} can use the model: {n_all} see all rows, {n_filtered} filtered, {n_none} no rows.",
                        rows.principals.len()) }
                </p>
                <table class="pw-table dpe__access">
                    <caption class="visually-hidden">{ format!("Data access on {model_name}") }</caption>
                    <thead>
                        <tr><th scope="col">{ "Who" }</th><th scope="col">{ "Data access" }</th></tr>
                    </thead>
                    <tbody>{ for flat[at.start..at.end].iter().map(row_html) }</tbody>
                </table>
                if at.is_paged() {
                    <Pager {at} label="Pages of the data access list" noun="Rows" {on_page} />
                }
            }
        </div>
    }
}

/// A data access as a compact, labelled value.
pub fn access_html(a: &DataAccess) -> Html {
    match a.access {
        AccessKind::All => html! { <span class="pw-access pw-access--all">{ "All rows" }</span> },
        AccessKind::None => html! { <span class="pw-access pw-access--none">{ "No rows" }</span> },
        AccessKind::Filtered => html! {
            <span class="pw-access pw-access--filtered">
                <span class="pw-access__label">{ "Filtered: " }</span>
                <code>{ a.expression() }</code>
            </span>
        },
    }
}

/// Data access of everyone who can use the model, with a draft laid over.
#[derive(Debug, Clone, PartialEq, Default)]
struct AccessRows {
    /// Groups with a member (or themselves) able to use the model.
    groups: Vec<GroupRow>,
    /// Users, applications and OAuth clients that can use the model.
    principals: Vec<(PrincipalIdx, DataAccess)>,
    counts: [usize; 3],
    is_model: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct GroupRow {
    group: PrincipalIdx,
    /// The group on its own (its own grants), when it can use the model.
    own: Option<DataAccess>,
    members: Vec<(PrincipalIdx, DataAccess)>,
}

fn access_rows(team: &Team, model: ResourceIdx, dp: &DataPermissions) -> AccessRows {
    let mut overlay = Overlay::default();
    overlay.data.insert(model, Some(dp.clone()));
    let view = View::with_overlay(team, &overlay);
    let Some(cap) = view.use_cap_of_model(model) else {
        return AccessRows::default();
    };
    let n = team.principals.len();
    let mut by_p: Vec<Option<DataAccess>> = vec![None; n];
    let mut rows = AccessRows {
        is_model: true,
        ..AccessRows::default()
    };
    for p in PrincipalIdx::first(n) {
        let info = team.principal(p);
        if !info.is_listed_in_impact() || !view.can_idx(p, model, cap) {
            continue;
        }
        let a = view.data_access_with(p, model, true);
        rows.counts[match a.access {
            AccessKind::All => 0,
            AccessKind::Filtered => 1,
            AccessKind::None => 2,
        }] += 1;
        by_p[p.index()] = Some(a.clone());
        rows.principals.push((p, a));
    }
    let key = |p: PrincipalIdx| {
        let i = team.principal(p);
        (i.ptype.rank(), i.name.to_lowercase(), p)
    };
    rows.principals.sort_by_cached_key(|(p, _)| key(*p));
    for g in PrincipalIdx::first(n) {
        let info = team.principal(g);
        if info.ptype != PrincipalType::Group {
            continue;
        }
        let own = view
            .can_idx(g, model, cap)
            .then(|| view.data_access_with(g, model, true));
        let mut members: Vec<(PrincipalIdx, DataAccess)> = info
            .related
            .iter()
            .filter_map(|&u| by_p.get(u.index()).cloned().flatten().map(|a| (u, a)))
            .collect();
        members.sort_by_cached_key(|(p, _)| key(*p));
        if own.is_some() || !members.is_empty() {
            rows.groups.push(GroupRow {
                group: g,
                own,
                members,
            });
        }
    }
    rows.groups.sort_by_cached_key(|r| key(r.group));
    rows
}

enum Row<'a> {
    Group(&'a GroupRow),
    Member(PrincipalIdx, &'a DataAccess),
    Principal(PrincipalIdx, &'a DataAccess),
}

#[function_component(DataPermissionsEditor)]
pub fn data_permissions_editor(props: &DataPermissionsEditorProps) -> Html {
    let base = use_fresh_id("dpe");
    let team = props.team.clone();
    // Both empty for an unknown model.
    let (model_id, model_name) = match team.resources.get(props.model.index()) {
        Some(r) => (r.id.clone(), r.name.clone()),
        None => (String::new(), String::new()),
    };
    let (draft, applied, force) = use_draft(props, &model_id);

    let edit = edit_callback(
        props,
        (draft.clone(), applied.clone()),
        force.clone(),
        model_id.clone(),
    );

    let d = draft.borrow().clone();
    let problems = validate(&team, &d.entries());
    let errors: Vec<&Problem> = problems.errors().collect();
    let shown_dp = if errors.is_empty() {
        d.data_permissions(&model_id)
    } else {
        applied.borrow().clone()
    };
    let rows = use_memo(
        (ByPtr(team.clone()), props.model, shown_dp),
        |(t, model, dp)| access_rows(&t.0, *model, dp),
    );

    let cx = EntryCtx {
        base: &base,
        edit: &edit,
        errors: &errors,
        team: &team,
        read_only: props.read_only,
    };
    let problem_target = |p: &Problem| cx.problem_target(&d.entries, p);

    let on_switch = {
        let edit = edit.clone();
        let enabled = d.enabled;
        Callback::from(move |_: MouseEvent| edit.emit(Edit::SetEnabled(!enabled)))
    };

    // --- entries ---------------------------------------------------------------
    let entries_html = d
        .entries
        .iter()
        .enumerate()
        .map(|(j, e)| entry_html(&cx, j, e))
        .collect::<Html>();

    let exclude: Vec<PrincipalIdx> = d
        .entries
        .iter()
        .filter_map(|e| team.principal_idx(&e.principal))
        .collect();
    let on_pick = {
        let (edit, team) = (edit.clone(), team.clone());
        Callback::from(move |p: PrincipalIdx| {
            edit.emit(Edit::AddEntry(team.principal(p).id.clone()))
        })
    };

    let summary = (!errors.is_empty()).then(|| {
        let items: Vec<(String, String)> = errors
            .iter()
            .map(|p| {
                let (target, place) = problem_target(p);
                (target, format!("{place}: {}", p.message))
            })
            .collect();
        error_summary(&base, &items)
    });

    let invalid = errors.first().map(|p| {
        let (_, place) = problem_target(p);
        format!("{place}: {}", p.message)
    });
    {
        let on_validity = props.on_validity.clone();
        use_effect_with(invalid, move |invalid| {
            on_validity.emit(invalid.clone());
            move || on_validity.emit(None)
        });
    }

    html! {
        <section class="dpe" aria-labelledby={format!("{base}-title")}>
            <h3 id={format!("{base}-title")} class="dpe__title">{ format!("Data permissions of {model_name}") }</h3>
            <DataSwitch base={base.clone()} enabled={d.enabled} empty={d.entries.is_empty()}
                read_only={props.read_only} {on_switch} />
            if props.read_only {
                <p class="dpe__muted">{ "You can see these data permissions but not change them." }</p>
            }
            { summary }
            <div id={format!("{base}-entries")} class="dpe__entries-wrap">
                <h4 class="dpe__subtitle">{ "Entries" }</h4>
                if !d.enabled && !d.entries.is_empty() {
                    <p class="dpe__muted">{ "These entries are kept but not applied while data permissions are off." }</p>
                }
                if d.entries.is_empty() {
                    <p class="dpe__muted">{ "No entries yet." }</p>
                } else {
                    <ul class="dpe__entries">{ entries_html }</ul>
                }
                if !props.read_only {
                    <div class="dpe__add">
                        <PrincipalPicker team={team.clone()} {exclude} {on_pick}
                            label={AttrValue::Static("Add a user, group or application")} />
                    </div>
                }
            </div>
            <ResultingAccess team={ByPtr(team.clone())} rows={ByPtr(rows.clone())} model_name={model_name.clone()}
                draft_invalid={!errors.is_empty()} page_size={props.page_size} />
        </section>
    }
}

/// The editor's draft (what is typed, valid or not) and what was applied
/// last (what the parent holds), restarted from the parent's data
/// permissions when they change other than by our own edit (undo, discard,
/// another model).
#[hook]
fn use_draft(
    props: &DataPermissionsEditorProps,
    model_id: &str,
) -> (
    Rc<RefCell<Draft>>,
    Rc<RefCell<DataPermissions>>,
    UseForceUpdateHandle,
) {
    let off = || DataPermissions {
        data_model: model_id.to_string(),
        enabled: false,
        entries: Vec::new(),
    };
    let draft = use_mut_ref(|| Draft::of(props.current.as_ref()));
    // What the parent holds now: the current data permissions, or what we
    // emitted last. The resulting access shows it while the draft is invalid.
    let applied = use_mut_ref(|| props.current.clone().unwrap_or_else(off));
    let seen = use_mut_ref(|| (props.model, props.current.clone()));
    let force = use_force_update();
    let mut seen = seen.borrow_mut();
    if seen.0 != props.model || seen.1 != props.current {
        let model_changed = seen.0 != props.model;
        *seen = (props.model, props.current.clone());
        let now = props.current.clone().unwrap_or_else(off);
        if model_changed || *applied.borrow() != now {
            *draft.borrow_mut() = Draft::of(props.current.as_ref());
            *applied.borrow_mut() = now;
        }
    }
    (draft, applied, force)
}

/// An edit of the draft: applied to it, and (when the draft is valid and
/// differs from what was applied) sent to the parent.
fn edit_callback(
    props: &DataPermissionsEditorProps,
    (draft, applied): (Rc<RefCell<Draft>>, Rc<RefCell<DataPermissions>>),
    force: UseForceUpdateHandle,
    model_id: String,
) -> Callback<Edit> {
    let (team, on_change) = (props.team.clone(), props.on_change.clone());
    let read_only = props.read_only;
    Callback::from(move |e: Edit| {
        if read_only {
            return;
        }
        draft.borrow_mut().apply(e);
        let dp = draft.borrow().data_permissions(&model_id);
        if !validate(&team, &dp.entries).has_errors() && *applied.borrow() != dp {
            *applied.borrow_mut() = dp.clone();
            on_change.emit(SetDataOp {
                data_model: dp.data_model,
                enabled: dp.enabled,
                entries: dp.entries,
            });
        }
        force.force_update();
    })
}

/// The draft's problems, each a link to where it is.
fn error_summary(base: &str, items: &[(String, String)]) -> Html {
    let n = items.len();
    html! {
        <div class="pw-error-summary" role="group" aria-labelledby={format!("{base}-summary")}>
            <p id={format!("{base}-summary")} class="pw-error-summary__title">
                { format!("{n} problem{} — the changes are not applied until {} fixed",
                    if n == 1 { "" } else { "s" }, if n == 1 { "it is" } else { "they are" }) }
            </p>
            <ul>
                { for items.iter().map(|(target, text)| html! {
                    <li><a href={format!("#{target}")}>{ text.clone() }</a></li>
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DataSwitchProps {
    base: AttrValue,
    enabled: bool,
    /// The draft has no entries.
    empty: bool,
    read_only: bool,
    on_switch: Callback<MouseEvent>,
}

/// The on / off switch of data permissions, and what off (or on without
/// entries) exposes.
#[function_component(DataSwitch)]
fn data_switch(props: &DataSwitchProps) -> Html {
    let switch_label_id = format!("{}-switch-label", props.base);
    let exposure = if !props.enabled {
        Some("Data permissions are off: everyone who can use the model sees all data.")
    } else if props.empty {
        Some("Data permissions are on but have no entries: everyone who can use the model still sees all data. Add a user or group to restrict it.")
    } else {
        None
    };
    html! {
        <>
            <div class="dpe__switch-row">
                <button type="button" role="switch" class="pw-switch"
                    aria-checked={if props.enabled { "true" } else { "false" }}
                    aria-labelledby={switch_label_id.clone()}
                    disabled={props.read_only} onclick={props.on_switch.clone()}>
                    <span class="pw-switch__track" aria-hidden="true"><span class="pw-switch__thumb"></span></span>
                </button>
                <span id={switch_label_id} class="dpe__switch-label">{ "Restrict data with data permissions" }</span>
                <span class="dpe__switch-state" aria-hidden="true">{ if props.enabled { "On" } else { "Off" } }</span>
            </div>
            if let Some(text) = exposure {
                <p class="pw-callout pw-callout--warn dpe__exposure">
                    <span class="pw-callout__icon" aria-hidden="true">{ "⚠" }</span>
                    <span>{ text }</span>
                </p>
            }
        </>
    }
}
