-- A body that is not a readable feed was stored as last_status 'ok' beside its 'parse: ...' error; it is
-- 'rejected', as its fetch row says.
UPDATE feeds SET last_status = 'rejected' WHERE last_status = 'ok' AND starts_with(last_error, 'parse: ');
