//! Korea Standard Time helpers. KST is UTC+9 all year (no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

/// KST's offset from UTC, in seconds.
pub const KST_OFFSET_SECONDS: i32 = 9 * 3600;

/// The fixed +09:00 offset.
pub fn kst() -> FixedOffset {
    // 9 h is within ±24 h, so east_opt cannot fail; fall back to UTC defensively.
    FixedOffset::east_opt(KST_OFFSET_SECONDS).unwrap_or_else(|| Utc.fix())
}

/// The KST calendar day of a Unix time (seconds).
pub fn kst_day(unix_seconds: i64) -> NaiveDate {
    let t = DateTime::<Utc>::from_timestamp(unix_seconds, 0).unwrap_or_default();
    t.with_timezone(&kst()).date_naive()
}

/// Unix time (seconds) of KST midnight starting `day`.
pub fn kst_midnight(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).map(|n| n.and_utc().timestamp() - i64::from(KST_OFFSET_SECONDS)).unwrap_or_default()
}

/// Unix time (seconds) of the first KST midnight after `unix_seconds`.
pub fn next_kst_midnight(unix_seconds: i64) -> i64 {
    kst_day(unix_seconds).succ_opt().map_or(i64::MAX, kst_midnight)
}

/// Formats a UTC time as KST, e.g. `2026-11-21 14:05 KST`.
pub fn format_kst(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst()).format("%Y-%m-%d %H:%M KST").to_string()
}

/// Converts Unix seconds to a UTC time (the epoch for out-of-range input).
pub fn utc(unix_seconds: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(unix_seconds, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kst_day_changes_at_15_utc() {
        // 2026-11-20 14:59:59 UTC is 23:59:59 KST; one second later is the 21st.
        let t = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(14, 59, 59).unwrap().and_utc().timestamp();
        assert_eq!(kst_day(t), NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert_eq!(kst_day(t + 1), NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        assert_eq!(kst_midnight(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()), t + 1);
    }

    #[test]
    fn formats_in_kst() {
        assert_eq!(format_kst(utc(0)), "1970-01-01 09:00 KST");
    }
}
