"""`pactwatch tag` file contract: one output row per input row, same order, streamed."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import timedelta
from itertools import product

import pytest

from pipeline.seeds import load_tagger
from pipeline.tag_files import day_reader, tag_jsonl, tagging_day
from tests.feeds.conftest import NOW
from tests.feeds.test_parse import plain_iso_dates


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
    summary = tag_jsonl(source, target, load_tagger())
    assert summary.rows == 3 and summary.errors == []
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in out] == ["a", 2, "c"]
    assert out[0]["countries"] == ["PRK", "RUS"] and out[0]["pairs"] == [["PRK", "RUS"]]
    assert out[1]["countries"] == [] and out[1]["topics"] == []
    assert "trade" in out[2]["topics"] and isinstance(out[2]["mentions"], list)
    assert all(row["tagger_version"] == load_tagger().version for row in out)


def test_an_integer_id_beyond_64_bits_comes_back_as_written(tmp_path):
    """orjson reads such an integer as the nearest float: the output row's id was 1.2345678901234568e+29."""
    ids = ["123456789012345678901234567890", "-99999999999999999999", "18446744073709551615", "2.5", "-0.0"]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(f'{{"id": {raw}, "title": "Chile", "text": ""}}\n' for raw in ids)
                      + '{"id": 123456789012345678901234567891, "title": 5}\n', encoding="utf-8")
    summary = tag_jsonl(source, target, load_tagger())
    out = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in out] == [json.loads(raw) for raw in ids] + [123456789012345678901234567891]
    assert json.loads(out[0])["countries"] == ["CHL"] and summary.error_count == 1


def test_a_bad_line_gets_an_error_row_in_its_place_and_the_run_goes_on(tmp_path):
    lines = ['{"id": 1, "title": "Chile", "text": ""}', "not json", "", '[1, 2]', '{"id": "t", "title": 5}',
             '{"id": "x", "title": "Peru", "text": {"nested": true}}', '{"id": 7, "text": "Japan", "published": 3}']
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = tag_jsonl(source, target, load_tagger())
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert summary.rows == len(out) == 6  # the blank line has no row
    assert [row["id"] for row in out] == [1, None, None, "t", "x", 7]
    assert out[0]["countries"] == ["CHL"] and out[5]["countries"] == ["JPN"]  # an odd date is an unknown day
    assert [(row["line"], row["error"]) for row in out if "error" in row] == [
        (2, out[1]["error"]), (4, "a JSON list, not an object"), (5, "title is a JSON number, not a string"),
        (6, "text is a JSON object, not a string")]
    assert out[1]["error"].startswith("not JSON")
    assert summary.errors == [f"{source}:{row['line']}: {row['error']}" for row in out if "error" in row]


def test_a_lone_surrogate_escaped_in_json_is_read_as_import_reads_it(tmp_path):
    """orjson refuses "\\ud800", which json and `pactwatch import` take (as U+FFFD): the row was an error, its id lost."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"id": "a", "title": "Russia \\ud800 talks", "text": "Seoul and Tokyo met.", "x\\udc00": ["\\ud83d"]}\n'
                      '{"id": "b", "title": "cut \\ud800\n{"id": "c", "title": NaN}\n'
                      '{"id": "d", "title": "\\ud800", "published": NaN}\n'  # only the escape is mended: NaN stays no JSON
                      '{"id": 123456789012345678901234567890, "title": "Chile \\udc00 \\\\ud800 \\ud83d\\ude00"}\n',
                      encoding="utf-8")
    summary = tag_jsonl(source, target, load_tagger())
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert out[0]["id"] == "a" and out[0]["countries"] == ["JPN", "KOR", "RUS"]
    assert [mention["surface"] for mention in out[0]["mentions"]] == ["Russia", "Seoul", "Tokyo"]
    assert [row.get("error", "")[:8] for row in out] == ["", "not JSON", "not JSON", "not JSON", ""]
    assert out[4]["id"] == 123456789012345678901234567890 and out[4]["countries"] == ["CHL"] and summary.error_count == 3


def test_a_line_that_is_not_utf8_says_so(tmp_path):
    """orjson's words for it were "str is not valid UTF-8: surrogates not allowed", of a line holding no surrogate."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b'{"id": 1, "title": "Chile"}\n{"id": 2, "title": "Caf\xe9 Chile"}\n{"id": 3, "title": "\xe2\x80"}\n')
    summary = tag_jsonl(source, target, load_tagger())
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert out[0]["countries"] == ["CHL"]
    assert [row.get("error") for row in out[1:]] == ["not UTF-8 (byte 0xe9 at byte 24)",
                                                     "not UTF-8 (bytes 0xe2 0x80 at byte 21)"]
    assert summary.error_count == 2


def test_an_optional_language_field_keeps_english_topics_to_english_rows(tmp_path):
    rows = [{"id": 1, "title": "Putin war in Moskau", "language": "de"}, {"id": 2, "title": "Putin war in Moskau"},
            {"id": 3, "title": "Putin war in Moskau", "language": None}, {"id": 4, "title": "Chile", "language": 7}]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, rows)
    summary = tag_jsonl(source, target, load_tagger())
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(row.get("countries"), row.get("topics")) for row in out[:3]] == [
        (["RUS"], []), (["RUS"], ["military"]), (["RUS"], ["military"])]
    assert out[3]["error"] == "language is a JSON number, not a string" and summary.error_count == 1


@pytest.mark.parametrize("language", ["   ", "???garbage!!", "English", ""])
def test_a_language_that_is_no_language_tag_is_guessed_as_import_and_the_feeds_do(tmp_path, language):
    """Read as a declared language, a blank or garbage value cost the row its topics (no English words)."""
    rows = [{"id": 1, "title": "Putin war in Moskau"}, {"id": 2, "title": "Putin war in Moskau", "language": language},
            {"id": 3, "title": "Putin war in Moskau", "language": " EN_gb "}]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_jsonl(source, rows)
    tag_jsonl(source, target, load_tagger())
    undeclared, odd, english = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert {**odd, "id": 1} == undeclared and undeclared["topics"] == ["military"]
    assert (english["language"], english["language_guessed"]) == ("en", False)


def test_cli_reports_error_rows_on_stderr_and_exits_1(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"id": 1, "text": "Chile"}\n{"id": 2, "title": false}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["tag", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 1
    assert f"{source}:2: title is a JSON boolean, not a string" in result.stderr
    assert "1 of 2 rows not tagged" in result.stderr
    # the failure's own line, as every command's (`ts=… pactwatch: …`): the count alone had no prefix
    done = subprocess.run([sys.executable, "-m", "pipeline", "tag", "--input", str(source), "--output", str(target)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and re.search(r"^ts=\S+Z pactwatch: 1 of 2 rows not tagged \(error rows", done.stderr,
                                              re.MULTILINE), done.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2


def test_dash_pipes_standard_input_to_standard_output_and_writes_no_file(tmp_path):
    import subprocess
    import sys

    rows = b'{"id": "a", "title": "Seoul and Tokyo hold talks"}\n[1]\n{"id": "b", "text": "Chile"}\n'
    run = subprocess.run([sys.executable, "-m", "pipeline", "tag", "--input", "-", "--output", "-"], input=rows,
                         capture_output=True, cwd=tmp_path, timeout=120)
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 1 and "<stdin>:2: a JSON list, not an object" in run.stderr.decode()
    assert [(row["id"], row.get("countries")) for row in out] == [("a", ["JPN", "KOR"]), (None, None), ("b", ["CHL"])]
    assert list(tmp_path.iterdir()) == []


def test_rows_piped_in_are_answered_while_the_pipe_stays_open(tmp_path):
    """A producer that writes a line and waits gets its row back without closing the pipe (tail -f | pactwatch tag)."""
    import select
    import subprocess
    import sys

    tagging = subprocess.Popen([sys.executable, "-m", "pipeline", "tag", "--input", "-", "--output", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=tmp_path)
    try:
        tagging.stdin.write(b'{"id": "a", "title": "Seoul and Tokyo hold talks"}\n')
        tagging.stdin.flush()
        ready, _, _ = select.select([tagging.stdout], [], [], 60)
        assert ready, "no row came back within 60 s while the pipe was open"
        assert json.loads(tagging.stdout.readline())["countries"] == ["JPN", "KOR"]
        tagging.stdin.close()
        assert tagging.wait(timeout=60) == 0
    finally:
        tagging.kill()  # a no-op once it has exited; a failed check above must not leave it running


def test_a_path_to_a_file_named_dash_is_that_file(tmp_path):
    import subprocess
    import sys

    (tmp_path / "-").write_text('{"id": "a", "title": "Seoul and Tokyo hold talks"}\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pipeline", "tag", "--input", "./-", "--output", "out.jsonl"],
                         capture_output=True, cwd=tmp_path, timeout=120, stdin=subprocess.DEVNULL)
    assert run.returncode == 0 and run.stdout == b""
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["countries"] == ["JPN", "KOR"]


def test_reported_scores_are_rounded_like_round_and_the_memo_stays_bounded():
    from pipeline.tagging import model

    values = [index / 7 for index in range(70_000)] + [2 / 3, 0.0005, 0.0015, 2.675, 1e-9]
    assert [model.rounded(value) for value in values] == [round(value, 3) for value in values]
    assert [model.rounded(value) for value in values[:100]] == [round(value, 3) for value in values[:100]]  # memo hits
    assert len(model._ROUNDED) <= model._ROUNDED_MAX


def test_a_line_over_the_limit_is_an_error_row_and_never_held(tmp_path):
    long_text = "Chile " * 60
    lines = ['{"id": 1, "text": "Peru"}', json.dumps({"id": 2, "text": long_text}), '{"id": 3, "text": "Japan"}',
             json.dumps({"id": 4, "text": long_text * 5}), '', json.dumps({"id": 5, "text": long_text})]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines), encoding="utf-8")  # the last line has no newline
    summary = tag_jsonl(source, target, load_tagger(), max_line_bytes=200)
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [row.get("countries") for row in out] == [["PER"], None, ["JPN"], None, None]
    assert [row.get("line") for row in out] == [None, 2, None, 4, 6]
    assert out[1]["error"] == "line longer than 200 bytes, not read" and out[1]["id"] is None
    assert summary.rows == 5 and summary.error_count == 3


@pytest.mark.parametrize("limit", [1, 7, 64, 1 << 20])
def test_line_blocks_split_like_splitlines_and_flag_every_line_over_the_limit(limit):
    import io
    import random

    from pipeline.tag_files import TOO_LONG, line_blocks

    chooser = random.Random(limit)
    for _ in range(300):
        data = b"".join(chooser.choice([b"a", b"\n", b"\r\n", b"xyz" * chooser.randint(1, 40)])
                        for _ in range(chooser.randint(0, 60)))
        expected = [line if len(line) <= limit else TOO_LONG for line in data.split(b"\n")]
        if expected and expected[-1] == b"":
            expected.pop()  # a final newline ends the last line; it does not start another
        got = [line for block in line_blocks(io.BytesIO(data), limit) for line in block]
        assert got == expected, data


def test_a_byte_order_mark_is_no_part_of_the_first_row(tmp_path):
    """Windows tools start a UTF-8 file with one: the first row came back as an error row."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + b'{"id": "1", "title": "Peru votes"}\n{"id": "2", "title": "Chile votes"}\n')
    summary = tag_jsonl(source, target, load_tagger())
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert summary.error_count == 0 and [row["countries"] for row in rows] == [["PER"], ["CHL"]]


def test_the_summary_keeps_the_first_errors_and_counts_them_all(tmp_path):
    from pipeline.tag_files import ERRORS_KEPT

    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("oops\n" * (ERRORS_KEPT * 3), encoding="utf-8")
    summary = tag_jsonl(source, target, load_tagger())
    assert summary.error_count == summary.rows == ERRORS_KEPT * 3
    assert len(summary.errors) == ERRORS_KEPT
    assert all(error.startswith(f"{source}:{n}: not JSON") for n, error in enumerate(summary.errors, start=1))


def test_a_time_in_utc_is_on_the_day_tagging_day_reads_it_on():
    """day_reader reads a UTC time of day as its date's noon: no day changes, for every plain ISO date at and past its
    bounds, the Unix epoch's first seconds, and any hour of the days around today."""
    around_today = [(NOW + timedelta(days=days)).date().isoformat() for days in range(-2, 3)]
    clocks = ["T00:00:00", "T00:00:01", "T11:59:59.5", "T23:59:59", "T23:59:59.999999", "T24:00:00", "T23:59:60"]
    zones = ["Z", "+00:00", "-00:00", "+01:00", "z", ""]
    written = plain_iso_dates() + ["".join(parts) for parts in product(around_today + ["1970-01-01"], clocks, zones)]
    day_of = day_reader(NOW)
    assert [day_of(text) for text in written] == [tagging_day(text, NOW) for text in written]
