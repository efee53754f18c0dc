//! `scontrol show partition --oneliner` and `scontrol show reservation
//! --oneliner`: the command-line mode's partitions and reservations (Slurm
//! 22.05's `scontrol` has no `--json`; it came in 23.02). One `Key=Value`
//! record per line. Times are read as UTC: the caller runs scontrol with `TZ=UTC`.

use chrono::NaiveDateTime;

use super::hostlist::{self, Budget};
use super::model::{Partition, Reservation};
use super::SlurmError;

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
        [m] => m.checked_mul(60)?,
        [m, s] => m.checked_mul(60)?.checked_add(*s)?,
        [h, m, s] => h.checked_mul(3_600)?.checked_add(m.checked_mul(60)?)?.checked_add(*s)?,
        _ => return None,
    };
    days.checked_mul(1_440)?.checked_add(seconds.div_ceil(60))
}

/// Expands a `Nodes=` value within the answer's `budget`.
fn nodes(list: &str, what: &'static str, budget: &mut Budget) -> Result<Vec<String>, SlurmError> {
    hostlist::expand_within(list, budget).map_err(|source| SlurmError::HostList { what, source })
}

/// Partitions from `scontrol show partition --oneliner` (an error only when
/// its host lists expand beyond [`hostlist::MAX_HOSTS`]).
pub fn parse_partitions_text(text: &str) -> Result<Vec<Partition>, SlurmError> {
    let mut budget = Budget::default();
    let mut out = Vec::new();
    for f in text.lines().map(fields) {
        let Some(name) = get(&f, "PartitionName") else { continue };
        out.push(Partition {
            name: name.to_owned(),
            nodes: nodes(get(&f, "Nodes").unwrap_or_default(), "partitions", &mut budget)?,
            max_time_minutes: get(&f, "MaxTime").and_then(duration_minutes),
            default_time_minutes: get(&f, "DefaultTime").and_then(duration_minutes),
            max_nodes_per_job: get(&f, "MaxNodes").and_then(|n| n.parse().ok()),
        });
    }
    Ok(out)
}

/// Reservations from `scontrol show reservation --oneliner` run with `TZ=UTC`
/// (`No reservations in the system` gives none; an error only when its host
/// lists expand beyond [`hostlist::MAX_HOSTS`]).
pub fn parse_reservations_text(text: &str) -> Result<Vec<Reservation>, SlurmError> {
    let utc = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc().timestamp());
    let mut budget = Budget::default();
    let mut out = Vec::new();
    for f in text.lines().map(fields) {
        let (Some(name), Some(start), Some(end)) =
            (get(&f, "ReservationName"), get(&f, "StartTime").and_then(utc), get(&f, "EndTime").and_then(utc))
        else {
            continue;
        };
        out.push(Reservation {
            name: name.to_owned(),
            nodes: nodes(get(&f, "Nodes").unwrap_or_default(), "reservations", &mut budget)?,
            start_time: start,
            end_time: end,
            maintenance: get(&f, "Flags").unwrap_or_default().split(',').any(|x| x == "MAINT"),
        });
    }
    Ok(out)
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
        let p = parse_partitions_text(include_str!("../../tests/fixtures/slurm/scontrol_partitions.txt")).unwrap();
        let got: Vec<_> =
            p.iter().map(|p| (p.name.as_str(), p.nodes.len(), p.max_time_minutes, p.max_nodes_per_job)).collect();
        assert_eq!(got, [("gpu", 4, Some(2_880), None), ("cpu", 1, None, None)]);
    }

    #[test]
    fn reservations_read_from_scontrol_in_utc() {
        let r = parse_reservations_text(include_str!("../../tests/fixtures/slurm/scontrol_reservations.txt")).unwrap();
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
        assert!(parse_reservations_text("No reservations in the system\n").unwrap().is_empty());
    }
}
