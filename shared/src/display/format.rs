//! Numbers, percentages, durations and times as people read them, in the
//! portal's two languages; times on the KST clock. Pure: the browser app and
//! the server's first view of `/` both write their figures with these.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};

use crate::i18n::{tf, tfs, Locale};
use crate::time::kst;

/// `1204` → `"1,204"` (both languages group thousands with commas).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let mut left = digits.len();
    for c in digits.chars() {
        out.push(c);
        left -= 1;
        if left > 0 && left.is_multiple_of(3) {
            out.push(',');
        }
    }
    out
}

/// A non-negative number with `decimals` places, e.g. `fixed(1.2, 2)` → `"1.20"`.
///
/// Integer arithmetic instead of `{:.N}` keeps float formatting out of the wasm.
pub fn fixed(value: f64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let scaled = (value.max(0.0) * scale as f64).round() as u64;
    let whole = thousands(scaled / scale);
    if decimals == 0 {
        whole
    } else {
        format!("{whole}.{:0width$}", scaled % scale, width = decimals as usize)
    }
}

/// A 0..=1 fraction as a percentage with `decimals` places, e.g. `"87.5%"`.
pub fn percent(fraction: f64, decimals: u32) -> String {
    format!("{}%", fixed(fraction * 100.0, decimals))
}

/// kW with thousands separators, no decimals: `"1,234 kW"`.
pub fn kilowatts(kw: f64) -> String {
    format!("{} kW", fixed(kw, 0))
}

/// A duration in seconds as hours and minutes ("6시간 12분" / "6 h 12 min");
/// under a minute it shows seconds.
pub fn duration(loc: Locale, seconds: u64) -> String {
    let (h, m) = (seconds / 3600, (seconds % 3600) / 60);
    if h > 0 && m > 0 {
        let args = [("h", thousands(h)), ("m", m.to_string())];
        tf(loc, "fmt.hours_minutes", &args)
    } else if h > 0 {
        tf(loc, "fmt.hours", &[("h", thousands(h))])
    } else if m > 0 {
        tf(loc, "fmt.minutes", &[("m", m.to_string())])
    } else {
        tf(loc, "fmt.seconds", &[("s", seconds.to_string())])
    }
}

/// The unit an age is said in: seconds under a minute, minutes under an hour, then hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeUnit {
    /// Under a minute.
    Seconds,
    /// Under an hour.
    Minutes,
    /// An hour or more.
    Hours,
}

impl AgeUnit {
    /// The unit and count for an age in seconds (negative ages count as 0).
    pub fn of(seconds: i64) -> (AgeUnit, i64) {
        let s = seconds.max(0);
        if s < 60 {
            (AgeUnit::Seconds, s)
        } else if s < 3600 {
            (AgeUnit::Minutes, s / 60)
        } else {
            (AgeUnit::Hours, s / 3600)
        }
    }

    /// The key of its "updated {n} … ago" sentence.
    pub fn key(self) -> &'static str {
        match self {
            AgeUnit::Seconds => "live.updated_seconds_ago",
            AgeUnit::Minutes => "live.updated_minutes_ago",
            AgeUnit::Hours => "live.updated_hours_ago",
        }
    }
}

/// "N초 전" / "N분 전" / "N시간 전" for an age in seconds (negative ages count as 0).
pub fn ago(loc: Locale, seconds: i64) -> String {
    let (unit, n) = AgeUnit::of(seconds);
    tfs(loc, unit.key(), &[("n", n.to_string())])
}

/// The ISO 8601 form used in `datetime`/`title` attributes; identical to the API's JSON.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `2026-11-20` (ISO calendar date).
pub fn date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `text` cut into runs, each with whether it is an ISO date
/// (`2027-01-20`), so a page can keep every date on one line: browsers
/// break a line after the hyphens of a date ("2027-" / "01-20").
pub fn date_runs(text: &str) -> Vec<(&str, bool)> {
    let b = text.as_bytes();
    let is_date = |i: usize| {
        b.get(i..i + 10).is_some_and(|w| {
            w.iter().enumerate().all(|(k, c)| if k == 4 || k == 7 { *c == b'-' } else { c.is_ascii_digit() })
        }) && !b.get(i + 10).is_some_and(u8::is_ascii_digit)
            && !(i > 0 && b[i - 1].is_ascii_digit())
    };
    let mut runs = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if is_date(i) {
            if start < i {
                runs.push((&text[start..i], false));
            }
            runs.push((&text[i..i + 10], true));
            i += 10;
            start = i;
        } else {
            i += 1;
        }
    }
    if start < b.len() {
        runs.push((&text[start..], false));
    }
    runs
}

/// `2026-11-21 14:05 KST`: a UTC instant on the KST clock (same text as
/// `crate::time::format_kst`, without chrono's strftime machinery in the wasm).
pub fn kst_minute(t: DateTime<Utc>) -> String {
    let k = t.with_timezone(&kst());
    format!("{} {:02}:{:02} KST", date(k.date_naive()), k.hour(), k.minute())
}

/// A KST clock label for chart axes: `"14:00"` within a day, `"11-20"` for longer ranges.
pub fn kst_axis_label(t: DateTime<Utc>, long_range: bool) -> String {
    let k = t.with_timezone(&kst());
    if long_range {
        format!("{:02}-{:02}", k.month(), k.day())
    } else {
        format!("{:02}:{:02}", k.hour(), k.minute())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_with_commas() {
        let cases = [(0, "0"), (999, "999"), (1_000, "1,000"), (8_496, "8,496"), (1_234_567, "1,234,567")];
        for (n, expected) in cases {
            assert_eq!(thousands(n), expected);
        }
    }

    #[test]
    fn percentages_round_to_the_requested_places() {
        assert_eq!(percent(0.8749, 1), "87.5%");
        assert_eq!(percent(1.0, 0), "100%");
        assert_eq!(percent(0.99951, 2), "99.95%");
        assert_eq!(fixed(1.2, 2), "1.20");
        assert_eq!(fixed(1234.4, 0), "1,234");
    }

    #[test]
    fn kst_text_matches_the_shared_formatter() {
        for secs in [0, 1_763_700_000, 1_763_740_799, 1_790_000_000] {
            let t = crate::time::utc(secs);
            assert_eq!(kst_minute(t), crate::time::format_kst(t));
        }
    }

    #[test]
    fn dates_are_cut_out_of_running_text() {
        assert_eq!(
            date_runs("접수 2027-01-06 ~ 2027-11-16까지"),
            [("접수 ", false), ("2027-01-06", true), (" ~ ", false), ("2027-11-16", true), ("까지", false)]
        );
        assert_eq!(date_runs("2027-01-06"), [("2027-01-06", true)]);
        assert_eq!(date_runs("no dates, 12027-01-061 or 2027-1-06"), [("no dates, 12027-01-061 or 2027-1-06", false)]);
        assert!(date_runs("").is_empty());
    }
}
