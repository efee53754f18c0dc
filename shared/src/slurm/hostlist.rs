//! Slurm host lists (`g[1-3,5],c01`): expansion into node names.

/// Expands a Slurm host list into node names, in order. Ranges keep their
/// zero padding (`n[08-10]` → `n08 n09 n10`). An empty string, `(null)` and
/// `None` give no names; a malformed bracket is kept as one literal name.
pub fn expand(list: &str) -> Vec<String> {
    let list = list.trim();
    if list.is_empty() || list == "(null)" || list.eq_ignore_ascii_case("none") {
        return Vec::new();
    }
    split_top_level(list).into_iter().flat_map(expand_one).collect()
}

/// Splits on commas that are not inside brackets.
fn split_top_level(list: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in list.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
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

/// Expands one host expression, which may hold several bracket groups (`r[1-2]n[1-2]`).
fn expand_one(expr: &str) -> Vec<String> {
    let Some(open) = expr.find('[') else { return vec![expr.to_owned()] };
    let Some(close) = expr[open..].find(']').map(|c| c + open) else { return vec![expr.to_owned()] };
    let (prefix, inner, rest) = (&expr[..open], &expr[open + 1..close], &expr[close + 1..]);
    let Some(values) = expand_ranges(inner) else { return vec![expr.to_owned()] };
    let tails = expand_one(rest);
    let mut out = Vec::with_capacity(values.len() * tails.len());
    for v in &values {
        for t in &tails {
            out.push(format!("{prefix}{v}{t}"));
        }
    }
    out
}

/// `1-3,07` → `1 2 3 07`; `None` when a part is not a number or a range.
fn expand_ranges(inner: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for part in inner.split(',') {
        let part = part.trim();
        match part.split_once('-') {
            Some((lo, hi)) => {
                let width = lo.len();
                let (a, b): (u64, u64) = (lo.parse().ok()?, hi.parse().ok()?);
                if b < a || b - a > 100_000 {
                    return None;
                }
                out.extend((a..=b).map(|n| format!("{n:0width$}")));
            }
            None => {
                part.parse::<u64>().ok()?;
                out.push(part.to_owned());
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn host_lists_expand_like_slurm() {
        let cases: [(&str, &[&str]); 7] = [
            ("", &[]),
            ("(null)", &[]),
            ("g1", &["g1"]),
            ("g[1-3]", &["g1", "g2", "g3"]),
            ("g[1-2,4],c1", &["g1", "g2", "g4", "c1"]),
            ("n[08-10]", &["n08", "n09", "n10"]),
            ("r[1-2]n[1-2]", &["r1n1", "r1n2", "r2n1", "r2n2"]),
        ];
        for (input, want) in cases {
            assert_eq!(expand(input), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{input}");
        }
    }

    #[test]
    fn a_malformed_list_is_kept_literally() {
        assert_eq!(expand("g[1-x]"), vec!["g[1-x]".to_owned()]);
        assert_eq!(expand("g[1-2"), vec!["g[1-2".to_owned()]);
    }
}
