//! The rows and cells of the permission grid, read from the evaluator:
//! which principals are rows (direct grants here or above, before or after
//! the pending changes, plus principals just added), and each cell's state
//! from [`View::flag_states`] on the team with and without the pending
//! change set. Nothing here decides a permission: it only compares and labels
//! what the evaluator reports.

use super::state::State;
use crate::eval::flags::{FlagState, Via};
use crate::eval::{PrincipalIdx, ResourceIdx, Team};
use crate::model::validate::PrincipalType;
use crate::model::{FlagSet, Role};
use crate::ui::text::{
    flag_label, ineffective_phrase, ineffective_short, lower_first, origin_phrase,
    principal_phrase, resource_label,
};

/// One row of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub principal: PrincipalIdx,
    /// For a member shown under its expanded group: the group.
    pub group: Option<PrincipalIdx>,
    pub is_group: bool,
    pub members: usize,
    pub expanded: bool,
    /// Added with the picker in this session.
    pub added: bool,
    /// Has flags granted directly here (with the pending changes).
    pub direct_here: bool,
}

/// The principals that are top-level rows: those just added first (latest
/// first, so they are on the first page), then groups, users, applications,
/// OAuth clients, each by name.
pub fn top_principals(state: &State) -> Vec<PrincipalIdx> {
    let team = &state.team;
    let (before, after) = (state.before(), state.after());
    let mut ps: Vec<PrincipalIdx> = Vec::new();
    for r in team.path_to(state.resource) {
        ps.extend(before.grantees_on(r));
        ps.extend(after.grantees_on(r));
    }
    ps.extend(state.added.iter().copied());
    ps.sort_unstable();
    ps.dedup();
    ps.retain(|&p| team.principal(p).ptype != PrincipalType::ApiKey);
    ps.sort_by_cached_key(|&p| {
        let info = team.principal(p);
        let added = state.added.iter().rev().position(|&a| a == p);
        (
            added.unwrap_or(usize::MAX),
            info.ptype.rank(),
            info.name.to_lowercase(),
            info.id.clone(),
        )
    });
    ps
}

fn matches(team: &Team, p: PrincipalIdx, filter: &str) -> bool {
    if filter.is_empty() {
        return true;
    }
    let info = team.principal(p);
    info.name.to_lowercase().contains(filter) || info.id.to_lowercase().contains(filter)
}

/// Rows in display order: top-level rows, and the members of expanded groups under them.
pub fn flatten(state: &State, filter: &str) -> Vec<Row> {
    let team = &state.team;
    let filter = filter.trim().to_lowercase();
    let after = state.after();
    let mut out = Vec::new();
    for p in top_principals(state) {
        let info = team.principal(p);
        let is_group = info.ptype == PrincipalType::Group;
        let expanded = is_group && state.expanded.contains(&p);
        let group_hit = matches(team, p, &filter);
        let mut members: Vec<PrincipalIdx> = if is_group {
            info.related.clone()
        } else {
            Vec::new()
        };
        let member_count = members.len();
        if expanded {
            members.sort_by_cached_key(|&m| team.principal(m).name.to_lowercase());
            if !group_hit {
                members.retain(|&m| matches(team, m, &filter));
            }
        }
        if !group_hit && (!expanded || members.is_empty()) {
            continue;
        }
        out.push(Row {
            principal: p,
            group: None,
            is_group,
            members: member_count,
            expanded,
            added: state.added.contains(&p),
            direct_here: !after.grant(state.resource, p).all().is_empty(),
        });
        if expanded {
            out.extend(members.into_iter().map(|m| Row {
                principal: m,
                group: Some(p),
                is_group: false,
                members: 0,
                expanded: false,
                added: false,
                direct_here: !after.grant(state.resource, m).all().is_empty(),
            }));
        }
    }
    out
}

/// Checkbox state of a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    Yes,
    No,
    /// Some members of the group hold it, the group itself does not.
    Mixed,
}

impl Checked {
    pub fn aria(self) -> &'static str {
        match self {
            Checked::Yes => "true",
            Checked::No => "false",
            Checked::Mixed => "mixed",
        }
    }
}

/// What a cell shows, most important first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A grant here that the pending changes add.
    PendingAdd,
    /// A grant here that the pending changes remove.
    PendingRemove,
    /// Granted here.
    Granted,
    /// Flows from above: locked.
    Inherited,
    /// Granted here to a group of the principal.
    ViaGroup(String),
    /// Implied by another flag held here.
    Implied(String),
    /// Held because the principal is an admin.
    Admin,
    /// Held through an API key's owner.
    Owner,
    Mixed,
    None,
}

impl Mark {
    /// `data-state` attribute value (styles and tests).
    pub fn code(&self) -> &'static str {
        match self {
            Mark::PendingAdd => "pending-add",
            Mark::PendingRemove => "pending-remove",
            Mark::Granted => "granted",
            Mark::Inherited => "inherited",
            Mark::ViaGroup(_) => "via-group",
            Mark::Implied(_) => "implied",
            Mark::Admin => "admin",
            Mark::Owner => "owner",
            Mark::Mixed => "mixed",
            Mark::None => "none",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub flag: String,
    pub label: String,
    pub checked: Checked,
    pub mark: Mark,
    /// Why the cell cannot be toggled, when it cannot.
    pub locked: Option<String>,
    pub redundant: bool,
    /// Short reason when held but not effective.
    pub ineffective: Option<String>,
    /// Held or effective differs between before and after.
    pub changed: bool,
    /// Granted here as the resource's creator.
    pub creator: bool,
    /// The cell's state as a sentence (description and tooltip).
    pub detail: String,
    /// For a group: how many members hold it.
    pub members_holding: Option<(usize, usize)>,
    /// For an inherited flag: the name of the resource its highest grant sits on.
    pub from: Option<String>,
}

/// The cells of one row, in the kind's permission order.
pub fn cells(state: &State, row: &Row) -> Vec<Cell> {
    let team = &state.team;
    let r = state.resource;
    let p = row.principal;
    let (before, after) = (state.before(), state.after());
    let kind = team.kind_of(r);
    let b_states = before.flag_states(p, r);
    let a_states = after.flag_states(p, r);
    let (d_before, d_after) = (before.grant(r, p), after.grant(r, p));
    let who = principal_phrase(team, p);

    // For a group row: which flags each member holds (after), for the tri-state.
    // Admins hold everything (said in the dialog's header), so they are left out.
    let member_held: Option<Vec<FlagSet>> = row.is_group.then(|| {
        let path = team.path_to(r);
        team.principal(p)
            .related
            .iter()
            .filter(|&&m| team.principal(m).role != Role::Admin)
            .map(|&m| {
                after
                    .nodes_along(m, &path)
                    .last()
                    .map(|n| n.held)
                    .unwrap_or_default()
            })
            .collect()
    });

    kind.perms
        .iter()
        .enumerate()
        .map(|(i, perm)| {
            let bit = FlagSet::only(i as u32);
            let fallback = FlagState::not_held(perm.id.clone());
            let a = a_states.get(i).unwrap_or(&fallback);
            let b = b_states.get(i).unwrap_or(&fallback);
            let (db, da) = (
                d_before.all().intersects(bit),
                d_after.all().intersects(bit),
            );
            let holding = member_held
                .as_ref()
                .map(|v| (v.iter().filter(|h| h.intersects(bit)).count(), v.len()));
            cell(
                team,
                r,
                &who,
                row,
                CellInput {
                    flag: &perm.id,
                    before: b,
                    after: a,
                    direct_before: db,
                    direct_after: da,
                    creator: d_after.creator.intersects(bit),
                    holding,
                    read_only: state.read_only.is_some(),
                },
            )
        })
        .collect()
}

struct CellInput<'a> {
    flag: &'a str,
    before: &'a FlagState,
    after: &'a FlagState,
    direct_before: bool,
    direct_after: bool,
    creator: bool,
    holding: Option<(usize, usize)>,
    read_only: bool,
}

fn source_here(state: &FlagState, pick: impl Fn(&Via) -> bool) -> Option<&Via> {
    state.sources.iter().map(|s| &s.via).find(|v| pick(v))
}

/// How a cell is marked: a pending change, granted here, or how else the
/// flag is held (admin, inherited, via a group, implied, owner), mixed
/// members, or not at all.
fn cell_mark(team: &Team, r: ResourceIdx, c: &CellInput) -> Mark {
    let a = c.after;
    let group_name = |id: &str| {
        team.principal_idx(id)
            .map(|g| team.principal(g).name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    if c.direct_after && !c.direct_before {
        Mark::PendingAdd
    } else if c.direct_before && !c.direct_after {
        Mark::PendingRemove
    } else if c.direct_after {
        Mark::Granted
    } else if a.held && source_here(a, |v| matches!(v, Via::RoleAdmin)).is_some() {
        Mark::Admin
    } else if a.held && a.inherited {
        Mark::Inherited
    } else if let Some(Via::Group { group }) =
        source_here(a, |v| matches!(v, Via::Group { .. })).filter(|_| a.held)
    {
        Mark::ViaGroup(group_name(group))
    } else if let Some(Via::Implied { flag }) =
        source_here(a, |v| matches!(v, Via::Implied { .. })).filter(|_| a.held)
    {
        Mark::Implied(flag_label(team, r, flag))
    } else if a.held && source_here(a, |v| matches!(v, Via::RoleAdmin)).is_some() {
        Mark::Admin
    } else if a.held && source_here(a, |v| matches!(v, Via::ApiKeyOwner { .. })).is_some() {
        Mark::Owner
    } else if c.holding.is_some_and(|(k, _)| k > 0) {
        Mark::Mixed
    } else {
        Mark::None
    }
}

/// The cell's description: what its mark means, and whether it is still
/// inherited, redundant or not effective.
fn cell_detail(
    team: &Team,
    (r, who): (ResourceIdx, &str),
    c: &CellInput,
    mark: &Mark,
    inherited_text: Option<&str>,
) -> String {
    let a = c.after;
    let mut detail = match mark {
        Mark::PendingAdd => "Pending: will be granted here".to_string(),
        Mark::PendingRemove => "Pending: the grant here will be removed".to_string(),
        Mark::Granted if c.creator => "Granted here (as creator)".to_string(),
        Mark::Granted => "Granted here".to_string(),
        Mark::Inherited => inherited_text.unwrap_or("Inherited").to_string(),
        Mark::ViaGroup(g) => format!("Granted here to group {g}"),
        Mark::Implied(f) => format!("Implied by {f}"),
        Mark::Admin => "Held as an admin".to_string(),
        Mark::Owner => "Held through its owner".to_string(),
        Mark::Mixed => {
            let (k, n) = c.holding.unwrap_or((0, 0));
            format!("Not granted to the group; {k} of its {n} members who are not admins hold it otherwise")
        }
        Mark::None => "Not granted".to_string(),
    };
    if matches!(mark, Mark::PendingRemove) && a.held {
        if let Some(t) = inherited_text {
            detail.push_str(&format!("; still {}", lower_first(t)));
        }
    }
    if a.redundant {
        detail.push_str(&format!(
            "; redundant: {}",
            lower_first(inherited_text.unwrap_or("it also flows from above"))
        ));
    }
    if let Some(reason) = &a.reason {
        detail.push_str(&format!(
            "; not effective: {}",
            ineffective_phrase(team, r, who, reason)
        ));
    }
    detail
}

/// Why a cell cannot be toggled here, if it cannot: read-only, a member
/// row, or held from elsewhere (change it there).
fn cell_locked(
    team: &Team,
    row: &Row,
    c: &CellInput,
    mark: &Mark,
    inherited_text: Option<&str>,
) -> Option<String> {
    if c.read_only {
        return Some("This dialog is read-only.".to_string());
    }
    if let Some(g) = row.group {
        return Some(format!(
            "Shown as a member of group {}: add them as a row to grant directly.",
            team.principal(g).name
        ));
    }
    if c.direct_after {
        return None;
    }
    match mark {
        Mark::Inherited => Some(format!(
            "{}: the highest level overrides, change it there.",
            inherited_text.unwrap_or("Inherited")
        )),
        Mark::ViaGroup(g) => Some(format!(
            "Granted to group {g}: change it on the group's row."
        )),
        Mark::Implied(f) => Some(format!("Implied by {f}: change that permission.")),
        Mark::Admin => Some("Admins hold every permission.".to_string()),
        Mark::Owner => Some("API keys follow their owner.".to_string()),
        _ => None,
    }
}

fn cell(team: &Team, r: ResourceIdx, who: &str, row: &Row, c: CellInput) -> Cell {
    let a = c.after;
    let mark = cell_mark(team, r, &c);
    let checked = if a.held {
        Checked::Yes
    } else if mark == Mark::Mixed {
        Checked::Mixed
    } else {
        Checked::No
    };
    let inherited_text = a
        .origin
        .as_ref()
        .filter(|_| a.inherited)
        .map(|o| format!("Inherited {}", origin_phrase(team, o)));
    let detail = cell_detail(team, (r, who), &c, &mark, inherited_text.as_deref());
    let locked = cell_locked(team, row, &c, &mark, inherited_text.as_deref());
    Cell {
        flag: c.flag.to_string(),
        label: flag_label(team, r, c.flag),
        checked,
        locked,
        redundant: a.redundant,
        ineffective: a.reason.as_ref().map(|x| ineffective_short(team, r, x)),
        changed: c.before.held != a.held || c.before.effective != a.effective,
        creator: c.creator,
        detail,
        members_holding: c.holding,
        from: a
            .origin
            .as_ref()
            .and_then(|o| team.resource_idx(&o.resource))
            .filter(|&o| o != r)
            .map(|o| team.resource(o).name.clone()),
        mark,
    }
}

/// Why a principal that holds nothing here is listed: "Listed for Delete all
/// spaces on Studio, which gives nothing here".
pub fn listed_for(state: &State, p: PrincipalIdx) -> String {
    let team = &state.team;
    let after = state.after();
    let path = team.path_to(state.resource);
    let grants: Vec<String> = path[..path.len().saturating_sub(1)]
        .iter()
        .flat_map(|&r| {
            let kind = team.kind_of(r);
            kind.perm_ids(after.grant(r, p).all())
                .map(move |f| format!("{} on {}", flag_label(team, r, f), resource_label(team, r)))
                .collect::<Vec<_>>()
        })
        .collect();
    let one = grants.len() == 1;
    format!(
        "Listed for {}, which {} nothing here",
        grants.join(", "),
        if one { "gives" } else { "give" }
    )
}
