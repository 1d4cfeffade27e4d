//! A team as Cedar entities and policies, in one of two [`Encoding`]s.
//!
//! - Resources: one entity type per kind (`data-pool` → `DataPool`), the
//!   parent resource as the entity parent.
//! - Principals: `User` (parents: its groups; `tier`: its effective role),
//!   `Group` (`tier`: its own role), `Application`, `ApiKey` (parent: its
//!   owner, `tier`: the owner's), `OAuthClient` (`scopes`). `tier` is 0
//!   member, 1 analyst, 2 admin.
//! - Actions: one per capability, `Action::"<kind>/<capability>"`, member of
//!   the groups `Action::"flag <kind>/<flag>"` of the flags it reads.
//! - Policies: admins may do everything; then, by [`Encoding`], either one
//!   permit per grant or one permit per catalog flag with the grants as data.

use crate::rules::{Reading, Rules};
use cedar_policy::{
    Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicySet, RestrictedExpression,
};
use permissions_core::eval::{PrincipalIdx, ResourceIdx, Team};
use permissions_core::model::catalog::KindIdx;
use permissions_core::model::validate::PrincipalType;
use permissions_core::model::{FlagSet, Role};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::str::FromStr;

/// How grants reach Cedar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Per grant, a permit for the flags it makes held on the resource and
    /// below (implications and flows, from the catalog), one per condition
    /// (tier `analyst`; for OAuth clients the scopes that allow the flag),
    /// and per grant on a package a permit for its space's `see`. Cedar
    /// evaluates every policy on every request: the cost grows with the
    /// number of grants.
    PermitPerGrant,
    /// Grants as entity data: the grantees of flag F on resource R are the
    /// members of `Holders::"R/F"`; each resource names the holder sets of
    /// itself and its ancestors in attributes `"<kind>/<flag>"` (a space
    /// also `"children <kind>/<flag>"`, the sets of its packages). Policies
    /// are fixed by the catalog: per granted flag, per condition, a permit
    /// `principal in resource["<kind>/<flag>"]` for what it makes held.
    GrantsAsData,
}

impl Encoding {
    pub fn named(name: &str) -> Option<Encoding> {
        match name {
            "per-grant" => Some(Encoding::PermitPerGrant),
            "grants-as-data" => Some(Encoding::GrantsAsData),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Encoding::PermitPerGrant => "per-grant",
            Encoding::GrantsAsData => "grants-as-data",
        }
    }
}

/// The team in Cedar, with the uids of its principals, resources and actions.
pub struct Translation {
    pub entities: Entities,
    pub policies: PolicySet,
    pub entity_count: usize,
    pub policy_count: usize,
    pub principal_uids: Vec<EntityUid>,
    pub resource_uids: Vec<EntityUid>,
    /// Per kind, per capability.
    pub action_uids: Vec<Vec<EntityUid>>,
}

impl Translation {
    pub fn action_uid(&self, team: &Team, r: ResourceIdx, cap: u8) -> &EntityUid {
        &self.action_uids[team.resource(r).kind.index()][cap as usize]
    }
}

/// Translates `team`; fails on a grant whose effect Cedar cannot state here.
pub fn translate(team: &Team, rules: &Rules, encoding: Encoding) -> Result<Translation, String> {
    let holders = match encoding {
        Encoding::PermitPerGrant => Holders::default(),
        Encoding::GrantsAsData => holder_sets(team, rules)?,
    };
    let principal_uids: Vec<EntityUid> = PrincipalIdx::first(team.principals.len())
        .map(|p| principal_uid(team, p))
        .collect::<Result<_, _>>()?;
    let resource_uids: Vec<EntityUid> = ResourceIdx::first(team.resources.len())
        .map(|r| resource_uid(team, r))
        .collect::<Result<_, _>>()?;
    let action_uids = action_uids(rules)?;
    let mut entities = principal_entities(team, &principal_uids, &holders)?;
    entities.extend(resource_entities(team, rules, &resource_uids, &holders)?);
    entities.extend(action_entities(rules, &action_uids)?);
    entities.extend(holder_entities(team, &holders)?);
    let entity_count = entities.len();
    let entities = Entities::from_entities(entities, None).map_err(|e| e.to_string())?;
    let text = match encoding {
        Encoding::PermitPerGrant => policy_text(team, rules)?,
        Encoding::GrantsAsData => flag_policy_text(rules),
    };
    let policies = PolicySet::from_str(&text).map_err(|e| e.to_string())?;
    Ok(Translation {
        entities,
        policy_count: policies.num_of_policies(),
        policies,
        entity_count,
        principal_uids,
        resource_uids,
        action_uids,
    })
}

/// `data-pool` → `DataPool`.
pub fn type_name(kind_id: &str) -> String {
    kind_id
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn principal_type_name(t: PrincipalType) -> &'static str {
    match t {
        PrincipalType::User => "User",
        PrincipalType::Group => "Group",
        PrincipalType::Application => "Application",
        PrincipalType::ApiKey => "ApiKey",
        PrincipalType::OAuthClient => "OAuthClient",
    }
}

fn uid(type_name: &str, id: &str) -> Result<EntityUid, String> {
    let t = EntityTypeName::from_str(type_name).map_err(|e| e.to_string())?;
    Ok(EntityUid::from_type_name_and_id(t, EntityId::new(id)))
}

fn principal_uid(team: &Team, p: PrincipalIdx) -> Result<EntityUid, String> {
    let info = team.principal(p);
    uid(principal_type_name(info.ptype), &info.id)
}

fn resource_uid(team: &Team, r: ResourceIdx) -> Result<EntityUid, String> {
    uid(&type_name(&team.kind_of(r).id), &team.resource(r).id)
}

fn action_uids(rules: &Rules) -> Result<Vec<Vec<EntityUid>>, String> {
    (0..rules.catalog.kinds.len())
        .map(|k| {
            let kind = KindIdx(k as u16);
            (0..rules.catalog.kind(kind).caps.len() as u8)
                .map(|c| uid("Action", &rules.cap_action_id(kind, c)))
                .collect()
        })
        .collect()
}

fn tier(role: Role) -> i64 {
    match role {
        Role::Member => 0,
        Role::Analyst => 1,
        Role::Admin => 2,
    }
}

fn principal_entities(
    team: &Team,
    uids: &[EntityUid],
    holders: &Holders,
) -> Result<Vec<Entity>, String> {
    let mut holder_sets_of: HashMap<PrincipalIdx, Vec<EntityUid>> = HashMap::new();
    for (&(r, flag), grantees) in &holders.sets {
        let set = holder_uid(team, r, flag)?;
        for &p in grantees {
            holder_sets_of.entry(p).or_default().push(set.clone());
        }
    }
    let oauth_scopes: HashMap<&str, &Vec<String>> = team
        .snapshot
        .directory
        .oauth_clients
        .iter()
        .map(|o| (o.id.as_str(), &o.scopes))
        .collect();
    PrincipalIdx::first(team.principals.len())
        .map(|p| {
            let info = team.principal(p);
            let mut attrs = HashMap::from([(
                "tier".to_string(),
                RestrictedExpression::new_long(tier(info.role)),
            )]);
            if let Some(scopes) = oauth_scopes.get(info.id.as_str()) {
                let set = scopes
                    .iter()
                    .map(|s| RestrictedExpression::new_string(s.clone()));
                attrs.insert("scopes".into(), RestrictedExpression::new_set(set));
            }
            let mut parents: HashSet<EntityUid> = match info.ptype {
                PrincipalType::User => info
                    .related
                    .iter()
                    .map(|g| uids[g.index()].clone())
                    .collect(),
                PrincipalType::ApiKey => {
                    info.owner.iter().map(|o| uids[o.index()].clone()).collect()
                }
                _ => HashSet::new(),
            };
            parents.extend(holder_sets_of.get(&p).into_iter().flatten().cloned());
            Entity::new(uids[p.index()].clone(), attrs, parents).map_err(|e| e.to_string())
        })
        .collect()
}

fn resource_entities(
    team: &Team,
    rules: &Rules,
    uids: &[EntityUid],
    holders: &Holders,
) -> Result<Vec<Entity>, String> {
    ResourceIdx::first(team.resources.len())
        .map(|r| {
            let parents = team
                .resource(r)
                .parent
                .iter()
                .map(|p| uids[p.index()].clone())
                .collect();
            let attrs = holder_attrs(team, rules, r, holders)?;
            Entity::new(uids[r.index()].clone(), attrs, parents).map_err(|e| e.to_string())
        })
        .collect()
}

/// Flags granted per (resource, flag bit), with their grantees
/// ([`Encoding::GrantsAsData`]).
#[derive(Default)]
pub struct Holders {
    pub sets: BTreeMap<(ResourceIdx, u32), Vec<PrincipalIdx>>,
}

fn holder_sets(team: &Team, rules: &Rules) -> Result<Holders, String> {
    let mut out = Holders::default();
    for grant in &team.snapshot.grants {
        let (p, r, flags) = granted(team, rules, grant)?;
        principal_scope(team, p)?;
        for flag in flags.indexes() {
            out.sets.entry((r, flag)).or_default().push(p);
        }
    }
    Ok(out)
}

/// `Holders::"<resource id>/<flag>"`.
fn holder_uid(team: &Team, r: ResourceIdx, flag: u32) -> Result<EntityUid, String> {
    let id = format!("{}/{}", team.resource(r).id, team.kind_of(r).perm_id(flag));
    uid("Holders", &id)
}

/// `"<kind>/<flag>"` for the holder set of flag `flag` on an ancestor (or
/// self) of kind `kind`.
fn holder_attr(rules: &Rules, kind: KindIdx, flag: u32) -> String {
    let k = rules.catalog.kind(kind);
    format!("{}/{}", k.id, k.perm_id(flag))
}

/// `"children <kind>/<flag>"` for the holder sets of a counted flag on the children.
fn children_attr(rules: &Rules, r: Reading) -> String {
    format!("children {}", holder_attr(rules, r.kind, r.flag))
}

fn holder_entities(team: &Team, holders: &Holders) -> Result<Vec<Entity>, String> {
    holders
        .sets
        .keys()
        .map(|&(r, flag)| {
            Ok(Entity::new_no_attrs(
                holder_uid(team, r, flag)?,
                HashSet::new(),
            ))
        })
        .collect()
}

/// The holder sets `r` names: its own and its ancestors' by `"<kind>/<flag>"`,
/// and its children's that a capability of `r` counts.
fn holder_attrs(
    team: &Team,
    rules: &Rules,
    r: ResourceIdx,
    holders: &Holders,
) -> Result<HashMap<String, RestrictedExpression>, String> {
    let mut attrs = HashMap::new();
    if holders.sets.is_empty() {
        return Ok(attrs);
    }
    for a in team.path_to(r) {
        let kind = team.resource(a).kind;
        for (&(_, flag), _) in holders.sets.range((a, 0)..=(a, u32::MAX)) {
            let set = RestrictedExpression::new_entity_uid(holder_uid(team, a, flag)?);
            attrs.insert(holder_attr(rules, kind, flag), set);
        }
    }
    let mut children: BTreeMap<String, Vec<RestrictedExpression>> = BTreeMap::new();
    for &c in &team.resource(r).children {
        let kind = team.resource(c).kind;
        for reader in &rules.child_readers[kind.index()] {
            for (&(_, flag), _) in holders.sets.range((c, 0)..=(c, u32::MAX)) {
                let held = rules.catalog.kind(kind).close(FlagSet::only(flag));
                for counted in (held & reader.counted).indexes() {
                    let set = RestrictedExpression::new_entity_uid(holder_uid(team, c, flag)?);
                    let name = children_attr(
                        rules,
                        Reading {
                            kind,
                            flag: counted,
                        },
                    );
                    children.entry(name).or_default().push(set);
                }
            }
        }
    }
    for (name, sets) in children {
        attrs.insert(name, RestrictedExpression::new_set(sets));
    }
    Ok(attrs)
}

/// The policies of [`Encoding::GrantsAsData`]: fixed by the catalog.
fn flag_policy_text(rules: &Rules) -> String {
    let mut out =
        String::from("permit (principal, action, resource) when { principal.tier == 2 };\n");
    let read: HashSet<Reading> = rules.read_flags().into_iter().collect();
    for (k, kind) in rules.catalog.kinds.iter().enumerate() {
        let kind_idx = KindIdx(k as u16);
        for flag in kind.all.indexes() {
            let held: Vec<Reading> = rules
                .held_below(kind_idx, FlagSet::only(flag))
                .into_iter()
                .flat_map(|(kind, bits)| bits.indexes().map(move |flag| Reading { kind, flag }))
                .filter(|r| read.contains(r))
                .collect();
            let attr = holder_attr(rules, kind_idx, flag);
            let holds = format!("resource has {attr:?} && principal in resource[{attr:?}]");
            for oauth in [false, true] {
                for (when, readings) in by_condition(rules, &held, oauth) {
                    let _ = writeln!(
                        out,
                        "permit ({}, action in [{}], resource){};",
                        who_by_type(oauth),
                        action_groups(rules, &readings),
                        and_also(&when, &holds, oauth)
                    );
                }
            }
        }
        // Capabilities of the parent kind that count this kind's flags.
        let Some(parent) = kind.parent else { continue };
        for reader in &rules.child_readers[k] {
            if !rules.is_expressed(parent, reader.parent_cap) {
                continue;
            }
            let action = format!(
                "Action::{:?}",
                rules.cap_action_id(parent, reader.parent_cap)
            );
            for flag in reader.counted.indexes() {
                let r = Reading {
                    kind: kind_idx,
                    flag,
                };
                let attr = children_attr(rules, r);
                let holds = format!("resource has {attr:?} && principal in resource[{attr:?}]");
                for oauth in [false, true] {
                    for (when, _) in by_condition(rules, &[r], oauth) {
                        let _ = writeln!(
                            out,
                            "permit ({}, action == {action}, resource){};",
                            who_by_type(oauth),
                            and_also(&when, &holds, oauth)
                        );
                    }
                }
            }
        }
    }
    out
}

/// The principal scope of a flag permit: OAuth clients apart (their scopes narrow).
fn who_by_type(oauth: bool) -> &'static str {
    if oauth {
        "principal is OAuthClient"
    } else {
        "principal"
    }
}

/// `when` (from [`by_condition`]) joined with the holder test.
fn and_also(when: &str, holds: &str, oauth: bool) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let inner = when
        .trim()
        .strip_prefix("when {")
        .and_then(|w| w.strip_suffix('}'))
        .map(str::trim)
        .unwrap_or("");
    if !inner.is_empty() {
        parts.push(inner);
    }
    if !oauth {
        parts.push("!(principal is OAuthClient)");
    }
    parts.push(holds);
    format!(" when {{ {} }}", parts.join(" && "))
}

/// Capability actions, each in the flag groups of the flags it reads, and the groups.
fn action_entities(rules: &Rules, uids: &[Vec<EntityUid>]) -> Result<Vec<Entity>, String> {
    let mut out = Vec::new();
    for reading in rules.read_flags() {
        out.push(Entity::new_no_attrs(
            uid("Action", &rules.flag_group_id(reading))?,
            HashSet::new(),
        ));
    }
    for (k, caps) in rules.readings.iter().enumerate() {
        for (c, readings) in caps.iter().enumerate() {
            let groups = readings
                .iter()
                .flatten()
                .map(|&r| uid("Action", &rules.flag_group_id(r)))
                .collect::<Result<HashSet<_>, _>>()?;
            out.push(Entity::new_no_attrs(uids[k][c].clone(), groups));
        }
    }
    Ok(out)
}

/// Every policy, as Cedar text.
fn policy_text(team: &Team, rules: &Rules) -> Result<String, String> {
    let mut out =
        String::from("permit (principal, action, resource) when { principal.tier == 2 };\n");
    let read: HashSet<Reading> = rules.read_flags().into_iter().collect();
    for grant in &team.snapshot.grants {
        let (p, r, flags) = granted(team, rules, grant)?;
        let kind = team.resource(r).kind;
        let who = principal_scope(team, p)?;
        let oauth = team.principal(p).ptype == PrincipalType::OAuthClient;
        let held: Vec<Reading> = rules
            .held_below(kind, flags)
            .into_iter()
            .flat_map(|(kind, bits)| bits.indexes().map(move |flag| Reading { kind, flag }))
            .filter(|r| read.contains(r))
            .collect();
        let here = format!("resource in {}", resource_uid(team, r)?);
        for (when, readings) in by_condition(rules, &held, oauth) {
            let _ = writeln!(
                out,
                "permit ({who}, action in [{}], {here}){when};",
                action_groups(rules, &readings)
            );
        }
        see_from_child(team, rules, (p, r), flags, &mut out)?;
    }
    Ok(out)
}

/// The action groups of the flags read, as a Cedar list's items.
fn action_groups(rules: &Rules, readings: &[Reading]) -> String {
    readings
        .iter()
        .map(|&r| format!("Action::{:?}", rules.flag_group_id(r)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A grant's principal, resource and flags; fails on a flag whose flow
/// needs a partner flag (not expressed).
fn granted(
    team: &Team,
    rules: &Rules,
    grant: &permissions_core::model::Grant,
) -> Result<(PrincipalIdx, ResourceIdx, FlagSet), String> {
    let p = team
        .find_principal(&grant.principal)
        .map_err(|e| e.to_string())?;
    let r = team
        .find_resource(&grant.resource)
        .map_err(|e| e.to_string())?;
    let kind = team.resource(r).kind;
    let k = rules.catalog.kind(kind);
    let flags: FlagSet = grant
        .permissions
        .iter()
        .filter_map(|f| k.perm_bit(f))
        .collect();
    if flags.intersects(rules.conditional_flow_sources(kind)) {
        return Err(format!(
            "{} has {:?} on {}: a flow that needs a partner flag is not expressed",
            grant.principal, grant.permissions, grant.resource
        ));
    }
    Ok((p, r, flags))
}

/// Permits of capabilities of the parent that look at its children's flags
/// (a space's `see` for flags held on one of its packages).
fn see_from_child(
    team: &Team,
    rules: &Rules,
    (p, r): (PrincipalIdx, ResourceIdx),
    flags: FlagSet,
    out: &mut String,
) -> Result<(), String> {
    let Some(parent) = team.resource(r).parent else {
        return Ok(());
    };
    let kind = team.resource(r).kind;
    let held = rules.catalog.kind(kind).close(flags);
    let who = principal_scope(team, p)?;
    let oauth = team.principal(p).ptype == PrincipalType::OAuthClient;
    let pkind = team.resource(parent).kind;
    for reader in &rules.child_readers[kind.index()] {
        if !rules.is_expressed(pkind, reader.parent_cap) {
            continue;
        }
        let counted: Vec<Reading> = (held & reader.counted)
            .indexes()
            .map(|flag| Reading { kind, flag })
            .collect();
        let action = format!(
            "Action::{:?}",
            rules.cap_action_id(pkind, reader.parent_cap)
        );
        let there = format!("resource == {}", resource_uid(team, parent)?);
        for (when, _) in by_condition(rules, &counted, oauth) {
            let _ = writeln!(out, "permit ({who}, action == {action}, {there}){when};");
        }
    }
    Ok(())
}

/// Who a grant to `p` covers: a user with its API keys, a group with its
/// members (and their keys), or exactly an application or OAuth client.
fn principal_scope(team: &Team, p: PrincipalIdx) -> Result<String, String> {
    let info = team.principal(p);
    let uid = principal_uid(team, p)?;
    match info.ptype {
        PrincipalType::User | PrincipalType::Group => Ok(format!("principal in {uid}")),
        PrincipalType::Application | PrincipalType::OAuthClient => {
            Ok(format!("principal == {uid}"))
        }
        PrincipalType::ApiKey => Err(format!("a grant to the API key {}", info.id)),
    }
}

/// The flags grouped by the condition under which they are effective: the
/// `analyst` tier, and for OAuth clients the scopes that allow them (a flag
/// no scope allows is left out: it is never effective for a client).
fn by_condition(rules: &Rules, flags: &[Reading], oauth: bool) -> BTreeMap<String, Vec<Reading>> {
    let mut out: BTreeMap<String, Vec<Reading>> = BTreeMap::new();
    for &r in flags {
        let mut parts = Vec::new();
        if rules.is_analyst_only(r) {
            parts.push("principal.tier >= 1".to_string());
        }
        if oauth {
            let scopes = rules.scopes_allowing(r);
            if scopes.is_empty() {
                continue;
            }
            parts.push(format!("principal.scopes.containsAny({scopes:?})"));
        }
        let when = if parts.is_empty() {
            String::new()
        } else {
            format!(" when {{ {} }}", parts.join(" && "))
        };
        out.entry(when).or_default().push(r);
    }
    out
}
