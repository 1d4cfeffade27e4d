//! Bit sets the evaluator works on: [`FlagSet`] (flags of one kind, bit `i` =
//! the kind's `i`-th permission) and [`CapSet`] (capabilities of one kind, bit
//! `i` = its `i`-th capability). Newtypes, so a flag set is never taken for a
//! capability set or a count.

use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, BitXor, Not};

macro_rules! bit_set {
    ($(#[$doc:meta])* $name:ident, $bits:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $bits);

        impl $name {
            pub const NONE: $name = $name(0);

            /// The set holding only the `index`-th member.
            pub fn only(index: u32) -> $name {
                $name(1 << index)
            }
            /// The set of the first `len` members.
            pub fn first(len: u32) -> $name {
                $name(if len >= <$bits>::BITS { <$bits>::MAX } else { (1 << len) - 1 })
            }
            pub fn is_empty(self) -> bool {
                self.0 == 0
            }
            /// Whether the two sets share a member.
            pub fn intersects(self, other: $name) -> bool {
                self.0 & other.0 != 0
            }
            /// Whether every member of `other` is in this set.
            pub fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }
            pub fn has(self, index: u32) -> bool {
                self.0 & (1 << index) != 0
            }
            /// The index of the lowest member (of a single-member set: its index).
            pub fn index(self) -> u32 {
                self.0.trailing_zeros()
            }
            pub fn len(self) -> u32 {
                self.0.count_ones()
            }
            /// The members' indexes, lowest first.
            pub fn indexes(self) -> impl Iterator<Item = u32> {
                let mut rest = self.0;
                std::iter::from_fn(move || {
                    (rest != 0).then(|| {
                        let i = rest.trailing_zeros();
                        rest &= rest - 1;
                        i
                    })
                })
            }
            /// The members as single-member sets, lowest first.
            pub fn singles(self) -> impl Iterator<Item = $name> {
                self.indexes().map($name::only)
            }
        }

        impl BitOr for $name {
            type Output = $name;
            fn bitor(self, other: $name) -> $name {
                $name(self.0 | other.0)
            }
        }
        impl BitAnd for $name {
            type Output = $name;
            fn bitand(self, other: $name) -> $name {
                $name(self.0 & other.0)
            }
        }
        impl BitXor for $name {
            type Output = $name;
            fn bitxor(self, other: $name) -> $name {
                $name(self.0 ^ other.0)
            }
        }
        impl Not for $name {
            type Output = $name;
            fn not(self) -> $name {
                $name(!self.0)
            }
        }
        impl BitOrAssign for $name {
            fn bitor_assign(&mut self, other: $name) {
                self.0 |= other.0;
            }
        }
        impl BitAndAssign for $name {
            fn bitand_assign(&mut self, other: $name) {
                self.0 &= other.0;
            }
        }
        impl std::iter::FromIterator<$name> for $name {
            fn from_iter<I: IntoIterator<Item = $name>>(sets: I) -> $name {
                sets.into_iter().fold($name::NONE, |acc, s| acc | s)
            }
        }
    };
}

bit_set!(
    /// Flags of one resource kind: bit `i` = the kind's `i`-th permission.
    FlagSet,
    u32
);
bit_set!(
    /// Capabilities of one resource kind: bit `i` = the kind's `i`-th capability.
    CapSet,
    u64
);

#[cfg(test)]
mod tests {
    use super::FlagSet;

    #[test]
    fn members_and_set_operations() {
        let set = FlagSet::only(0) | FlagSet::only(3);
        assert_eq!(set.indexes().collect::<Vec<_>>(), vec![0, 3]);
        assert!(set.has(3) && !set.has(1));
        assert!(set.contains(FlagSet::only(3)) && !set.contains(FlagSet::first(2)));
        assert!(set.intersects(FlagSet::first(1)));
        assert_eq!((set & !FlagSet::only(0)).index(), 3);
        assert_eq!(FlagSet::first(32), FlagSet(u32::MAX));
        assert_eq!(set.singles().collect::<FlagSet>(), set);
        assert!(FlagSet::NONE.is_empty() && FlagSet::NONE.indexes().next().is_none());
    }
}
