-- The same-story rule's title key starts with the outlet's key scope (its name when its first feed was added)
-- rather than its current name, so a reissue after a rename meets the articles stored under the old name.
-- Scope and name are the same for every outlet never renamed, so the stored title keys stay as they are.
COMMENT ON COLUMN articles.title_key IS 'Key scope of the outlet (feeds.key_scope: its name when its first feed was added) plus normalized title: the same story re-issued by one outlet within 7 days (same title, mostly the same words) counts once.';
