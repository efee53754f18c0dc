//! The public allocations page (`/allocations`) as HTML: the round, its
//! totals and what each pool awarded, element for element what the
//! programme app renders first (`app/src/programme/pages/allocations.rs`). The
//! groups and projects below come with the app.

use kairr_shared::allocation::PublicRound;
use kairr_shared::api::DataSource;
use kairr_shared::catalogue::Catalogue;
use kairr_shared::display::format::{date, percent, thousands};
use kairr_shared::i18n::{tf_programme, Locale};
use maud::{html, Markup};

use super::frame::{self, NavPage, SignedIn};

/// A bilingual pair in `loc`, the other language when that one is empty.
fn pick<'a>(loc: Locale, ko: &'a str, en: &'a str) -> &'a str {
    match loc.pick(ko, en) {
        "" if ko.is_empty() => en,
        "" => ko,
        chosen => chosen,
    }
}

/// Pool `id`'s name in `loc` as `cat` gives it, as the app writes it from the
/// session's names (`SessionInfo::pool_name`); its id when `cat` lacks it.
fn pool_name(loc: Locale, cat: &Catalogue, id: &str) -> String {
    let (ko, en) = cat.pool_names(id).unwrap_or_default();
    kairr_shared::display::labels::pool_name(loc, id, &ko, &en)
}

/// Skip link, header, the page's introduction and, when a round has been
/// published, its panel (pools named as `cat` names them); footer.
pub fn allocations_page(
    loc: Locale,
    cat: &Catalogue,
    page: Option<&PublicRound>,
    signed_in: Option<SignedIn<'_>>,
) -> Markup {
    let tr = |key: &str| tf_programme(loc, key, &[]);
    // Demo data is labelled as such; a real round is not (as the app's `Shell` decides from the same round).
    let source = page.and_then(|r| r.source).filter(|s| *s == DataSource::Demo);
    html! {
        (frame::skip_link(loc))
        (frame::header_with(loc, NavPage::Allocations, source, signed_in, html! {}))
        main #main tabindex="-1" class="programme-main allocations" {
            div.programme-intro {
                h2 { (tr("programme.public.title")) }
                p { (tr("programme.public.intro")) }
            }
            @match page {
                None => p.muted role="status" { (tr("common.loading")) },
                Some(r) => (round_panel(loc, cat, r)),
            }
        }
        (frame::footer(loc, source, true))
    }
}

fn round_panel(loc: Locale, cat: &Catalogue, r: &PublicRound) -> Markup {
    let tr = |key: &str| tf_programme(loc, key, &[]);
    let dates =
        tf_programme(loc, "programme.public.round_dates", &[("opens", date(r.opens)), ("closes", date(r.closes))]);
    let totals = tf_programme(
        loc,
        "programme.public.totals",
        &[
            ("requests", thousands(u64::from(r.requests))),
            ("awards", thousands(u64::from(r.awards))),
            ("rate", percent(r.acceptance_rate, 1)),
        ],
    );
    html! {
        @if r.published.len() > 1 {
            div.field.round-select {
                label for="round-select" { (tr("programme.public.round_select")) }
                select #round-select data-testid="round-select" {
                    @for p in &r.published {
                        option value=(p.id.0) selected[p.id == r.round] { (pick(loc, &p.title_ko, &p.title_en)) }
                    }
                }
            }
        }
        section.panel aria-labelledby="round-title" data-testid="public-round" {
            h3 #round-title data-testid="round-title" { (pick(loc, &r.title_ko, &r.title_en)) }
            @if r.source == Some(DataSource::Demo) {
                p.demo-note data-testid="demo-note" { (tr("programme.public.demo_note")) }
            }
            p { (dates) }
            p data-testid="public-totals" { (totals) }
            h4 { (tr("programme.public.pools_title")) }
            ul.pool-totals data-testid="pool-totals" {
                @for p in &r.pools {
                    @let amount = p.unit.amount(loc, p.awarded);
                    li {
                        strong { (pool_name(loc, cat, &p.pool)) } ": "
                        @match p.awarded_gpus {
                            Some(g) => (tf_programme(loc, "programme.pools.awarded_with_gpus", &[("amount", amount), ("gpus", thousands(g))])),
                            None => (amount),
                        }
                        @if let Some(u) = p.used_30d {
                            " · " (tf_programme(loc, "programme.pools.used_30d", &[("pct", percent(u, 0))]))
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests fail fast

    use super::*;
    use kairr_shared::allocation::{demo_data, FIRST_CALL_2026};

    #[test]
    fn each_pools_total_is_named_in_the_pages_language_and_a_pool_not_in_the_catalogue_by_its_id() {
        let cat = Catalogue::embedded().unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let d = demo_data(&FIRST_CALL_2026, 2026, today, &cat).unwrap();
        let mut page = PublicRound::build(&d.round, &d.requests, &d.allocations, Some(DataSource::Demo));
        assert!(!page.pools.is_empty());
        for loc in [Locale::Ko, Locale::En] {
            let html = allocations_page(loc, &cat, Some(&page), None).into_string();
            for p in &page.pools {
                let (ko, en) = cat.pool_names(&p.pool).unwrap();
                let name = maud::html! { (loc.pick(&ko, &en)) }.into_string();
                assert!(html.contains(&format!("<strong>{name}</strong>: ")), "{loc:?} {name} in {html}");
                assert!(!html.contains(&format!("<strong>{}</strong>", p.pool)), "{loc:?}: {} shown", p.pool);
            }
        }
        page.pools[0].pool = "retired-a100".into();
        let html = allocations_page(Locale::Ko, &cat, Some(&page), None).into_string();
        assert!(html.contains("<strong>retired-a100</strong>: "));
    }
}
