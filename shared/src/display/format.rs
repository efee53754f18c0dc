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
    format!("{}\u{a0}kW", fixed(kw, 0))
}

/// A duration in seconds as hours and minutes ("6시간 12분" / "6 h 12 min");
/// under a minute it shows seconds. Number and unit are joined by no-break
/// spaces (the locale strings), so a narrow column never leaves "min" alone on a line.
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

/// `text` with its first letter capitalised when it is an ASCII letter: an
/// English label standing alone ("University", "Under review") from the
/// lower-case word running text uses ("a university may not apply"). ASCII
/// only, so the apps link no Unicode case tables.
pub fn capitalised(text: &str) -> String {
    let mut out = text.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// `2026-11-20` (ISO calendar date).
pub fn date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A label standing alone (a choice, a column, a badge) in `loc`: the Korean
/// word, or the English one [`capitalised`]. The apps and the server's pages
/// write every such label through this one function.
pub fn label(loc: crate::i18n::Locale, ko: &str, en: &str) -> String {
    match loc {
        crate::i18n::Locale::Ko => ko.to_owned(),
        crate::i18n::Locale::En => capitalised(en),
    }
}

/// A period of days as the portal writes it everywhere: `2027-01-20 ~ 2027-11-15`.
pub fn period(first: NaiveDate, last: NaiveDate) -> String {
    format!("{} ~ {}", date(first), date(last))
}

/// `text` cut into runs, each with whether it must stay on one line:
/// browsers break a line after any hyphen, so on a phone a date would read
/// "2027-" / "01-20", a system "(KISTI-" / "6)", an account "r2026-1-" /
/// "0042" and a unit "GPU-" / "시간". A run kept whole is a word of letters
/// (ASCII or Hangul), digits and hyphens (at most 24 characters, without
/// the hyphens at its ends) in which a hyphen is followed by a digit or a
/// Hangul syllable: ISO dates, numbered names, ids, Korean hyphenated
/// units. English words such as "GPU-hours" may still break at their hyphen.
pub fn date_runs(text: &str) -> Vec<(&str, bool)> {
    const LONGEST: usize = 24;
    let hangul = |c: char| ('\u{ac00}'..='\u{d7a3}').contains(&c);
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || hangul(c);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    let mut runs = Vec::new();
    let (mut plain, mut k) = (0, 0);
    while k < chars.len() {
        if !word(chars[k].1) {
            k += 1;
            continue;
        }
        let (mut s, mut e) = (k, k);
        while e < chars.len() && word(chars[e].1) {
            e += 1;
        }
        k = e;
        while s < e && chars[s].1 == '-' {
            s += 1;
        }
        while e > s && chars[e - 1].1 == '-' {
            e -= 1;
        }
        let joined = chars[s..e].windows(2).any(|w| w[0].1 == '-' && (w[1].1.is_ascii_digit() || hangul(w[1].1)));
        if joined && e - s <= LONGEST {
            if plain < at(s) {
                runs.push((&text[plain..at(s)], false));
            }
            runs.push((&text[at(s)..at(e)], true));
            plain = at(e);
        }
    }
    if plain < text.len() {
        runs.push((&text[plain..], false));
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
    fn labels_are_capitalised_in_ascii_only() {
        assert_eq!(capitalised("under review"), "Under review");
        assert_eq!(capitalised("SME"), "SME");
        assert_eq!(capitalised("대학"), "대학");
        assert_eq!(capitalised(""), "");
    }

    #[test]
    fn dates_and_numbered_names_are_cut_out_of_running_text() {
        assert_eq!(
            date_runs("접수 2027-01-06 ~ 2027-11-16까지"),
            // The particle joined to the date is the same Korean word: kept with it.
            [("접수 ", false), ("2027-01-06", true), (" ~ ", false), ("2027-11-16까지", true)]
        );
        assert_eq!(date_runs("2027-01-06"), [("2027-01-06", true)]);
        assert_eq!(
            date_runs("GH200 (KISTI-6): account r2026-1-0042."),
            [("GH200 (", false), ("KISTI-6", true), ("): account ", false), ("r2026-1-0042", true), (".", false)]
        );
        assert_eq!(date_runs("-2026-2-"), [("-", false), ("2026-2", true), ("-", false)]);
        assert_eq!(
            date_runs("기대 9,408 GPU-시간(0%), 노드-시간"),
            [("기대 9,408 ", false), ("GPU-시간", true), ("(0%), ", false), ("노드-시간", true)]
        );
        // Words whose hyphens may break, numbers without hyphens, and over-long words stay plain.
        for plain in ["GPU-hours, e-mail", "1,200 서버", "a-1-2-3-4-5-6-7-8-9-10-11-12"] {
            assert_eq!(date_runs(plain), [(plain, false)], "{plain}");
        }
        assert!(date_runs("").is_empty());
    }
}
