"""The story key (tagging/stories.py): copies of one wire story share it whatever outlet runs them, and different
stories do not, even under a recurring headline or over stock sentences."""
from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

import pytest

from pipeline.ingest import SAME_STORY_WINDOW
from pipeline.tagging.dateline import opening_dateline_end
from pipeline.tagging.stories import (_SOURCE_SUFFIX, COPY_DAYS, LEAD_CHARACTERS, LEAD_WORDS, MIN_WORDS, StoredCopy,
                                      first_copies, story_key)
from pipeline.tagging.text import fold

TITLE = "Iran, Russia link banking systems"
LEAD = ("Iran and Russia have connected their interbank payment systems, the central banks said on Thursday, a step "
        "that lets banks of both countries settle trade without the dollar.")


@pytest.mark.parametrize("title, text", [
    (TITLE, f"TEHRAN (AP) — {LEAD}"),
    (TITLE, f"TEHRAN, Iran (AP) — {LEAD}"),
    (TITLE, f"MOSCOW, June 19 (Reuters) - {LEAD}"),
    (TITLE, f"AMMAN/BEIRUT (Reuters) - {LEAD}"),
    (f"{TITLE} - AP", LEAD), (f"{TITLE} | Reuters", LEAD), (f"{TITLE} — The Tehran Times", LEAD),
    ("IRAN, RUSSIA LINK BANKING SYSTEMS", LEAD.upper()),
    ("Iran, Russia link banking systems.", LEAD.replace(",", "").replace("  ", " ")),
    # an outlet whose feed cuts the text after its lead still runs the same story
    (TITLE, LEAD + " The link will be tested next month. " * 3),
])
def test_copies_of_one_story_share_its_key(title, text):
    """What outlets running a wire story change: the dateline (kept, restyled or dropped), case and punctuation, and
    the length of the text their feed gives."""
    assert story_key(title, text) == story_key(TITLE, LEAD) is not None


def reference_key(title: str | None, text: str | None) -> str | None:
    """story_key as first written: the whole title and the whole lead folded, the source suffix searched for always."""
    title_words = fold(_SOURCE_SUFFIX.sub("", title or "")).split()
    lead = fold((text or "")[opening_dateline_end(text or ""):]).split()[:LEAD_WORDS]
    if len(title_words) + len(lead) < MIN_WORDS:
        return None
    told = " ".join(title_words) + "\n" + " ".join(lead)
    return hashlib.sha1(told.encode("utf-8", "surrogatepass")).hexdigest()


def test_the_key_reads_the_first_characters_of_a_long_lead_as_it_reads_the_whole():
    """Keys are stored: a copy ingested later must get the key its story's first copy got. Words of every length and
    script, a Greek capital sigma (lower-cased by what follows it) at every cut, dashes and sources in titles."""
    generator = random.Random(20261207)
    words = ["Iran", "Russia", "ΣΣ", "Σ", "a", "deal-making", "é", "sanctions,", "“quoted”", "—", "İstanbul",
             *("x" * length for length in range(15, 40, 3))]  # some leads of 20 words fill the first characters
    long_leads = 0
    for _ in range(3000):
        lead = " ".join(generator.choice(words) for _ in range(generator.randrange(120)))  # up to ~1,000 characters
        long_leads += len(lead) > LEAD_CHARACTERS
        title = " ".join(generator.choice(words + ["-", "|", "– AP"]) for _ in range(generator.randrange(8)))
        assert story_key(title, lead) == reference_key(title, lead), (title, lead)
    assert 300 < long_leads < 2700  # both ways of reading the lead


def test_another_story_under_the_same_lead_or_the_same_title_has_another_key():
    """A lead of stock sentences under another headline (the demo's, an outlet's weekly listing), and one headline
    over another lead, are other stories."""
    assert story_key("Russia and Iran open trade fair", LEAD) != story_key(TITLE, LEAD)
    assert story_key(TITLE, "Iran and Russia have agreed to link their payment cards, officials in Moscow said on "
                            "Friday, after two years of talks between the banks.") != story_key(TITLE, LEAD)


@pytest.mark.parametrize("title, text", [
    ("What to know about the report.", "The jobs report is due on Friday."),
    ("Live updates", ""),
    ("", "Markets fell."),
    (None, None),
])
def test_a_title_and_lead_too_short_to_tell_a_copy_get_no_key(title, text):
    """"What to know about the report." headed the jobs report, then the inflation report four days later (README):
    too few words to tell a copy from another story, so each is a story of its own."""
    assert story_key(title, text) is None


def test_twenty_words_of_title_and_lead_together_get_a_key():
    words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    assert story_key("Iran Russia banks link", words) is not None
    assert story_key("Iran Russia banks", words) is None


@pytest.mark.parametrize("text, end", [
    ("TEHRAN (AP) — Iran said", len("TEHRAN (AP) — ")),
    ("BOISE, Idaho, March 2 - Officials said", len("BOISE, Idaho, March 2 - ")),
    ("Iran and Russia - two allies - met", 0),  # a sentence with a dash, not a dateline
    ("Russia said on Friday", 0),
])
def test_the_opening_dateline_is_told_by_its_form(text, end):
    assert opening_dateline_end(text) == end


def test_copies_join_the_first_story_of_their_key_whose_first_copy_is_within_seven_days():
    """A text run again every day is a story a week (anchored on its first copy), not one story forever; a copy
    dated before the first stored is still its story's."""
    day = date(2026, 10, 1)
    daily = [StoredCopy("k", f"d{n}", day + timedelta(days=n), f"d{n}", False) for n in range(20)]
    found = dict(first_copies(daily))
    assert sorted(set(found.values())) == ["d0", "d16", "d8"]
    assert found["d7"] == "d0" and found["d8"] == "d8" and found["d15"] == "d8"
    earlier = [StoredCopy("k", "late", day, "late", False), StoredCopy("k", "early", day - timedelta(days=3), "early",
                                                                        False)]
    assert dict(first_copies(earlier)) == {"late": "late", "early": "late"}


def test_a_run_leaves_the_stories_stored_before_it_as_they_were():
    """A stored copy that joined another story is no story's first: a new copy near it alone starts its own."""
    day = date(2026, 10, 1)
    stored = [StoredCopy("k", "first", day, "first", True),
              StoredCopy("k", "copy", day + timedelta(days=6), "first", True)]
    new = [StoredCopy("k", "near_copy", day + timedelta(days=12), "near_copy", False),
           StoredCopy("j", "other_key", day, "other_key", False)]
    assert dict(first_copies([*stored, *new])) == {"near_copy": "near_copy", "other_key": "other_key"}
    assert dict(first_copies([*stored, new[0]._replace(day=day + timedelta(days=7))])) == {"near_copy": "first"}


def test_the_copy_window_is_ingests_same_story_window():
    assert timedelta(days=COPY_DAYS) == SAME_STORY_WINDOW
