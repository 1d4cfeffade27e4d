//! An edit session: the pending change set of one actor on one team, kept
//! net (an edit and its inverse cancel out), with undo and redo, evaluated as
//! the actor, and rebased onto a newer team when someone else saved first.
//! Plain data: the dialog's reducer, the embed API and tests drive the same
//! type; it never holds the team.

use super::change::{check_ops, prepare, prepare_more, Op};
use super::impact::{HeldImpact, ImpactUpdate};
use super::team::{Overlay, PrincipalIdx, Team};
use super::Prepared;
use crate::model::problem::Problems;
use crate::model::snapshot::DataPermissions;
use std::sync::{Arc, LazyLock};

/// The pending edits of one actor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    actor: String,
    pending: Ops,
    /// Earlier pending sets, most recent last.
    undo: Vec<Ops>,
    /// Pending sets undone, most recent last.
    redo: Vec<Ops>,
    /// The last evaluation, which the next one updates instead of starting over.
    last: Last,
}

/// A pending set as the session keeps it: shared, not copied, by the
/// history and by the session's clones (the dialog clones its state on every
/// action).
type Ops = Arc<[Op]>;

/// What a session's first evaluation starts from.
static NO_IMPACT: LazyLock<HeldImpact> = LazyLock::new(HeldImpact::default);
static NO_OVERLAY: LazyLock<Overlay> = LazyLock::new(Overlay::default);

/// The pending change set checked, laid over the team, and its impact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    pub prepared: Prepared,
    pub impact: HeldImpact,
}

/// The last evaluation with the team and the change set it is for. A cache:
/// two sessions with the same edits are equal whatever their caches hold.
#[derive(Debug, Clone, Default)]
struct Last(Option<Arc<(u64, Ops, Evaluation)>>);

impl PartialEq for Last {
    fn eq(&self, _: &Last) -> bool {
        true
    }
}

/// One step of a session: operations added (net), undo, redo or reset.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Ops(Vec<Op>),
    Undo,
    Redo,
    Reset,
}

/// Why a pending operation did not survive a rebase.
#[derive(Debug, Clone, PartialEq)]
pub enum Dropped {
    /// The newer team already is as the operation would make it.
    AlreadyThere,
    /// The newer team refuses it: an id is gone, or the actor may no longer
    /// manage the resource.
    Refused(Problems),
    /// Someone else changed the same data permissions since the session began.
    ChangedMeanwhile,
}

/// What a rebase kept and what it had to drop, operation by operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rebased {
    pub kept: Vec<Op>,
    pub dropped: Vec<(Op, Dropped)>,
}

impl Rebased {
    /// Operations dropped because they now conflict (not merely already done).
    pub fn conflicts(&self) -> impl Iterator<Item = &(Op, Dropped)> {
        self.dropped
            .iter()
            .filter(|(_, why)| *why != Dropped::AlreadyThere)
    }
}

impl Session {
    pub fn new(actor: &str) -> Session {
        Session {
            actor: actor.to_string(),
            ..Session::default()
        }
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The pending change set, net.
    pub fn pending(&self) -> &[Op] {
        &self.pending
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Checks the pending change set as the actor and computes its impact,
    /// updating the last evaluation when it was for the same team.
    pub fn evaluate(&mut self, team: &Team) -> Result<Evaluation, Problems> {
        if let Some(done) = self.last_for(team, &self.pending) {
            return Ok(done.clone());
        }
        let prepared = self.prepare(team, &self.pending)?;
        Ok(self.evaluate_prepared(team, prepared))
    }

    /// The last evaluation, when it is of `ops` on this team.
    fn last_for(&self, team: &Team, ops: &Ops) -> Option<&Evaluation> {
        let (uid, done, evaluation) = self.last.0.as_deref()?;
        (*uid == team.uid() && done == ops).then_some(evaluation)
    }

    /// `ops` checked and laid over the team: when `ops` only adds operations
    /// to the last evaluation's, only those are checked and laid over it.
    fn prepare(&self, team: &Team, ops: &Ops) -> Result<Prepared, Problems> {
        match self.last.0.as_deref() {
            Some((uid, done, e)) if *uid == team.uid() && ops.starts_with(done) => {
                prepare_more(team, &self.actor, &e.prepared, ops, done.len())
            }
            _ => prepare(team, &self.actor, ops),
        }
    }

    /// The impact of the pending change set, already checked and laid over
    /// the team, updated from the last evaluation when it was for this team.
    fn evaluate_prepared(&mut self, team: &Team, prepared: Prepared) -> Evaluation {
        if let Some(done) = self.last_for(team, &self.pending) {
            return done.clone();
        }
        let impact = self.impact_update(team, &prepared).finish();
        let evaluation = Evaluation { prepared, impact };
        self.remember(team, evaluation.clone());
        evaluation
    }

    /// The evaluation of the pending set on `team` if it is the last one
    /// computed (then [`Session::evaluate`] costs nothing).
    pub fn evaluated(&self, team: &Team) -> Option<&Evaluation> {
        self.last_for(team, &self.pending)
    }

    /// The impact of the pending set, `prepared` on `team` (as
    /// [`Session::apply`] gave it), to be computed in steps from the last
    /// evaluation; hand the result to [`Session::keep`].
    pub fn impact_update<'a>(&'a self, team: &'a Team, prepared: &'a Prepared) -> ImpactUpdate<'a> {
        let actor = team.principal_idx(&self.actor).unwrap_or(PrincipalIdx(0));
        let last = self.last.0.as_deref().filter(|l| l.0 == team.uid());
        let (held, old) = match last {
            Some((_, _, e)) => (&e.impact, &e.prepared.overlay),
            None => (&*NO_IMPACT, &*NO_OVERLAY),
        };
        held.updating(team, actor, &self.pending, old, prepared)
    }

    /// Keeps `evaluation` (of `pending` on `team`, computed with
    /// [`Session::impact_update`]) as the last one, so that the next
    /// evaluation starts from it. Nothing is kept, and false is returned,
    /// when the pending set is no longer `pending`.
    pub fn keep(&mut self, team: &Team, pending: &[Op], evaluation: Evaluation) -> bool {
        let current = *self.pending == *pending;
        if current {
            self.remember(team, evaluation);
        }
        current
    }

    fn remember(&mut self, team: &Team, evaluation: Evaluation) {
        self.last = Last(Some(Arc::new((
            team.uid(),
            self.pending.clone(),
            evaluation,
        ))));
    }

    pub fn apply(&mut self, team: &Team, step: Edit) -> Result<Option<Prepared>, Problems> {
        let next: Ops = match &step {
            Edit::Ops(ops) => {
                let mut next = self.pending.to_vec();
                for op in ops {
                    merge(team, &mut next, op.clone());
                }
                if *next == *self.pending {
                    return Ok(None);
                }
                next.into()
            }
            Edit::Undo => match self.undo.last() {
                Some(previous) => previous.clone(),
                None => return Ok(None),
            },
            Edit::Redo => match self.redo.last() {
                Some(next) => next.clone(),
                None => return Ok(None),
            },
            Edit::Reset if self.pending.is_empty() => return Ok(None),
            Edit::Reset => Ops::default(),
        };
        let prepared = self.prepare(team, &next)?;
        let before = std::mem::replace(&mut self.pending, next);
        match step {
            Edit::Ops(_) | Edit::Reset => {
                self.undo.push(before);
                self.redo.clear();
            }
            Edit::Undo => {
                self.undo.pop();
                self.redo.push(before);
            }
            Edit::Redo => {
                self.redo.pop();
                self.undo.push(before);
            }
        }
        Ok(Some(prepared))
    }

    /// Takes one step and computes its impact ([`Session::apply`], then the
    /// impact without checking the pending set again).
    pub fn apply_evaluated(
        &mut self,
        team: &Team,
        step: Edit,
    ) -> Result<Option<Evaluation>, Problems> {
        Ok(self
            .apply(team, step)?
            .map(|prepared| self.evaluate_prepared(team, prepared)))
    }

    /// Adds operations to the pending set, keeping it net, as one undo step.
    /// `Ok(None)` when the pending set stays as it is; an edit the evaluator
    /// refuses changes nothing and returns its problems.
    pub fn edit(
        &mut self,
        team: &Team,
        ops: impl IntoIterator<Item = Op>,
    ) -> Result<Option<Evaluation>, Problems> {
        self.apply_evaluated(team, Edit::Ops(ops.into_iter().collect()))
    }

    /// Discards every pending operation, as one undo step.
    pub fn reset(&mut self, team: &Team) -> Result<Option<Evaluation>, Problems> {
        self.apply_evaluated(team, Edit::Reset)
    }

    /// Goes back one step; `Ok(None)` when there is nothing to undo.
    pub fn undo(&mut self, team: &Team) -> Result<Option<Evaluation>, Problems> {
        self.apply_evaluated(team, Edit::Undo)
    }

    /// Goes forward one undone step; `Ok(None)` when there is nothing to redo.
    pub fn redo(&mut self, team: &Team) -> Result<Option<Evaluation>, Problems> {
        self.apply_evaluated(team, Edit::Redo)
    }

    /// Lays the pending operations onto `newer`, the team someone else saved
    /// after `base` (the team this session was editing). Each operation is
    /// checked again: one that `newer` already reflects, refuses, or whose
    /// data permissions were changed meanwhile is dropped and reported; the
    /// rest stay pending. The history starts anew (it described `base`).
    pub fn rebase(&mut self, base: &Team, newer: &Team) -> Rebased {
        let mut out = Rebased::default();
        for op in std::mem::take(&mut self.pending).iter().cloned() {
            match rebase_one(base, newer, &self.actor, &op) {
                None => out.kept.push(op),
                Some(why) => out.dropped.push((op, why)),
            }
        }
        self.pending = out.kept.as_slice().into();
        self.undo.clear();
        self.redo.clear();
        out
    }
}

/// Adds `op` so that `pending` stays net: a grant and its revoke cancel out,
/// a repeated operation counts once, and new data permissions for a model
/// replace the pending ones (and vanish when they equal the team's).
fn merge(team: &Team, pending: &mut Vec<Op>, op: Op) {
    match &op {
        Op::Grant(_) | Op::Revoke(_) => {
            if let Some(i) = op
                .inverse()
                .and_then(|inv| pending.iter().position(|o| *o == inv))
            {
                pending.remove(i);
            } else if !pending.contains(&op) {
                pending.push(op);
            }
        }
        Op::SetDataPermissions(d) => {
            pending.retain(
                |o| !matches!(o, Op::SetDataPermissions(x) if x.data_model == d.data_model),
            );
            if !already_there(team, &op) {
                pending.push(op);
            }
        }
    }
}

/// Whether `team` already is as `op` would make it.
fn already_there(team: &Team, op: &Op) -> bool {
    match op {
        Op::Grant(g) | Op::Revoke(g) => g.resolve(team).is_some_and(|(p, r, bit)| {
            (team.grant_bits(r, p).all().intersects(bit)) == matches!(op, Op::Grant(_))
        }),
        Op::SetDataPermissions(d) => {
            team.resource_idx(&d.data_model).is_some()
                && DataPermissions::equivalent(
                    model_data(team, &d.data_model),
                    Some(&d.to_data_permissions()),
                )
        }
    }
}

fn rebase_one(base: &Team, newer: &Team, actor: &str, op: &Op) -> Option<Dropped> {
    let problems = check_ops(newer, actor, &[(0, op)]);
    if problems.has_errors() {
        return Some(Dropped::Refused(problems));
    }
    if already_there(newer, op) {
        return Some(Dropped::AlreadyThere);
    }
    if let Op::SetDataPermissions(d) = op {
        if !DataPermissions::equivalent(
            model_data(base, &d.data_model),
            model_data(newer, &d.data_model),
        ) {
            return Some(Dropped::ChangedMeanwhile);
        }
    }
    None
}

/// The data permissions of the model with this id, if it has any.
fn model_data<'t>(team: &'t Team, model: &str) -> Option<&'t DataPermissions> {
    team.resource_idx(model)
        .and_then(|r| team.data_permissions(r))
}
