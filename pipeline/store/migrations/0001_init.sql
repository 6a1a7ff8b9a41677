-- Raw layer: immutable facts about feeds, runs, fetches and articles.
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
COMMENT ON TABLE meta IS 'Warehouse-wide settings: schema and tagger versions, demo flag, last publish.';
COMMENT ON COLUMN meta.key IS 'Setting name, e.g. tagger_version, is_demo.';
COMMENT ON COLUMN meta.value IS 'Setting value as text.';

CREATE TABLE feeds (
    feed_id VARCHAR PRIMARY KEY,
    url VARCHAR NOT NULL,
    name VARCHAR,
    outlet VARCHAR,
    outlet_country VARCHAR,
    language VARCHAR,
    tier VARCHAR,
    tags VARCHAR[],
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    added_at TIMESTAMPTZ NOT NULL,
    etag VARCHAR,
    last_modified VARCHAR,
    body_hash VARCHAR,
    last_full_fetch_at TIMESTAMPTZ,
    last_status VARCHAR,
    last_http_status INTEGER,
    last_error VARCHAR,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_success_at TIMESTAMPTZ,
    last_checked_at TIMESTAMPTZ,
    next_check_at TIMESTAMPTZ,
    gone BOOLEAN NOT NULL DEFAULT FALSE,
    key_mode VARCHAR NOT NULL DEFAULT 'guid'
);
COMMENT ON TABLE feeds IS 'Every feed we poll, with its polling state (conditional GET validators, backoff, health).';
COMMENT ON COLUMN feeds.feed_id IS 'Stable feed identifier from the feed list.';
COMMENT ON COLUMN feeds.url IS 'Current URL; updated by permanent (301/308) redirects only.';
COMMENT ON COLUMN feeds.name IS 'Human-readable feed name.';
COMMENT ON COLUMN feeds.outlet IS 'Publishing outlet (one outlet may have several feeds).';
COMMENT ON COLUMN feeds.outlet_country IS 'ISO3 country of the outlet.';
COMMENT ON COLUMN feeds.language IS 'Feed language (BCP 47).';
COMMENT ON COLUMN feeds.tier IS 'Source tier (wire, national, regional, demo, ...).';
COMMENT ON COLUMN feeds.tags IS 'Free-form feed tags from the feed list.';
COMMENT ON COLUMN feeds.enabled IS 'FALSE when an operator disabled the feed; never set silently.';
COMMENT ON COLUMN feeds.added_at IS 'When the feed entered the warehouse.';
COMMENT ON COLUMN feeds.etag IS 'ETag of the last full response, sent as If-None-Match.';
COMMENT ON COLUMN feeds.last_modified IS 'Last-Modified of the last full response, sent as If-Modified-Since.';
COMMENT ON COLUMN feeds.body_hash IS 'sha256 of the last parsed body; an identical body is not parsed again.';
COMMENT ON COLUMN feeds.last_full_fetch_at IS 'Last unconditional fetch (forced at least daily).';
COMMENT ON COLUMN feeds.last_status IS 'Outcome of the last fetch (ok, not_modified, unchanged, soft_fail, gone, rate_limited, error, rejected).';
COMMENT ON COLUMN feeds.last_http_status IS 'HTTP status of the last fetch (NULL for network errors and local files); 429/503 pause the whole host.';
COMMENT ON COLUMN feeds.last_error IS 'Error message of the last failed fetch, NULL after a success.';
COMMENT ON COLUMN feeds.consecutive_failures IS 'Failures since the last success; drives backoff.';
COMMENT ON COLUMN feeds.last_success_at IS 'Last fetch that succeeded (200, 304 or unchanged).';
COMMENT ON COLUMN feeds.last_checked_at IS 'Last fetch attempt of any outcome.';
COMMENT ON COLUMN feeds.next_check_at IS 'Earliest time the scheduler polls this feed again.';
COMMENT ON COLUMN feeds.gone IS 'TRUE after HTTP 410: polling stopped, visible in feed health.';
COMMENT ON COLUMN feeds.key_mode IS 'How article identity is derived: guid, or link when the feed''s GUIDs proved unstable.';

CREATE TABLE runs (
    run_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    feeds_polled INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    seconds DOUBLE,
    tagger_version VARCHAR,
    error VARCHAR
);
COMMENT ON TABLE runs IS 'One row per committed ingest, demo, import or retag run.';
COMMENT ON COLUMN runs.run_id IS 'Monotonic run number.';
COMMENT ON COLUMN runs.kind IS 'ingest, demo, import or retag.';
COMMENT ON COLUMN runs.started_at IS 'When the run started.';
COMMENT ON COLUMN runs.finished_at IS 'When the run committed.';
COMMENT ON COLUMN runs.status IS 'completed (runs are all-or-nothing, so only completed runs are stored).';
COMMENT ON COLUMN runs.feeds_polled IS 'Feeds fetched in this run.';
COMMENT ON COLUMN runs.not_modified IS 'Fetches answered 304 or with an unchanged body.';
COMMENT ON COLUMN runs.failures IS 'Fetches that failed (soft failures, errors, rejected documents, gone).';
COMMENT ON COLUMN runs.new_articles IS 'Articles stored for the first time.';
COMMENT ON COLUMN runs.duplicates IS 'Entries that matched an article already stored.';
COMMENT ON COLUMN runs.seconds IS 'Wall-clock duration of the run.';
COMMENT ON COLUMN runs.tagger_version IS 'Tagger version used for the tags written in this run.';
COMMENT ON COLUMN runs.error IS 'Run-level problem summary, if any.';

CREATE TABLE fetches (
    run_id BIGINT NOT NULL,
    feed_id VARCHAR NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    url VARCHAR,
    status_code INTEGER,
    outcome VARCHAR NOT NULL,
    bytes BIGINT,
    ms DOUBLE,
    error VARCHAR,
    entries INTEGER,
    new_articles INTEGER
);
COMMENT ON TABLE fetches IS 'Every fetch of every feed: the raw material of feed health.';
COMMENT ON COLUMN fetches.run_id IS 'Run that made the fetch (runs.run_id).';
COMMENT ON COLUMN fetches.feed_id IS 'Feed fetched (feeds.feed_id).';
COMMENT ON COLUMN fetches.fetched_at IS 'When the fetch completed.';
COMMENT ON COLUMN fetches.url IS 'URL finally fetched after redirects.';
COMMENT ON COLUMN fetches.status_code IS 'HTTP status code; NULL for network errors and local files.';
COMMENT ON COLUMN fetches.outcome IS 'ok, not_modified, unchanged, soft_fail, gone, rate_limited, error or rejected.';
COMMENT ON COLUMN fetches.bytes IS 'Body bytes received.';
COMMENT ON COLUMN fetches.ms IS 'Fetch duration in milliseconds.';
COMMENT ON COLUMN fetches.error IS 'Why the fetch or parse failed, or the bozo reason of a recovered feed.';
COMMENT ON COLUMN fetches.entries IS 'Entries parsed from the body.';
COMMENT ON COLUMN fetches.new_articles IS 'Entries that became new articles.';

CREATE TABLE articles (
    article_id VARCHAR PRIMARY KEY,
    article_key VARCHAR NOT NULL,
    url VARCHAR,
    title VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    published_at TIMESTAMPTZ,
    first_seen_at TIMESTAMPTZ NOT NULL,
    day DATE NOT NULL,
    date_quality VARCHAR NOT NULL,
    outlet VARCHAR,
    outlet_country VARCHAR,
    language VARCHAR,
    content_hash VARCHAR NOT NULL,
    title_key VARCHAR,
    run_id BIGINT NOT NULL
);
COMMENT ON TABLE articles IS 'Immutable raw articles, stored once however many feeds carried them.';
COMMENT ON COLUMN articles.article_id IS 'sha1 of article_key: the article''s stable identifier.';
COMMENT ON COLUMN articles.article_key IS 'Identity: GUID, else canonical link, else hash of title and date.';
COMMENT ON COLUMN articles.url IS 'Canonical http(s) link (tracking parameters and fragment removed); NULL when the feed gave none safe.';
COMMENT ON COLUMN articles.title IS 'Plain-text title (tags stripped, entities decoded). Untrusted: never render as HTML.';
COMMENT ON COLUMN articles.text IS 'Plain-text summary or content used for tagging. Untrusted: never render as HTML.';
COMMENT ON COLUMN articles.published_at IS 'Publication time in UTC as the feed stated it; NULL when missing or unparseable.';
COMMENT ON COLUMN articles.first_seen_at IS 'When PactWatch first stored the article (UTC).';
COMMENT ON COLUMN articles.day IS 'UTC day of published_at, else of first_seen_at: the day every daily series uses.';
COMMENT ON COLUMN articles.date_quality IS 'ok, missing, unparseable or future (published_at more than a day ahead of first_seen_at).';
COMMENT ON COLUMN articles.outlet IS 'Outlet of the first feed that carried the article.';
COMMENT ON COLUMN articles.outlet_country IS 'ISO3 country of that outlet.';
COMMENT ON COLUMN articles.language IS 'Language of that feed.';
COMMENT ON COLUMN articles.content_hash IS 'sha256 of title and text.';
COMMENT ON COLUMN articles.title_key IS 'Outlet plus normalized title: the same story re-issued by one outlet within 7 days counts once.';
COMMENT ON COLUMN articles.run_id IS 'Run that stored the article.';

CREATE TABLE article_feeds (
    article_id VARCHAR NOT NULL,
    feed_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    run_id BIGINT NOT NULL,
    PRIMARY KEY (article_id, feed_id)
);
COMMENT ON TABLE article_feeds IS 'Which feeds carried which article (an article can arrive through several feeds).';
COMMENT ON COLUMN article_feeds.article_id IS 'articles.article_id.';
COMMENT ON COLUMN article_feeds.feed_id IS 'feeds.feed_id.';
COMMENT ON COLUMN article_feeds.day IS 'The article''s day (articles.day), copied so per-feed daily counts need no join.';
COMMENT ON COLUMN article_feeds.first_seen_at IS 'When this feed first carried the article.';
COMMENT ON COLUMN article_feeds.run_id IS 'Run that recorded the link.';

-- Derived layer: rebuilt by `pactwatch retag`, every row stamped with the tagger version.
CREATE TABLE mentions (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    iso3 VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    surface VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE mentions IS 'Every country mention found in an article (derived).';
COMMENT ON COLUMN mentions.article_id IS 'articles.article_id.';
COMMENT ON COLUMN mentions.day IS 'The article''s day (v_articles.day), copied here so daily series need no join.';
COMMENT ON COLUMN mentions.iso3 IS 'ISO 3166-1 alpha-3 code of the country mentioned.';
COMMENT ON COLUMN mentions.field IS 'title or text.';
COMMENT ON COLUMN mentions.start_offset IS 'Character offset where the mention starts in that field.';
COMMENT ON COLUMN mentions.end_offset IS 'Character offset where the mention ends (exclusive).';
COMMENT ON COLUMN mentions.surface IS 'The words as written (e.g. Pyongyang''s, North Korean).';
COMMENT ON COLUMN mentions.kind IS 'name, demonym, capital, leader or place.';
COMMENT ON COLUMN mentions.tagger_version IS 'Tagger version that produced the row.';

CREATE TABLE article_countries (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    iso3 VARCHAR NOT NULL,
    mentions INTEGER NOT NULL,
    salience DOUBLE NOT NULL,
    is_focus BOOLEAN NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE article_countries IS 'Countries detected per article, with salience and focus (derived).';
COMMENT ON COLUMN article_countries.article_id IS 'articles.article_id.';
COMMENT ON COLUMN article_countries.day IS 'The article''s day (v_articles.day), copied here so daily series need no join.';
COMMENT ON COLUMN article_countries.iso3 IS 'ISO3 country code.';
COMMENT ON COLUMN article_countries.mentions IS 'Number of mentions of the country in the article.';
COMMENT ON COLUMN article_countries.salience IS 'How central the country is (frequency, title, lead, dateline), 0..1.';
COMMENT ON COLUMN article_countries.is_focus IS 'TRUE when the article is about this country.';
COMMENT ON COLUMN article_countries.tagger_version IS 'Tagger version that produced the row.';

CREATE TABLE article_topics (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    topic VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    hits INTEGER NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE article_topics IS 'Topics assigned to an article (score above the topic threshold) (derived).';
COMMENT ON COLUMN article_topics.article_id IS 'articles.article_id.';
COMMENT ON COLUMN article_topics.day IS 'The article''s day (v_articles.day), copied here so daily series need no join.';
COMMENT ON COLUMN article_topics.topic IS 'Topic id: military, nuclear, sanctions, trade, finance, energy, technology, tourism, education_culture, diplomacy, humanitarian.';
COMMENT ON COLUMN article_topics.score IS 'Article-level topic score.';
COMMENT ON COLUMN article_topics.hits IS 'Number of topic cue matches.';
COMMENT ON COLUMN article_topics.tagger_version IS 'Tagger version that produced the row.';

CREATE TABLE pair_sentences (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    iso_a VARCHAR NOT NULL,
    iso_b VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    sentence VARCHAR NOT NULL,
    topics VARCHAR[] NOT NULL,
    cue VARCHAR,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE pair_sentences IS 'Sentences naming two countries: the evidence behind every pair (derived).';
COMMENT ON COLUMN pair_sentences.article_id IS 'articles.article_id.';
COMMENT ON COLUMN pair_sentences.day IS 'The article''s day (v_articles.day), copied here so daily series need no join.';
COMMENT ON COLUMN pair_sentences.iso_a IS 'First country of the pair (alphabetically smaller ISO3).';
COMMENT ON COLUMN pair_sentences.iso_b IS 'Second country of the pair (alphabetically larger ISO3).';
COMMENT ON COLUMN pair_sentences.field IS 'title or text.';
COMMENT ON COLUMN pair_sentences.sentence_index IS 'Sentence number within the field, from 0.';
COMMENT ON COLUMN pair_sentences.start_offset IS 'Character offset where the sentence starts in that field.';
COMMENT ON COLUMN pair_sentences.end_offset IS 'Character offset where the sentence ends (exclusive).';
COMMENT ON COLUMN pair_sentences.sentence IS 'The sentence text (untrusted feed text: never render as HTML).';
COMMENT ON COLUMN pair_sentences.topics IS 'Topics with a cue inside this sentence.';
COMMENT ON COLUMN pair_sentences.cue IS 'cooperation, confrontation or NULL, from cue words in the sentence.';
COMMENT ON COLUMN pair_sentences.tagger_version IS 'Tagger version that produced the row.';

CREATE TABLE article_pairs (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    iso_a VARCHAR NOT NULL,
    iso_b VARCHAR NOT NULL,
    sentences INTEGER NOT NULL,
    topics VARCHAR[] NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE article_pairs IS 'Country pairs co-mentioned in one article (derived).';
COMMENT ON COLUMN article_pairs.article_id IS 'articles.article_id.';
COMMENT ON COLUMN article_pairs.day IS 'The article''s day (v_articles.day), copied here so daily series need no join.';
COMMENT ON COLUMN article_pairs.iso_a IS 'First country of the pair (alphabetically smaller ISO3).';
COMMENT ON COLUMN article_pairs.iso_b IS 'Second country of the pair (alphabetically larger ISO3).';
COMMENT ON COLUMN article_pairs.sentences IS 'Sentences naming both countries (0 when they only share the article).';
COMMENT ON COLUMN article_pairs.topics IS 'Topics of the pair''s sentences, else of the article.';
COMMENT ON COLUMN article_pairs.tagger_version IS 'Tagger version that produced the row.';
