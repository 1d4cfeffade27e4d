//! Capabilities (spec §4): what a principal can actually do, derived from
//! effective flags by the catalog's conditions.

use super::flags::Node;
use super::team::{PrincipalIdx, ResourceIdx, View};
use crate::model::bits::CapSet;
use crate::model::catalog::Cond;

/// Flags and capabilities of a principal on the parent resource, for a child's evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Ctx {
    pub node: Node,
    pub caps: CapSet,
}

impl<'a> View<'a> {
    /// Whether condition `c` holds for `p` on `r`.
    fn cond(
        &self,
        p: PrincipalIdx,
        r: ResourceIdx,
        node: &Node,
        parent: Option<&Ctx>,
        c: &Cond,
    ) -> bool {
        match c {
            Cond::FlagSelf(b) => node.effective.intersects(*b),
            Cond::FlagParent(b) => parent.is_some_and(|x| x.node.effective.intersects(*b)),
            Cond::CapParent(i) => parent.is_some_and(|x| x.caps.has(u32::from(*i))),
            // Held flags count when effective or blocked only by a `requires` rule.
            Cond::AnyFlagSelf { except } => node.allowed.intersects(!*except),
            Cond::AnyFlagChildren { except } => self.team.resource(r).children.iter().any(|&c| {
                let ck = self.team.resource(c).kind;
                except
                    .iter()
                    .find(|(k, _)| *k == ck)
                    .is_some_and(|(_, mask)| self.node(p, c, Some(node)).allowed.intersects(!*mask))
            }),
        }
    }

    /// All capabilities of `p` on `r`, given its flags there and the parent's context.
    pub fn caps(
        &self,
        p: PrincipalIdx,
        r: ResourceIdx,
        node: &Node,
        parent: Option<&Ctx>,
    ) -> CapSet {
        let kind = self.team.kind_of(r);
        kind.caps
            .iter()
            .enumerate()
            .filter(|(_, cap)| cap.any.iter().any(|c| self.cond(p, r, node, parent, c)))
            .map(|(i, _)| CapSet::only(i as u32))
            .collect()
    }

    /// The context (flags + capabilities) of `p` on `r`, given the parent's.
    pub fn ctx(&self, p: PrincipalIdx, r: ResourceIdx, parent: Option<&Ctx>) -> Ctx {
        let node = self.node(p, r, parent.map(|x| &x.node));
        let caps = self.caps(p, r, &node, parent);
        Ctx { node, caps }
    }

    /// Contexts of `p` along `path` (root first). Capabilities are computed
    /// for a resource only where the next one reads them.
    pub fn ctx_along(&self, p: PrincipalIdx, path: &[ResourceIdx]) -> Vec<Ctx> {
        let mut out: Vec<Ctx> = Vec::with_capacity(path.len());
        for (i, &r) in path.iter().enumerate() {
            let parent = out.last();
            let node = self.node(p, r, parent.map(|x| &x.node));
            let needed = i + 1 == path.len() || self.team.kind_of(path[i + 1]).reads_parent_caps;
            let caps = if needed {
                self.caps(p, r, &node, parent)
            } else {
                CapSet::NONE
            };
            out.push(Ctx { node, caps });
        }
        out
    }

    /// One capability check: `p` has capability number `cap` on `r`.
    pub fn can_idx(&self, p: PrincipalIdx, r: ResourceIdx, cap: u8) -> bool {
        let kind = self.team.kind_of(r);
        let Some(def) = kind.caps.get(cap as usize) else {
            return false;
        };
        let mut path = [ResourceIdx(0); 16];
        let mut n = 0;
        let mut cur = Some(r);
        while let Some(x) = cur {
            if n == path.len() {
                // Deeper than any catalog we know: take the general path.
                return self.caps_of(p, r).has(u32::from(cap));
            }
            path[n] = x;
            n += 1;
            cur = self.team.resource(x).parent;
        }
        path[..n].reverse();
        let mut parent: Option<Node> = None;
        for &x in &path[..n - 1] {
            parent = Some(self.node(p, x, parent.as_ref()));
        }
        let node = self.node(p, r, parent.as_ref());
        def.any.iter().any(|c| match c {
            Cond::CapParent(i) => {
                let pr = path[n - 2];
                self.can_idx(p, pr, *i)
            }
            Cond::FlagParent(b) => parent.is_some_and(|x| x.effective.intersects(*b)),
            other => self.cond(p, r, &node, None, other),
        })
    }

    /// All capabilities of `p` on `r`.
    pub fn caps_of(&self, p: PrincipalIdx, r: ResourceIdx) -> CapSet {
        let path = self.team.path_to(r);
        self.ctx_along(p, &path)
            .last()
            .map(|c| c.caps)
            .unwrap_or(CapSet::NONE)
    }

    /// The capability ids of `r`'s kind that `p` has.
    pub fn capability_ids(&self, p: PrincipalIdx, r: ResourceIdx) -> Vec<&'a str> {
        let bits = self.caps_of(p, r);
        self.team
            .kind_of(r)
            .caps
            .iter()
            .enumerate()
            .filter(|(i, _)| bits.has(*i as u32))
            .map(|(_, c)| c.id.as_str())
            .collect()
    }

    /// Calls `f` with the context of `p` on every resource of `r`'s subtree
    /// (tree order), computing each resource once from its parent's context.
    pub fn walk(&self, p: PrincipalIdx, r: ResourceIdx, f: &mut impl FnMut(ResourceIdx, &Ctx)) {
        let path = self.team.path_to(r);
        let ctxs = self.ctx_along(p, &path);
        let top = ctxs[ctxs.len() - 1];
        f(r, &top);
        self.walk_children(p, r, &top, f);
    }

    fn walk_children(
        &self,
        p: PrincipalIdx,
        r: ResourceIdx,
        ctx: &Ctx,
        f: &mut impl FnMut(ResourceIdx, &Ctx),
    ) {
        for &c in &self.team.resource(r).children {
            let cc = self.ctx(p, c, Some(ctx));
            f(c, &cc);
            self.walk_children(p, c, &cc, f);
        }
    }
}
