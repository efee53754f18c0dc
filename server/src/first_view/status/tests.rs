//! The status page's markup: every system and pool, the count asked, the
//! histories drawn or kept.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kairr_shared::api::StatusHistory;
use kairr_shared::display::status_query::StatusQuery;
use kairr_shared::history::HistoryRange;
use kairr_shared::i18n::Locale;

use super::{status_page as status_page_of, Histories};

fn demo_summary() -> kairr_shared::api::StatusSummary {
    use kairr_shared::sim::{SimConfig, Simulator};
    let cat = kairr_shared::catalogue::Catalogue::embedded().unwrap();
    let config = SimConfig { warm_up_seconds: 6 * 3600, ..SimConfig::default() };
    Simulator::new(cat, config, 1_780_000_000).summary(30)
}

#[test]
fn the_first_view_shows_every_system_and_pool_escaped_in_either_language() {
    let mut summary = demo_summary();
    summary.systems[0].name_ko = "<b>KISTI</b> & co".into();
    let now = summary.updated_at;
    let pools: usize = summary.systems.iter().map(|s| s.pools.len()).sum();
    for loc in [Locale::Ko, Locale::En] {
        let html =
            status_page_of(loc, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default()).into_string();
        assert_eq!(html.matches("data-testid=\"system\"").count(), summary.systems.len());
        assert_eq!(html.matches("data-testid=\"pool-card\"").count(), pools);
        assert_eq!(html.matches("data-testid=\"start-answer\"").count(), pools);
        assert!(html.contains(&format!("data-status=\"{}\"", summary.status.as_str())));
        assert!(!html.contains("<b>KISTI"), "names are escaped");
    }
    let ko =
        status_page_of(Locale::Ko, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default()).into_string();
    assert!(ko.contains("&lt;b&gt;KISTI&lt;/b&gt; &amp; co"));
    let en =
        status_page_of(Locale::En, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default()).into_string();
    assert!(en.contains(&summary.systems[0].name_en));
    assert!(en.contains(kairr_shared::i18n::ts(Locale::En, "system.section_title").as_str()));
}

#[test]
fn the_first_view_answers_for_the_gpu_count_asked() {
    let summary = demo_summary();
    let now = summary.updated_at;
    let default =
        status_page_of(Locale::En, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default()).into_string();
    let asked = status_page_of(
        Locale::En,
        &summary,
        None,
        Histories::Drawn(&[]),
        now,
        StatusQuery { gpus: 1024, ..StatusQuery::default() },
    )
    .into_string();
    assert!(
        default.contains(&format!("value=\"{}\"", kairr_shared::start_now::DEFAULT_GPUS))
            && asked.contains("value=\"1024\"")
    );
    assert!(asked.contains("1,024 GPUs") && !default.contains("1,024 GPUs"), "the question names the count");
}

/// A day of 15-minute samples and 90 days of uptime for `system`.
fn history(system: &str, now: DateTime<Utc>, range: HistoryRange) -> Arc<StatusHistory> {
    use kairr_shared::api::{DailyUptime, DataSource, SeriesPoint};
    use kairr_shared::status::Status;
    let day0 = now.date_naive() - chrono::Duration::days(89);
    let uptime_days = (0..90)
        .map(|i| DailyUptime {
            date: day0 + chrono::Duration::days(i),
            uptime: (i != 10).then_some(if i == 50 { 0.9 } else { 1.0 }),
            worst: (i != 10).then_some(if i == 50 { Status::MajorOutage } else { Status::Operational }),
            minutes_major_outage: if i == 50 { 144 } else { 0 },
            minutes_partial_outage: 0,
            minutes_degraded: 0,
            minutes_maintenance: 0,
        })
        .collect();
    let bucket = range.bucket_seconds();
    let points = range.seconds() / i64::from(bucket);
    let series = (0..points)
        .map(|i| SeriesPoint {
            t: now - chrono::Duration::seconds((points - i) * i64::from(bucket)),
            utilisation: 0.5,
            running_jobs: 10.0,
            pending_jobs: 30.0,
        })
        .collect();
    Arc::new(StatusHistory {
        system: system.to_owned(),
        range: range.as_str().to_owned(),
        source: DataSource::Demo,
        uptime_days,
        uptime_fraction: Some(0.999),
        bucket_seconds: bucket,
        series,
    })
}

#[test]
fn each_system_shows_its_ninety_days_and_its_load_drawn_by_the_server() {
    let summary = demo_summary();
    let now = summary.updated_at;
    let histories: Vec<_> = summary.systems.iter().map(|s| history(&s.id, now, HistoryRange::Day)).collect();
    let html = status_page_of(Locale::En, &summary, None, Histories::Drawn(&histories), now, StatusQuery::default())
        .into_string();
    let systems = summary.systems.len();
    assert_eq!(html.matches("data-testid=\"uptime-day\"").count(), 90 * systems);
    assert_eq!(html.matches("data-status=\"major_outage\" role=\"img\"").count(), systems, "day 50 was an outage");
    assert!(html.contains("uptime 90.00% · outage 144 min · Major outage"), "a day is named by its facts");
    assert_eq!(html.matches("tabindex=\"0\"").count(), systems, "one tab stop per bar: today");
    assert_eq!(html.matches("class=\"chart-utilisation\"").count(), systems);
    assert_eq!(html.matches("99.90% uptime").count(), systems);
    assert!(html.contains("mean GPU utilisation 50%, now 50%, at most 30 jobs pending"));
    // The day range is the current one; the week link keeps the rest of the page's query.
    assert!(html.contains("href=\"/\" data-testid=\"range-24h\" data-range=\"24h\" aria-current=\"true\""));
    assert!(html.contains("href=\"/?range=7d\" data-testid=\"range-7d\""));
    let week: Vec<_> = summary.systems.iter().map(|s| history(&s.id, now, HistoryRange::Week)).collect();
    let query = StatusQuery { gpus: 8, range: HistoryRange::Week };
    let html = status_page_of(Locale::Ko, &summary, None, Histories::Drawn(&week), now, query).into_string();
    assert!(html.contains("data-testid=\"range-7d\" data-range=\"7d\" aria-current=\"true\""));
    assert!(html.contains("href=\"/?gpus=8\" data-testid=\"range-24h\""));
    assert!(html.contains("name=\"range\" value=\"7d\""), "the GPU form keeps the range");
    assert!(html.contains("최근 7일"), "the chart names its range");
    // The live part keeps the browser's histories: a marked place per system, nothing drawn.
    let live = status_page_of(Locale::En, &summary, None, Histories::Kept, now, StatusQuery::default()).into_string();
    assert_eq!(live.matches("data-kept").count(), systems);
    assert!(!live.contains("data-testid=\"uptime-day\"") && !live.contains("data-testid=\"load-chart\""));
    assert!(live.len() * 2 < html.len(), "the live part is the lighter one: {} vs {}", live.len(), html.len());
    // Without histories the frames stay and say why.
    let none =
        status_page_of(Locale::En, &summary, None, Histories::Drawn(&[]), now, StatusQuery::default()).into_string();
    assert_eq!(none.matches("data-testid=\"uptime-day\"").count(), 0);
    assert_eq!(none.matches("data-testid=\"load-chart\"").count(), systems);
    assert!(none.contains("Could not load the history of"));
    // Visibly too, and not as "no data": a late read is retried, a day without samples is not.
    assert_eq!(none.matches("The history could not be read yet").count(), systems, "the uptime line");
    assert_eq!(none.matches("class=\"chart-unavailable\"").count(), systems, "a note in each chart's frame");
    assert_eq!(none.matches("Could not load the history of").count(), 2 * systems, "the chart's label and its note");
    assert!(!none.contains("No uptime data"));
    let one_missing =
        status_page_of(Locale::En, &summary, None, Histories::Drawn(&histories[1..]), now, StatusQuery::default())
            .into_string();
    assert_eq!(one_missing.matches("The history could not be read yet").count(), 1);
    assert_eq!(one_missing.matches("class=\"chart-unavailable\"").count(), 1);
    assert_eq!(one_missing.matches("99.90% uptime").count(), systems - 1);
}
