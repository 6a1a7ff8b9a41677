-- A feed URL may carry credentials (a password in its userinfo, a secret query parameter such as apikey=; the list is
-- seeds/credentials.toml). The writer keeps them in feeds.url, which the poller needs; fetch URLs and errors are masked
-- ("***") when stored, and the published snapshot masks every one of these columns, rows stored before this version
-- included. No data changes here: the comments say what each column holds.
COMMENT ON COLUMN feeds.url IS 'Current URL: the feed list''s, a permanent (301/308) redirect''s target, or the latest file an import of that source read. Credentials in it (a password, a secret parameter such as apikey=) are kept in the writer''s file, which the poller reads, and shown as *** in the published snapshot.';
COMMENT ON COLUMN feeds.fetched_url IS 'URL the last fetch ended at, after any redirects (temporary ones included; url follows permanent ones only). A rate_limited feed pauses this URL''s host (and its own when both are one site, as example.com and www.example.com); the feed waits while either is paused. NULL: not fetched since migration 0029, or its URL changed since. Credentials in it are shown as *** in the published snapshot.';
COMMENT ON COLUMN feeds.last_error IS 'Error message of the last failed fetch, NULL after a success. Credentials of a URL it names are stored as ***.';
COMMENT ON COLUMN fetches.url IS 'URL finally fetched after redirects, with its credentials (a password, a secret parameter such as apikey=) stored as ***.';
COMMENT ON COLUMN fetches.error IS 'Why the fetch or parse failed, or the bozo reason of a recovered feed. Credentials of a URL it names are stored as ***.';
COMMENT ON COLUMN runs.error IS 'Run-level problem summary, if any. Credentials of a URL it names are stored as ***.';
COMMENT ON COLUMN v_feed_health.url IS 'Feed URL, credentials (a password, a secret parameter such as apikey=) shown as *** in the published snapshot.';
