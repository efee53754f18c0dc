//! The operators' forms: what they post, what they refuse, and that the
//! browser's own checks find what the server refuses.

use super::*;

fn catalogue() -> Catalogue {
    Catalogue::embedded().unwrap()
}

fn input() -> IncidentInput {
    let c = catalogue();
    let sys = &c.systems[0];
    IncidentInput {
        system: sys.id.clone(),
        pool: sys.pools[0].id.clone(),
        impact: "partial_outage".into(),
        title_ko: "스토리지 지연".into(),
        title_en: "Storage latency".into(),
        body_ko: "원인을 조사하고 있습니다.".into(),
        body_en: "We are investigating.".into(),
    }
}

#[test]
fn an_operator_opens_an_incident_and_follows_it_to_resolution() {
    let t0: DateTime<Utc> = "2026-12-05T01:00:00Z".parse().unwrap();
    let i = open_incident(&input(), &catalogue(), "op-1".into(), t0).unwrap();
    assert_eq!(
        (i.state, i.impact, i.source),
        (IncidentState::Investigating, Status::PartialOutage, DataSource::Operator)
    );
    assert_eq!(i.updates.len(), 1);
    let t1 = t0 + chrono::Duration::minutes(30);
    let update =
        IncidentUpdateInput {
            state: "resolved".into(), body_ko: "복구했습니다.".into(), body_en: "Fixed.".into()
        };
    let done = update_incident(&i, &update, t1).unwrap();
    assert_eq!((done.state, done.resolved_at), (IncidentState::Resolved, Some(t1)));
    assert_eq!(done.updates.len(), 2);
    assert_eq!(update_incident(&done, &update, t1), Err(UpdateError::Resolved("op-1".into())));
    let mut detected = i.clone();
    detected.source = DataSource::Demo;
    assert!(matches!(update_incident(&detected, &update, t1), Err(UpdateError::NotOperators(_))));
}

#[test]
fn every_bad_field_is_named() {
    let bad = IncidentInput { system: "nope".into(), impact: "operational".into(), ..IncidentInput::default() };
    let e = open_incident(&bad, &catalogue(), "op-1".into(), Utc::now()).unwrap_err();
    for field in ["system", "impact", "title_ko", "title_en", "body_ko", "body_en"] {
        assert!(e.get(field).is_some(), "{field}: {e:?}");
    }
    let mut wrong_pool = input();
    wrong_pool.pool = "other-pool".into();
    assert!(open_incident(&wrong_pool, &catalogue(), "op-1".into(), Utc::now()).unwrap_err().get("pool").is_some());
}

/// A ten-hour window on 2026-12-10 (KST) for the whole of the first system.
fn window(c: &Catalogue) -> MaintenanceInput {
    MaintenanceInput {
        system: c.systems[0].id.clone(),
        title_ko: "정기 점검".into(),
        title_en: "Planned maintenance".into(),
        starts_at: "2026-12-10T09:00".into(),
        ends_at: "2026-12-10T19:00".into(),
        ..MaintenanceInput::default()
    }
}

#[test]
fn maintenance_is_read_on_the_kst_clock_and_must_be_a_future_window() {
    let c = catalogue();
    let now: DateTime<Utc> = "2026-12-05T00:00:00Z".parse().unwrap();
    let m = window(&c);
    let w = plan_maintenance(&m, &c, "opm-1".into(), now).unwrap();
    assert_eq!(w.starts_at, "2026-12-10T00:00:00Z".parse::<DateTime<Utc>>().unwrap());
    assert_eq!((w.ends_at - w.starts_at).num_hours(), 10);
    assert_eq!(w.pool_id, "");
    let backwards = MaintenanceInput { ends_at: "2026-12-10T08:00".into(), ..m.clone() };
    assert!(plan_maintenance(&backwards, &c, "x".into(), now).unwrap_err().get("ends_at").is_some());
    let past =
        MaintenanceInput { starts_at: "2026-12-01T09:00".into(), ends_at: "2026-12-01T10:00".into(), ..m.clone() };
    assert!(plan_maintenance(&past, &c, "x".into(), now).unwrap_err().get("ends_at").is_some());
    let long = MaintenanceInput { ends_at: "2026-12-30T09:00".into(), ..m.clone() };
    assert!(plan_maintenance(&long, &c, "x".into(), now).unwrap_err().get("ends_at").is_some());
    let garbled = MaintenanceInput { starts_at: "tomorrow".into(), ..m };
    assert!(plan_maintenance(&garbled, &c, "x".into(), now).unwrap_err().get("starts_at").is_some());
}

#[test]
fn the_forms_own_checks_find_what_the_server_refuses() {
    let c = catalogue();
    let places = places(&c);
    let now: DateTime<Utc> = "2026-12-05T00:00:00Z".parse().unwrap();
    let mut wrong_pool = input();
    wrong_pool.pool = "other-pool".into();
    for bad in [
        IncidentInput { system: "nope".into(), impact: "operational".into(), ..IncidentInput::default() },
        IncidentInput::default(),
        wrong_pool,
        IncidentInput { title_en: "x".repeat(MAX_TITLE + 1), ..input() },
    ] {
        let e = open_incident(&bad, &c, "op-1".into(), now).unwrap_err();
        assert_eq!(bad.field_problems(&places), e, "{bad:?}");
    }
    assert!(input().field_problems(&places).is_empty());
    let i = open_incident(&input(), &c, "op-1".into(), now).unwrap();
    let update = IncidentUpdateInput { state: "later".into(), body_ko: String::new(), body_en: "x".into() };
    let Err(UpdateError::Invalid(e)) = update_incident(&i, &update, now) else { panic!("accepted") };
    assert_eq!(update.field_problems(), e);
    let m = window(&c);
    assert!(m.field_problems(&places, now).is_empty());
    for bad in [
        MaintenanceInput { ends_at: "2026-12-10T08:00".into(), ..m.clone() },
        MaintenanceInput { starts_at: "2026-12-10 09:00".into(), ends_at: "2026-12-10T9:00".into(), ..m.clone() },
        MaintenanceInput { starts_at: "2026-12-10T24:00".into(), ends_at: "2026-12-10T+9:00".into(), ..m.clone() },
        MaintenanceInput { starts_at: "2026-12-10T09:00:00".into(), ..m.clone() },
        MaintenanceInput::default(),
    ] {
        let e = plan_maintenance(&bad, &c, "x".into(), now).unwrap_err();
        assert_eq!(bad.field_problems(&places, now), e, "{bad:?}");
    }
}
