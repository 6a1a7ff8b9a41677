"""The real-feed pair scorer (pipeline.evaluate.real_feed_pairs), on a feed and labels written here, and the
committed hand labels' own consistency (eval/README.md)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.evaluate import PAIR_LABELS, real_feed_pairs, sentence_key
from pipeline.tagging.model import CUES
from pipeline.seeds import load_tagger
from pipeline.tagging import TOPICS
from tests.rss import Item, rss

LABEL_FIELDS = {"file", "a", "b", "sentence_sha1", "correct", "relation", "stance", "topics", "agreed", "split"}


def label(sentence: str, a: str, b: str, correct: bool, relation: bool, stance: str | None,
          topics: tuple[str, ...] = ()) -> dict:
    return {"file": "outlet/world.xml", "a": a, "b": b, "sentence_sha1": sentence_key(sentence),
            "correct": correct, "relation": relation, "stance": stance, "topics": list(topics), "agreed": True,
            "split": "check"}


def test_pairs_and_cues_are_scored_against_the_labels(tmp_path: Path):
    sentences = ["Russia and North Korea signed a defence pact.",  # cooperation cue
                 "China imposed sanctions on Japan.",  # confrontation cue
                 "Germany and France held talks as tariffs loomed.",  # one word of each: no cue
                 "Stocks rose in Italy, Spain and Greece."]  # no cue; a list of countries; finance ("stocks")
    feed = tmp_path / "feeds" / "outlet" / "world.xml"
    feed.parent.mkdir(parents=True)
    feed.write_bytes(rss([Item(sentence, guid=str(n)) for n, sentence in enumerate(sentences)], language="en"))
    # the tagger's topics: military; sanctions; diplomacy + trade ("talks", "tariffs"); finance
    labels = [label(sentences[0], "PRK", "RUS", True, True, "cooperation", ("diplomacy", "military")),
              label(sentences[1], "CHN", "JPN", True, True, "confrontation", ("sanctions",)),
              label(sentences[2], "DEU", "FRA", True, True, "cooperation", ("trade",)),  # the readers saw a cooperation
              label(sentences[3], "ESP", "ITA", False, False, None, ("finance",)),  # as if one country were misread
              label("Brazil and Chile met.", "BRA", "CHL", True, True, "cooperation")]  # not in the feed
    labels_path = tmp_path / "labels.jsonl"
    labels_path.write_text("".join(json.dumps(row) + "\n" for row in labels), encoding="utf-8")

    scores = {row["measure"]: (row["value"], row["n"])
              for row in real_feed_pairs(tmp_path / "feeds", load_tagger(), labels_path)}

    # topics: 4 right (military, sanctions, trade, finance), 1 extra (diplomacy), 1 missed (diplomacy)
    assert scores.pop("real_pair_topic_precision") == (0.8, 5)
    assert scores.pop("real_pair_topic_recall") == (0.8, 5)
    per_topic = {measure: scores.pop(measure) for measure in list(scores) if measure.startswith("real_pair_topic_")}
    assert per_topic["real_pair_topic_military_f1"] == (1.0, 1)
    assert per_topic["real_pair_topic_diplomacy_f1"] == (0.0, 1) and per_topic["real_pair_topic_finance_f1"] == (1.0, 1)
    assert per_topic["real_pair_topic_tourism_f1"] == (0.0, 0) and len(per_topic) == len(TOPICS)
    assert scores == {
        "real_pair_labels_found": (0.8, 5),
        "real_pair_sentence_precision": (0.75, 4),
        "real_pair_sentence_relation_share": (0.75, 4),
        "real_pair_listed_unrelated": (1.0, 1),  # Italy and Spain, items of a list, do not relate
        "real_pair_unlisted_relation_share": (1.0, 3),
        "real_cue_cooperation_precision": (1.0, 1),
        "real_cue_cooperation_recall": (0.5, 2),
        "real_cue_confrontation_precision": (1.0, 1),
        "real_cue_confrontation_recall": (1.0, 1),
    }


def test_a_missing_feed_file_leaves_its_labels_unfound(tmp_path: Path):
    labels_path = tmp_path / "labels.jsonl"
    labels_path.write_text(json.dumps(label("Russia and Ukraine clashed.", "RUS", "UKR", True, True,
                                            "confrontation")) + "\n", encoding="utf-8")
    scores = {row["measure"]: row["value"] for row in real_feed_pairs(tmp_path, load_tagger(), labels_path)}
    assert scores["real_pair_labels_found"] == 0.0


@pytest.fixture(scope="module")
def committed_labels() -> list[dict]:
    return [json.loads(line) for line in PAIR_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_committed_labels_are_consistent(committed_labels):
    assert len(committed_labels) >= 200
    keys = set()
    for row in committed_labels:
        assert set(row) == LABEL_FIELDS, row
        assert re.fullmatch(r"[A-Z]{3}", row["a"]) and re.fullmatch(r"[A-Z]{3}", row["b"]) and row["a"] < row["b"]
        assert re.fullmatch(r"[0-9a-f]{16}", row["sentence_sha1"])
        assert not Path(row["file"]).is_absolute() and ".." not in Path(row["file"]).parts
        assert row["stance"] in (*CUES, "neutral", None) and row["split"] in ("tuned", "check")
        assert set(row["topics"]) <= set(TOPICS) and row["topics"] == sorted(set(row["topics"]))
        assert row["relation"] == (row["stance"] is not None), row  # a relation has a stance, and only it
        assert row["correct"] or not row["relation"], row  # a misread pair relates nothing
        keys.add((row["file"], row["a"], row["b"], row["sentence_sha1"]))
    assert len(keys) == len(committed_labels)
