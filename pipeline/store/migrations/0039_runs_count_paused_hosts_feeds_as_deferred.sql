-- A feed whose host had asked for a pause (a 429, or a 503 with Retry-After, of another of its feeds) is not asked:
-- its fetch is rate_limited without a status, "deferred: … asked for a pause". The run counted it as a feed polled
-- and a failure and listed it in runs.error, ahead of the real failures, where v_feed_daily counts it deferred, not
-- sent. Runs now count it as they count a feed the fetch budget deferred: neither polled nor failed (runs written
-- before schema 39 counted it in both).
COMMENT ON COLUMN runs.feeds_polled IS 'Feed documents fetched in this run: one per feed polled, several for a demo or replay run that reads several captures of one feed, none for a feed not asked (deferred by the fetch budget, counted before migration 0032; or rate_limited without a status, its host having asked for a pause, counted before migration 0039) (an import run: one per source among its records, each source''s feed import-<source>; a retag run: 0).';
COMMENT ON COLUMN runs.failures IS 'Fetches that failed: every outcome but ok, not_modified, unchanged and deferred (soft_fail, gone, rate_limited, error, rejected), and a fetched body that did not parse; not a feed left unasked because its host had asked for a pause (rate_limited without a status: counted before migration 0039).';
