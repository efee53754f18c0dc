//! What a status page address asks (`/?gpus=128&range=7d`): the GPU count
//! every pool answers for and the load charts' range. The server renders the
//! page for it; the browser keeps it in the address as the reader changes
//! either, so a link shares what they see.

use crate::history::HistoryRange;
use crate::start_now::{parse_gpu_count, DEFAULT_GPUS};

/// The status page's query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusQuery {
    /// GPUs the "would it start now?" answers are for.
    pub gpus: u32,
    /// The load charts' range: a day or a week.
    pub range: HistoryRange,
}

impl Default for StatusQuery {
    fn default() -> Self {
        StatusQuery { gpus: DEFAULT_GPUS, range: HistoryRange::Day }
    }
}

impl StatusQuery {
    /// Reads `query` (with or without its `?`). A value that is not one (a
    /// count of 0, a range the charts do not offer) leaves the default: an
    /// address someone shared still opens the page.
    pub fn parse(query: &str) -> StatusQuery {
        let mut out = StatusQuery::default();
        for (name, value) in query.trim_start_matches('?').split('&').filter_map(|pair| pair.split_once('=')) {
            match name {
                "gpus" => out.gpus = parse_gpu_count(value).unwrap_or(out.gpus),
                "range" => out.range = chart_range(value).unwrap_or(out.range),
                _ => {}
            }
        }
        out
    }

    /// The query that keeps this in an address (`?…`; empty for the default).
    pub fn to_query(self) -> String {
        let mut parts = Vec::new();
        if self.gpus != DEFAULT_GPUS {
            parts.push(format!("gpus={}", self.gpus));
        }
        if self.range != HistoryRange::Day {
            parts.push(format!("range={}", self.range.as_str()));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The same page with the charts over `range`.
    pub fn with_range(self, range: HistoryRange) -> StatusQuery {
        StatusQuery { range, ..self }
    }

    /// True when nothing differs from the default page (the one the server keeps rendered).
    pub fn is_default(self) -> bool {
        self == StatusQuery::default()
    }
}

/// The ranges the load charts offer.
pub const CHART_RANGES: [HistoryRange; 2] = [HistoryRange::Day, HistoryRange::Week];

fn chart_range(value: &str) -> Option<HistoryRange> {
    value.parse().ok().filter(|r| CHART_RANGES.contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_and_the_range_travel_in_the_address() {
        let q = |gpus, range| StatusQuery { gpus, range };
        assert_eq!(StatusQuery::parse("?gpus=128"), q(128, HistoryRange::Day));
        assert_eq!(StatusQuery::parse("lang=en&gpus=8&range=7d"), q(8, HistoryRange::Week));
        assert_eq!(StatusQuery::parse("range=7d"), q(DEFAULT_GPUS, HistoryRange::Week));
        for bad in ["?gpus=0", "?gpus=abc", "?gpus=99999999999", "?xgpus=8", "", "?range=90d", "?range=1y", "?gpus"] {
            assert!(StatusQuery::parse(bad).is_default(), "{bad}");
        }
        assert_eq!(StatusQuery::default().to_query(), "");
        assert_eq!(q(512, HistoryRange::Day).to_query(), "?gpus=512");
        assert_eq!(q(DEFAULT_GPUS, HistoryRange::Week).to_query(), "?range=7d");
        for query in [q(512, HistoryRange::Week), q(1, HistoryRange::Day), StatusQuery::default()] {
            assert_eq!(StatusQuery::parse(&query.to_query()), query);
        }
        assert_eq!(q(8, HistoryRange::Day).with_range(HistoryRange::Week), q(8, HistoryRange::Week));
    }
}
