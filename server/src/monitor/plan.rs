//! Which feed gives each catalogue system its nodes and queue (the demo, or
//! Slurm) and which its GPU telemetry (Prometheus), from the settings'
//! `[sources.<system>]` tables. Systems without an entry stay on the demo.

use std::time::Duration;

use anyhow::{bail, Context};
use kairr_shared::catalogue::{Catalogue, System};
use kairr_shared::feeds::Backoff;

use super::feed::Feed;
use crate::settings::Settings;
use crate::source::prometheus::PrometheusSource;
use crate::source::slurm::{SlurmConfig, SlurmSource};
use crate::source::{DemoSource, Schedule};

/// How one system is fed: indices into the monitor's feeds.
#[derive(Debug, Clone)]
pub struct SystemPlan {
    /// The catalogue system.
    pub system: System,
    /// Feed of nodes and queue (demo or scheduler); `None` for telemetry only.
    pub base: Option<usize>,
    /// Feed of GPU telemetry merged into the pools.
    pub telemetry: Option<usize>,
}

/// The demo's schedule: one poll per tick; it runs in memory, so no real timeout.
pub fn demo_schedule(tick: Duration) -> Schedule {
    let tick_ms = u64::try_from(tick.as_millis()).unwrap_or(u64::MAX);
    Schedule { interval: tick, timeout: Duration::from_secs(30), backoff: Backoff { base_ms: 1_000, max_ms: tick_ms } }
}

/// The feeds and per-system plans for `settings`; `demo` is built only when
/// some system is left on the demo. Errors name the offending settings key.
pub fn build(
    settings: &Settings,
    catalogue: &Catalogue,
    demo: impl FnOnce() -> DemoSource,
) -> anyhow::Result<(Vec<Feed>, Vec<SystemPlan>)> {
    let known: Vec<&str> = catalogue.systems.iter().map(|s| s.id.as_str()).collect();
    for id in settings.sources.keys() {
        if catalogue.system(id).is_none() {
            bail!("sources.{id}: no such system in the catalogue (known: {})", known.join(", "));
        }
    }
    let stale_after = settings.stale_after_seconds;
    let mut feeds = Vec::new();
    let demo_feed = catalogue.systems.iter().any(|s| !settings.sources.contains_key(&s.id)).then(|| {
        let tick = Duration::from_secs(u64::from(settings.demo.tick_seconds));
        feeds.push(Feed::new(Box::new(demo()), demo_schedule(tick), stale_after));
        feeds.len() - 1
    });
    let mut plans = Vec::new();
    for system in &catalogue.systems {
        let Some(cfg) = settings.sources.get(&system.id) else {
            plans.push(SystemPlan { system: system.clone(), base: demo_feed, telemetry: None });
            continue;
        };
        let id = &system.id;
        let base = match &cfg.slurm {
            Some(table) => {
                let config = SlurmConfig::for_system(id, table.clone()).map_err(anyhow::Error::msg)?;
                let schedule = config.schedule();
                let source =
                    SlurmSource::new(config, catalogue.clone()).with_context(|| format!("sources.{id}.slurm"))?;
                feeds.push(Feed::new(Box::new(source), schedule, stale_after));
                Some(feeds.len() - 1)
            }
            None => None,
        };
        let telemetry = match &cfg.prometheus {
            Some(p) => {
                for pool in p.pools.keys() {
                    if !system.pools.iter().any(|x| &x.id == pool) {
                        let pools: Vec<&str> = system.pools.iter().map(|x| x.id.as_str()).collect();
                        bail!(
                            "sources.{id}.prometheus.pools.{pool}: not a pool of {id} (its pools: {})",
                            pools.join(", ")
                        );
                    }
                }
                let source =
                    PrometheusSource::new(id, p.clone()).with_context(|| format!("sources.{id}.prometheus"))?;
                feeds.push(Feed::new(Box::new(source), p.schedule(), stale_after));
                Some(feeds.len() - 1)
            }
            None => None,
        };
        if base.is_none() && telemetry.is_none() {
            bail!("sources.{id}: configure `slurm` and/or `prometheus` (or remove the entry to keep the demo)");
        }
        plans.push(SystemPlan { system: system.clone(), base, telemetry });
    }
    Ok((feeds, plans))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use figment::providers::{Format, Serialized, Toml};
    use figment::Figment;

    use super::*;

    fn settings(toml: &str) -> Settings {
        Figment::from(Serialized::defaults(Settings::default())).merge(Toml::string(toml)).extract().unwrap()
    }

    /// The "A real deployment" configuration of README.md.
    fn readme_deployment() -> String {
        let readme = include_str!("../../../README.md");
        let section = &readme[readme.find("### A real deployment").unwrap()..];
        let block = &section[section.find("```toml\n").unwrap() + 8..];
        block[..block.find("```").unwrap()].to_owned()
    }

    #[test]
    fn the_readme_deployment_feeds_every_system_from_real_sources() {
        let cat = Catalogue::embedded().unwrap();
        let (feeds, plans) =
            build(&settings(&readme_deployment()), &cat, || panic!("no system is left on the demo")).unwrap();
        let names: Vec<&str> = feeds.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["slurm:kisti6", "prometheus:kisti6", "prometheus:kakao", "prometheus:nhn", "prometheus:naver"]
        );
        let shape: Vec<(&str, Option<usize>, Option<usize>)> =
            plans.iter().map(|p| (p.system.id.as_str(), p.base, p.telemetry)).collect();
        assert_eq!(
            shape,
            [("kisti6", Some(0), Some(1)), ("kakao", None, Some(2)), ("nhn", None, Some(3)), ("naver", None, Some(4))]
        );
    }

    #[test]
    fn systems_without_an_entry_stay_on_one_demo_feed() {
        let cat = Catalogue::embedded().unwrap();
        let demo = || DemoSource::new(cat.clone(), kairr_shared::sim::SimConfig::default(), 0);
        let s = settings("[sources.naver.prometheus]\nurl = \"http://127.0.0.1:9\"\npools.naver-h200 = {}\n");
        let (feeds, plans) = build(&s, &cat, demo).unwrap();
        assert_eq!(feeds.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["demo", "prometheus:naver"]);
        let bases: Vec<Option<usize>> = plans.iter().map(|p| p.base).collect();
        assert_eq!(bases, [Some(0), Some(0), Some(0), None]);
    }

    #[test]
    fn unknown_systems_and_pools_are_refused_naming_the_key() {
        let cat = Catalogue::embedded().unwrap();
        let demo = || DemoSource::new(cat.clone(), kairr_shared::sim::SimConfig::default(), 0);
        let e = build(&settings("[sources.kisti7.prometheus]\nurl = \"http://x\"\npools.p = {}\n"), &cat, demo)
            .err()
            .unwrap();
        assert!(e.to_string().starts_with("sources.kisti7: no such system"), "{e}");
        let bad_pool = "[sources.kakao.prometheus]\nurl = \"http://x\"\npools.nhn-b200 = {}\n";
        let e = build(&settings(bad_pool), &cat, demo).err().unwrap();
        assert!(e.to_string().contains("sources.kakao.prometheus.pools.nhn-b200: not a pool of kakao"), "{e}");
        let e = build(&settings("[sources.kakao]\n"), &cat, demo).err().unwrap();
        assert!(e.to_string().contains("configure `slurm` and/or `prometheus`"), "{e}");
    }
}
