//! Slurm host lists (`g[1-3,5],c01`): expansion into node names, bounded.
//!
//! A host list comes from the cluster, but a malformed or hostile one such as
//! `gpu[0-999999999]` or `a[1-99999]b[1-99999]` would otherwise expand into
//! billions of names. Every expansion therefore draws from a [`Budget`] of
//! names and bytes; running out is a [`HostListError`], never a partial list.

/// Most node names one Slurm answer may expand into (the largest clusters
/// have tens of thousands of nodes).
pub const MAX_HOSTS: usize = 1_000_000;

/// Most bytes of node names one Slurm answer may expand into.
pub const MAX_HOST_BYTES: usize = 64 * 1024 * 1024;

/// Bracket groups one host expression may hold (`r[1-2]n[1-2]` has two);
/// more is malformed and kept literally (and expansion recursion stays shallow).
const MAX_GROUPS: usize = 8;

/// A host list would expand beyond its budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("host list expands to more than {max_hosts} names or {max_bytes} bytes")]
pub struct HostListError {
    pub max_hosts: usize,
    pub max_bytes: usize,
}

/// What is left to expand: names and bytes. One budget is shared by every
/// host list of one answer, so the whole answer's expansion is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    hosts: usize,
    bytes: usize,
    max_hosts: usize,
    max_bytes: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(MAX_HOSTS, MAX_HOST_BYTES)
    }
}

impl Budget {
    /// A budget of `hosts` names and `bytes` bytes.
    pub fn new(hosts: usize, bytes: usize) -> Budget {
        Budget { hosts, bytes, max_hosts: hosts, max_bytes: bytes }
    }

    fn error(&self) -> HostListError {
        HostListError { max_hosts: self.max_hosts, max_bytes: self.max_bytes }
    }

    /// Takes one name of `len` bytes from the budget.
    fn take(&mut self, len: usize) -> Result<(), HostListError> {
        match (self.hosts.checked_sub(1), self.bytes.checked_sub(len)) {
            (Some(h), Some(b)) => {
                self.hosts = h;
                self.bytes = b;
                Ok(())
            }
            _ => Err(self.error()),
        }
    }

    /// Checks that `n` more names of at least `len` bytes each could fit
    /// (before building them), so a huge range fails at once.
    fn could_take(&self, n: u128, len: usize) -> Result<(), HostListError> {
        let bytes = n.saturating_mul(len as u128);
        if n > self.hosts as u128 || bytes > self.bytes as u128 {
            return Err(self.error());
        }
        Ok(())
    }
}

/// Expands a Slurm host list into node names, in order, within the default
/// budget ([`MAX_HOSTS`] names, [`MAX_HOST_BYTES`] bytes). See [`expand_within`].
pub fn expand(list: &str) -> Result<Vec<String>, HostListError> {
    expand_within(list, &mut Budget::default())
}

/// Expands a Slurm host list into node names, in order, taking them from
/// `budget`. Ranges keep their zero padding (`n[08-10]` → `n08 n09 n10`). An
/// empty string, `(null)` and `None` give no names; a malformed bracket is
/// kept as one literal name. More names than the budget holds is an error.
pub fn expand_within(list: &str, budget: &mut Budget) -> Result<Vec<String>, HostListError> {
    let list = list.trim();
    if list.is_empty() || list == "(null)" || list.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for expr in split_top_level(list) {
        expand_one(expr, "", budget, &mut out)?;
    }
    Ok(out)
}

/// Splits on commas that are not inside brackets.
fn split_top_level(list: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i64, 0usize);
    for (i, c) in list.char_indices() {
        match c {
            '[' => depth = depth.saturating_add(1),
            ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&list[start..]);
    out.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// Expands one host expression, which may hold several bracket groups
/// (`r[1-2]n[1-2]`), appending `done` + each name to `out`.
fn expand_one(expr: &str, done: &str, budget: &mut Budget, out: &mut Vec<String>) -> Result<(), HostListError> {
    let literal = |budget: &mut Budget, out: &mut Vec<String>| -> Result<(), HostListError> {
        let name = format!("{done}{expr}");
        budget.take(name.len())?;
        out.push(name);
        Ok(())
    };
    if done.is_empty() && expr.matches('[').count() > MAX_GROUPS {
        return literal(budget, out);
    }
    let Some(open) = expr.find('[') else { return literal(budget, out) };
    let Some(close) = expr[open..].find(']').map(|c| c + open) else { return literal(budget, out) };
    let (prefix, inner, rest) = (&expr[..open], &expr[open + 1..close], &expr[close + 1..]);
    let Some(ranges) = ranges(inner) else { return literal(budget, out) };
    let count: u128 = ranges.iter().map(|r| u128::from(r.hi - r.lo) + 1).fold(0, u128::saturating_add);
    budget.could_take(count, done.len() + prefix.len() + 1)?;
    for r in ranges {
        for n in r.lo..=r.hi {
            let head = format!("{done}{prefix}{n:0width$}", width = r.width);
            expand_one(rest, &head, budget, out)?;
        }
    }
    Ok(())
}

/// One `lo-hi` (or single number) of a bracket, with its zero padding.
struct Range {
    lo: u64,
    hi: u64,
    width: usize,
}

/// `1-3,07` → ranges; `None` when a part is not a number or a range.
fn ranges(inner: &str) -> Option<Vec<Range>> {
    inner
        .split(',')
        .map(|part| {
            let part = part.trim();
            match part.split_once('-') {
                Some((lo, hi)) => {
                    let (a, b): (u64, u64) = (lo.parse().ok()?, hi.parse().ok()?);
                    // Slurm pads to the width of the lower bound; an absurd width is malformed.
                    (a <= b && lo.len() <= 20).then_some(Range { lo: a, hi: b, width: lo.len() })
                }
                None => {
                    let n: u64 = part.parse().ok()?;
                    (part.len() <= 20).then_some(Range { lo: n, hi: n, width: part.len() })
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_lists_expand_like_slurm() {
        let cases: [(&str, &[&str]); 8] = [
            ("", &[]),
            ("(null)", &[]),
            ("g1", &["g1"]),
            ("g[1-3]", &["g1", "g2", "g3"]),
            ("g[1-2,4],c1", &["g1", "g2", "g4", "c1"]),
            ("n[08-10]", &["n08", "n09", "n10"]),
            ("r[1-2]n[1-2]", &["r1n1", "r1n2", "r2n1", "r2n2"]),
            ("n[007]", &["n007"]),
        ];
        for (input, want) in cases {
            assert_eq!(expand(input).unwrap(), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{input}");
        }
    }

    #[test]
    fn a_malformed_list_is_kept_literally() {
        assert_eq!(expand("g[1-x]").unwrap(), vec!["g[1-x]".to_owned()]);
        assert_eq!(expand("g[1-2").unwrap(), vec!["g[1-2".to_owned()]);
        assert_eq!(expand("g[3-1]").unwrap(), vec!["g[3-1]".to_owned()]);
        let deep = "a[1]".repeat(10_000);
        assert_eq!(expand(&deep).unwrap(), vec![deep.clone()], "too many groups: literal, no deep recursion");
    }

    #[test]
    fn a_huge_host_list_is_an_error_not_billions_of_names() {
        let err = expand("gpu[0-999999999]").unwrap_err();
        assert_eq!(err, HostListError { max_hosts: MAX_HOSTS, max_bytes: MAX_HOST_BYTES });
        assert!(expand("gpu[0-18446744073709551615]").is_err());
        assert!(expand("a[1-99999]b[1-99999]").is_err(), "nested groups multiply");
        let many = ["g[1-600000]"; 2].join(",");
        assert!(expand(&many).is_err(), "the budget covers the whole list");
        let mut small = Budget::new(5, 1_000);
        assert_eq!(expand_within("g[1-3]", &mut small).unwrap().len(), 3);
        assert!(expand_within("g[1-3]", &mut small).is_err(), "one budget spans several lists");
        let mut bytes = Budget::new(100, 10);
        assert!(expand_within("longname[1-3]", &mut bytes).is_err(), "bytes are bounded too");
    }
}
