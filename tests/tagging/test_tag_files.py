"""`pactwatch tag` file contract: one output row per input row, same order, streamed."""
from __future__ import annotations

import json

import pytest

from pipeline.seeds import load_tagger
from pipeline.tag_files import tag_jsonl, tag_rows


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_round_trip_keeps_ids_and_order(tmp_path):
    rows = [
        {"id": "a", "title": "RUSSIA, NORTH KOREA SIGN PACT", "text": "Moscow and Pyongyang signed a defence pact.",
         "published": "2024-06-19T08:00:00Z"},
        {"id": 2, "title": "", "text": "Nothing geographic here."},
        {"id": "c", "title": "Japan trade surplus widens", "text": "Exports to the U.S. rose; tariffs loom.",
         "published": None},
    ]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, rows)
    assert tag_jsonl(source, target, load_tagger()) == 3
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in out] == ["a", 2, "c"]
    assert out[0]["countries"] == ["PRK", "RUS"] and out[0]["pairs"] == [["PRK", "RUS"]]
    assert out[1]["countries"] == [] and out[1]["topics"] == []
    assert "trade" in out[2]["topics"] and isinstance(out[2]["mentions"], list)
    assert all(row["tagger_version"] == load_tagger().version for row in out)


def test_tag_rows_is_lazy():
    def endless():
        number = 0
        while True:
            number += 1
            yield {"id": number, "title": "", "text": "Chile"}

    stream = tag_rows(endless(), load_tagger())
    assert [next(stream)["id"] for _ in range(3)] == [1, 2, 3]


def test_bad_line_names_the_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "title": "", "text": ""}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"in.jsonl:2"):
        tag_jsonl(source, tmp_path / "out.jsonl", load_tagger())


def test_reported_scores_are_rounded_like_round_and_the_memo_stays_bounded():
    from pipeline.tagging import model

    values = [index / 7 for index in range(70_000)] + [2 / 3, 0.0005, 0.0015, 2.675, 1e-9]
    assert [model.rounded(value) for value in values] == [round(value, 3) for value in values]
    assert [model.rounded(value) for value in values[:100]] == [round(value, 3) for value in values[:100]]  # memo hits
    assert len(model._ROUNDED) <= model._ROUNDED_MAX
