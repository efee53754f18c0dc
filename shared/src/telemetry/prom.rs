//! Prometheus HTTP API answers (`/api/v1/query`, `/api/v1/query_range`):
//! the JSON envelope, `status: error`, and vector/matrix/scalar results,
//! reduced to one value per series.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One series of a query answer: its labels and its latest value.
#[derive(Debug, Clone, PartialEq)]
pub struct PromSample {
    /// Label names → values (`__name__`, `instance`, `Hostname`, …).
    pub labels: BTreeMap<String, String>,
    /// The series' value (the last one of a range answer); may be NaN or ±Inf.
    pub value: f64,
}

impl PromSample {
    /// The value of label `name`, if present.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels.get(name).map(String::as_str)
    }
}

/// An answer that carries no usable data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PromError {
    /// Prometheus answered `status: error` (e.g. a PromQL syntax error).
    #[error("prometheus error ({error_type}): {message}")]
    Api { error_type: String, message: String },
    /// Not the JSON Prometheus sends.
    #[error("not a Prometheus API answer: {0}")]
    Malformed(String),
    /// A sample value that is not a number.
    #[error("sample value {0:?} is not a number")]
    BadValue(String),
}

#[derive(Deserialize)]
struct Envelope {
    status: String,
    #[serde(default)]
    data: Option<Data>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
enum Data {
    Vector(Vec<Instant>),
    Matrix(Vec<Range>),
    Scalar((f64, String)),
    String(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct Instant {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    value: (f64, String),
}

#[derive(Deserialize)]
struct Range {
    #[serde(default)]
    metric: BTreeMap<String, String>,
    values: Vec<(f64, String)>,
}

fn number(s: &str) -> Result<f64, PromError> {
    // Prometheus writes special values as "NaN", "+Inf", "-Inf"; Rust parses all three.
    s.parse::<f64>().map_err(|_| PromError::BadValue(s.to_owned()))
}

/// Parses the body of an instant or range query into one sample per series
/// (a range series gives its last value; a scalar gives one unlabelled sample).
pub fn parse_query(body: &str) -> Result<Vec<PromSample>, PromError> {
    let env: Envelope = serde_json::from_str(body).map_err(|e| PromError::Malformed(e.to_string()))?;
    if env.status != "success" {
        return Err(PromError::Api {
            error_type: env.error_type.unwrap_or_else(|| "unknown".into()),
            message: env.error.unwrap_or_else(|| format!("status {:?}", env.status)),
        });
    }
    let Some(data) = env.data else {
        return Err(PromError::Malformed("success without data".into()));
    };
    match data {
        Data::Vector(v) => {
            v.into_iter().map(|s| Ok(PromSample { labels: s.metric, value: number(&s.value.1)? })).collect()
        }
        Data::Matrix(m) => m
            .into_iter()
            .filter_map(|s| s.values.last().cloned().map(|v| (s.metric, v)))
            .map(|(labels, v)| Ok(PromSample { labels, value: number(&v.1)? }))
            .collect(),
        Data::Scalar((_, v)) => Ok(vec![PromSample { labels: BTreeMap::new(), value: number(&v)? }]),
        Data::String(_) => Err(PromError::Malformed("a string result is not a measurement".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str = include_str!("testdata/prom_query.json");
    const RANGE: &str = include_str!("testdata/prom_query_range.json");

    #[test]
    fn a_vector_answer_gives_each_series_with_its_labels() {
        let s = parse_query(QUERY).unwrap();
        let got: Vec<_> = s.iter().map(|x| (x.label("Hostname").unwrap(), x.label("gpu").unwrap(), x.value)).collect();
        assert_eq!(got, vec![("g1", "0", 87.0), ("g1", "1", 12.0), ("g2", "0", 100.0)]);
        assert_eq!(s[0].label("instance"), Some("127.0.0.1:19400"));
    }

    #[test]
    fn a_matrix_answer_gives_the_last_value_of_each_series() {
        let s = parse_query(RANGE).unwrap();
        let got: Vec<_> = s.iter().map(|x| (x.label("Hostname").unwrap(), x.value)).collect();
        assert_eq!(got, vec![("g1", 49.5), ("g2", 100.0)]);
    }

    #[test]
    fn status_error_carries_the_type_and_message() {
        let body =
            r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error"}"#;
        let e = parse_query(body).unwrap_err();
        assert_eq!(
            e,
            PromError::Api {
                error_type: "bad_data".into(),
                message: "invalid parameter \"query\": 1:5: parse error".into()
            }
        );
        assert!(e.to_string().contains("bad_data"));
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for body in [
            "",
            "<html>502 Bad Gateway</html>",
            "{}",
            r#"{"status":"success"}"#,
            r#"{"status":"success","data":{"resultType":"vector","result":[{"value":[1]}]}}"#,
        ] {
            assert!(matches!(parse_query(body), Err(PromError::Malformed(_))), "{body}");
        }
    }

    #[test]
    fn special_values_parse_and_words_do_not() {
        let body = |v: &str| {
            format!(
                r#"{{"status":"success","data":{{"resultType":"vector","result":[{{"metric":{{}},"value":[1,"{v}"]}}]}}}}"#
            )
        };
        assert!(parse_query(&body("NaN")).unwrap()[0].value.is_nan());
        assert_eq!(parse_query(&body("+Inf")).unwrap()[0].value, f64::INFINITY);
        assert_eq!(parse_query(&body("busy")), Err(PromError::BadValue("busy".into())));
    }

    #[test]
    fn a_scalar_is_one_unlabelled_sample_and_an_empty_vector_is_empty() {
        let s = parse_query(r#"{"status":"success","data":{"resultType":"scalar","result":[1,"3"]}}"#).unwrap();
        assert_eq!(s, vec![PromSample { labels: BTreeMap::new(), value: 3.0 }]);
        let e = parse_query(r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#).unwrap();
        assert!(e.is_empty());
    }
}
