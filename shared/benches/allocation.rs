//! Benchmarks of the allocation programme (divan): the proposal for a
//! 10,000-request round (target < 1 s), one committee adjustment, and the
//! committee overview of 10,000 requests and 5,000 allocations. The round is
//! the demo generator scaled up. Run with
//! `cargo bench -p kairr-shared --bench allocation`.

use chrono::NaiveDate;
use divan::{black_box, Bencher};
use kairr_shared::allocation::{
    demo_data, propose, Adjustment, Candidate, DemoData, IdlePolicy, OverviewInput, ProposalConfig, RoundOverview,
    FIRST_CALL_2026,
};
use kairr_shared::allocation::{DemoSpec, Request, RequestState};
use kairr_shared::catalogue::Catalogue;

fn main() {
    divan::main();
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap_or_default()
}

/// 10,000 proposals asking 30,000 servers; 5,000 funded with 10,000 servers.
fn big_round() -> DemoData {
    let spec = DemoSpec {
        proposals: 10_000,
        requested_gpus: 8 * 30_000,
        funded_gpus: [8 * 6_000, 8 * 3_000, 8 * 1_000],
        funded_projects: [3_000, 1_500, 500],
        org_cap_servers: 1_000_000,
        ..FIRST_CALL_2026
    };
    let cat = Catalogue::embedded().unwrap_or_else(|e| panic!("embedded catalogue: {e}"));
    demo_data(&spec, 1, today(), &cat).unwrap_or_else(|e| panic!("bench round: {e}"))
}

/// The round's requests as if none were decided yet (the proposal fills them all).
fn undecided(requests: &[Request]) -> Vec<Request> {
    requests.iter().cloned().map(|r| Request { state: RequestState::UnderReview, ..r }).collect()
}

#[divan::bench(sample_count = 10)]
fn proposal_10000_requests(bencher: Bencher) {
    let data = big_round();
    let candidates = Candidate::all(&undecided(&data.requests), &data.reviews, &[]);
    bencher.bench(|| propose(black_box(&data.round), black_box(&candidates), &ProposalConfig::default()));
}

#[divan::bench(sample_count = 20)]
fn adjustment_of_one_request(bencher: Bencher) {
    let data = big_round();
    let candidates = Candidate::all(&undecided(&data.requests), &data.reviews, &[]);
    let proposal = propose(&data.round, &candidates, &ProposalConfig::default());
    let line = proposal.lines.iter().find(|l| l.proposed > 0).map(|l| (l.request, l.proposed - 1));
    let Some((request, amount)) = line else { panic!("nothing proposed") };
    bencher
        .with_inputs(|| proposal.clone())
        .bench_local_refs(|p| p.apply_adjustment(&data.round, Adjustment { request, amount }));
}

#[divan::bench(sample_count = 10)]
fn overview_10000_requests_5000_allocations(bencher: Bencher) {
    let data = big_round();
    bencher.bench(|| {
        RoundOverview::build(&OverviewInput {
            round: &data.round,
            requests: &data.requests,
            allocations: &data.allocations,
            usage: &data.usage,
            today: today(),
            idle: IdlePolicy::default(),
            metering: &Default::default(),
        })
    });
}
