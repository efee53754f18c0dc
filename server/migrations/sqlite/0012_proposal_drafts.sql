-- The committee's saved proposal adjustments per round (issue 10): a draft
-- until the proposal is adopted (then removed in the same transaction). The
-- body is the JSON of `kairr_shared::allocation::usecase::ProposalDraft`.
CREATE TABLE proposal_drafts (
    round_id TEXT PRIMARY KEY REFERENCES rounds (id),
    body     TEXT NOT NULL
);
