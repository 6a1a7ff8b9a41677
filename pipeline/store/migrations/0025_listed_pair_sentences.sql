-- Tagger 1.15 marks a pair sentence whose two countries are items of one list of countries ("Trump's Military Parade
-- Set Beside Those of France, Russia and North Korea"): in the hand labels of real news such a sentence relates its
-- two countries once in 25 (eval/README.md), against 82 % of the other pair sentences. The sentences stay evidence
-- (they name both countries); the mark lets the evidence lists set them apart. NULL until `pactwatch retag` for
-- sentences tagged before this migration.
ALTER TABLE pair_sentences ADD COLUMN listed BOOLEAN;
COMMENT ON COLUMN pair_sentences.listed IS 'True when the two countries are items of one list of countries in the sentence (three or more joined by commas and "and", or two and "and others"): the sentence names them side by side and seldom relates them to each other; such a sentence has no cue. NULL for sentences tagged before migration 0025 (tagger before 1.15) until `pactwatch retag`.';
