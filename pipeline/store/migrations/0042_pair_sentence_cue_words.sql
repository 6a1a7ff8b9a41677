-- Tagger 1.28 keeps the words that decided each pair sentence's cue, so the evidence lists can show why a sentence
-- reads as cooperation or confrontation: the cue is the one tag whose sentence alone did not say which of its words
-- counted ("Washington said the banks helped Moscow evade sanctions" reads as cooperation through "helped" and
-- "evade sanctions"). NULL until `pactwatch retag` for sentences tagged before this migration.
ALTER TABLE pair_sentences ADD COLUMN cue_words VARCHAR[];
COMMENT ON COLUMN pair_sentences.cue_words IS 'The cue words (seeds/topics/cues.toml) that decided cue, as written in the sentence, each once, in text order: those of the winning family among the words near the pair''s mentions, else in the whole sentence. Empty when cue is NULL; NULL for sentences tagged before migration 0042 (tagger before 1.28) until `pactwatch retag`.';
