-- A feed that moved to another host (a redirect) and was refused there (429, or 503 with Retry-After) paused only
-- its own listed host in later runs, while the host that refused went on being asked by the feeds listed there.
-- The column keeps where the last fetch ended, so that the pause falls on the host that asked for it too.
ALTER TABLE feeds ADD COLUMN fetched_url VARCHAR;
COMMENT ON COLUMN feeds.fetched_url IS 'URL the last fetch ended at, after any redirects (temporary ones included; url follows permanent ones only). A rate_limited feed pauses this URL''s host as well as its own. NULL: not fetched since migration 0029, or its URL changed since.';
