//! The catalog's rules as Cedar can state them: which flags each capability
//! reads, what a flag granted on a kind makes held further down (same-kind
//! implications and unconditional flows), which scopes allow a flag, and
//! which capabilities are out of reach (see the crate's README).

use permissions_core::model::catalog::{Compiled, Cond, KindIdx};
use permissions_core::model::FlagSet;

/// One flag of one kind, as a capability reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reading {
    pub kind: KindIdx,
    pub flag: u32,
}

/// A capability of a parent kind that looks at the flags of its children
/// (`see` on a space: "any held flag other than `use` on a package in it").
#[derive(Debug, Clone, Copy)]
pub struct ChildReader {
    pub parent_cap: u8,
    /// The child's flags that count.
    pub counted: FlagSet,
}

/// The catalog, arranged for the translation.
pub struct Rules<'c> {
    pub catalog: &'c Compiled,
    /// Per kind, per capability: the flags it reads, or `None` when Cedar
    /// cannot state it with one permit per grant (a `requires` rule).
    pub readings: Vec<Vec<Option<Vec<Reading>>>>,
    /// Per child kind: the parent's capabilities that read its flags.
    pub child_readers: Vec<Vec<ChildReader>>,
    /// Per kind: its child kinds.
    pub child_kinds: Vec<Vec<KindIdx>>,
}

impl<'c> Rules<'c> {
    pub fn new(catalog: &'c Compiled) -> Rules<'c> {
        let kinds = catalog.kinds.len();
        let mut child_kinds = vec![Vec::new(); kinds];
        for (k, kind) in catalog.kinds.iter().enumerate() {
            if let Some(p) = kind.parent {
                child_kinds[p.index()].push(KindIdx(k as u16));
            }
        }
        let readings = (0..kinds)
            .map(|k| {
                let kind = &catalog.kinds[k];
                (0..kind.caps.len())
                    .map(|c| cap_readings(catalog, KindIdx(k as u16), c as u8))
                    .collect()
            })
            .collect();
        Rules {
            catalog,
            readings,
            child_readers: child_readers(catalog),
            child_kinds,
        }
    }

    /// Whether capability `cap` of `kind` is in the expressed subset.
    pub fn is_expressed(&self, kind: KindIdx, cap: u8) -> bool {
        self.readings[kind.index()][cap as usize].is_some()
    }

    /// The expressed capabilities of `kind`.
    pub fn expressed_caps(&self, kind: KindIdx) -> Vec<u8> {
        (0..self.readings[kind.index()].len() as u8)
            .filter(|&c| self.is_expressed(kind, c))
            .collect()
    }

    /// Every flag some expressed capability reads.
    pub fn read_flags(&self) -> Vec<Reading> {
        let mut all: Vec<Reading> = self
            .readings
            .iter()
            .flatten()
            .flatten()
            .flatten()
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// What holding `flags` on a resource of `kind` makes held there and on
    /// every level below: implications, then unconditional flows, repeated.
    pub fn held_below(&self, kind: KindIdx, flags: FlagSet) -> Vec<(KindIdx, FlagSet)> {
        let k = self.catalog.kind(kind);
        let held = k.close(flags);
        let mut out = vec![(kind, held)];
        for &child in &self.child_kinds[kind.index()] {
            let flowing = self
                .catalog
                .kind(child)
                .inflows
                .iter()
                .filter(|f| f.while_held.is_empty() && held.intersects(f.from))
                .fold(FlagSet::NONE, |acc, f| acc | f.to);
            if !flowing.is_empty() {
                out.extend(self.held_below(child, flowing));
            }
        }
        out
    }

    /// Flags of `kind` that flow down only while a partner flag is also
    /// held: not expressed (a condition across grants).
    pub fn conditional_flow_sources(&self, kind: KindIdx) -> FlagSet {
        self.child_kinds[kind.index()]
            .iter()
            .flat_map(|&c| self.catalog.kind(c).inflows.iter())
            .filter(|f| !f.while_held.is_empty())
            .fold(FlagSet::NONE, |acc, f| acc | f.from)
    }

    /// Whether flag `r` needs the `analyst` role to be effective.
    pub fn is_analyst_only(&self, r: Reading) -> bool {
        self.catalog.kind(r.kind).analyst_only.has(r.flag)
    }

    /// The scopes that allow flag `r` (catalog's `scopes`), sorted.
    pub fn scopes_allowing(&self, r: Reading) -> Vec<String> {
        let kind = self.catalog.kind(r.kind);
        let flag = kind.perm_id(r.flag);
        let mut out: Vec<String> = self
            .catalog
            .source
            .scopes
            .iter()
            .filter(|s| {
                s.allows
                    .iter()
                    .any(|a| a.kind == kind.id && a.flags.iter().any(|f| f == "*" || f == flag))
            })
            .map(|s| s.id.clone())
            .collect();
        out.sort();
        out
    }

    /// The Cedar action of capability `cap` of `kind`: `Action::"<kind>/<cap>"`.
    pub fn cap_action_id(&self, kind: KindIdx, cap: u8) -> String {
        let k = self.catalog.kind(kind);
        format!("{}/{}", k.id, k.caps[cap as usize].id)
    }

    /// The action group of the capabilities that read flag `r`: `Action::"flag <kind>/<flag>"`.
    pub fn flag_group_id(&self, r: Reading) -> String {
        let k = self.catalog.kind(r.kind);
        format!("flag {}/{}", k.id, k.perm_id(r.flag))
    }
}

/// The flags capability `cap` of `kind` reads; `None` if it depends on a
/// `requires` rule (one flag effective only while another is) or on the
/// children's flags through a parent capability.
fn cap_readings(catalog: &Compiled, kind: KindIdx, cap: u8) -> Option<Vec<Reading>> {
    let k = catalog.kind(kind);
    let mut out = Vec::new();
    for cond in &k.caps.get(cap as usize)?.any {
        match cond {
            Cond::FlagSelf(bits) => out.extend(effective_readings(catalog, kind, *bits)?),
            Cond::FlagParent(bits) => out.extend(effective_readings(catalog, k.parent?, *bits)?),
            Cond::AnyFlagSelf { except } => out.extend(readings_of(kind, k.all & !*except)),
            // Stated per grant on a child (a permit on its parent), see `translate`.
            Cond::AnyFlagChildren { .. } => {}
            Cond::CapParent(pcap) => {
                let parent = k.parent?;
                let pk = catalog.kind(parent);
                let reads_children = pk
                    .caps
                    .get(usize::from(*pcap))?
                    .any
                    .iter()
                    .any(|c| matches!(c, Cond::AnyFlagChildren { .. }));
                if reads_children {
                    return None;
                }
                out.extend(cap_readings(catalog, parent, *pcap)?);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// The single flags of `bits`, when none of them has a `requires` rule.
fn effective_readings(catalog: &Compiled, kind: KindIdx, bits: FlagSet) -> Option<Vec<Reading>> {
    let needs_partner = catalog
        .kind(kind)
        .requires
        .iter()
        .any(|&(flag, _)| bits.intersects(flag));
    if needs_partner {
        return None;
    }
    Some(readings_of(kind, bits).collect())
}

fn readings_of(kind: KindIdx, bits: FlagSet) -> impl Iterator<Item = Reading> {
    bits.indexes().map(move |flag| Reading { kind, flag })
}

fn child_readers(catalog: &Compiled) -> Vec<Vec<ChildReader>> {
    let mut out = vec![Vec::new(); catalog.kinds.len()];
    for kind in &catalog.kinds {
        for (c, cap) in kind.caps.iter().enumerate() {
            for cond in &cap.any {
                if let Cond::AnyFlagChildren { except } = cond {
                    for &(child, mask) in except {
                        let counted = catalog.kind(child).all & !mask;
                        out[child.index()].push(ChildReader {
                            parent_cap: c as u8,
                            counted,
                        });
                    }
                }
            }
        }
    }
    out
}
