//! Incidents from status transitions, for any status source.
//!
//! A pool whose status stays at an outage level for `open_after` seconds gets
//! an incident (investigating). After `identify_after` it is identified; a
//! change of impact adds an update; when the pool recovers the incident is
//! monitored and, after `resolve_after` seconds without relapse, resolved.

use std::collections::BTreeMap;

use crate::api::{DataSource, Incident, IncidentState, IncidentUpdate, SystemStatus};
use crate::status::{NodeCounts, Status};
use crate::time::utc;

/// Timing of the incident lifecycle, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncidentTiming {
    pub open_after: i64,
    pub identify_after: i64,
    pub resolve_after: i64,
}

impl Default for IncidentTiming {
    fn default() -> Self {
        IncidentTiming { open_after: 300, identify_after: 900, resolve_after: 1_800 }
    }
}

#[derive(Debug, Clone)]
enum Track {
    /// Outage seen since this time, not yet long enough to open.
    Pending(i64),
    Open {
        incident: Incident,
        /// Impact at the latest observation.
        current: Status,
        monitoring_since: Option<i64>,
    },
}

/// Watches successive status snapshots and keeps the incidents they imply.
#[derive(Debug, Clone, Default)]
pub struct IncidentTracker {
    timing: IncidentTiming,
    tracks: BTreeMap<String, Track>,
}

fn impact_words(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::MajorOutage => ("전면 장애", "major outage"),
        Status::PartialOutage => ("부분 장애", "partial outage"),
        Status::Degraded => ("성능 저하", "degraded performance"),
        Status::Maintenance => ("점검", "maintenance"),
        Status::Operational => ("정상", "operational"),
    }
}

fn update(at: i64, state: IncidentState, ko: String, en: String) -> IncidentUpdate {
    IncidentUpdate { at: utc(at), state, body_ko: ko, body_en: en }
}

impl IncidentTracker {
    /// A tracker with the given timing.
    pub fn new(timing: IncidentTiming) -> IncidentTracker {
        IncidentTracker { timing, tracks: BTreeMap::new() }
    }

    /// Feeds one snapshot taken at `now`; returns every incident that was
    /// opened or changed by it (in its new state).
    pub fn observe(&mut self, now: i64, systems: &[SystemStatus]) -> Vec<Incident> {
        let mut changed = Vec::new();
        for system in systems {
            for pool in &system.pools {
                let key = pool.id.clone();
                let obs = Observation {
                    system_id: &system.id,
                    pool_id: &pool.id,
                    name_ko: &pool.name_ko,
                    name_en: &pool.name_en,
                    status: pool.status,
                    nodes: pool.nodes,
                    source: system.source,
                };
                let track = self.tracks.remove(&key);
                let (next, change) = self.step(now, track, &obs);
                if let Some(t) = next {
                    self.tracks.insert(key, t);
                }
                changed.extend(change);
            }
        }
        changed
    }

    /// Unresolved incidents.
    pub fn active(&self) -> Vec<Incident> {
        self.tracks
            .values()
            .filter_map(|t| match t {
                Track::Open { incident, .. } => Some(incident.clone()),
                Track::Pending(_) => None,
            })
            .collect()
    }

    fn step(&self, now: i64, track: Option<Track>, o: &Observation) -> (Option<Track>, Option<Incident>) {
        let bad = o.status.is_incident();
        match track {
            None if bad => (Some(Track::Pending(now)), None),
            None => (None, None),
            Some(Track::Pending(_)) if !bad => (None, None),
            Some(Track::Pending(since)) if now - since >= self.timing.open_after => {
                let inc = open(since, now, o);
                (Some(Track::Open { incident: inc.clone(), current: o.status, monitoring_since: None }), Some(inc))
            }
            Some(pending @ Track::Pending(_)) => (Some(pending), None),
            Some(Track::Open { mut incident, current, monitoring_since }) => {
                let changed = self.advance(now, &mut incident, current, monitoring_since, o);
                let current = if bad { o.status } else { current };
                let monitoring_since = match (bad, monitoring_since) {
                    (true, _) => None,
                    (false, Some(t)) => Some(t),
                    (false, None) => Some(now),
                };
                let out = changed.then(|| incident.clone());
                if incident.state == IncidentState::Resolved {
                    (None, out)
                } else {
                    (Some(Track::Open { incident, current, monitoring_since }), out)
                }
            }
        }
    }

    /// Moves an open incident along; true when it changed.
    fn advance(
        &self,
        now: i64,
        inc: &mut Incident,
        current: Status,
        monitoring_since: Option<i64>,
        o: &Observation,
    ) -> bool {
        let (down, total) = (o.nodes.down, o.nodes.total);
        let (ko, en) = impact_words(o.status);
        if o.status.is_incident() {
            if o.status != current && inc.state != IncidentState::Monitoring {
                let s = if inc.state == IncidentState::Investigating {
                    IncidentState::Investigating
                } else {
                    IncidentState::Identified
                };
                push(
                    inc,
                    update(
                        now,
                        s,
                        format!("영향 범위 변경: {ko} (노드 {down}/{total}대 중단)."),
                        format!("Impact changed: {en} ({down} of {total} nodes down)."),
                    ),
                    o.status,
                );
                return true;
            }
            if inc.state == IncidentState::Monitoring
                || (inc.state == IncidentState::Investigating
                    && now - inc.started_at.timestamp() >= self.timing.identify_after)
            {
                push(inc,
                    update(now, IncidentState::Identified, format!("원인 확인: 노드 하드웨어·네트워크 장애로 {down}/{total}대가 중단되어 복구 중입니다."), format!("Identified: {down} of {total} nodes are down after a hardware or network failure; repair under way.")),
                    o.status,
                );
                return true;
            }
            return false;
        }
        match monitoring_since {
            None => {
                push(
                    inc,
                    update(
                        now,
                        IncidentState::Monitoring,
                        "서비스가 복구되었습니다. 안정성을 모니터링하고 있습니다.".into(),
                        "Service restored; we are monitoring for stability.".into(),
                    ),
                    o.status,
                );
                true
            }
            Some(since) if now - since >= self.timing.resolve_after => {
                push(
                    inc,
                    update(
                        now,
                        IncidentState::Resolved,
                        "해결되었습니다. 이용에 불편을 드려 죄송합니다.".into(),
                        "Resolved. We apologise for the disruption.".into(),
                    ),
                    o.status,
                );
                inc.resolved_at = Some(utc(now));
                true
            }
            Some(_) => false,
        }
    }
}

struct Observation<'a> {
    system_id: &'a str,
    pool_id: &'a str,
    name_ko: &'a str,
    name_en: &'a str,
    status: Status,
    nodes: NodeCounts,
    source: DataSource,
}

fn open(since: i64, now: i64, o: &Observation) -> Incident {
    let (ko, en) = impact_words(o.status);
    let mut inc = Incident {
        id: format!("{}-{}", o.pool_id, since),
        system_id: o.system_id.to_owned(),
        pool_id: o.pool_id.to_owned(),
        title_ko: format!("{}: {ko}", o.name_ko),
        title_en: format!("{}: {en}", o.name_en),
        impact: o.status,
        state: IncidentState::Investigating,
        started_at: utc(since),
        resolved_at: None,
        updates: Vec::new(),
        source: o.source,
    };
    let (down, total) = (o.nodes.down, o.nodes.total);
    push(
        &mut inc,
        update(
            now,
            IncidentState::Investigating,
            format!("{ko}: 노드 {down}/{total}대가 응답하지 않아 조사 중입니다."),
            format!("Investigating {en}: {down} of {total} nodes are not responding."),
        ),
        o.status,
    );
    inc
}

/// Appends `upd`, moving the incident to the update's state and widening its
/// impact to the worst seen.
fn push(inc: &mut Incident, upd: IncidentUpdate, status: Status) {
    inc.state = upd.state;
    if status.is_incident() {
        inc.impact = inc.impact.max(status);
    }
    inc.updates.push(upd);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PoolStatus, StatusSummary, SystemKind};

    fn summary(status: Status, down: u32) -> StatusSummary {
        let pool = PoolStatus {
            id: "p1".into(),
            name_ko: "풀".into(),
            name_en: "Pool".into(),
            status,
            gpus_per_node: 8,
            nodes: NodeCounts { total: 100, up: 100 - down, down, drained: 0 },
            gpus: vec![],
            utilisation: 0.5,
            running_jobs: 0,
            pending_jobs: 0,
            pending_gpus: 0,
            median_wait_seconds: None,
            largest_startable_gpus: 0,
            backfill_gpus: 0,
            backfill_window_seconds: None,
            maintenance_in_seconds: None,
            max_job_gpus: 8,
            walltime_limit_hours: None,
            power_kw: 0.0,
            gpu_utilisation: None,
        };
        StatusSummary {
            updated_at: utc(0),
            source: DataSource::Demo,
            stale: false,
            stale_after_seconds: 30,
            status,
            systems: vec![SystemStatus {
                id: "s1".into(),
                name_ko: "s".into(),
                name_en: "s".into(),
                kind: SystemKind::Cloud,
                operator: "o".into(),
                operator_ko: String::new(),
                status,
                source: DataSource::Demo,
                stale: false,
                stale_reason: None,
                last_good_at: None,
                pue: 1.2,
                power_kw: 0.0,
                pools: vec![pool],
            }],
            partial_outage_weight: None,
        }
    }

    /// Feeds `(status, down, minutes)` phases minute by minute; returns every change.
    fn run(phases: &[(Status, u32, i64)]) -> (IncidentTracker, Vec<Incident>) {
        let mut t = IncidentTracker::new(IncidentTiming::default());
        let mut changes = Vec::new();
        let mut now = 1_000_000;
        for (status, down, minutes) in phases {
            for _ in 0..*minutes {
                changes.extend(t.observe(now, &summary(*status, *down).systems));
                now += 60;
            }
        }
        (t, changes)
    }

    #[test]
    fn a_short_blip_opens_no_incident() {
        let (t, changes) =
            run(&[(Status::Operational, 0, 5), (Status::PartialOutage, 20, 3), (Status::Operational, 0, 60)]);
        assert!(changes.is_empty());
        assert!(t.active().is_empty());
    }

    #[test]
    fn an_outage_goes_through_the_whole_lifecycle() {
        let (t, changes) =
            run(&[(Status::Operational, 0, 5), (Status::PartialOutage, 20, 60), (Status::Operational, 0, 45)]);
        let states: Vec<_> = changes.iter().map(|i| i.state).collect();
        assert_eq!(
            states,
            vec![
                IncidentState::Investigating,
                IncidentState::Identified,
                IncidentState::Monitoring,
                IncidentState::Resolved
            ]
        );
        let last = changes.last().unwrap();
        assert_eq!(last.updates.len(), 4);
        assert_eq!(last.impact, Status::PartialOutage);
        assert!(last.resolved_at.is_some());
        assert!(t.active().is_empty());
        assert_eq!(last.started_at, utc(1_000_000 + 5 * 60), "started when the outage was first seen");
    }

    #[test]
    fn escalation_is_recorded_and_widens_the_impact() {
        let (t, changes) = run(&[(Status::Degraded, 5, 10), (Status::MajorOutage, 80, 10)]);
        let open = t.active();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].impact, Status::MajorOutage);
        assert!(changes.iter().any(|i| i.updates.last().unwrap().body_en.contains("Impact changed: major outage")));
    }

    #[test]
    fn a_relapse_while_monitoring_reopens_the_same_incident() {
        let (t, _) =
            run(&[(Status::PartialOutage, 20, 20), (Status::Operational, 0, 10), (Status::PartialOutage, 20, 5)]);
        let open = t.active();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].state, IncidentState::Identified);
    }
}
