//! The catalog: kinds, their permissions (flags) and tiers, how flags flow
//! down the tree, same-resource implications, `requires` rules, capabilities
//! and OAuth scopes — all as data. The built-in catalog is
//! `catalog.json` beside this file; a host may load its own with
//! [`Catalog::from_json`].
//!
//! [`Catalog::compile`] checks a catalog and turns it into bit masks
//! ([`Compiled`]) so the evaluator works on `u32` flag sets, one bit per
//! permission of a kind.

use super::bits::FlagSet;
use super::problem::{parse_json, Code, Problems};
use super::snapshot::Role;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub kinds: Vec<KindDef>,
    #[serde(default)]
    pub flows: Vec<FlowDef>,
    #[serde(default)]
    pub implications: Vec<ImplicationDef>,
    #[serde(default)]
    pub requires: Vec<RequiresDef>,
    #[serde(default)]
    pub scopes: Vec<ScopeDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Service,
    Container,
    Object,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub id: String,
    pub label: String,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub permissions: Vec<PermissionDef>,
    #[serde(default)]
    pub capabilities: Vec<CapabilityDef>,
    /// Flags granted to whoever creates a resource of this kind.
    #[serde(default)]
    pub creator_grants: Vec<String>,
}

/// The least effective role that can hold a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Viewer,
    Analyst,
}

impl Tier {
    pub fn min_role(self) -> Role {
        match self {
            Tier::Viewer => Role::Member,
            Tier::Analyst => Role::Analyst,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Tier::Viewer => "Viewer",
            Tier::Analyst => "Analyst",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionDef {
    pub id: String,
    pub label: String,
    pub tier: Tier,
}

/// A capability is true when any of its conditions holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityDef {
    pub id: String,
    pub label: String,
    pub any: Vec<Condition>,
}

/// Exactly one of `flag`, `capability`, `any_flag_except` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// An effective flag on the resource (or its parent, with `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// A capability of the parent (`at` must be `parent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<String>,
    /// Any held flag but these, effective or blocked only by a `requires`
    /// rule, on the resource or (with `at: children`) on one of its children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_flag_except: Option<Vec<String>>,
    #[serde(default)]
    pub at: At,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum At {
    #[default]
    #[serde(rename = "self")]
    Itself,
    Parent,
    Children,
}

/// A flag on a parent produces `to` on each child of `to_kind`
/// (only while the parent also holds `while_held`, when given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowDef {
    pub from_kind: String,
    pub flag: String,
    pub to_kind: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub while_held: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplicationDef {
    pub kind: String,
    pub flag: String,
    pub implies: Vec<String>,
}

/// `flag` is ineffective unless `partner` is effective on the same resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiresDef {
    pub kind: String,
    pub flag: String,
    pub partner: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeDef {
    pub id: String,
    pub allows: Vec<ScopeAllow>,
}

/// Flags of one kind a scope allows; `"*"` allows all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeAllow {
    pub kind: String,
    pub flags: Vec<String>,
}

const BUILTIN_JSON: &str = include_str!("catalog.json");

impl Catalog {
    /// The built-in catalog of `../shared/spec/permission-model.md`.
    pub fn builtin() -> Compiled {
        // The built-in catalog is checked by the tests; failing here is a build
        // defect. Read without [`parse_json`]'s JSON-path tracking, which is
        // for catalogs of others and weighs in the wasm bundle (docs/performance.md).
        #[allow(clippy::expect_used)]
        serde_json::from_str::<Catalog>(BUILTIN_JSON)
            .ok()
            .and_then(|c| c.compile().ok())
            .expect("the built-in catalog is valid")
    }

    pub fn builtin_json() -> &'static str {
        BUILTIN_JSON
    }

    pub fn from_json(json: &str) -> Result<Catalog, Problems> {
        parse_json(json)
    }

    /// Checks the catalog and compiles it to bit masks.
    pub fn compile(self) -> Result<Compiled, Problems> {
        compile(self)
    }
}

/// The index of a kind in [`Compiled::kinds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KindIdx(pub u16);

impl KindIdx {
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A compiled condition of a capability.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    FlagSelf(FlagSet),
    FlagParent(FlagSet),
    CapParent(u8),
    AnyFlagSelf {
        except: FlagSet,
    },
    /// Per child kind: the flags that do not count.
    AnyFlagChildren {
        except: Vec<(KindIdx, FlagSet)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompiledCap {
    pub id: String,
    pub label: String,
    pub any: Vec<Cond>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompiledFlow {
    pub from: FlagSet,
    pub to: FlagSet,
    pub while_held: FlagSet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompiledKind {
    pub id: String,
    pub label: String,
    pub level: Level,
    pub parent: Option<KindIdx>,
    pub perms: Vec<PermissionDef>,
    /// Every flag of the kind.
    pub all: FlagSet,
    /// Flags whose tier needs at least `analyst`.
    pub analyst_only: FlagSet,
    /// For each flag bit: the flag with everything it implies, transitively.
    pub closure: Vec<FlagSet>,
    /// Flows from the parent kind into this kind.
    pub inflows: Vec<CompiledFlow>,
    /// `(flag, partner)` pairs.
    pub requires: Vec<(FlagSet, FlagSet)>,
    pub caps: Vec<CompiledCap>,
    pub creator_grants: FlagSet,
    /// For each flag bit: the flags it implies directly.
    pub implies: Vec<FlagSet>,
    /// Some capability reads a capability of the parent.
    pub reads_parent_caps: bool,
    /// Some capability looks at the children's flags.
    pub reads_children: bool,
    /// For the data-model kind: the index of its `use` capability (row-level
    /// data access applies to it).
    pub data_model_use_cap: Option<u8>,
}

impl CompiledKind {
    /// The flag `id` of this kind, as a single-flag set.
    pub fn perm_bit(&self, id: &str) -> Option<FlagSet> {
        self.perms
            .iter()
            .position(|p| p.id == id)
            .map(|i| FlagSet::only(i as u32))
    }
    /// The id of the flag with index `bit_index`.
    pub fn perm_id(&self, bit_index: u32) -> &str {
        self.perms
            .get(bit_index as usize)
            .map(|p| p.id.as_str())
            .unwrap_or("?")
    }
    /// The id of a single flag (of a set: its lowest flag).
    pub fn flag_id(&self, flag: FlagSet) -> &str {
        self.perm_id(flag.index())
    }
    pub fn cap_index(&self, id: &str) -> Option<u8> {
        self.caps.iter().position(|c| c.id == id).map(|i| i as u8)
    }
    /// The flags of `bits`, in catalog order.
    pub fn perm_ids(&self, bits: FlagSet) -> impl Iterator<Item = &str> + '_ {
        bits.indexes().map(|i| self.perm_id(i))
    }
    /// Implication closure of a flag set.
    pub fn close(&self, bits: FlagSet) -> FlagSet {
        bits.indexes()
            .fold(bits, |acc, i| acc | self.closure[i as usize])
    }
}

/// A checked catalog, ready for the evaluator.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub source: Catalog,
    pub kinds: Vec<CompiledKind>,
    kind_by_id: FxHashMap<String, KindIdx>,
    /// Per scope id: the flags it allows, per kind index.
    scopes: FxHashMap<String, Vec<FlagSet>>,
}

impl Compiled {
    pub fn kind_idx(&self, id: &str) -> Option<KindIdx> {
        self.kind_by_id.get(id).copied()
    }
    pub fn kind(&self, k: KindIdx) -> &CompiledKind {
        &self.kinds[k.index()]
    }
    /// Flags of kind `k` allowed by a set of scopes (unknown scopes allow nothing).
    pub fn scope_mask(&self, scopes: &[String], k: KindIdx) -> FlagSet {
        scopes
            .iter()
            .filter_map(|s| self.scopes.get(s))
            .map(|masks| masks[k.index()])
            .collect()
    }
    /// Every scope the catalog knows, in no particular order.
    pub fn scope_ids(&self) -> impl Iterator<Item = &str> {
        self.scopes.keys().map(String::as_str)
    }
    pub fn is_known_scope(&self, scope: &str) -> bool {
        self.scopes.contains_key(scope)
    }
}

fn compile(cat: Catalog) -> Result<Compiled, Problems> {
    let mut problems = Problems::default();
    let mut bad = |path: String, msg: String| problems.push(Code::InvalidCatalog, path, msg);
    let mut kind_by_id = FxHashMap::default();
    for (i, k) in cat.kinds.iter().enumerate() {
        if kind_by_id.insert(k.id.clone(), KindIdx(i as u16)).is_some() {
            bad(
                format!("$.kinds[{i}].id"),
                format!("kind `{}` is defined twice", k.id),
            );
        }
        if k.permissions.len() > 32 {
            bad(
                format!("$.kinds[{i}].permissions"),
                "a kind has at most 32 permissions".into(),
            );
        }
        if k.capabilities.len() > 64 {
            bad(
                format!("$.kinds[{i}].capabilities"),
                "a kind has at most 64 capabilities".into(),
            );
        }
    }
    let mut kinds: Vec<CompiledKind> = Vec::with_capacity(cat.kinds.len());
    for (i, k) in cat.kinds.iter().enumerate() {
        let parent = match &k.parent {
            None => None,
            Some(p) => match kind_by_id.get(p) {
                Some(&pi) => Some(pi),
                None => {
                    bad(
                        format!("$.kinds[{i}].parent"),
                        format!("unknown kind `{p}`"),
                    );
                    None
                }
            },
        };
        if (k.level == Level::Service) != parent.is_none() {
            bad(
                format!("$.kinds[{i}].level"),
                format!(
                    "kind `{}`: a service has no parent kind and only a service lacks one",
                    k.id
                ),
            );
        }
        let n = k.permissions.len().min(32);
        let all = FlagSet::first(n as u32);
        let analyst_only = k
            .permissions
            .iter()
            .take(32)
            .enumerate()
            .filter(|(_, p)| p.tier == Tier::Analyst)
            .map(|(b, _)| FlagSet::only(b as u32))
            .collect();
        kinds.push(CompiledKind {
            id: k.id.clone(),
            label: k.label.clone(),
            level: k.level,
            parent,
            perms: k.permissions.iter().take(32).cloned().collect(),
            all,
            analyst_only,
            closure: (0..n as u32).map(FlagSet::only).collect(),
            inflows: Vec::new(),
            requires: Vec::new(),
            caps: Vec::new(),
            creator_grants: FlagSet::NONE,
            implies: vec![FlagSet::NONE; n],
            reads_parent_caps: false,
            reads_children: false,
            data_model_use_cap: None,
        });
    }
    // Kinds form a tree too: each parent chain must reach a service.
    for (i, k) in kinds.iter().enumerate() {
        let mut cur = k.parent;
        let mut steps = 0;
        while let Some(p) = cur {
            steps += 1;
            if steps > kinds.len() {
                bad(
                    format!("$.kinds[{i}].parent"),
                    format!("kind `{}` is its own ancestor", k.id),
                );
                break;
            }
            cur = kinds[p.index()].parent;
        }
    }
    let bit = |kinds: &[CompiledKind], k: KindIdx, flag: &str| kinds[k.index()].perm_bit(flag);

    for (i, imp) in cat.implications.iter().enumerate() {
        let Some(&k) = kind_by_id.get(&imp.kind) else {
            bad(
                format!("$.implications[{i}].kind"),
                format!("unknown kind `{}`", imp.kind),
            );
            continue;
        };
        let Some(from) = bit(&kinds, k, &imp.flag) else {
            bad(
                format!("$.implications[{i}].flag"),
                format!("unknown permission `{}` of `{}`", imp.flag, imp.kind),
            );
            continue;
        };
        for (j, to) in imp.implies.iter().enumerate() {
            match bit(&kinds, k, to) {
                Some(t) => {
                    let kind = &mut kinds[k.index()];
                    kind.closure[from.index() as usize] |= t;
                    kind.implies[from.index() as usize] |= t;
                }
                None => bad(
                    format!("$.implications[{i}].implies[{j}]"),
                    format!("unknown permission `{to}` of `{}`", imp.kind),
                ),
            }
        }
    }
    // Transitive closure of implications (kinds have at most 32 flags).
    for kind in &mut kinds {
        loop {
            let before = kind.closure.clone();
            for b in 0..kind.closure.len() {
                let c = kind.closure[b];
                kind.closure[b] = kind.close(c);
            }
            if before == kind.closure {
                break;
            }
        }
    }
    for (i, f) in cat.flows.iter().enumerate() {
        let (Some(&fk), Some(&tk)) = (kind_by_id.get(&f.from_kind), kind_by_id.get(&f.to_kind))
        else {
            bad(
                format!("$.flows[{i}]"),
                format!("unknown kind `{}` or `{}`", f.from_kind, f.to_kind),
            );
            continue;
        };
        if kinds[tk.index()].parent != Some(fk) {
            bad(
                format!("$.flows[{i}].to_kind"),
                format!("`{}` is not a child kind of `{}`", f.to_kind, f.from_kind),
            );
            continue;
        }
        let from = bit(&kinds, fk, &f.flag);
        let to = bit(&kinds, tk, &f.to);
        let while_held = match &f.while_held {
            None => Some(FlagSet::NONE),
            Some(w) => bit(&kinds, fk, w),
        };
        match (from, to, while_held) {
            (Some(from), Some(to), Some(while_held)) => {
                kinds[tk.index()].inflows.push(CompiledFlow {
                    from,
                    to,
                    while_held,
                })
            }
            _ => bad(
                format!("$.flows[{i}]"),
                "a flow names an unknown permission".into(),
            ),
        }
    }
    for (i, r) in cat.requires.iter().enumerate() {
        let Some(&k) = kind_by_id.get(&r.kind) else {
            bad(
                format!("$.requires[{i}].kind"),
                format!("unknown kind `{}`", r.kind),
            );
            continue;
        };
        match (bit(&kinds, k, &r.flag), bit(&kinds, k, &r.partner)) {
            (Some(f), Some(p)) => kinds[k.index()].requires.push((f, p)),
            _ => bad(
                format!("$.requires[{i}]"),
                "a requires rule names an unknown permission".into(),
            ),
        }
    }
    for (i, k) in cat.kinds.iter().enumerate() {
        let ki = KindIdx(i as u16);
        let mut creator = FlagSet::NONE;
        for (j, g) in k.creator_grants.iter().enumerate() {
            match bit(&kinds, ki, g) {
                Some(b) => creator |= b,
                None => bad(
                    format!("$.kinds[{i}].creator_grants[{j}]"),
                    format!("unknown permission `{g}`"),
                ),
            }
        }
        kinds[i].creator_grants = creator;
        let mut caps = Vec::new();
        for (j, c) in k.capabilities.iter().enumerate() {
            let mut any = Vec::new();
            for (n, cond) in c.any.iter().enumerate() {
                let path = format!("$.kinds[{i}].capabilities[{j}].any[{n}]");
                match compile_condition(&cat, &kinds, ki, cond) {
                    Ok(cc) => any.push(cc),
                    Err(msg) => bad(path, msg),
                }
            }
            caps.push(CompiledCap {
                id: c.id.clone(),
                label: c.label.clone(),
                any,
            });
        }
        kinds[i].reads_parent_caps = caps
            .iter()
            .flat_map(|c| &c.any)
            .any(|c| matches!(c, Cond::CapParent(_)));
        kinds[i].reads_children = caps
            .iter()
            .flat_map(|c| &c.any)
            .any(|c| matches!(c, Cond::AnyFlagChildren { .. }));
        if k.id == super::validate::DATA_MODEL_KIND {
            kinds[i].data_model_use_cap = caps.iter().position(|c| c.id == "use").map(|x| x as u8);
        }
        kinds[i].caps = caps;
    }
    let mut scopes = FxHashMap::default();
    for (i, s) in cat.scopes.iter().enumerate() {
        let mut masks = vec![FlagSet::NONE; kinds.len()];
        for (j, a) in s.allows.iter().enumerate() {
            let Some(&k) = kind_by_id.get(&a.kind) else {
                bad(
                    format!("$.scopes[{i}].allows[{j}].kind"),
                    format!("unknown kind `{}`", a.kind),
                );
                continue;
            };
            for f in &a.flags {
                if f == "*" {
                    masks[k.index()] |= kinds[k.index()].all;
                } else if let Some(b) = bit(&kinds, k, f) {
                    masks[k.index()] |= b;
                } else {
                    bad(
                        format!("$.scopes[{i}].allows[{j}].flags"),
                        format!("unknown permission `{f}` of `{}`", a.kind),
                    );
                }
            }
        }
        scopes.insert(s.id.clone(), masks);
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Compiled {
        source: cat,
        kinds,
        kind_by_id,
        scopes,
    })
}

fn compile_condition(
    cat: &Catalog,
    kinds: &[CompiledKind],
    k: KindIdx,
    c: &Condition,
) -> Result<Cond, String> {
    let kind = &kinds[k.index()];
    let parent = kind.parent.map(|p| &kinds[p.index()]);
    match (&c.flag, &c.capability, &c.any_flag_except, c.at) {
        (Some(f), None, None, At::Itself) => kind.perm_bit(f).map(Cond::FlagSelf).ok_or(format!("unknown permission `{f}`")),
        (Some(f), None, None, At::Parent) => parent
            .and_then(|p| p.perm_bit(f))
            .map(Cond::FlagParent)
            .ok_or(format!("the parent kind has no permission `{f}`")),
        (None, Some(cap), None, At::Parent) => {
            // Capabilities of the parent kind, by position in its definition.
            let pk = kind.parent.ok_or("a service has no parent")?;
            cat.kinds[pk.index()]
                .capabilities
                .iter()
                .position(|x| &x.id == cap)
                .map(|i| Cond::CapParent(i as u8))
                .ok_or(format!("the parent kind has no capability `{cap}`"))
        }
        (None, None, Some(except), At::Itself) => Ok(Cond::AnyFlagSelf { except: mask_of(kind, except) }),
        (None, None, Some(except), At::Children) => Ok(Cond::AnyFlagChildren {
            except: kinds
                .iter()
                .enumerate()
                .filter(|(_, ck)| ck.parent == Some(k))
                .map(|(ci, ck)| (KindIdx(ci as u16), mask_of(ck, except)))
                .collect(),
        }),
        _ => Err("a condition has exactly one of `flag`, `capability`, `any_flag_except`, with a fitting `at`".into()),
    }
}

fn mask_of(kind: &CompiledKind, ids: &[String]) -> FlagSet {
    ids.iter().filter_map(|f| kind.perm_bit(f)).collect()
}
