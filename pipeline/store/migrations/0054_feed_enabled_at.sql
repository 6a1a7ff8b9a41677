-- `status --check --max-broken` dated a failing or gone feed from its last success, else from when it was added: a
-- feed added months ago, disabled, and enabled again today alarmed at its third failure, as if broken for months
-- (it was not polled, nor counted, while disabled). When a feed is enabled again is now kept, and a feed is broken
-- since the latest of its last success (or its addition) and that. Feeds enabled again before this version have no
-- record of it (NULL), and are dated as before.
ALTER TABLE feeds ADD COLUMN enabled_at TIMESTAMPTZ;
COMMENT ON COLUMN feeds.enabled_at IS 'When the feed was last enabled again after being disabled (`feeds enable`, or a feed list or OPML import saying enabled = true): `status --check --max-broken` counts a broken feed from no earlier than this. NULL: enabled since it was added, or enabled again before migration 0054 recorded it.';
