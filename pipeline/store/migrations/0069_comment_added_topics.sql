-- article_topics.topic listed the eleven fixed topics as the only ids; a home may add topics to
-- seeds/topics/topics.toml (tagged after a retag), and v_topic_daily's "Topic id." said nothing of either.
COMMENT ON COLUMN article_topics.topic IS 'Topic id: one of the eleven fixed ones (military, nuclear, sanctions, trade, finance, energy, technology, tourism, education_culture, diplomacy, humanitarian), or one this home added to seeds/topics/topics.toml (tagged from the retag after it was added).';
COMMENT ON COLUMN v_topic_daily.topic IS 'Topic id (article_topics.topic: the eleven fixed ones and any this home added).';
