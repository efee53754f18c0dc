//! "What if": the workload as entered beside its key trade-offs (twice or
//! half the GPUs, checkpointing switched, the data moved first), each with
//! the top pick and its figures under the same queue conditions; a button
//! puts a variant into the form (`data-action="what-if:<variant>"`, the
//! variant itself, so a click applies what its row said even if the table
//! changed meanwhile).

use kairr_shared::advisor::what_if::WhatIf;
use maud::{html, Markup};

/// `change` as its button's action argument (`double`, `halve`,
/// `checkpointing:true`, `data:<site>`).
pub fn action(change: &WhatIf) -> String {
    match change {
        WhatIf::DoubleGpus => "double".to_owned(),
        WhatIf::HalveGpus => "halve".to_owned(),
        WhatIf::Checkpointing { on } => format!("checkpointing:{on}"),
        WhatIf::DataAt { site } => format!("data:{site}"),
    }
}

/// The variant an action argument names ([`action`]'s inverse).
pub fn parse_action(arg: &str) -> Option<WhatIf> {
    match arg.split_once(':') {
        None if arg == "double" => Some(WhatIf::DoubleGpus),
        None if arg == "halve" => Some(WhatIf::HalveGpus),
        Some(("checkpointing", on)) => on.parse().ok().map(|on| WhatIf::Checkpointing { on }),
        Some(("data", site)) if !site.is_empty() => Some(WhatIf::DataAt { site: site.to_owned() }),
        _ => None,
    }
}

use crate::advisor::model::Model;

fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "–".to_owned())
}

/// The what-if table (hidden until there is a variant to compare).
pub fn panel(m: &mut Model) -> Markup {
    let x = m.text;
    let outcomes = m.derived().what_ifs.clone();
    let cat = m.catalogue.as_ref();
    let base_top = outcomes.first().and_then(|o| o.top.clone());
    let shown = cat.is_some() && outcomes.len() > 1;
    html! {
        section #w-what-if .what-if aria-labelledby=[shown.then_some("what-if-title")] data-testid="what-if" hidden[!shown] {
            @if shown {
                h3 #what-if-title { (x.t("advisor.whatif.title")) }
                p.hint #what-if-note { (x.t("advisor.whatif.note")) }
                div.table-scroll role="region" tabindex="0" aria-labelledby="what-if-title" {
                    table.data-table aria-describedby="what-if-note" {
                        thead {
                            tr {
                                @for key in ["advisor.whatif.col_change", "advisor.whatif.col_top", "advisor.est.run", "advisor.est.wait",
                                    "advisor.est.transfer", "advisor.est.gpu_hours", "advisor.est.cost", "advisor.est.total"] {
                                    th scope="col" { (x.t(key)) }
                                }
                            }
                        }
                        tbody {
                            @for o in &outcomes {
                                @let changed = o.change.is_some() && o.top != base_top;
                                @let label = x.what_if(cat, o.change.as_ref(), o.gpus);
                                @let top = match (o.top.as_deref(), o.why_none) {
                                    (Some(t), _) => x.pool_name(cat, t),
                                    (None, Some(why)) => format!("{}: {}", x.t("advisor.result.none_short"), x.reason(&why)),
                                    (None, None) => x.t("advisor.result.none_short"),
                                };
                                tr.changed[changed] data-testid="what-if-row" {
                                    th scope="row" {
                                        (label)
                                        @if let Some(change) = &o.change {
                                            " "
                                            button.link-button type="button" data-testid="what-if-apply" data-action={ "what-if:" (action(change)) }
                                                aria-label=(format!("{}: {}", x.t("advisor.whatif.apply"), label)) {
                                                (x.t("advisor.whatif.apply"))
                                            }
                                        }
                                    }
                                    td {
                                        (top)
                                        @if changed { span.changed-mark { " " (x.t("advisor.whatif.changed")) } }
                                    }
                                    td { (or_dash(o.run_hours.map(|h| x.hours(h)))) }
                                    td { (or_dash(o.wait_hours.map(|h| x.hours(h)))) }
                                    td { (or_dash(o.transfer_hours.map(|h| x.hours(h)))) }
                                    td { (or_dash(o.gpu_hours.map(|h| x.gpu_hours(h)))) }
                                    td { (or_dash(o.cost_krw.map(|k| x.krw(k)))) }
                                    td { (or_dash(o.time_to_result_hours.map(|h| x.hours(h)))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_survives_its_button() {
        for change in [
            WhatIf::DoubleGpus,
            WhatIf::HalveGpus,
            WhatIf::Checkpointing { on: true },
            WhatIf::Checkpointing { on: false },
            WhatIf::DataAt { site: "kisti".into() },
        ] {
            assert_eq!(parse_action(&action(&change)), Some(change));
        }
        for junk in ["", "triple", "checkpointing:maybe", "data:", "3"] {
            assert_eq!(parse_action(junk), None, "{junk}");
        }
    }
}
