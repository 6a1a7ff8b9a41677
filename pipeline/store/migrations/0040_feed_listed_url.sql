-- A permanent redirect (301/308) moves feeds.url, and registering the feed list again (`ingest --feeds FILE` from
-- cron, `feeds add`, `feeds import-opml`) read the listed URL as a new one: it put it back and reset the feed's
-- validators, backoff and next check, so every run lost its conditional GET and followed the redirect again. The URL
-- the list gave is now kept apart from the one polled, and only a list naming another URL resets the feed. Feeds
-- stored before this version take their current URL: one already moved is reset once more, at its next registration.
ALTER TABLE feeds ADD COLUMN listed_url VARCHAR;
UPDATE feeds SET listed_url = url;
COMMENT ON COLUMN feeds.listed_url IS 'URL the feed list, `feeds add` or `feeds import-opml` last gave for this feed; url differs from it after a permanent redirect. Registering the same URL again keeps url and the polling state; another URL replaces both and resets that state. Credentials in it are shown as *** in the published snapshot.';
COMMENT ON COLUMN feeds.url IS 'Current URL: the feed list''s (listed_url), a permanent (301/308) redirect''s target, or the latest file an import of that source read. Credentials in it (a password, a secret parameter such as apikey=) are kept in the writer''s file, which the poller reads, and shown as *** in the published snapshot.';
