"""`pactwatch eval` judges each of our measures against its target: floors, and ceilings for false-positive rates."""
from __future__ import annotations

from pipeline.evaluate import (BASELINE, OURS, changes_against, format_changes, format_table, missed_targets, result_row,
                                tagger_of)


def test_a_floor_is_met_at_its_value_and_missed_below_it():
    assert result_row("reuters_pair_micro_f1", OURS, 0.70, 10)["met"] is True
    assert result_row("reuters_pair_micro_f1", OURS, 0.6433, 10)["met"] is False


def test_a_false_positive_rate_is_a_ceiling():
    assert result_row("reuters_earn_acq_military_fp_rate", OURS, 0.0033, 10)["met"] is True
    assert result_row("reuters_earn_acq_military_fp_rate", OURS, 0.006, 10)["met"] is False


def test_a_baseline_and_a_measure_without_target_are_not_judged():
    assert result_row("reuters_pair_micro_f1", BASELINE, 0.37, 10)["met"] is None
    assert result_row("real_cue_cooperation_precision", OURS, 0.5, 10)["met"] is None


def test_the_table_marks_each_target_and_ends_with_the_missed_ones():
    rows = [result_row("reuters_focus_micro_f1", OURS, 0.9437, 15697),
            result_row("reuters_pair_micro_f1", OURS, 0.6433, 15697),
            result_row("reuters_pair_micro_f1", BASELINE, 0.37, 15697),
            result_row("reuters_earn_acq_tourism_fp_rate", OURS, 0.0024, 4613)]
    lines = format_table(rows).splitlines()
    assert lines[1].split()[-4:] == ["0.944", ">=0.850", "yes", "15697"]
    assert lines[2].split()[-4:] == ["0.643", ">=0.700", "NO", "15697"]
    assert lines[3].split()[-2:] == ["0.370", "15697"]
    assert lines[4].split()[-4:] == ["0.002", "<=0.005", "yes", "4613"]
    assert lines[-1] == "targets met: 2 of 3; missed: reuters_pair_micro_f1 0.643"
    assert missed_targets(rows) == [rows[1]]


def test_a_value_is_judged_as_the_table_shows_it():
    assert result_row("reuters_pair_micro_f1", OURS, 0.69996, 10)["met"] is True


def test_against_an_earlier_run_names_both_taggers_when_they_differ():
    """A seed edit moving no measure still makes another tagger version, which docs/accuracy.md must name (review C
    of stop 59: "0 measure(s) moved" said nothing of it)."""
    now = [{**result_row("reuters_focus_micro_f1", OURS, 0.9437, 15697), "tagger_version": "1.41+bbbbbbbb"}]
    before = [{**now[0], "tagger_version": "1.41+aaaaaaaa"}]
    assert format_changes(changes_against(now, before), "before.json", (tagger_of(before), tagger_of(now))) == (
        "against before.json (tagger 1.41+aaaaaaaa -> 1.41+bbbbbbbb): 0 measure(s) moved, 0 worse")
    assert format_changes([], "before.json", (tagger_of(now), tagger_of(now))) == (
        "against before.json: 0 measure(s) moved, 0 worse")
    unnamed = [{key: value for key, value in now[0].items() if key != "tagger_version"}]
    assert format_changes([], "old.json", (tagger_of(unnamed), tagger_of(now))).startswith(
        "against old.json (tagger not named -> 1.41+bbbbbbbb)")
