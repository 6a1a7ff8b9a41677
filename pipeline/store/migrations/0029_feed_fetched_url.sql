-- A feed sent on to another host (a redirect) and refused there (429, or 503 with Retry-After) paused its own listed
-- host in later runs, while the host that refused went on being asked. The column keeps where the last fetch
-- ended, so that the pause falls on the host that asked for it (schedule.paused_hosts).
ALTER TABLE feeds ADD COLUMN fetched_url VARCHAR;
COMMENT ON COLUMN feeds.fetched_url IS 'URL the last fetch ended at, after any redirects (temporary ones included; url follows permanent ones only). A rate_limited feed pauses this URL''s host (and its own when both are one site, as example.com and www.example.com); the feed waits while either is paused. NULL: not fetched since migration 0029, or its URL changed since.';
