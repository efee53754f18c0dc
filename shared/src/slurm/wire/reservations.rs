//! `/reservations` (REST v0.0.37 and v0.0.38; v0.0.36 has no such endpoint).

use serde::Deserialize;

use super::super::hostlist;
use super::super::model::{Parsed, Reservation};
use super::super::{ApiVersion, SlurmError};
use super::{body, read, time};

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    reservations: Vec<ReservationV37>,
}

#[derive(Deserialize)]
struct ReservationV37 {
    name: String,
    node_list: Option<String>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    #[serde(default)]
    flags: Vec<String>,
}

/// Reads a `/reservations` answer (v0.0.37 or v0.0.38).
pub fn parse_reservations(text: &str) -> Result<Parsed<Reservation>, SlurmError> {
    read(text, "reservations", |version, text| {
        if version == ApiVersion::V0036 {
            return Err(SlurmError::NotInVersion { what: "reservations", version });
        }
        let mut budget = hostlist::Budget::default();
        body::<Answer>(text, "reservations")?
            .reservations
            .into_iter()
            .map(|r| {
                Ok(Reservation {
                    nodes: hostlist::expand_within(r.node_list.as_deref().unwrap_or_default(), &mut budget)
                        .map_err(|source| SlurmError::HostList { what: "reservations", source })?,
                    name: r.name,
                    start_time: time(r.start_time).unwrap_or(0),
                    end_time: time(r.end_time).unwrap_or(0),
                    maintenance: r.flags.iter().any(|f| f.trim().eq_ignore_ascii_case("MAINT")),
                })
            })
            .collect()
    })
}
