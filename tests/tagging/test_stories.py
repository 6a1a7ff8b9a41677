"""The story key (tagging/stories.py): copies of one wire story share it whatever outlet runs them, and different
stories do not, even under a recurring headline or over stock sentences."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipeline.ingest import SAME_STORY_WINDOW
from pipeline.tagging.dateline import opening_dateline_end
from pipeline.tagging.stories import COPY_DAYS, StoredCopy, first_copies, story_key

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
