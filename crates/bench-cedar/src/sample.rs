//! A seeded sample of requests (principal, resource, capability), restricted
//! to the expressed capabilities. Most requests start from a grant (its
//! principal, a member of its group or an API key acting as one; its
//! resource, one below it or its parent) so that both decisions are common;
//! the rest are drawn uniformly from the whole team.

use crate::rules::Rules;
use permissions_core::eval::{PrincipalIdx, ResourceIdx, Team};
use permissions_core::model::validate::PrincipalType;
use std::collections::HashMap;

/// One capability check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Req {
    pub principal: PrincipalIdx,
    pub resource: ResourceIdx,
    pub cap: u8,
}

/// splitmix64: small, seeded, the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len())])
    }
}

/// `n` requests drawn with `seed`.
pub fn requests(team: &Team, rules: &Rules, n: usize, seed: u64) -> Vec<Req> {
    let mut rng = Rng::new(seed);
    let grants = grant_pairs(team);
    let keys = api_keys_by_owner(team);
    let caps: Vec<Vec<u8>> = (0..team.catalog.kinds.len())
        .map(|k| rules.expressed_caps(permissions_core::model::catalog::KindIdx(k as u16)))
        .collect();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let (principal, resource) = match rng.pick(&grants) {
            Some((p, r)) if rng.chance(85) => (
                acting_for(team, &keys, p, &mut rng),
                resource_near(team, r, &mut rng),
            ),
            _ => (
                PrincipalIdx(rng.below(team.principals.len()) as u32),
                ResourceIdx(rng.below(team.resources.len()) as u32),
            ),
        };
        if let Some(cap) = rng.pick(&caps[team.resource(resource).kind.index()]) {
            out.push(Req {
                principal,
                resource,
                cap,
            });
        }
    }
    out
}

fn grant_pairs(team: &Team) -> Vec<(PrincipalIdx, ResourceIdx)> {
    team.snapshot
        .grants
        .iter()
        .filter_map(|g| {
            Some((
                team.principal_idx(&g.principal)?,
                team.resource_idx(&g.resource)?,
            ))
        })
        .collect()
}

fn api_keys_by_owner(team: &Team) -> HashMap<PrincipalIdx, Vec<PrincipalIdx>> {
    let mut out: HashMap<PrincipalIdx, Vec<PrincipalIdx>> = HashMap::new();
    for k in PrincipalIdx::first(team.principals.len()) {
        if let Some(owner) = team.principal(k).owner {
            out.entry(owner).or_default().push(k);
        }
    }
    out
}

/// The grantee itself, or for a group one of its members; a user is
/// sometimes replaced by one of its API keys.
fn acting_for(
    team: &Team,
    keys: &HashMap<PrincipalIdx, Vec<PrincipalIdx>>,
    grantee: PrincipalIdx,
    rng: &mut Rng,
) -> PrincipalIdx {
    let info = team.principal(grantee);
    let mut p = grantee;
    if info.ptype == PrincipalType::Group && rng.chance(75) {
        p = rng.pick(&info.related).unwrap_or(grantee);
    }
    if let Some(k) = keys.get(&p).and_then(|ks| rng.pick(ks)) {
        if rng.chance(30) {
            p = k;
        }
    }
    p
}

/// `r`, one of the resources up to two levels below it, or its parent.
fn resource_near(team: &Team, r: ResourceIdx, rng: &mut Rng) -> ResourceIdx {
    if rng.chance(15) {
        return team.resource(r).parent.unwrap_or(r);
    }
    let mut at = r;
    for _ in 0..rng.below(3) {
        match rng.pick(&team.resource(at).children) {
            Some(c) => at = c,
            None => break,
        }
    }
    at
}
