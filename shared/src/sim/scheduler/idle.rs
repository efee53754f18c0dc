//! The set of idle nodes as a bitset: constant-time insert and remove, and
//! the lowest-numbered idle nodes first (as a `BTreeSet` would give them).

/// Idle node indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdleSet {
    words: Vec<u64>,
    count: usize,
}

impl IdleSet {
    /// Nodes `0..n`, all idle.
    pub fn full(n: u32) -> IdleSet {
        let n = n as usize;
        let mut words = vec![u64::MAX; n.div_ceil(64)];
        if let Some(last) = words.last_mut() {
            if !n.is_multiple_of(64) {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        IdleSet { words, count: n }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Marks `i` idle; returns whether it was not already.
    pub fn insert(&mut self, i: u32) -> bool {
        let (w, bit) = ((i / 64) as usize, 1u64 << (i % 64));
        let Some(word) = self.words.get_mut(w) else { return false };
        let new = *word & bit == 0;
        *word |= bit;
        self.count += usize::from(new);
        new
    }

    /// Marks `i` not idle; returns whether it was idle.
    pub fn remove(&mut self, i: &u32) -> bool {
        let (w, bit) = ((*i / 64) as usize, 1u64 << (*i % 64));
        let Some(word) = self.words.get_mut(w) else { return false };
        let was = *word & bit != 0;
        *word &= !bit;
        self.count -= usize::from(was);
        was
    }

    /// Takes the `n` lowest-numbered idle nodes (fewer if fewer are idle).
    pub fn take_lowest(&mut self, n: usize) -> Vec<u32> {
        let mut out = Vec::with_capacity(n.min(self.count));
        for (w, word) in self.words.iter_mut().enumerate() {
            while *word != 0 && out.len() < n {
                let bit = word.trailing_zeros();
                *word &= *word - 1;
                out.push(w as u32 * 64 + bit);
            }
            if out.len() == n {
                break;
            }
        }
        self.count -= out.len();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_idle_nodes_are_taken_first() {
        let mut s = IdleSet::full(130);
        assert_eq!(s.len(), 130);
        assert!(s.remove(&1));
        assert!(!s.remove(&1));
        assert_eq!(s.take_lowest(3), vec![0, 2, 3]);
        assert!(s.insert(0));
        assert_eq!(s.take_lowest(200).len(), 127);
        assert!(s.is_empty());
    }
}
