//! `scontrol show partition --oneliner` and `scontrol show reservation
//! --oneliner`: the command-line mode's partitions and reservations (Slurm
//! 22.05's `scontrol` has no `--json`; it came in 23.02). One `Key=Value`
//! record per line. Times are read as UTC: the caller runs scontrol with `TZ=UTC`.

use chrono::NaiveDateTime;

use super::hostlist;
use super::model::{Partition, Reservation};

/// The `Key=Value` pairs of one line; a word without `=` continues the previous value.
fn fields(line: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for word in line.split_whitespace() {
        match word.split_once('=') {
            Some((k, v)) if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push((k, v.to_owned()))
            }
            _ => {
                if let Some((_, v)) = out.last_mut() {
                    v.push(' ');
                    v.push_str(word);
                }
            }
        }
    }
    out
}

fn get<'a>(f: &'a [(&str, String)], key: &str) -> Option<&'a str> {
    f.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
}

/// Slurm's `[days-]hours:minutes:seconds` (or `minutes`) as minutes, rounded
/// up; `None` for `UNLIMITED`, `INFINITE`, `NONE` or anything unreadable.
pub fn duration_minutes(s: &str) -> Option<u32> {
    let (days, rest) = match s.split_once('-') {
        Some((d, r)) => (d.parse::<u32>().ok()?, r),
        None => (0, s),
    };
    let parts: Vec<u32> = rest.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let seconds = match parts.as_slice() {
        [m] => m * 60,
        [m, s] => m * 60 + s,
        [h, m, s] => h * 3_600 + m * 60 + s,
        _ => return None,
    };
    Some(days * 1_440 + seconds.div_ceil(60))
}

/// Partitions from `scontrol show partition --oneliner`.
pub fn parse_partitions_text(text: &str) -> Vec<Partition> {
    text.lines()
        .map(fields)
        .filter_map(|f| {
            Some(Partition {
                name: get(&f, "PartitionName")?.to_owned(),
                nodes: hostlist::expand(get(&f, "Nodes").unwrap_or_default()),
                max_time_minutes: get(&f, "MaxTime").and_then(duration_minutes),
                default_time_minutes: get(&f, "DefaultTime").and_then(duration_minutes),
                max_nodes_per_job: get(&f, "MaxNodes").and_then(|n| n.parse().ok()),
            })
        })
        .collect()
}

/// Reservations from `scontrol show reservation --oneliner` run with `TZ=UTC`
/// (`No reservations in the system` gives none).
pub fn parse_reservations_text(text: &str) -> Vec<Reservation> {
    let utc = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc().timestamp());
    text.lines()
        .map(fields)
        .filter_map(|f| {
            Some(Reservation {
                name: get(&f, "ReservationName")?.to_owned(),
                nodes: hostlist::expand(get(&f, "Nodes").unwrap_or_default()),
                start_time: utc(get(&f, "StartTime")?)?,
                end_time: utc(get(&f, "EndTime")?)?,
                maintenance: get(&f, "Flags").unwrap_or_default().split(',').any(|x| x == "MAINT"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slurm_durations_read_as_minutes() {
        let cases = [
            ("2-00:00:00", Some(2_880)),
            ("01:00:00", Some(60)),
            ("1-12:30:00", Some(2_190)),
            ("30:01", Some(31)),
            ("45", Some(45)),
            ("UNLIMITED", None),
            ("NONE", None),
        ];
        for (input, want) in cases {
            assert_eq!(duration_minutes(input), want, "{input}");
        }
    }

    #[test]
    fn partitions_read_from_scontrol() {
        let p = parse_partitions_text(include_str!("../../tests/fixtures/slurm/scontrol_partitions.txt"));
        let got: Vec<_> =
            p.iter().map(|p| (p.name.as_str(), p.nodes.len(), p.max_time_minutes, p.max_nodes_per_job)).collect();
        assert_eq!(got, [("gpu", 4, Some(2_880), None), ("cpu", 1, None, None)]);
    }

    #[test]
    fn reservations_read_from_scontrol_in_utc() {
        let r = parse_reservations_text(include_str!("../../tests/fixtures/slurm/scontrol_reservations.txt"));
        let got: Vec<_> = r.iter().map(|r| (r.name.as_str(), r.nodes.join(","), r.start_time, r.maintenance)).collect();
        let t0 = 1_795_277_456; // 2026-11-21T16:10:56Z
        assert_eq!(
            got,
            [
                ("maint-g2", "g2".to_owned(), t0 + 3_600, true),
                ("maint-g4", "g4".to_owned(), t0, true),
                ("team", "g1".to_owned(), t0 + 7_200, false),
            ]
        );
        assert_eq!(r[2].end_time - r[2].start_time, 86_400);
        assert!(parse_reservations_text("No reservations in the system\n").is_empty());
    }
}
