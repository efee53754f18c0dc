//! The committee overview's read-only regions: the pools, the fairness
//! figures, the shares by sector and region (tables), the idle evidence.

use kairr_shared::allocation::{
    FairnessFigures, FairnessMetric, IdleCheck, PoolOverview, ShareRow, TimelineRow, UsageSource,
};
use kairr_shared::display::format::{date, fixed, percent, thousands};
use maud::{html, Markup};

use super::{dated, Text};

/// Per pool of the round: capacity, requested, awarded (GPUs for server
/// pools), used, idle allocated (flagged for reclaim) and oversubscription.
pub fn pool_table(x: &Text, pools: &[PoolOverview]) -> Markup {
    let total_gpus: u64 = pools.iter().filter_map(|p| p.awarded_gpus).sum();
    html! {
        section #c-pools .panel aria-labelledby="pools-title" {
            h3 #pools-title { (x.t("programme.pools.title")) }
            p data-testid="awarded-gpus" { (x.f("programme.pools.awarded_gpus", &[("gpus", thousands(total_gpus))])) }
            div.table-scroll tabindex="0" role="region" aria-labelledby="pools-title" {
                table.data-table data-testid="pool-table" {
                    caption.sr-only { (x.t("programme.pools.title")) }
                    thead { tr {
                        th scope="col" { (x.t("programme.pools.col_pool")) }
                        @for key in ["capacity", "requested", "awarded", "used", "idle", "oversubscription"] {
                            th.num scope="col" { (x.t(&format!("programme.pools.col_{key}"))) }
                        }
                    } }
                    tbody { @for p in pools { (pool_row(x, p)) } }
                }
            }
        }
    }
}

fn pool_row(x: &Text, p: &PoolOverview) -> Markup {
    let awarded = match p.awarded_gpus {
        Some(g) => {
            x.f("programme.pools.awarded_with_gpus", &[("amount", x.amount(p.awarded, p.unit)), ("gpus", thousands(g))])
        }
        None => x.amount(p.awarded, p.unit),
    };
    let used = if p.awarded_gpu_hours > 0.0 { p.used_gpu_hours / p.awarded_gpu_hours } else { 0.0 };
    let flagged = p.idle_allocations > 0;
    let idle = if flagged {
        x.f(
            "programme.pools.idle_flagged",
            &[("n", p.idle_allocations.to_string()), ("amount", x.amount(p.idle_allocated, p.unit))],
        )
    } else {
        x.t("programme.pools.idle_none")
    };
    html! {
        tr {
            th scope="row" { (x.pool(&p.pool)) br; span.muted { (x.unit(p.unit)) } }
            td.num { (thousands(p.capacity)) }
            td.num { (thousands(p.requested)) }
            td.num { (awarded) }
            td.num { (dated(&x.f("programme.pools.used", &[("hours", fixed(p.used_gpu_hours, 0)), ("share", percent(used, 1))]))) }
            td.num.flagged[flagged] { (idle) }
            td.num { (fixed(p.oversubscription, 2)) "×" }
        }
    }
}

/// A metric's definition id (`prefix`: several figure lists on a page).
fn definition_id(prefix: &str, metric: FairnessMetric) -> String {
    let name = match metric {
        FairnessMetric::JainSectors => "jain_sectors",
        FairnessMetric::GiniOrganisations => "gini_organisations",
        FairnessMetric::DominantShares => "dominant_shares",
    };
    format!("{prefix}-def-{name}")
}

/// The fairness figures (Jain's index across sectors, Gini across
/// organisations, dominant shares per sector), each name a button carrying
/// its definition as a tooltip (shown on hover and focus; the page focuses a
/// tapped button and Escape blurs it), then the hint.
pub fn fairness(x: &Text, figures: Option<&FairnessFigures>, prefix: &str) -> Markup {
    let name = |metric: FairnessMetric| {
        let id = definition_id(prefix, metric);
        html! {
            span.metric-name {
                button.metric-button type="button" aria-describedby=(id) { (x.metric(metric)) }
                span.metric-tooltip role="tooltip" id=(id) { (x.metric_definition(metric)) }
            }
        }
    };
    let figure = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| fixed(v, 3));
    let shares = figures
        .map(|f| {
            f.dominant_shares
                .iter()
                .map(|d| {
                    let model = d.gpu_model.clone().unwrap_or_else(|| "—".to_owned());
                    format!("{} {} ({model})", x.sector(d.sector), percent(d.share, 1))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .unwrap_or_default();
    html! {
        dl.fairness data-testid=(format!("{prefix}-fairness")) {
            div {
                dt { (name(FairnessMetric::JainSectors)) }
                dd data-testid=(format!("{prefix}-jain")) { (figure(figures.and_then(|f| f.jain_sectors))) }
            }
            div {
                dt { (name(FairnessMetric::GiniOrganisations)) }
                dd data-testid=(format!("{prefix}-gini")) { (figure(figures.and_then(|f| f.gini_organisations))) }
            }
            div {
                dt { (name(FairnessMetric::DominantShares)) }
                dd.shares { (shares) }
            }
        }
        p.hint { (x.t("programme.fairness.hint")) }
    }
}

/// Awarded against target (and requested) shares of GPU-hours by sector
/// (`id` `sector`) or region: the table (the chart is drawn beside it).
pub fn shares_table(x: &Text, rows: &[ShareRow], id: &str, title: &str) -> Markup {
    html! {
        div.table-scroll tabindex="0" role="region" aria-labelledby=(format!("shares-{id}-title")) {
            table.data-table data-testid=(format!("shares-{id}-table")) {
                caption.sr-only { (title) }
                thead { tr {
                    th scope="col" { (x.t("programme.public.group")) }
                    th.num scope="col" { (x.t("programme.shares.awarded")) }
                    th.num scope="col" { (x.t("programme.shares.target")) }
                    th.num scope="col" { (x.t("programme.shares.requested")) }
                    th.num scope="col" { (x.t("programme.shares.awards")) }
                    th.num scope="col" { (x.t("programme.public.gpu_hours")) }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            th scope="row" { (x.pick(&r.label_ko, &r.label_en)) }
                            td.num { (percent(r.awarded_share, 1)) }
                            td.num { (r.target_share.map_or_else(|| "—".to_owned(), |t| percent(t, 1))) }
                            td.num { (percent(r.requested_share, 1)) }
                            td.num { (thousands(u64::from(r.awards))) " / " (thousands(u64::from(r.requests))) }
                            td.num { (fixed(r.awarded_gpu_hours, 0)) }
                        }
                    }
                }
            }
        }
    }
}

/// Flagged allocations shown at most (the rest are counted).
const IDLE_SHOWN: usize = 20;

/// The evidence behind the idle flags: for each allocation flagged for
/// reclaim, what it used against what its award's pace expected, the last
/// day it was used and where the figures come from; an empty region when
/// nothing is flagged.
pub fn idle_evidence(x: &Text, checks: &[IdleCheck], rows: &[TimelineRow]) -> Markup {
    let flagged: Vec<&IdleCheck> = checks.iter().filter(|c| c.flagged).collect();
    if flagged.is_empty() {
        return html! { div #c-idle .region {} };
    }
    let title = |c: &IdleCheck| {
        rows.iter()
            .find(|r| r.allocation == c.allocation)
            .map(|r| format!("{} · {}", r.title, r.organisation))
            .unwrap_or_else(|| format!("#{}", c.allocation.0))
    };
    let source = |s: UsageSource| {
        x.t(match s {
            UsageSource::Accounting => "programme.idle.source_accounting",
            UsageSource::RunningJobs => "programme.idle.source_running",
            UsageSource::Demo => "programme.idle.source_demo",
        })
    };
    let evidence = |c: &IdleCheck| {
        x.f(
            "programme.idle.evidence",
            &[
                ("used", fixed(c.used_gpu_hours, 0)),
                ("expected", fixed(c.entitled_gpu_hours, 0)),
                ("pct", percent(c.usage_ratio, 0)),
                ("last", c.last_used.map_or_else(|| x.t("programme.idle.never"), date)),
                ("source", source(c.source)),
            ],
        )
    };
    html! {
        div #c-idle .region {
            section.panel aria-labelledby="idle-title" data-testid="idle-evidence" {
                h3 #idle-title { (x.t("programme.idle.title")) }
                p.muted { (x.t("programme.idle.rule")) }
                ul.idle-list {
                    @for c in flagged.iter().take(IDLE_SHOWN) {
                        li { strong { (title(c)) } " (" (x.pool(&c.pool)) ")" br; span.muted { (dated(&evidence(c))) } }
                    }
                }
                @if flagged.len() > IDLE_SHOWN {
                    p.muted { (x.f("programme.idle.more", &[("n", (flagged.len() - IDLE_SHOWN).to_string())])) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kairr_shared::allocation::{demo_data, OverviewInput, RoundOverview, FIRST_CALL_2026};
    use kairr_shared::i18n::Locale;

    fn demo_overview() -> RoundOverview {
        let cat = kairr_shared::catalogue::Catalogue::embedded().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let d = demo_data(&FIRST_CALL_2026, 7, today, &cat).unwrap();
        RoundOverview::build(&OverviewInput {
            round: &d.round,
            requests: &d.requests,
            allocations: &d.allocations,
            usage: &[],
            today,
            idle: Default::default(),
            metering: &Default::default(),
        })
    }

    #[test]
    fn the_pool_table_has_a_row_per_pool_with_its_figures_in_the_language_asked() {
        let o = demo_overview();
        let ko = Text { loc: Locale::Ko, pools: vec![] };
        let html = pool_table(&ko, &o.pools).into_string();
        assert_eq!(html.matches("<tr>").count(), o.pools.len() + 1, "a header row and a row per pool");
        for p in &o.pools {
            assert!(html.contains(&p.pool), "{} is named (by its id without the catalogue's names)", p.pool);
            assert!(html.contains(&thousands(p.capacity)));
        }
        let en = pool_table(&Text { loc: Locale::En, ..ko }, &o.pools).into_string();
        assert_ne!(html, en);
        assert!(
            en.contains("data-testid=\"pool-table\"") && !en.contains("programme.pools."),
            "no key left untranslated"
        );
    }

    #[test]
    fn the_fairness_figures_carry_their_definitions_and_a_dash_when_unknown() {
        let o = demo_overview();
        let x = Text { loc: Locale::En, pools: vec![] };
        let html = fairness(&x, Some(&o.fairness), "overview").into_string();
        assert!(html.contains("aria-describedby=\"overview-def-jain_sectors\""));
        assert!(html.contains("id=\"overview-def-jain_sectors\""));
        let none = fairness(&x, None, "proposal").into_string();
        assert_eq!(none.matches("<dd").count(), 3);
        assert!(none.contains("data-testid=\"proposal-jain\">—</dd>"), "{none}");
    }

    #[test]
    fn idle_evidence_is_an_empty_region_when_nothing_is_flagged() {
        let x = Text { loc: Locale::Ko, pools: vec![] };
        assert_eq!(idle_evidence(&x, &[], &[]).into_string(), "<div class=\"region\" id=\"c-idle\"></div>");
    }
}
