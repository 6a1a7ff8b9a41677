-- A URL GUID was stored as it came ("guid:<URL>", tracking parameters and all) and a GUID-less entry's link as
-- "url:<canonical URL>", so one document carried by two outlets, one giving its URL as GUID and one as link,
-- was stored twice. From this version both are "url:<canonical URL>"; an article stored earlier keeps its key,
-- and the ingest finds it under either form (no stored key changes, nothing is stored twice).
COMMENT ON COLUMN articles.article_key IS 'Identity: url:<canonical URL> when the GUID or, without one, the link is a URL (guid:<URL> for URL GUIDs stored before migration 0016, and for GUID URLs with a fragment that is not a route); <feeds.key_scope>:guid:<id> for other GUIDs; else hash: of the title and date.';
