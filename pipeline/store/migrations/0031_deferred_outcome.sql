-- A poll starts no fetch once the run's fetch budget (`ingest --fetch-budget`, 10 minutes) has run out: six slow feeds
-- of one host held a run for three minutes, and a host's backlog of a hundred would outlast the schedule. The feeds
-- left get the outcome "deferred" and stay due; their failure count and health do not change.
COMMENT ON COLUMN fetches.outcome IS 'ok, not_modified, unchanged, soft_fail, gone, rate_limited, error, rejected, or deferred (not fetched: the run''s fetch budget ran out before its turn; no request was sent).';
COMMENT ON COLUMN feeds.last_status IS 'Outcome of the last fetch (ok, not_modified, unchanged, soft_fail, gone, rate_limited, error, rejected: a body that is not a readable feed, deferred: the run''s fetch budget ran out before its turn, still due); rate_limited (429, or 503 with Retry-After) pauses the whole host until next_check_at.';
