-- DuckDB keeps a PRIMARY KEY as an in-memory ART index that every insert probes and every checkpoint
-- rewrites whole: at 1M articles it made each run's write ~4x slower and grew the writer's memory with
-- the table. Identity stays unique because there is one writer (the home's lock) and it checks first:
-- RunBuilder skips stored article ids, and links go in through an anti-join (Warehouse.write_run).
-- DuckDB cannot drop a constraint in place, so both tables are rebuilt; migrate() carries the comments over.
CREATE TABLE articles_v5 (
    article_id VARCHAR NOT NULL,
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
INSERT INTO articles_v5 SELECT * FROM articles ORDER BY day, article_id;
DROP TABLE articles;
ALTER TABLE articles_v5 RENAME TO articles;

CREATE TABLE article_feeds_v5 (
    article_id VARCHAR NOT NULL,
    feed_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    run_id BIGINT NOT NULL
);
INSERT INTO article_feeds_v5 SELECT * FROM article_feeds ORDER BY day, article_id;
DROP TABLE article_feeds;
ALTER TABLE article_feeds_v5 RENAME TO article_feeds;
