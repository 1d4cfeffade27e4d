//! An edit session: the pending change set of one actor on one team, kept
//! net (an edit and its inverse cancel out), with undo and redo, evaluated as
//! the actor, and rebased onto a newer team when someone else saved first.
//! Plain data: the dialog's reducer, the embed API and tests drive the same
//! type; it never holds the team.

use super::change::{check_ops, prepare, prepare_more, Op};
use super::impact::HeldImpact;
use super::team::{Overlay, PrincipalIdx, Team};
use super::Prepared;
use crate::model::problem::Problems;
use crate::model::snapshot::DataPermissions;
use std::sync::Arc;

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

    /// Checks the pending change set as the actor and computes its impact.
    pub fn evaluate(&mut self, team: &Team) -> Result<Evaluation, Problems> {
        self.evaluate_ops(team, &self.pending.clone())
    }

    /// Evaluates `ops` (a pending set this session is moving to), updating
    /// the last evaluation when it was for the same team (and extending its
    /// prepared change set when `ops` only adds operations to it).
    fn evaluate_ops(&mut self, team: &Team, ops: &Ops) -> Result<Evaluation, Problems> {
        let last = self.last.0.as_deref().filter(|l| l.0 == team.uid());
        if let Some((_, done, evaluation)) = last {
            if done == ops {
                return Ok(evaluation.clone());
            }
        }
        let prepared = match last {
            Some((_, done, e)) if ops.starts_with(done) => {
                prepare_more(team, &self.actor, &e.prepared, ops, done.len())?
            }
            _ => prepare(team, &self.actor, ops)?,
        };
        let actor = team.principal_idx(&self.actor).unwrap_or(PrincipalIdx(0));
        let (held, old) = match last {
            Some((_, _, e)) => (&e.impact, &e.prepared.overlay),
            None => (&HeldImpact::default(), &Overlay::default()),
        };
        let impact = held.update(team, actor, ops, old, &prepared);
        let evaluation = Evaluation { prepared, impact };
        self.last = Last(Some(Arc::new((
            team.uid(),
            ops.clone(),
            evaluation.clone(),
        ))));
        Ok(evaluation)
    }

    /// Adds operations to the pending set, keeping it net, as one undo step.
    /// `Ok(None)` when the pending set stays as it is; an edit the evaluator
    /// refuses changes nothing and returns its problems.
    pub fn edit(
        &mut self,
        team: &Team,
        ops: impl IntoIterator<Item = Op>,
    ) -> Result<Option<Evaluation>, Problems> {
        let mut next = self.pending.to_vec();
        for op in ops {
            merge(team, &mut next, op);
        }
        if *next == *self.pending {
            return Ok(None);
        }
        let next = Ops::from(next);
        let evaluation = self.evaluate_ops(team, &next)?;
        let before = std::mem::replace(&mut self.pending, next);
        self.undo.push(before);
        self.redo.clear();
        Ok(Some(evaluation))
    }

    /// Discards every pending operation, as one undo step.
    pub fn reset(&mut self, team: &Team) -> Result<Option<Evaluation>, Problems> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        let evaluation = self.evaluate_ops(team, &Ops::default())?;
        self.undo.push(std::mem::take(&mut self.pending));
        self.redo.clear();
        Ok(Some(evaluation))
    }

    /// Goes back one step; `Ok(None)` when there is nothing to undo.
    pub fn undo(&mut self, team: &Team) -> Result<Option<Evaluation>, Problems> {
        let Some(previous) = self.undo.last().cloned() else {
            return Ok(None);
        };
        let evaluation = self.evaluate_ops(team, &previous)?;
        if let Some(previous) = self.undo.pop() {
            self.redo
                .push(std::mem::replace(&mut self.pending, previous));
        }
        Ok(Some(evaluation))
    }

    /// Goes forward one undone step; `Ok(None)` when there is nothing to redo.
    pub fn redo(&mut self, team: &Team) -> Result<Option<Evaluation>, Problems> {
        let Some(next) = self.redo.last().cloned() else {
            return Ok(None);
        };
        let evaluation = self.evaluate_ops(team, &next)?;
        if let Some(next) = self.redo.pop() {
            self.undo.push(std::mem::replace(&mut self.pending, next));
        }
        Ok(Some(evaluation))
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
