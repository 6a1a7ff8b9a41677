-- Opaque GUIDs are scoped by outlet ("<outlet>:guid:<id>"), so that one outlet's feeds carrying the same item
-- store it once. Scoping by the outlet's current name re-keyed every article still in a feed whose outlet was
-- renamed: stored again, and the feed switched to link keys for good (its GUIDs all seemed to change). The
-- scope is now fixed when the feed is added; feeds already known keep the one their articles were stored under
-- (the outlet, else the feed id), so no stored key changes.
ALTER TABLE feeds ADD COLUMN key_scope VARCHAR;
UPDATE feeds SET key_scope = coalesce(outlet, feed_id);
COMMENT ON COLUMN feeds.key_scope IS 'Prefix of this feed''s opaque-GUID article keys (<key_scope>:guid:<id>): its outlet (else its id) when it was added, kept when the outlet is renamed so its articles keep their ids.';
