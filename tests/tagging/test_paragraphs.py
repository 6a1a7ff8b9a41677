"""Text stored in paragraphs (a blank line between them, migration 0071) is tagged as the same text was on one line,
where the paragraphs were parted by one space: the rules that read a position or a length (the lead's first
lead_chars, the reach of a dateline, an article's length for its topic thresholds) count a paragraph break as that
one space, and a copy of a wire story stored before the upgrade and one stored after share their story."""
from __future__ import annotations

import random

import pytest

from pipeline.seeds import load_tagger
from pipeline.tagging import ArticleTags
from pipeline.tagging.dateline import opening_dateline_end
from pipeline.tagging.stories import story_key
from pipeline.tagging.text import one_line_length, one_line_offset

# Each ends a sentence, so both texts split into the same sentences and only positions and lengths tell them apart.
SENTENCES = ["Russia and North Korea signed a military pact.", "China warned Taiwan over its drills.",
             "The committee met again today and adjourned.", "Officials from Iran attended the talks in Vienna.",
             "Trade between India and Japan grew by a third.", "Tourists from Germany flocked to the resorts.",
             "Sanctions on Venezuela were eased.", "Nothing else was said.", "Kim Jong Un met Putin in Pyongyang.",
             "Delegates from Brazil also attended."]
OPENINGS = ["", "KYIV, Ukraine (Reuters) - ", "SEOUL (Reuters) - ", "MOSCOW, June 19 (Reuters) - "]
LABELS = ["UPDATED", "BREAKING", "Analysis"]  # a short paragraph above the dateline, with no full stop


def outputs(tags: ArticleTags) -> tuple:
    """What a reader counts of an article: every field but offsets and the sentences' own text, and each pair
    sentence's reading once (a label glued to the sentence below it on one line makes a repeated sentence two)."""
    return (tags.countries, tags.focus, dict(tags.salience), tags.topic_ids,
            [(mention.iso3, mention.kind, mention.field, mention.surface) for mention in tags.mentions],
            sorted({(pair.a, pair.b, pair.topics, pair.cue) for pair in tags.pair_sentences}))


def paragraphed(generator: random.Random) -> list[str]:
    paragraphs = [" ".join(generator.choice(SENTENCES) for _ in range(generator.randrange(1, 4)))
                  for _ in range(generator.randrange(1, 9))]
    paragraphs[0] = generator.choice(OPENINGS) + paragraphs[0]
    if generator.random() < 0.3:
        paragraphs.insert(0, generator.choice(LABELS))
    return paragraphs


def test_text_in_paragraphs_is_tagged_as_it_was_on_one_line():
    """Random articles of whole sentences, a dateline and a label above it at times, their lead's end falling before,
    inside or after a paragraph break: one paragraph break more before a mention at 295 put it past the 300 characters
    of the lead, and a label above the dateline made it no dateline (its head spanned a line break)."""
    tagger, generator = load_tagger(), random.Random(20261207)
    for _ in range(400):
        paragraphs = paragraphed(generator)
        title = generator.choice(SENTENCES)
        stored, before = "\n\n".join(paragraphs), " ".join(paragraphs)
        assert outputs(tagger.tag(title, stored)) == outputs(tagger.tag(title, before)), stored
        assert story_key(title, stored) == story_key(title, before), stored


def test_a_label_above_the_dateline_reads_with_it():
    tags = load_tagger().tag("Prisoners swapped", "UPDATED\n\nKYIV, Ukraine (Reuters) - Russia freed 90 prisoners.")
    assert [(m.iso3, m.surface, m.start) for m in tags.mentions if m.kind == "place"] == [("UKR", "Ukraine", 15)]
    assert opening_dateline_end("UPDATED\n\nKYIV, Ukraine (Reuters) - Russia") == \
        opening_dateline_end("UPDATED KYIV, Ukraine (Reuters) - Russia") + 1


@pytest.mark.parametrize("text, reach, offset", [
    ("a" * 400, 300, 300), ("ab\n\ncd", 3, 4), ("ab\n\ncd", 2, 2), ("a\n\nb\n\nc", 3, 4), ("a\n\nb\n\nc", 4, 6)])
def test_a_paragraph_break_counts_as_one_character_of_a_reach(text, reach, offset):
    assert one_line_offset(text, reach) == offset
    assert one_line_length(text[:offset]) == min(reach, one_line_length(text))
