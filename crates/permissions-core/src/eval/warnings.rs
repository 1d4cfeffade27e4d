//! The warnings of a change set's impact (spec §7) that need the team before
//! and after: `ineffective`, `redundant` and `self-lockout`. (`no-effect` and
//! `data-exposure` are found while the change set is laid over the team.)
//!
//! A grant is judged where the change set grants it, and also where the
//! change set acts on it indirectly: revoking a partner leaves an existing
//! grant ineffective, granting higher up makes an existing grant redundant.

use super::change::{Op, Prepared};
use super::flags::Ineffective;
use super::team::{PrincipalIdx, ResourceIdx, Team, View};
use crate::model::bits::FlagSet;
use crate::model::problem::{About, Code, Problem};
use crate::model::validate::PrincipalType;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// How many member names a group warning spells out.
const NAMED_MEMBERS: usize = 3;

/// What the grant warnings of one evaluation found, kept for the next
/// evaluation of an edit session. Problems are kept with their paths left
/// empty (the index of an operation changes as others come and go).
#[derive(Debug, Clone, Default)]
pub struct GrantChecks {
    /// Each pending grant's own problems (ineffective, redundant).
    own: FxHashMap<(PrincipalIdx, ResourceIdx, FlagSet), Judged>,
    /// Each changed grant's (resource, grantee) existing grants it acts on.
    acted_on: FxHashMap<(ResourceIdx, PrincipalIdx), ActedOn>,
    /// The problems of each existing grant acted on, by what was checked.
    indirect: FxHashMap<(PrincipalIdx, ResourceIdx, FlagSet, Indirect), Judged>,
}

/// The problems found judging one grant.
type Judged = Arc<[Problem]>;

/// Existing grants a changed grant acts on, in tree order, with what to check.
type ActedOn = Arc<[(GrantAt, Indirect)]>;

/// What the previous evaluation found, and where its change set differs from
/// this one (the resources of the grants that differ).
pub type Reuse<'a> = (&'a GrantChecks, &'a [ResourceIdx]);

/// The warnings of a change set's grants: each pending grant that is
/// ineffective or redundant, and existing grants it makes so. A grant's
/// problems are taken from `reuse` (the previous evaluation's; empty ones
/// when there is none) where the change sets do not differ on the grant's
/// resource or above it (a grant's flags depend on nothing else), and so are
/// the existing grants each changed grant acts on where they do not differ
/// at or below it; returns the checks made, for the next evaluation.
pub fn grant_warnings(
    team: &Team,
    ops: &[Op],
    prepared: &Prepared,
    reuse: Reuse,
) -> (Vec<Problem>, GrantChecks) {
    let before = team.view();
    let after = View::with_overlay(team, &prepared.overlay);
    let (old, differ) = reuse;
    let unchanged_at = |r: ResourceIdx| !differ.iter().any(|&c| team.is_ancestor_or_self(c, r));
    let mut out = Vec::new();
    let mut found = |judged: &Judged, cause: usize| {
        if judged.is_empty() {
            return;
        }
        let path = format!("$.changes[{cause}]");
        out.extend(judged.iter().cloned().map(|w| Problem {
            path: path.clone(),
            ..w
        }));
    };
    let mut checks = GrantChecks::default();
    let mut judged: FxHashSet<(PrincipalIdx, ResourceIdx, FlagSet)> = FxHashSet::default();
    // What each operation grants or revokes, when it names existing ids.
    let targets: Vec<Option<GrantAt>> = ops
        .iter()
        .map(|op| match op {
            Op::Grant(g) | Op::Revoke(g) => {
                g.resolve(team).map(|(p, r, bit)| GrantAt { p, r, bit })
            }
            Op::SetDataPermissions(_) => None,
        })
        .collect();

    for (i, (op, target)) in ops.iter().zip(&targets).enumerate() {
        let (Op::Grant(_), Some(grant)) = (op, *target) else {
            continue;
        };
        let GrantAt { p, r, bit } = grant;
        if !after.grant(r, p).all().intersects(bit) || !judged.insert((p, r, bit)) {
            continue;
        }
        let key = (p, r, bit);
        let kept = unchanged_at(r).then(|| old.own.get(&key)).flatten();
        let problems = kept.cloned().unwrap_or_else(|| {
            ineffective(after, grant, "", None)
                .into_iter()
                .chain(redundant(after, grant, "", false))
                .collect()
        });
        found(&problems, i);
        checks.own.insert(key, problems);
    }

    for (grant, cause, check) in
        indirectly_affected(team, &targets, prepared, reuse, &mut checks.acted_on)
    {
        if !judged.insert((grant.p, grant.r, grant.bit)) {
            continue;
        }
        let key = (grant.p, grant.r, grant.bit, check);
        let kept = unchanged_at(grant.r)
            .then(|| old.indirect.get(&key))
            .flatten();
        let problems = kept
            .cloned()
            .unwrap_or_else(|| judge_indirect(before, after, grant, check));
        found(&problems, cause);
        checks.indirect.insert(key, problems);
    }
    (out, checks)
}

/// The problems an existing grant gets through the change set: `ineffective`
/// when it fails for more members than before, `redundant` when it was not.
fn judge_indirect(before: View, after: View, grant: GrantAt, check: Indirect) -> Judged {
    let mut problems = Vec::new();
    if check.ineffective {
        let failing_before = failing_members(before, grant).len();
        problems.extend(ineffective(after, grant, "", Some(failing_before)));
    }
    if check.redundant && !before.flag_state_at(grant.p, grant.r, grant.bit).redundant {
        problems.extend(redundant(after, grant, "", true));
    }
    problems.into()
}

/// One flag granted to one principal on one resource.
#[derive(Debug, Clone, Copy)]
struct GrantAt {
    p: PrincipalIdx,
    r: ResourceIdx,
    bit: FlagSet,
}

impl GrantAt {
    fn about(self, team: &Team) -> About {
        About::principal(&team.principal(self.p).id)
            .and_resource(&team.resource(self.r).id)
            .and_permission(team.kind_of(self.r).flag_id(self.bit))
    }
}

/// What an existing grant may have become through a changed grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Indirect {
    /// Granting adds flows from above: grants below may become redundant.
    redundant: bool,
    /// Revoking removes partners: grants with a `requires` rule may become
    /// ineffective (role and scope do not change with grants).
    ineffective: bool,
}

/// Existing grants (still in force after the change set) whose holders
/// evaluate differently at or below a changed grant, with the index of the
/// first operation that acts on them and what to check. `targets`: what
/// each operation grants or revokes. What each changed grant acts on is
/// taken from `reuse` where the change sets do not differ at or below it,
/// and recorded in `made`.
fn indirectly_affected(
    team: &Team,
    targets: &[Option<GrantAt>],
    prepared: &Prepared,
    (old, differ): Reuse,
    made: &mut FxHashMap<(ResourceIdx, PrincipalIdx), ActedOn>,
) -> Vec<(GrantAt, usize, Indirect)> {
    let after = View::with_overlay(team, &prepared.overlay);
    // The last operation on each changed (resource, principal) decides it.
    let mut cause: FxHashMap<(ResourceIdx, PrincipalIdx), usize> = FxHashMap::default();
    for (i, grant) in targets.iter().enumerate() {
        if let Some(GrantAt { p, r, .. }) = *grant {
            if prepared.overlay.grants.contains_key(&(r, p)) {
                cause.insert((r, p), i);
            }
        }
    }
    let mut causes: Vec<((ResourceIdx, PrincipalIdx), usize)> = cause.into_iter().collect();
    causes.sort_unstable_by_key(|&(_, i)| i);

    let mut out: Vec<(GrantAt, usize, Indirect)> = Vec::new();
    let mut seen: FxHashMap<(PrincipalIdx, ResourceIdx, FlagSet), usize> = FxHashMap::default();
    for ((r0, g0), cause) in causes {
        let kept = (!differ.iter().any(|&c| team.is_ancestor_or_self(r0, c)))
            .then(|| old.acted_on.get(&(r0, g0)).cloned())
            .flatten();
        let acted = kept.unwrap_or_else(|| acted_on(team, after, r0, g0));
        for &(grant, check) in acted.iter() {
            match seen.get(&(grant.p, grant.r, grant.bit)) {
                Some(&k) => {
                    let earlier = &mut out[k].2;
                    earlier.redundant |= check.redundant;
                    earlier.ineffective |= check.ineffective;
                }
                None => {
                    seen.insert((grant.p, grant.r, grant.bit), out.len());
                    out.push((grant, cause, check));
                }
            }
        }
        made.insert((r0, g0), acted);
    }
    out
}

/// The existing grants (still in force after the change set) that the
/// changed grant of `g0` on `r0` acts on. They depend on the grants at or
/// below `r0` only.
fn acted_on(team: &Team, after: View, r0: ResourceIdx, g0: PrincipalIdx) -> ActedOn {
    let (was, is) = (team.grant_bits(r0, g0).all(), after.grant(r0, g0).all());
    let (added, removed) = (is.intersects(!was), was.intersects(!is));
    let holders = holders_affected_by(team, g0);
    // The holders' existing grants at or below r0, in tree order.
    let mut held: Vec<(ResourceIdx, PrincipalIdx)> = holders
        .iter()
        .flat_map(|&h| {
            team.granted_on(h)
                .iter()
                .filter(move |&&r| team.is_ancestor_or_self(r0, r))
                .map(move |&r| (r, h))
        })
        .collect();
    held.sort_unstable_by_key(|&(r, h)| (team.tree_pos(r), h));
    let mut out = Vec::new();
    for (r, h) in held {
        let needs_partner = team
            .kind_of(r)
            .requires
            .iter()
            .map(|&(flag, _)| flag)
            .collect::<FlagSet>();
        let redundant = added && r != r0;
        let mask = match (redundant, removed) {
            (true, _) => !FlagSet::NONE,
            (false, true) => needs_partner,
            (false, false) => FlagSet::NONE,
        };
        for bit in (after.grant(r, h).all() & mask).singles() {
            let check = Indirect {
                redundant,
                ineffective: removed && needs_partner.intersects(bit),
            };
            out.push((GrantAt { p: h, r, bit }, check));
        }
    }
    out.into()
}

/// Principals whose grants may be judged differently when `g`'s grants
/// change: `g`, the principals that hold `g`'s grants (a group's members),
/// and the groups of those (their grants are judged per member).
fn holders_affected_by(team: &Team, g: PrincipalIdx) -> FxHashSet<PrincipalIdx> {
    let info = team.principal(g);
    let mut evaluated = vec![g];
    if info.ptype == PrincipalType::Group {
        evaluated.extend(&info.related);
    }
    let mut holders: FxHashSet<PrincipalIdx> = evaluated.iter().copied().collect();
    for &p in &evaluated {
        let info = team.principal(p);
        if info.ptype == PrincipalType::User {
            holders.extend(&info.related);
        }
    }
    holders
}

/// The principals a grant to `p` is judged for, with why it is not effective
/// for them: a group's members (effective roles differ), or `p` itself.
fn failing_members(view: View, grant: GrantAt) -> Vec<(PrincipalIdx, Ineffective)> {
    let team = view.team;
    let info = team.principal(grant.p);
    let judged: &[PrincipalIdx] = if info.ptype == PrincipalType::Group && !info.related.is_empty()
    {
        &info.related
    } else {
        std::slice::from_ref(&grant.p)
    };
    let path = team.path_to(grant.r);
    judged
        .iter()
        .filter_map(|&m| {
            let nodes = view.nodes_along(m, &path);
            let node = nodes.last()?;
            view.reason(m, grant.r, node, grant.bit).map(|why| (m, why))
        })
        .collect()
}

/// `ineffective` when the grant fails for its holder (or for some members of
/// a group). With `failing_before`, only when it fails for more than before.
fn ineffective(
    after: View,
    grant: GrantAt,
    path: &str,
    failing_before: Option<usize>,
) -> Option<Problem> {
    let failing = failing_members(after, grant);
    if failing.is_empty() || failing_before.is_some_and(|n| failing.len() <= n) {
        return None;
    }
    let team = after.team;
    let info = team.principal(grant.p);
    let what = grant_words(team, grant);
    let verb = if failing_before.is_some() {
        "will no longer be effective"
    } else {
        "will be ineffective"
    };
    let message = if info.ptype == PrincipalType::Group && !info.related.is_empty() {
        let names: Vec<String> = failing
            .iter()
            .take(NAMED_MEMBERS)
            .map(|(m, why)| format!("`{}` ({})", team.principal(*m).id, why.code()))
            .collect();
        let more = failing.len().saturating_sub(NAMED_MEMBERS);
        let rest = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!(
            "{what} {verb} for {} of the {} members of the group: {}{rest}",
            failing.len(),
            info.related.len(),
            names.join(", ")
        )
    } else {
        let (m, why) = &failing[0];
        format!(
            "{what} {verb} ({}): {}",
            why.code(),
            reason_words(team, *m, why)
        )
    };
    Some(Problem::new(Code::Ineffective, path, message).about(grant.about(team)))
}

/// `redundant` when the holder already has the flag from above there.
fn redundant(after: View, grant: GrantAt, path: &str, indirect: bool) -> Option<Problem> {
    let state = after.flag_state_at(grant.p, grant.r, grant.bit);
    if !state.redundant {
        return None;
    }
    let team = after.team;
    let from = state
        .origin
        .as_ref()
        .map(|o| format!("`{}` (`{}`)", o.resource, o.permission))
        .unwrap_or_else(|| "above".into());
    let verb = if indirect {
        "becomes redundant"
    } else {
        "is redundant"
    };
    Some(
        Problem::new(
            Code::Redundant,
            path,
            format!(
                "{} {verb}: it already comes from {from}",
                grant_words(team, grant)
            ),
        )
        .about(grant.about(team)),
    )
}

/// "`delete` for `u-ana` on `pk-o2c`".
fn grant_words(team: &Team, grant: GrantAt) -> String {
    format!(
        "`{}` for `{}` on `{}`",
        team.kind_of(grant.r).flag_id(grant.bit),
        team.principal(grant.p).id,
        team.resource(grant.r).id
    )
}

fn reason_words(team: &Team, p: PrincipalIdx, why: &Ineffective) -> String {
    let id = &team.principal(p).id;
    match why {
        Ineffective::Role => format!(
            "the effective role of `{id}` is {}",
            team.principal(p).role.as_str()
        ),
        Ineffective::Scope => format!("the scopes of `{id}` do not allow it"),
        Ineffective::Requires(f) => {
            format!("it requires `{f}`, which `{id}` does not have there")
        }
    }
}

/// `self-lockout` when the actor loses `manage-permissions` on a touched resource.
pub fn self_lockout(team: &Team, prepared: &Prepared, actor: PrincipalIdx) -> Vec<Problem> {
    let before = team.view();
    let after = View::with_overlay(team, &prepared.overlay);
    prepared
        .touched
        .iter()
        .filter_map(|&r| {
            let cap = team.kind_of(r).cap_index("manage-permissions")?;
            (before.can_idx(actor, r, cap) && !after.can_idx(actor, r, cap)).then(|| {
                let res = team.resource(r);
                Problem::new(
                    Code::SelfLockout,
                    "$.changes",
                    format!(
                        "`{}` will no longer manage permissions on `{}` ({})",
                        team.principal(actor).id,
                        res.id,
                        res.name
                    ),
                )
                .about(
                    About::principal(&team.principal(actor).id)
                        .and_resource(&res.id)
                        .and_permission("manage-permissions"),
                )
            })
        })
        .collect()
}
