//! Change sets (spec §7): grant, revoke and set-data-permissions operations,
//! checked as a whole and applied *as an actor* — all or nothing.

use super::team::{GrantBits, Overlay, PrincipalIdx, ResourceIdx, Team, View};
use crate::model::bits::FlagSet;
use crate::model::catalog::Level;
use crate::model::problem::{About, Code, Problems};
use crate::model::snapshot::{DataEntry, DataPermissions, Grant, Origin, Role};
use crate::model::validate::{check_data_entries, check_grant_target, GrantPart, DATA_MODEL_KIND};
use serde::{Deserialize, Serialize};

/// One operation of a change set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Op {
    Grant(GrantOp),
    Revoke(GrantOp),
    SetDataPermissions(SetDataOp),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantOp {
    pub principal: String,
    pub resource: String,
    pub permission: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetDataOp {
    pub data_model: String,
    pub enabled: bool,
    #[serde(default)]
    pub entries: Vec<DataEntry>,
}

impl SetDataOp {
    /// The data permissions the operation sets.
    pub fn to_data_permissions(&self) -> DataPermissions {
        DataPermissions {
            data_model: self.data_model.clone(),
            enabled: self.enabled,
            entries: self.entries.clone(),
        }
    }
}

impl GrantOp {
    /// The principal, resource and flag bit it names, when they exist.
    pub fn resolve(&self, team: &Team) -> Option<(PrincipalIdx, ResourceIdx, FlagSet)> {
        let (p, r) = (
            team.principal_idx(&self.principal)?,
            team.resource_idx(&self.resource)?,
        );
        Some((p, r, team.kind_of(r).perm_bit(&self.permission)?))
    }
}

impl Op {
    pub fn grant(principal: &str, resource: &str, permission: &str) -> Op {
        Op::Grant(GrantOp {
            principal: principal.into(),
            resource: resource.into(),
            permission: permission.into(),
        })
    }
    pub fn revoke(principal: &str, resource: &str, permission: &str) -> Op {
        Op::Revoke(GrantOp {
            principal: principal.into(),
            resource: resource.into(),
            permission: permission.into(),
        })
    }
    /// The resource the operation changes.
    pub fn resource(&self) -> &str {
        match self {
            Op::Grant(g) | Op::Revoke(g) => &g.resource,
            Op::SetDataPermissions(d) => &d.data_model,
        }
    }
    /// What the operation is about: its principal, resource and permission.
    pub fn about(&self) -> About {
        match self {
            Op::Grant(g) | Op::Revoke(g) => About::principal(&g.principal)
                .and_resource(&g.resource)
                .and_permission(&g.permission),
            Op::SetDataPermissions(d) => About::resource(&d.data_model),
        }
    }
    /// The inverse operation, for undo (`None` for data permissions, whose
    /// inverse needs the state before).
    pub fn inverse(&self) -> Option<Op> {
        match self {
            Op::Grant(g) => Some(Op::Revoke(g.clone())),
            Op::Revoke(g) => Some(Op::Grant(g.clone())),
            Op::SetDataPermissions(_) => None,
        }
    }
}

/// A checked change set laid over a team: the state after, and what it touched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prepared {
    pub overlay: Overlay,
    /// Resources whose grants or data permissions differ after the change set.
    pub changed_resources: Vec<ResourceIdx>,
    /// Principals whose own direct grants differ.
    pub changed_grantees: Vec<PrincipalIdx>,
    /// Data models whose data permissions differ.
    pub changed_models: Vec<ResourceIdx>,
    /// Resources named by the operations (authority is checked on these).
    pub touched: Vec<ResourceIdx>,
    /// `no-effect` and `data-exposure` warnings found while applying.
    pub warnings: Problems,
}

/// Whether `actor` may change permissions on `r`: admins everywhere; others
/// where they have the `manage-permissions` capability on `r` or on an
/// ancestor of it (managing a space's permissions covers what is in it;
/// the spec's checked example relies on this), never on a service.
pub fn may_manage(view: &View, actor: PrincipalIdx, r: ResourceIdx) -> Result<(), String> {
    let team = view.team;
    let info = team.principal(actor);
    if info.role == Role::Admin {
        return Ok(());
    }
    let res = team.resource(r);
    let kind = team.kind_of(r);
    if kind.level == Level::Service {
        return Err(format!(
            "only admins may change {} permissions; `{}` is not an admin",
            kind.label, info.id
        ));
    }
    let mut cur = Some(r);
    while let Some(x) = cur {
        if let Some(cap) = team.kind_of(x).cap_index("manage-permissions") {
            if view.can_idx(actor, x, cap) {
                return Ok(());
            }
        }
        cur = team.resource(x).parent;
    }
    Err(format!(
        "`{}` may not manage permissions on {} `{}` ({}) or anything above it",
        info.id, kind.label, res.id, res.name
    ))
}

/// Every problem of a change set for `actor`, in one answer: unknown ids and
/// permissions, malformed data-permission entries, and `not-allowed` for each
/// operation on a resource the actor may not manage. `ops` carry their index
/// in the change set (operations that could not be read are left out).
pub fn check_ops(team: &Team, actor: &str, ops: &[(usize, &Op)]) -> Problems {
    let mut errors = Problems::default();
    let actor_idx = team.principal_idx(actor);
    if actor_idx.is_none() {
        errors.push_about(
            Code::UnknownPrincipal,
            "$.actor",
            format!("no principal has the id `{actor}`"),
            About::principal(actor).and_field("actor"),
        );
    }
    let before = team.view();
    for &(i, op) in ops {
        let path = format!("$.changes[{i}]");
        match op {
            Op::Grant(g) | Op::Revoke(g) => check_grant_target(
                &team.catalog,
                team,
                &mut errors,
                (&g.principal, &g.resource),
                [g.permission.as_str()],
                |part| match part {
                    GrantPart::Principal => format!("{path}.principal"),
                    GrantPart::Resource => format!("{path}.resource"),
                    GrantPart::Permission(_) => format!("{path}.permission"),
                },
            ),
            Op::SetDataPermissions(d) => {
                match team.resource_idx(&d.data_model) {
                    None => errors.push_about(
                        Code::UnknownResource,
                        format!("{path}.data_model"),
                        format!("no resource has the id `{}`", d.data_model),
                        About::resource(&d.data_model).and_field("data_model"),
                    ),
                    Some(r) if team.kind_of(r).id != DATA_MODEL_KIND => errors.push_about(
                        Code::NotADataModel,
                        format!("{path}.data_model"),
                        format!(
                            "`{}` is a {}: data permissions apply to data models only",
                            d.data_model,
                            team.kind_of(r).label
                        ),
                        About::resource(&d.data_model).and_field("data_model"),
                    ),
                    Some(_) => {}
                }
                check_data_entries(team, &mut errors, &d.entries, &path);
            }
        }
        let (Some(actor), Some(r)) = (actor_idx, team.resource_idx(op.resource())) else {
            continue;
        };
        if let Err(msg) = may_manage(&before, actor, r) {
            errors.push_about(Code::NotAllowed, path, msg, op.about());
        }
    }
    errors
}

/// Reads a change set from JSON (a list of operations): every structural
/// problem at `$.changes[i]…`, and the operations that could be read, with
/// their index.
pub fn read_ops(value: &serde_json::Value) -> (Vec<(usize, Op)>, Problems) {
    let (values, mut problems) = crate::model::read_op_values(value);
    let mut ops = Vec::with_capacity(values.len());
    for (i, v) in values {
        match serde_json::from_value::<Op>(v) {
            Ok(op) => ops.push((i, op)),
            Err(e) => problems.push(
                Code::MalformedJson,
                format!("$.changes[{i}]"),
                format!("the operation cannot be read: {e}"),
            ),
        }
    }
    (ops, problems)
}

/// Reads a change set for `actor` from JSON. When some operation cannot be
/// read, the change set is refused with every problem in one answer: the
/// structural ones and those of the operations that could be read (unknown
/// ids, `not-allowed`, …).
pub fn read_change_set(
    team: &Team,
    actor: &str,
    value: &serde_json::Value,
) -> Result<Vec<Op>, Problems> {
    let (ops, mut problems) = read_ops(value);
    if problems.0.is_empty() {
        return Ok(ops.into_iter().map(|(_, op)| op).collect());
    }
    let indexed: Vec<(usize, &Op)> = ops.iter().map(|(i, op)| (*i, op)).collect();
    problems.0.extend(check_ops(team, actor, &indexed).0);
    Err(problems)
}

/// Adds the resources the operations name to `touched`, each once, in order.
fn add_touched(team: &Team, touched: &mut Vec<ResourceIdx>, ops: &[Op]) {
    for r in ops.iter().filter_map(|op| team.resource_idx(op.resource())) {
        if !touched.contains(&r) {
            touched.push(r);
        }
    }
}

/// Checks a change set for `actor` and lays it over `team`. Every problem is
/// reported; nothing is applied when there is any.
pub fn prepare(team: &Team, actor: &str, ops: &[Op]) -> Result<Prepared, Problems> {
    prepare_more(team, actor, &Prepared::default(), ops, 0)
}

/// [`prepare`] of `ops` given `done`, the change set `ops[..from]` prepared
/// for the same team and actor: only the operations after it are checked
/// and laid over it (what an edit session adds is checked once).
pub fn prepare_more(
    team: &Team,
    actor: &str,
    done: &Prepared,
    ops: &[Op],
    from: usize,
) -> Result<Prepared, Problems> {
    let indexed: Vec<(usize, &Op)> = ops.iter().enumerate().skip(from).collect();
    let errors = check_ops(team, actor, &indexed);
    if errors.has_errors() {
        return Err(errors);
    }
    let mut touched = done.touched.clone();
    add_touched(team, &mut touched, &ops[from..]);
    // `done` keeps only what differs from the team: what it dropped reads
    // the same from the team.
    let mut overlay = done.overlay.clone();
    let mut warnings = done.warnings.clone();
    for (i, op) in indexed {
        let path = format!("$.changes[{i}]");
        match op {
            Op::Grant(g) | Op::Revoke(g) => {
                let Some((p, r, bit)) = g.resolve(team) else {
                    continue;
                };
                let cur = overlay
                    .grants
                    .get(&(r, p))
                    .copied()
                    .unwrap_or_else(|| team.grant_bits(r, p));
                let is_grant = matches!(op, Op::Grant(_));
                let next = if is_grant {
                    GrantBits {
                        manual: cur.manual | bit,
                        creator: cur.creator,
                    }
                } else {
                    GrantBits {
                        manual: cur.manual & !bit,
                        creator: cur.creator & !bit,
                    }
                };
                if (cur.all().intersects(bit)) == is_grant {
                    let what = if is_grant {
                        "is already granted to"
                    } else {
                        "is not granted to"
                    };
                    warnings.push_about(
                        Code::NoEffect,
                        path,
                        format!(
                            "`{}` {what} `{}` on `{}`",
                            g.permission, g.principal, g.resource
                        ),
                        op.about(),
                    );
                }
                overlay.grants.insert((r, p), next);
            }
            Op::SetDataPermissions(d) => {
                let Some(r) = team.resource_idx(&d.data_model) else {
                    continue;
                };
                let cur = match overlay.data.get(&r) {
                    Some(pending) => pending.as_ref(),
                    None => team.data_permissions(r),
                };
                let next = d.to_data_permissions();
                if DataPermissions::equivalent(cur, Some(&next)) {
                    warnings.push_about(
                        Code::NoEffect,
                        path.clone(),
                        format!("data permissions of `{}` are already so", d.data_model),
                        op.about(),
                    );
                } else if cur.is_some_and(DataPermissions::restricts) && !next.restricts() {
                    let how = if next.enabled {
                        "on without entries"
                    } else {
                        "off"
                    };
                    warnings.push_about(
                        Code::DataExposure,
                        path,
                        format!("data permissions of `{}` will be {how}: everyone who can use the model will see all its data", d.data_model),
                        op.about(),
                    );
                }
                overlay.data.insert(r, Some(next));
            }
        }
    }
    // Keep only what really differs, so the overlay is the change itself.
    overlay
        .grants
        .retain(|&(r, p), bits| *bits != team.grant_bits(r, p));
    overlay
        .data
        .retain(|&r, dp| !DataPermissions::equivalent(dp.as_ref(), team.data_permissions(r)));
    let mut changed_resources: Vec<ResourceIdx> = overlay
        .grants
        .keys()
        .map(|&(r, _)| r)
        .chain(overlay.data.keys().copied())
        .collect();
    changed_resources.sort_unstable();
    changed_resources.dedup();
    let mut changed_grantees: Vec<PrincipalIdx> = overlay.grants.keys().map(|&(_, p)| p).collect();
    changed_grantees.sort_unstable();
    changed_grantees.dedup();
    let mut changed_models: Vec<ResourceIdx> = overlay.data.keys().copied().collect();
    changed_models.sort_unstable();
    Ok(Prepared {
        overlay,
        changed_resources,
        changed_grantees,
        changed_models,
        touched,
        warnings,
    })
}

impl Team {
    /// Applies a change set as `actor` and returns the next team; nothing is
    /// applied when the change set has any error (including `not-allowed`).
    pub fn apply(&self, actor: &str, ops: &[Op]) -> Result<Team, Problems> {
        let prepared = prepare(self, actor, ops)?;
        self.apply_prepared(&prepared)
    }

    /// Builds the next team from a prepared change set.
    pub fn apply_prepared(&self, prepared: &Prepared) -> Result<Team, Problems> {
        let o = &prepared.overlay;
        let mut emitted = rustc_hash::FxHashSet::default();
        let mut out = Vec::with_capacity(self.snapshot.grants.len() + o.grants.len());
        let grants_for = |r: ResourceIdx, p: PrincipalIdx, bits: GrantBits| {
            let kind = self.kind_of(r);
            [
                (Origin::Creator, bits.creator),
                (Origin::Manual, bits.manual & !bits.creator),
            ]
            .into_iter()
            .filter(|(_, b)| !b.is_empty())
            .map(move |(origin, b)| Grant {
                principal: self.principal(p).id.clone(),
                resource: self.resource(r).id.clone(),
                permissions: kind.perm_ids(b).map(String::from).collect(),
                origin,
            })
            .collect::<Vec<_>>()
        };
        let emit = |out: &mut Vec<_>, k: (ResourceIdx, PrincipalIdx), bits| {
            out.extend(grants_for(k.0, k.1, bits).into_iter().map(|g| (g, k)));
        };
        for (g, &k) in self.snapshot.grants.iter().zip(self.grant_keys()) {
            match o.grants.get(&k) {
                None => out.push((g.clone(), k)),
                Some(&bits) => {
                    if emitted.insert(k) {
                        emit(&mut out, k, bits);
                    }
                }
            }
        }
        let mut rest: Vec<_> = o
            .grants
            .iter()
            .filter(|(k, _)| !emitted.contains(*k))
            .collect();
        rest.sort_unstable_by_key(|(k, _)| **k);
        for (&k, &bits) in rest {
            emit(&mut out, k, bits);
        }
        let (grants, keys) = out.into_iter().unzip();
        let mut snap = crate::model::Snapshot {
            directory: self.snapshot.directory.clone(),
            resources: self.snapshot.resources.clone(),
            grants,
            data_permissions: self.snapshot.data_permissions.clone(),
            version: self.snapshot.version.clone(),
        };
        for (&r, dp) in &o.data {
            let id = &self.resource(r).id;
            snap.data_permissions.retain(|d| &d.data_model != id);
            if let Some(dp) = dp {
                snap.data_permissions.push(dp.clone());
            }
        }
        Ok(self.next(snap, keys, o))
    }
}
