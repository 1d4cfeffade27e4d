//! The permissions dialog's state: plain data, [`Action`]s and a reducer
//! ([`Reducible`]), after yew's `function_todomvc` example. The pending edits
//! are the core's [`Session`] (net merge, undo, redo, evaluated as the acting
//! principal, which checks authority and computes the preview); the reducer
//! turns UI actions into its operations and keeps UI state only. An edit the
//! evaluator rejects is not applied; its reason is shown. No side effect
//! (storage, events) happens here.

use crate::backend::SavedMeanwhile;
use crate::eval::change::may_manage;
use crate::eval::team::Overlay;
use crate::eval::{
    Edit, Evaluation, HeldImpact, Op, Prepared, PrincipalIdx, ResourceIdx, Session, SetDataOp,
    Team, View,
};
use crate::ui::hooks::ByPtr;
use crate::ui::text::{problems_text, saving};
use std::rc::Rc;
use yew::prelude::*;

/// From this many principals or resources, an edit whose impact is slow to
/// compute is shown in the grid at once and its impact (the preview) after
/// that frame, in slices; smaller teams always get both in the same frame.
pub const DEFER_IMPACT_FROM: usize = 1_000;

/// How long an edit's own task may spend on its impact (ms; checked after
/// each class of principals, see [`QUICK_WALK_MAX`]). An impact
/// computed within it is shown with the edit, in one frame; one that is not
/// is left (the part computed is dropped) and computed after the edit's
/// frame, in slices ([`super::later`]), on a team of [`DEFER_IMPACT_FROM`].
/// With the summary, the sections and the rendering, the edit's task stays
/// under 50 ms.
pub const QUICK_EVALUATION_MS: f64 = 15.0;

/// From this many resources walked per class of principals, an edit's
/// impact is not tried in its own task: the budget is checked between
/// classes, and one class's walk takes about 1 µs per resource in the page
/// on the slower machine (a studio-level edit on L: 19,888 resources,
/// 23 ms for its first class), so it alone would overrun it.
pub const QUICK_WALK_MAX: usize = 10_000;

/// The dialog's tabs. `Data` exists for data models only.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Tab {
    /// Usage permissions (the grid).
    Permissions,
    /// Row-level data permissions of a data model.
    Data,
    /// Check access: any principal's capabilities here and below.
    Check,
}

#[derive(Clone, Debug)]
pub struct State {
    pub team: Rc<Team>,
    pub resource: ResourceIdx,
    pub actor: PrincipalIdx,
    /// Why the actor may not edit this dialog (the evaluator's reason), if so.
    pub read_only: Option<String>,
    /// The pending edits: a net change set with undo and redo.
    pub session: Session,
    /// Principals added with the picker (rows even before anything is granted).
    pub added: Vec<PrincipalIdx>,
    /// The pending change set, checked and laid over the team.
    pub prepared: Rc<Prepared>,
    /// `prepared.overlay`, shared with child components.
    pub overlay: Rc<Overlay>,
    /// What the pending change set changes, and its warnings.
    pub impact: Rc<HeldImpact>,
    /// The impact in plain-language phrases (computed once per evaluation;
    /// the preview and the footer both show it).
    pub summary: Rc<Vec<String>>,
    /// The changed principals as the preview lists them.
    pub sections: Rc<Vec<super::preview::Section>>,
    /// The last edit the evaluator refused, in words.
    pub error: Option<String>,
    /// The first problem of a data-permission draft the form shows but that
    /// cannot be applied: Save waits until it is fixed.
    pub draft_problem: Option<String>,
    pub tab: Tab,
    /// Group rows shown expanded to their members.
    pub expanded: Vec<PrincipalIdx>,
    /// Rows selected for a bulk change.
    pub selected: Vec<PrincipalIdx>,
    /// Bumped whenever `pending` changes (a cheap memo key).
    pub revision: u32,
    /// The revision `impact`, `summary` and `sections` are of: behind
    /// `revision` between an edit and its evaluation ([`Action::Evaluate`]).
    pub evaluated: u32,
    /// The number of pending changes `impact` is of.
    pub evaluated_count: usize,
    /// How long the last evaluation took (ms; the preview shows it as
    /// `data-evaluation-ms`, read by the browser benchmark).
    pub last_evaluation_ms: f64,
    /// In how many slices it was computed (0: in the edit's own task).
    pub last_evaluation_slices: u32,
    /// [`QUICK_EVALUATION_MS`] unless the dialog was given another (on a
    /// large team, 0: always after the edit's frame; infinite: never).
    pub quick_evaluation_ms: f64,
    /// The pending set is being saved: edits wait until the backend has
    /// answered (what it saves is what was pending when Save was pressed).
    pub saving: bool,
}

/// Cheap equality for props: same team and resource, same evaluation, same UI state.
impl PartialEq for State {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.team, &o.team)
            && Rc::ptr_eq(&self.impact, &o.impact)
            && self.resource == o.resource
            && self.actor == o.actor
            && self.evaluated == o.evaluated
            && self.session == o.session
            && self.added == o.added
            && self.error == o.error
            && self.draft_problem == o.draft_problem
            && self.tab == o.tab
            && self.expanded == o.expanded
            && self.selected == o.selected
            && self.saving == o.saving
    }
}

/// The dialog's state as the grid shows it: equal while nothing the grid
/// shows has changed (a new impact, summary or error leave it as it is).
/// A reducer handle always reads the newest state, so what the grid shows
/// is kept as it was when the handle was given.
#[derive(Clone)]
pub struct GridView {
    pub state: UseReducerHandle<State>,
    shown: GridShows,
}

#[derive(Clone, PartialEq)]
struct GridShows {
    team: ByPtr<Team>,
    overlay: ByPtr<Overlay>,
    resource: ResourceIdx,
    actor: PrincipalIdx,
    read_only: bool,
    added: Vec<PrincipalIdx>,
    expanded: Vec<PrincipalIdx>,
    selected: Vec<PrincipalIdx>,
}

impl GridView {
    pub fn new(state: &UseReducerHandle<State>) -> GridView {
        let shown = GridShows {
            team: ByPtr(state.team.clone()),
            overlay: ByPtr(state.overlay.clone()),
            resource: state.resource,
            actor: state.actor,
            read_only: state.read_only.is_some(),
            added: state.added.clone(),
            expanded: state.expanded.clone(),
            selected: state.selected.clone(),
        };
        GridView {
            state: state.clone(),
            shown,
        }
    }
}

impl PartialEq for GridView {
    fn eq(&self, o: &Self) -> bool {
        self.shown == o.shown
    }
}

#[derive(Clone, Debug)]
pub enum Action {
    /// Grant the flag to the principal here if it is not directly granted, revoke it if it is.
    Toggle {
        principal: PrincipalIdx,
        flag: String,
    },
    /// Grant or revoke one flag for several principals (one undo step).
    SetFlag {
        principals: Vec<PrincipalIdx>,
        flag: String,
        grant: bool,
    },
    /// Revoke every flag granted directly to the principal here (and forget it if it was just added).
    RemovePrincipal(PrincipalIdx),
    AddPrincipal(PrincipalIdx),
    /// Replace the model's data permissions.
    SetData(SetDataOp),
    Undo,
    Redo,
    /// Someone else saved first: lay the pending edits onto their team.
    Rebase(Rc<Team>, Vec<SavedMeanwhile>),
    /// Discard every pending change (itself undoable).
    Reset,
    /// The impact of this revision of the pending set, computed after its
    /// edit was painted ([`super::later`]); ignored if the pending set moved
    /// on since.
    Evaluated(u32, Box<Evaluated>),
    SetTab(Tab),
    /// The data-permission form's first problem, or `None` when it is valid.
    SetDraftProblem(Option<String>),
    ToggleExpanded(PrincipalIdx),
    ToggleSelected(PrincipalIdx),
    SetSelection(Vec<PrincipalIdx>),
    DismissError,
    /// Save was pressed (`true`) or the backend has answered (`false`).
    Saving(bool),
}

impl Action {
    /// Whether the action changes the pending set (refused while saving).
    fn edits(&self) -> bool {
        matches!(
            self,
            Action::Toggle { .. }
                | Action::SetFlag { .. }
                | Action::RemovePrincipal(_)
                | Action::AddPrincipal(_)
                | Action::SetData(_)
                | Action::Undo
                | Action::Redo
                | Action::Reset
        )
    }
}

/// An evaluation of the pending set, computed in the edit's task or in
/// slices after its frame.
#[derive(Clone, Debug)]
pub struct Evaluated {
    /// The pending set it is of.
    pub pending: Vec<Op>,
    pub evaluation: Evaluation,
    /// The time spent computing it (ms), and in how many slices.
    pub ms: f64,
    pub slices: u32,
}

impl State {
    pub fn new(team: Rc<Team>, resource: ResourceIdx, actor: PrincipalIdx, tab: Tab) -> State {
        let team_actor_id = team.principal(actor).id.clone();
        let read_only = may_manage(&team.view(), actor, resource).err();
        let tab = if tab == Tab::Data && team.view().use_cap_of_model(resource).is_none() {
            Tab::Permissions
        } else {
            tab
        };
        let mut s = State {
            team,
            resource,
            actor,
            read_only,
            session: Session::new(&team_actor_id),
            added: Vec::new(),
            prepared: Rc::new(Prepared::default()),
            overlay: Rc::new(Overlay::default()),
            impact: Rc::new(HeldImpact::default()),
            summary: Rc::new(Vec::new()),
            sections: Rc::new(Vec::new()),
            error: None,
            draft_problem: None,
            tab,
            expanded: Vec::new(),
            selected: Vec::new(),
            revision: 0,
            evaluated: 0,
            evaluated_count: 0,
            last_evaluation_ms: 0.0,
            last_evaluation_slices: 0,
            quick_evaluation_ms: QUICK_EVALUATION_MS,
            saving: false,
        };
        match s.session.evaluate(&s.team) {
            Ok(evaluation) => s.show(evaluation),
            Err(problems) => s.error = Some(problems_text(&s.team, &problems)),
        }
        s
    }

    /// Starts from the edits of a draft kept before the page was reloaded;
    /// edits the evaluator now refuses are left out, and the banner says so.
    pub fn restore(&mut self, changes: Vec<Op>) {
        let total = changes.len();
        let mut refused = 0;
        for op in changes {
            match self.session.edit(&self.team, [op]) {
                Ok(Some(evaluation)) => self.show(evaluation),
                Ok(None) => {}
                Err(_) => refused += 1,
            }
        }
        self.error = Some(saving::restored(total - refused, refused));
    }

    /// The pending change set, net.
    pub fn pending(&self) -> &[Op] {
        self.session.pending()
    }

    pub fn actor_id(&self) -> &str {
        &self.team.principal(self.actor).id
    }

    pub fn resource_id(&self) -> &str {
        &self.team.resource(self.resource).id
    }

    /// The team as it is.
    pub fn before(&self) -> View<'_> {
        self.team.view()
    }

    /// The team with the pending change set laid over it.
    pub fn after(&self) -> View<'_> {
        View::with_overlay(&self.team, &self.overlay)
    }

    pub fn is_data_model(&self) -> bool {
        self.team.view().use_cap_of_model(self.resource).is_some()
    }

    /// Number of pending operations.
    pub fn pending_count(&self) -> usize {
        self.pending().len()
    }

    /// Whether the flag is granted directly to `p` here, with the pending changes.
    pub fn direct_after(&self, p: PrincipalIdx, flag: &str) -> bool {
        let Some(bit) = self.team.kind_of(self.resource).perm_bit(flag) else {
            return false;
        };
        self.after().grant(self.resource, p).all().intersects(bit)
    }

    /// How long an edit's own task may spend on its impact (ms;
    /// [`QUICK_EVALUATION_MS`]): unbounded on a small team.
    fn evaluation_budget(&self) -> f64 {
        let large = self.team.principals.len().max(self.team.resources.len()) >= DEFER_IMPACT_FROM;
        if large {
            self.quick_evaluation_ms
        } else {
            f64::INFINITY
        }
    }

    /// Whether the preview is behind the pending set (evaluated a frame later).
    pub fn is_stale(&self) -> bool {
        self.evaluated != self.revision
    }

    /// The impact of the pending change set; computed now when the shown one
    /// is behind (Save pressed right after an edit).
    pub fn fresh_impact(&self) -> Rc<HeldImpact> {
        if !self.is_stale() {
            return self.impact.clone();
        }
        // The pending set was checked when its edit was taken, so evaluating
        // it cannot fail; if it did, the impact shown is the best known.
        self.session
            .clone()
            .evaluate(&self.team)
            .map_or_else(|_| self.impact.clone(), |e| Rc::new(e.impact))
    }

    /// Shows the pending change set the session moved to (the grid); its
    /// impact follows.
    fn show_pending(&mut self, prepared: Prepared) {
        self.overlay = Rc::new(prepared.overlay.clone());
        self.prepared = Rc::new(prepared);
        self.revision = self.revision.wrapping_add(1);
        self.error = None;
    }

    /// Shows the impact of the pending change set (the preview).
    fn show_impact(&mut self, impact: HeldImpact) {
        self.impact = Rc::new(impact);
        self.summary = Rc::new(super::preview::summary(self));
        self.sections = Rc::new(super::preview::sections(self));
        self.evaluated = self.revision;
        self.evaluated_count = self.pending_count();
    }

    /// Shows a new evaluation of the pending change set.
    fn show(&mut self, evaluation: Evaluation) {
        self.show_pending(evaluation.prepared);
        self.show_impact(evaluation.impact);
    }

    /// Shows the impact of the pending set, computed in the edit's task or
    /// after its frame (in `evaluated.slices` slices), and keeps it for the
    /// next edit's.
    fn show_evaluated(&mut self, evaluated: Evaluated) {
        let started = now_ms();
        let Evaluated {
            pending,
            evaluation,
            ms,
            slices,
        } = evaluated;
        let impact = evaluation.impact.clone();
        if self.session.keep(&self.team, &pending, evaluation) {
            self.show_impact(impact);
            self.last_evaluation_ms = ms + (now_ms() - started);
            self.last_evaluation_slices = slices;
        }
    }

    /// Takes one step of the session: shows the pending set it leads to and,
    /// when it is quick to compute, its impact, or why the step was refused.
    fn step(&mut self, edit: Edit) {
        let started = now_ms();
        match self.session.apply(&self.team, edit) {
            Ok(Some(prepared)) => {
                self.show_pending(prepared);
                self.evaluate_within(started + self.evaluation_budget());
            }
            Ok(None) => {}
            Err(problems) => self.error = Some(problems_text(&self.team, &problems)),
        }
    }

    /// Computes and shows the impact of the pending set if that is done by
    /// `deadline` (the page's clock); otherwise the preview stays behind
    /// and [`super::later`] computes it after this frame.
    fn evaluate_within(&mut self, deadline: f64) {
        let started = now_ms();
        if started >= deadline {
            return;
        }
        let evaluation = {
            let mut update = self.session.impact_update(&self.team, &self.prepared);
            if deadline.is_finite() && update.walk_size() >= QUICK_WALK_MAX {
                return;
            }
            let mut clock = ClassClock::start(0.0);
            if !update.step(|| clock.another_by(deadline)) {
                return;
            }
            Evaluation {
                prepared: (*self.prepared).clone(),
                impact: update.finish(),
            }
        };
        let pending = self.session.pending().to_vec();
        self.show_evaluated(Evaluated {
            pending,
            evaluation,
            ms: now_ms() - started,
            slices: 0,
        });
    }

    /// Adds operations to the pending set (net); one undo step.
    fn edit(&mut self, ops: Vec<Op>) {
        if let Some(why) = &self.read_only {
            self.error = Some(format!(
                "This dialog is read-only: {}",
                super::super::text::message_text(&self.team, why)
            ));
            return;
        }
        self.step(Edit::Ops(ops));
    }

    /// Moves the dialog onto `newer` (the team someone else saved): the
    /// pending edits are rebased, indexes found again by id, and the
    /// message says what was kept and what was dropped.
    fn rebase(&mut self, newer: Rc<Team>, meanwhile: &[SavedMeanwhile]) {
        let (old, id_of) = (self.team.clone(), |t: &Team, p: PrincipalIdx| {
            t.principal(p).id.clone()
        });
        let remap = |ps: &[PrincipalIdx]| -> Vec<PrincipalIdx> {
            ps.iter()
                .filter_map(|&p| newer.principal_idx(&id_of(&old, p)))
                .collect()
        };
        let (Some(resource), Some(actor)) = (
            newer.resource_idx(old.resource(self.resource).id.as_str()),
            newer.principal_idx(old.principal(self.actor).id.as_str()),
        ) else {
            self.error = Some(saving::GONE.into());
            return;
        };
        let rebased = self.session.rebase(&old, &newer);
        self.added = remap(&self.added);
        self.expanded = remap(&self.expanded);
        self.selected = remap(&self.selected);
        self.team = newer;
        self.resource = resource;
        self.actor = actor;
        self.read_only = may_manage(&self.team.view(), actor, resource).err();
        match self.session.evaluate(&self.team) {
            Ok(evaluation) => self.show(evaluation),
            Err(problems) => {
                self.error = Some(problems_text(&self.team, &problems));
                return;
            }
        }
        self.error = Some(saving::conflict(&self.team, &rebased, meanwhile));
    }

    fn op_for(&self, p: PrincipalIdx, flag: &str, grant: bool) -> Op {
        let pid = &self.team.principal(p).id;
        let rid = self.resource_id();
        if grant {
            Op::grant(pid, rid, flag)
        } else {
            Op::revoke(pid, rid, flag)
        }
    }
}

/// The page's clock (ms); 0 without one.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Whether an impact update under way evaluates another class of
/// principals before a deadline: only if one as long as the longest so far
/// would end by then. Classes differ a lot (one sharing its subtrees with
/// an earlier one takes well under a millisecond, one walking a studio
/// 20 ms), so a cheap class followed by a dear one would overrun the
/// deadline by the dear one.
pub struct ClassClock {
    last: f64,
    /// The longest class so far (ms).
    pub longest: f64,
}

impl ClassClock {
    /// Starts timing now, knowing the longest class of earlier slices.
    pub fn start(longest: f64) -> ClassClock {
        ClassClock {
            last: now_ms(),
            longest,
        }
    }

    /// Starts timing again (a new slice), keeping the longest class; now.
    pub fn restart(&mut self) -> f64 {
        self.last = now_ms();
        self.last
    }

    /// Called after each class: whether to evaluate another by `deadline`.
    pub fn another_by(&mut self, deadline: f64) -> bool {
        let now = now_ms();
        self.longest = self.longest.max(now - self.last);
        self.last = now;
        now + self.longest < deadline
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if self.saving && action.edits() {
            return self;
        }
        let mut s = (*self).clone();
        match action {
            Action::Toggle { principal, flag } => {
                let grant = !s.direct_after(principal, &flag);
                let op = s.op_for(principal, &flag, grant);
                s.edit(vec![op]);
            }
            Action::SetFlag {
                principals,
                flag,
                grant,
            } => {
                let ops: Vec<Op> = principals
                    .iter()
                    .filter(|&&p| s.direct_after(p, &flag) != grant)
                    .map(|&p| s.op_for(p, &flag, grant))
                    .collect();
                if ops.is_empty() {
                    s.error = Some(if grant {
                        "Every selected row already has it granted here.".to_string()
                    } else {
                        "None of the selected rows has it granted here.".to_string()
                    });
                } else {
                    s.edit(ops);
                }
            }
            Action::RemovePrincipal(p) => {
                let kind = s.team.kind_of(s.resource);
                let bits = s.after().grant(s.resource, p).all();
                let flags: Vec<String> = kind.perm_ids(bits).map(String::from).collect();
                let ops: Vec<Op> = flags.iter().map(|f| s.op_for(p, f, false)).collect();
                if !ops.is_empty() {
                    s.edit(ops);
                }
                if s.read_only.is_none() {
                    s.added.retain(|&x| x != p);
                    s.selected.retain(|&x| x != p);
                }
            }
            Action::AddPrincipal(p) => {
                if s.read_only.is_some() {
                    return self;
                }
                if !s.added.contains(&p) {
                    s.added.push(p);
                }
            }
            Action::SetData(d) => s.edit(vec![Op::SetDataPermissions(d)]),
            Action::Rebase(newer, meanwhile) => s.rebase(newer, &meanwhile),
            Action::Undo => s.step(Edit::Undo),
            Action::Redo => s.step(Edit::Redo),
            Action::Reset => s.step(Edit::Reset),
            Action::Evaluated(revision, evaluated) => {
                if revision != s.revision || !s.is_stale() {
                    return self;
                }
                s.show_evaluated(*evaluated);
            }
            Action::SetTab(t) => s.tab = t,
            Action::SetDraftProblem(p) => {
                if s.draft_problem == p {
                    return self;
                }
                s.draft_problem = p;
            }
            Action::ToggleExpanded(g) => {
                if let Some(i) = s.expanded.iter().position(|&x| x == g) {
                    s.expanded.remove(i);
                } else {
                    s.expanded.push(g);
                }
            }
            Action::ToggleSelected(p) => {
                if let Some(i) = s.selected.iter().position(|&x| x == p) {
                    s.selected.remove(i);
                } else {
                    s.selected.push(p);
                }
            }
            Action::SetSelection(v) => s.selected = v,
            Action::DismissError => s.error = None,
            Action::Saving(saving) => s.saving = saving,
        }
        Rc::new(s)
    }
}
