//! GPU counts from Slurm's GRES strings: a node's `gres` / `gres_used`
//! (`gpu:a100:8(S:0-1)`, `gpu:a100:4(IDX:0-3)`, `gpu:2`), a job's
//! `tres_per_node` / `tres_per_job` (`gres:gpu:a100:8`, `gres/gpu=4`) and
//! `gres_detail`. Slurm 22.05 without accounting puts no GPUs in TRES, so
//! these strings are the only source of GPU counts.

/// GPUs of one type in one GRES string; `model` is Slurm's type (`a100`), `None` when untyped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpuEntry {
    pub model: Option<String>,
    pub count: u32,
}

/// Every `gpu` entry of a comma-separated GRES or TRES string (other GRES such
/// as `mps` or `shard` are ignored). Accepts `gpu:…`, `gres:gpu:…`, `gres/gpu:…`
/// and `gres/gpu=N`; a `(…)` suffix (sockets, indices) is dropped.
pub fn gpu_entries(gres: &str) -> Vec<GpuEntry> {
    split_top_level(gres).into_iter().filter_map(parse_entry).collect()
}

/// Total GPUs in a GRES or TRES string.
pub fn gpu_count(gres: &str) -> u32 {
    gpu_entries(gres).iter().map(|e| e.count).fold(0, u32::saturating_add)
}

fn parse_entry(entry: &str) -> Option<GpuEntry> {
    let entry = entry.split('(').next().unwrap_or_default().trim();
    let entry = entry.strip_prefix("gres:").or_else(|| entry.strip_prefix("gres/")).unwrap_or(entry);
    // `gpu=4` / `gpu:a100=4` (TRES style) → `gpu:4` / `gpu:a100:4`.
    let normalised = entry.replace('=', ":");
    let mut parts = normalised.split(':');
    if parts.next()? != "gpu" {
        return None;
    }
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => Some(GpuEntry { model: None, count: 1 }),
        [n] => match n.parse() {
            Ok(count) => Some(GpuEntry { model: None, count }),
            Err(_) => Some(GpuEntry { model: Some((*n).to_owned()), count: 1 }),
        },
        [model, n, ..] => Some(GpuEntry { model: Some((*model).to_owned()), count: n.parse().ok()? }),
    }
}

/// Splits on commas outside parentheses (`gpu:a100:3(IDX:0,2-3),mps:100`).
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter().map(str::trim).filter(|s| !s.is_empty() && *s != "(null)" && *s != "N/A").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(model: Option<&str>, count: u32) -> GpuEntry {
        GpuEntry { model: model.map(str::to_owned), count }
    }

    #[test]
    fn gres_strings_give_gpu_entries() {
        let cases: [(&str, Vec<GpuEntry>); 12] = [
            ("", vec![]),
            ("(null)", vec![]),
            ("gpu:0", vec![e(None, 0)]),
            ("gpu:4", vec![e(None, 4)]),
            ("gpu:a100:8", vec![e(Some("a100"), 8)]),
            ("gpu:a100:8(S:0-1)", vec![e(Some("a100"), 8)]),
            ("gpu:a100:3(IDX:0,2-3),mps:100", vec![e(Some("a100"), 3)]),
            ("gpu:a100:4,gpu:h100:2", vec![e(Some("a100"), 4), e(Some("h100"), 2)]),
            ("gres:gpu:a100:8", vec![e(Some("a100"), 8)]),
            ("gres/gpu=4", vec![e(None, 4)]),
            ("gres/gpu:h200=2", vec![e(Some("h200"), 2)]),
            ("gres:shard:2,gres:gpu:1", vec![e(None, 1)]),
        ];
        for (input, want) in cases {
            assert_eq!(gpu_entries(input), want, "{input}");
        }
    }

    #[test]
    fn counts_add_up_over_types() {
        assert_eq!(gpu_count("gpu:a100:4(IDX:0-3),gpu:h100:2(IDX:0-1)"), 6);
        assert_eq!(gpu_count("mps:100"), 0);
    }
}
