use super::*;
use crate::api::IncidentUpdate;
use crate::status::Status;

const KNOWN: &[&str] = &["kisti6", "gpu-cloud"];

fn input(kind: &str, target: &str, systems: &[&str]) -> SubscribeInput {
    SubscribeInput {
        kind: kind.into(),
        target: target.into(),
        systems: systems.iter().map(|s| (*s).to_owned()).collect(),
        locale: String::new(),
    }
}

#[test]
fn an_email_subscription_is_lower_cased_and_its_systems_checked() {
    let s = input("email", " Kim@Example.KR ", &["kisti6", "kisti6"]).parse(KNOWN, WebhookPolicy::default()).unwrap();
    assert_eq!(
        (s.kind, s.target.as_str(), s.systems.clone(), s.locale),
        (SubscriptionKind::Email, "kim@example.kr", vec!["kisti6".to_owned()], Locale::Ko)
    );
    let err = input("email", "not-an-address", &["mars"]).parse(KNOWN, WebhookPolicy::default()).unwrap_err();
    assert!(err.get("target").is_some());
    assert!(err.get("systems").unwrap().message_en.contains("mars"));
    assert!(input("sms", "x", &[]).parse(KNOWN, WebhookPolicy::default()).unwrap_err().get("kind").is_some());
    let too_many: Vec<String> = (0..1000).map(|i| format!("s{i}")).collect();
    let many = SubscribeInput { systems: too_many, ..input("email", "a@b.kr", &[]) };
    assert!(many.parse(KNOWN, WebhookPolicy::default()).is_err());
}

#[test]
fn webhooks_must_be_https_and_not_aim_at_the_portals_own_network() {
    let strict = WebhookPolicy::default();
    let ok = |u: &str, p| input("webhook", u, &[]).parse(KNOWN, p).is_ok();
    assert!(ok("https://hooks.example.kr/kairr?x=1", strict));
    for bad in [
        "http://hooks.example.kr/",
        "https://127.0.0.1/hook",
        "https://localhost:8443/",
        "https://10.1.2.3/",
        "https://192.168.0.10/",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/",
        "https://[fd00::1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://user:pass@hooks.example.kr/",
        "https:///nohost",
        "ftp://example.kr/",
        "https://127.0.0.1\\x/",
        "https://2130706433/",
        "https://127.1/",
        "https://0x7f.1/",
        "https://%31%32%37.0.0.1/",
        "https://localhost./",
        "https://100.64.0.1/",
        "https://[64:ff9b::a00:1]/",
        "https://[::10.0.0.1]/",
        "https://metadata.internal/",
    ] {
        assert!(!ok(bad, strict), "{bad} should be refused");
    }
    let test_rig = WebhookPolicy { allow_http: true, allow_private: true };
    assert!(ok("http://127.0.0.1:9999/hook", test_rig));
}

fn incident(updates: &[(IncidentState, i64)]) -> Incident {
    Incident {
        id: "op-7".into(),
        system_id: "kisti6".into(),
        pool_id: "kisti6-gh200".into(),
        title_ko: "스케줄러 장애".into(),
        title_en: "Scheduler outage".into(),
        impact: Status::MajorOutage,
        state: updates.last().map_or(IncidentState::Investigating, |u| u.0),
        started_at: crate::time::utc(1_767_000_000),
        resolved_at: None,
        updates: updates
            .iter()
            .map(|(s, t)| IncidentUpdate {
                at: crate::time::utc(1_767_000_000 + t),
                state: *s,
                body_ko: format!("{} 상황", s.as_str()),
                body_en: format!("{} now", s.as_str()),
            })
            .collect(),
        source: DataSource::Operator,
    }
}

#[test]
fn each_incident_update_is_one_event_with_a_stable_key() {
    let early = events_of(&[incident(&[(IncidentState::Investigating, 0)])], &[]);
    let later = events_of(&[incident(&[(IncidentState::Investigating, 0), (IncidentState::Resolved, 600)])], &[]);
    assert_eq!(early.len(), 1);
    assert_eq!(
        later.iter().map(|e| (e.key.as_str(), e.kind)).collect::<Vec<_>>(),
        vec![("incident:op-7:0", EventKind::IncidentOpened), ("incident:op-7:1", EventKind::IncidentResolved),]
    );
    assert_eq!(early[0], later[0], "reading again makes the same first event");
    assert!(follows(&[], &later[0]) && follows(&["kisti6".into()], &later[0]));
    assert!(!follows(&["gpu-cloud".into()], &later[0]));
}

#[test]
fn mails_speak_the_subscribers_language_and_say_demo_for_demo_data() {
    let mut i = incident(&[(IncidentState::Identified, 0)]);
    let e = &events_of(std::slice::from_ref(&i), &[])[0];
    let ko = event_mail(e, Locale::Ko, "https://kairr.example.kr/#incidents");
    assert!(ko.subject.contains("장애 발생") && ko.subject.contains("스케줄러 장애"), "{ko:?}");
    assert!(ko.body.contains("identified 상황") && ko.body.contains("KST") && !ko.body.contains("데모"), "{ko:?}");
    i.source = DataSource::Demo;
    let e = &events_of(&[i], &[])[0];
    let en = event_mail(e, Locale::En, "https://kairr.example.kr/#incidents");
    assert!(en.subject.contains("Incident (demo): Scheduler outage"), "{en:?}");
    assert!(confirm_mail(Locale::En, &[], "https://x/confirm").body.contains("every system"));
}
