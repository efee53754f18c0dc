//! The wizard's state as a URL query, so a copied link reproduces the result.
//!
//! Format (`application/x-www-form-urlencoded`, keys sorted):
//! - the workload form: one pair per filled [`WorkloadInput`] field, named as
//!   in the API (`purpose=fine_tuning&gpus=8&run_hours=48&sector=university`);
//!   numbers as typed, booleans `true`/`false`, `stack` comma-separated;
//! - `step=1..5`: the wizard step shown;
//! - `mode=workflow` for the multi-stage mode, with each stage's fields
//!   prefixed `s1.`, `s2.`, … (`s1.purpose=hpc_simulation&s1.output_tb=20`).

use kairr_shared::advisor::{NumberText, StageInput, WorkflowInput, WorkloadInput};
use serde_json::{Map, Value};

/// Single workload or a multi-stage workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Single,
    Workflow,
}

/// Number of wizard steps.
pub const STEPS: u8 = 5;

/// Everything the URL holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlState {
    pub mode: Mode,
    /// 1..=[`STEPS`].
    pub step: u8,
    pub input: WorkloadInput,
    pub workflow: WorkflowInput,
}

const BOOL_FIELDS: [&str; 5] = ["sharded", "allow_cpu_spill", "checkpointing", "service", "interactive"];

/// `state` as a query string with its leading `?` (empty form → `?step=1`).
pub fn encode(state: &UrlState) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if state.mode == Mode::Workflow {
        pairs.push(("mode".into(), "workflow".into()));
    }
    pairs.push(("step".into(), state.step.clamp(1, STEPS).to_string()));
    push_fields(&mut pairs, "", &state.input);
    if state.mode == Mode::Workflow {
        for (i, st) in state.workflow.stages.iter().enumerate() {
            let prefix = format!("s{}.", i + 1);
            if let Some(name) = st.name.as_deref().filter(|n| !n.is_empty()) {
                pairs.push((format!("{prefix}name"), name.to_owned()));
            }
            if let Some(out) = st.output_tb.as_ref().and_then(number_text) {
                pairs.push((format!("{prefix}output_tb"), out));
            }
            push_fields(&mut pairs, &prefix, &st.workload);
        }
    }
    let body: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", escape(k), escape(v))).collect();
    format!("?{}", body.join("&"))
}

/// The state in `query` (with or without `?`); `None` when it holds no form field.
pub fn decode(query: &str) -> Option<UrlState> {
    let pairs: Vec<(String, String)> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k), unescape(v))
        })
        .collect();
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let mode = if get("mode") == Some("workflow") { Mode::Workflow } else { Mode::Single };
    let step = get("step").and_then(|s| s.parse::<u8>().ok()).unwrap_or(1).clamp(1, STEPS);
    let input = fields_with_prefix(&pairs, "");
    let mut stages = Vec::new();
    for i in 1..=kairr_shared::advisor::workflow::MAX_STAGES {
        let prefix = format!("s{i}.");
        if !pairs.iter().any(|(k, _)| k.starts_with(&prefix)) {
            break;
        }
        let name = get(&format!("{prefix}name")).map(str::to_owned);
        let output_tb = get(&format!("{prefix}output_tb")).map(|t| NumberText::Text(t.to_owned()));
        stages.push(StageInput { name, workload: fields_with_prefix(&pairs, &prefix), output_tb });
    }
    // `?mode=workflow` alone is a state too: the workflow mode, its stages filled in by the caller.
    let empty = input == WorkloadInput::default() && stages.is_empty() && mode == Mode::Single;
    (!empty).then_some(UrlState { mode, step, input, workflow: WorkflowInput { stages } })
}

fn number_text(n: &NumberText) -> Option<String> {
    match n {
        NumberText::Number(x) => Some(format!("{x}")),
        NumberText::Text(t) if t.trim().is_empty() => None,
        NumberText::Text(t) => Some(t.clone()),
    }
}

fn push_fields(pairs: &mut Vec<(String, String)>, prefix: &str, input: &WorkloadInput) {
    let Ok(Value::Object(map)) = serde_json::to_value(input) else { return };
    for (k, v) in map {
        let text = match v {
            Value::String(s) if !s.is_empty() => s,
            Value::Number(n) => n.as_f64().map(|x| format!("{x}")).unwrap_or_default(),
            Value::Bool(b) => b.to_string(),
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
            _ => continue,
        };
        if !text.is_empty() {
            pairs.push((format!("{prefix}{k}"), text));
        }
    }
}

fn fields_with_prefix(pairs: &[(String, String)], prefix: &str) -> WorkloadInput {
    let mut map = Map::new();
    for (k, v) in pairs {
        let Some(field) = k.strip_prefix(prefix) else { continue };
        if field.contains('.') || matches!(field, "mode" | "step") {
            continue;
        }
        let value = if BOOL_FIELDS.contains(&field) {
            match v.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => continue,
            }
        } else if field == "stack" {
            Value::Array(v.split(',').filter(|s| !s.is_empty()).map(|s| Value::String(s.to_owned())).collect())
        } else {
            Value::String(v.clone())
        };
        map.insert(field.to_owned(), value);
    }
    // Through the text and `from_json`: the wizard's one JSON decoder (see `common::api`).
    crate::common::api::from_json(&Value::Object(map).to_string()).unwrap_or_default()
}

/// Percent-encodes everything but the unreserved characters (RFC 3986).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes[i] {
            b'%' if i + 2 < bytes.len() => hex(bytes[i + 1]).zip(hex(bytes[i + 2])).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(v), _) => {
                out.push(v);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kairr_shared::advisor::presets::{virtuous_cycle, PRESETS};

    #[test]
    fn every_preset_survives_the_url() {
        for p in PRESETS {
            let state = UrlState { mode: Mode::Single, step: 3, input: p.input(), workflow: WorkflowInput::default() };
            let back = decode(&encode(&state)).unwrap();
            assert_eq!(back.step, 3);
            assert_eq!(encode(&back), encode(&state), "{}", p.id);
        }
    }

    #[test]
    fn a_workflow_survives_the_url_stage_by_stage() {
        let only_mode = decode("?mode=workflow").unwrap();
        assert_eq!((only_mode.mode, only_mode.workflow.stages.len()), (Mode::Workflow, 0));
        assert_eq!(decode("?step=2"), None, "no form and no mode: the default preset");
        let state = UrlState {
            mode: Mode::Workflow,
            step: 1,
            input: PRESETS[0].input(),
            workflow: virtuous_cycle(kairr_shared::i18n::Locale::Ko),
        };
        let back = decode(&encode(&state)).unwrap();
        assert_eq!(back.mode, Mode::Workflow);
        assert_eq!(back.workflow.stages.len(), 3);
        assert_eq!(
            back.workflow.stages[2].name.as_deref(),
            Some("시뮬레이션과 결합"),
            "Korean names survive the address"
        );
        assert_eq!(encode(&back), encode(&state));
    }

    #[test]
    fn typed_text_is_kept_as_typed_and_escaped() {
        let input = WorkloadInput { gpus: Some(NumberText::Text("1,000 &x".into())), ..WorkloadInput::default() };
        let q = encode(&UrlState { input, step: 1, ..UrlState::default() });
        assert!(q.contains("gpus=1,000%20%26x"), "{q}");
        let back = decode(&q).unwrap();
        assert_eq!(back.input.gpus, Some(NumberText::Text("1,000 &x".into())));
        assert_eq!(decode("?step=2"), None);
        assert_eq!(decode(""), None);
    }
}
