"""A long text costs in proportion to its length: each pair sentence looks up its own topic and cue hits, and each
pair-only word its sentence and scored words, by bisection (pairs.starts_by_span, topics.covered), instead of
scanning every hit of the field (a 900 KB text of pair sentences took 5 minutes); overlapping names keep the longest
by marking the characters taken (places.longest_matches), not by list.insert into a sorted list. Checked by counting
the work done, not by timing it: the helpers against brute force, and the lines the tagger runs as a text doubles."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from pipeline.tagging.lexicon import PlaceEntry
from pipeline.tagging.matcher import Hit, Pattern
from pipeline.tagging.pairs import starts_by_span
from pipeline.tagging.places import longest_matches, reading_priority
from pipeline.tagging.topics import covered, span_index

ROOT = Path(__file__).resolve().parents[2]


def random_sentences(rng: random.Random) -> list[tuple[int, int]]:
    """Ascending disjoint spans, some touching (no gap: full-width marks), some one character long."""
    spans, position = [], rng.randrange(0, 3)
    for _ in range(rng.randrange(0, 8)):
        length = rng.randrange(1, 6)
        spans.append((position, position + length))
        position += length + rng.randrange(0, 3)
    return spans


def test_starts_by_span_finds_what_scanning_every_span_finds():
    rng = random.Random(7)
    for _ in range(3000):
        spans = random_sentences(rng)
        starts = [rng.randrange(0, 45) for _ in range(rng.randrange(0, 12))]  # repeats, gaps, edges, past the end
        expected = [[item for item, at in enumerate(starts) if start <= at < end] for start, end in spans]
        assert starts_by_span(spans, starts) == expected, (spans, starts)


def test_covered_answers_what_comparing_every_span_answers():
    """Spans that overlap, nest, repeat and share edges, of two fields and two topics."""
    rng = random.Random(11)
    keys = [("title", "trade"), ("text", "trade"), ("text", "diplomacy")]
    for _ in range(2000):
        spans = []
        for _ in range(rng.randrange(0, 8)):
            start = rng.randrange(0, 20)
            spans.append((*rng.choice(keys), start, start + rng.randrange(1, 8)))
        index = span_index(spans)
        for _ in range(20):
            field, topic = rng.choice(keys + [("title", "diplomacy")])
            start = rng.randrange(0, 25)
            end = start + rng.randrange(1, 6)
            expected = any(f == field and t == topic and s <= start and end <= e for f, t, s, e in spans)
            assert covered(index, field, topic, start, end) == expected, (spans, field, topic, start, end)


def test_longest_matches_keeps_what_checking_every_kept_hit_keeps():
    """Hits that overlap, nest, repeat and share edges, of every kind: the longest first, then the earliest, then the
    reading of higher priority; a hit overlapping one kept before it is dropped. In any order, and in the scan's (by
    end, the longer first), where nested hits take a path of their own."""
    patterns = [Pattern("x", (), False, PlaceEntry("x", "FRA", kind)) for kind in ("name", "capital", "demonym")]
    rng = random.Random(5)
    for _ in range(3000):
        hits = []
        for _ in range(rng.randrange(0, 10)):
            start = rng.randrange(0, 30)
            hits.append(Hit(start, start + rng.randrange(1, 9), rng.choice(patterns)))
        expected: list[Hit] = []
        for hit in sorted(hits, key=lambda hit: (hit.start - hit.end, hit.start,
                                                 reading_priority(hit.pattern.payload))):
            if all(hit.end <= other.start or other.end <= hit.start for other in expected):
                expected.append(hit)
        expected.sort(key=lambda hit: hit.start)
        for order in (hits, sorted(hits, key=lambda hit: (hit.end, hit.start))):
            assert longest_matches(order, None) == expected, [(hit.start, hit.end) for hit in order]


# Run in a child with the pure-Python sources: compiled code runs no traceable lines. Every loop that grew with the
# square of the pair sentences (topic hits, cue hits, raising words against sentences and scored words) is taken by
# "Russia and China met over trade.": a pair sentence with a topic word, a cue, and a pair-only diplomacy word; and
# every topic word against every exclude phrase by "a price war" (military's "war", excluded).
TRACED = """
import os, sys
import pipeline.tagging as tagging
from pipeline.seeds import load_tagger
assert tagging.RUNNING.startswith("pure"), tagging.RUNNING
tagger, folder = load_tagger(), os.path.dirname(tagging.__file__)
lines = 0
def local(frame, event, arg):
    global lines
    lines += event == "line"
    return local
def tracer(frame, event, arg):
    return local if frame.f_code.co_filename.startswith(folder) else None
def traced(text):
    global lines
    tagger.tag("", text)  # first call apart: caches
    lines = 0
    sys.settrace(tracer)
    tags = tagger.tag("", text)
    sys.settrace(None)
    return lines, tags
"""
COUNT_LINES = TRACED + """
for sentences in (200, 400):  # each worded apart: an article's repeated sentence is one pair sentence (1.45)
    lines, tags = traced("".join(f"Russia and China met over trade in a price war in {year}. "
                                 for year in range(1800, 1800 + sentences)))
    raised = [score.topic for score in tags.topics if score.raised]
    words = sum(hit.topic == "diplomacy" for hit in tags.topic_hits)  # each sentence's "met", raising diplomacy
    print(lines, len(tags.pair_sentences), ",".join(raised), words)
"""


def run_pure(script: str) -> list[str]:
    """The lines `script` prints, run with the pure-Python sources of the tagger."""
    env = {**os.environ, "PACTWATCH_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=True)
    return done.stdout.splitlines()


def test_tagging_work_doubles_when_the_pair_sentences_double():
    (short, *short_tags), (long, *long_tags) = [line.split() for line in run_pure(COUNT_LINES)]
    assert short_tags == ["200", "diplomacy", "200"] and long_tags == ["400", "diplomacy", "400"]
    assert int(long) / int(short) < 2.5, (short, long)  # twice the work, plus a little; squared, it was near 4


# Names inside longer names, and two names overlapping ("Papua New Guinea-Bissau": "Guinea-Bissau" loses to the
# longer one). A line count misses list.insert, which moves the tail of its list in C: what it may move (the list's
# length) is counted too.
COUNT_OVERLAPS = TRACED + """
shifted = 0
def inserts(frame, event, arg):
    global shifted
    if event == "c_call" and arg.__name__ == "insert" and isinstance(arg.__self__, list):
        shifted += len(arg.__self__)
for repeats in (1500, 3000):
    sys.setprofile(inserts)
    shifted = 0
    lines, tags = traced("Papua New Guinea-Bissau Guinea " * repeats)
    sys.setprofile(None)
    print(lines, shifted, len(tags.mentions), "|".join(sorted({mention.surface for mention in tags.mentions})))
"""


def test_tagging_work_doubles_when_the_overlapping_names_double():
    (short, short_shifted, *short_tags), (long, long_shifted, *long_tags) = [line.split(maxsplit=3)
                                                                             for line in run_pure(COUNT_OVERLAPS)]
    assert short_tags == ["4500", "Bissau|Guinea|Papua New Guinea"] and long_tags == ["9000", short_tags[1]]
    assert int(long) / int(short) < 2.5, (short, long)
    assert int(long_shifted) <= 2.5 * int(short_shifted), (short_shifted, long_shifted)  # squared on list.insert


# A first name before a capitalised word ("Jordan Smith") is a person's unless that word is a place of its own
# ("Jordan Canada"), which each such name looked for among every place hit of the field.
COUNT_PEOPLE = TRACED + """
for repeats in (1000, 2000):
    lines, tags = traced("Jordan Smith met Chad Brown. " * repeats)
    print(lines, len(tags.mentions))
"""


def test_tagging_work_doubles_when_the_names_of_people_double():
    (short, short_mentions), (long, long_mentions) = [line.split() for line in run_pure(COUNT_PEOPLE)]
    assert short_mentions == long_mentions == "0"
    assert int(long) / int(short) < 2.5, (short, long)


# A country after a line break has the word before it read (a title, a given name: "Mr\nJordan"), which was looked for
# back to the last space: in a text of one word a line and no space ("Canada\nFrance\n", a list; "\r", old Mac
# line breaks, too) back to the text's start, at every country. Since 1.27 the word's start is walked back to in Python
# (any whitespace ends it: a tab, a no-break space), so the line count sees each character looked at.
COUNT_SEARCHED = TRACED + """
for line_break in ("\\n", "\\r"):
    for repeats in (1500, 3000):
        lines, tags = traced(f"Canada{line_break}France{line_break}" * repeats)
        print(lines, len(tags.mentions))
"""


def test_tagging_work_doubles_when_the_lines_without_spaces_double():
    counts = [line.split() for line in run_pure(COUNT_SEARCHED)]
    for (short, short_mentions), (long, long_mentions) in (counts[:2], counts[2:]):
        assert (short_mentions, long_mentions) == ("3000", "6000")
        assert int(long) / int(short) < 2.5, (short, long)  # squared, it was near 4
