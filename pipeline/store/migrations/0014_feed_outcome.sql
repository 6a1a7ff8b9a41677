-- A body that is not a readable feed was stored as last_status 'ok' beside its 'parse: ...' error; it is
-- 'rejected', as its fetch row says.
UPDATE feeds SET last_status = 'rejected' WHERE last_status = 'ok' AND starts_with(last_error, 'parse: ');
-- A host is paused for its other feeds only when it asked for a pause: a rate_limited outcome (429, or 503 with
-- Retry-After), as during a poll. Up to this version any feed whose last HTTP status was 429 or 503 paused its
-- host in later runs, so a bare 503 from one feed in maintenance silenced the whole host for its backoff.
COMMENT ON COLUMN feeds.last_status IS 'Outcome of the last fetch (ok, not_modified, unchanged, soft_fail, gone, rate_limited, error, rejected: a body that is not a readable feed); rate_limited (429, or 503 with Retry-After) pauses the whole host until next_check_at.';
COMMENT ON COLUMN feeds.last_http_status IS 'HTTP status of the last fetch (NULL for network errors and local files).';
