"""seeds/alerts.toml loads, and mistakes in it are reported by name instead of silently ignored."""
from __future__ import annotations

import math
import re
from dataclasses import fields

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.signals import AlertConfigError, load_alert_config, parse_alert_config
from pipeline.signals.config import DEFAULT_ALERTS_FILE as BUNDLED
from pipeline.signals.config import KIND_KEYS, RULE_FIELDS, SECTIONS
from pipeline.signals.rules import KERNELS, Rule

RULE = {"id": "surge_4w", "kind": "surge", "level": "pair_topic", "min_ratio": 2.0}


def test_the_bundled_rules_load():
    config = load_alert_config()
    assert {rule.kind for rule in config.rules} == {"surge", "weekday_zscore", "new_pair"}
    assert config.gate.min_outlets >= 2 and config.gate.max_copy_rise_share == 0.5
    assert config.history_days >= 52 * 7, "the 52-week baseline needs a year of history"


@pytest.mark.parametrize("table, message", [
    ({"rule": [{**RULE, "min_ratoi": 2.0}]}, "min_ratoi"),
    ({"rule": [{**RULE, "kind": "magic"}]}, "kind must be"),
    ({"rule": [{**RULE, "kind": "new_pair", "min_ratio": 1.0}]}, "takes no min_ratio"),
    ({"rule": [{"id": "n", "kind": "new_pair", "level": "pair_topic"}]}, "level"),
    ({"rule": [{**RULE, "window_days": 10}]}, "window_days"),
    ({"rule": [RULE, RULE]}, "duplicate"),
    ({"rule": []}, "no [[rule]]"),
    ({"rule": [RULE], "gate": {"min_sources": 2}}, "min_sources"),
    ({"rule": [RULE], "coverage": {"on_gap": "ignore"}}, "on_gap"),
    ({"rule": [RULE], "alerts": {}}, "unknown sections"),
])
def test_mistakes_are_named(table, message):
    with pytest.raises(AlertConfigError, match=message.replace("[", r"\[")):
        parse_alert_config(table)


# A valid rule, to which each case adds fields or, under their own headers, sections and rules
PAIR_SPIKE = '[[rule]]\nid = "pair_spike"\nkind = "surge"\nlevel = "pair"\n'


@pytest.mark.parametrize("snippet, message", [
    # a string, a boolean or a float where a count is read: TypeErrors and numpy errors in the engine
    ('window_days = "4"', "5: rule 'pair_spike': window_days must be an integer >= 1 and <= 7, got '4'"),
    ('min_z = "4"', "5: rule 'pair_spike': min_z must be a number > 0, got '4'"),
    ("min_current = true", "5: rule 'pair_spike': min_current must be an integer >= 1 and <= 1000000, got True"),
    ("window_days = 7.0", "5: rule 'pair_spike': window_days must be an integer >= 1 and <= 7, got 7.0"),
    ('[settings]\nevidence_articles = "5"',
     "6: [settings]: evidence_articles must be an integer >= 1 and <= 1000, got '5'"),
    ('[gate]\nmin_outlets = "2"', "6: [gate]: min_outlets must be an integer >= 1, got '2'"),
    ('[[rule]]\nid = "fresh"\nkind = "new_pair"\nlevel = "pair"\nmax_prior = "0"',
     "9: rule 'fresh': max_prior must be an integer >= 0 and <= 1000000, got '0'"),
    ('[[rule]]\nid = "fresh"\nkind = "new_pair"\nlevel = "pair"\nprior_days = 2000',
     "9: rule 'fresh': prior_days must be an integer >= 0 and <= 1820, got 2000"),
    ("prior_days = 365", "5: rule 'pair_spike': kind 'surge' takes no prior_days"),
    # no baseline ("need at least one array to stack"), or spans past what dates hold (OverflowError)
    ("baseline_weeks = 0", "5: rule 'pair_spike': baseline_weeks must be an integer >= 1 and <= 260, got 0"),
    ("baseline_weeks = -3", "5: rule 'pair_spike': baseline_weeks must be an integer >= 1 and <= 260, got -3"),
    ("baseline_weeks = 100000000000", "5: rule 'pair_spike': baseline_weeks must be an integer >= 1 and <= 260"),
    ("[coverage]\nbaseline_weeks = 0", "6: [coverage]: baseline_weeks must be an integer >= 1 and <= 260, got 0"),
    ("[settings]\ncooldown_days = 100000000000", "6: [settings]: cooldown_days must be an integer >= 0 and <= 3650"),
    ("[settings]\nlookback_days = 100000000000", "6: [settings]: lookback_days must be an integer >= 1 and <= 3650"),
    ("[settings]\nwarmup_days = -100000000000", "6: [settings]: warmup_days must be an integer >= 0 and <= 3650"),
    # wrong answers without a word: a flood of alerts, "no alerts", cut evidence, more alerts
    ("[settings]\ncooldown_days = -7", "6: [settings]: cooldown_days must be an integer >= 0 and <= 3650, got -7"),
    ("[settings]\nlookback_days = 0", "6: [settings]: lookback_days must be an integer >= 1 and <= 3650, got 0"),
    ("[settings]\nevidence_articles = -1", "6: [settings]: evidence_articles must be an integer >= 1 and <= 1000, got -1"),
    ("overdispersion = nan", "5: rule 'pair_spike': overdispersion must be a number >= 0 and <= 10, got nan"),
    ("overdispersion = 1e200", "5: rule 'pair_spike': overdispersion must be a number >= 0 and <= 10, got 1e+200"),
    ("min_z = 0", "5: rule 'pair_spike': min_z must be a number > 0, got 0"),
    ("min_ratio = -inf", "5: rule 'pair_spike': min_ratio must be a number >= 0, got -inf"),
    ("[gate]\nmax_outlet_share = 1.5", "6: [gate]: max_outlet_share must be a number >= 0 and <= 1, got 1.5"),
    ("[gate]\nmax_copy_rise_share = -0.1", "6: [gate]: max_copy_rise_share must be a number >= 0, got -0.1"),
    ('[gate]\nmax_copy_rise_share = "0.5"', "6: [gate]: max_copy_rise_share must be a number >= 0, got '0.5'"),
    ("[coverage]\nmin_volume_ratio = -0.1", "6: [coverage]: min_volume_ratio must be a number >= 0 and <= 1, got -0.1"),
    # the file's layout
    ("[[settings]]\nlookback_days = 7", "5: [settings] must be one table, got an array"),
    ("[settings]\nlookbak_days = 7", "6: [settings]: unknown field 'lookbak_days' (did you mean 'lookback_days'?)"),
    ('[[rule]]\nid = ""\nkind = "surge"\nlevel = "pair"',
     "6: [[rule]] #2: id must be a name of lower-case letters, digits, '.', '_' or '-' (at most 64), got ''"),
    # a line break would split the CLI's one-line summaries and logfmt
    ('[[rule]]\nid = "spike\\nrule=forged"\nkind = "surge"\nlevel = "pair"',
     "6: [[rule]] #2: id must be a name of lower-case letters, digits, '.', '_' or '-' (at most 64), got 'spike\\nrule=forged'"),
    ('[[rule]]\nid = "Pair Spike"\nkind = "surge"\nlevel = "pair"', "6: [[rule]] #2: id must be a name of"),
    ('[[rule]]\nkind = "surge"\nlevel = "pair"', "5: [[rule]] #2: id is required (the rule's name in alerts)"),
    ('[[rule]]\nid = "odd"\nkind = ["surge"]\nlevel = "pair"',
     "7: rule 'odd': kind must be one of 'surge', 'weekday_zscore', 'new_pair', got ['surge']"),
    (PAIR_SPIKE, "6: duplicate rule ids in ['pair_spike', 'pair_spike']"),
    # a watch's series: a typo would watch nothing, silently
    ('pairs = ["PRK-RUS", "RUS-RUS"]', "5: rule 'pair_spike': pairs must be a non-empty list of pairs of two different "
                                      "ISO3 codes such as 'PRK-RUS', got ['PRK-RUS', 'RUS-RUS']"),
    ('pairs = "PRK-RUS"', "5: rule 'pair_spike': pairs must be a non-empty list of pairs"),
    ("pairs = []", "5: rule 'pair_spike': pairs must be a non-empty list of pairs"),
    ('pairs = ["PRK-XYZ"]', "5: rule 'pair_spike': pairs ['PRK-XYZ'] name a code of no country"),
    ('topics = ["military"]', "5: rule 'pair_spike': topics need level 'pair_topic'"),
    ('[[rule]]\nid = "watch"\nkind = "surge"\nlevel = "pair_topic"\ntopics = ["milatary"]',
     "9: rule 'watch': topics ['milatary'] are none of the seeds' ((none), diplomacy, "),
    ('[[rule]]\nid = "watch"\nkind = "surge"\nlevel = "pair_topic"\ntopics = ["Military"]',
     "9: rule 'watch': topics must be a non-empty list of topic ids such as 'military' (or '(none)'), got ['Military']"),
])
def test_a_bad_field_is_named(alerts_file, snippet, message):
    """With the line that sets it, as a compiler names it (`message` starts with the line): an editor opens it."""
    path = alerts_file(PAIR_SPIKE + snippet + "\n")
    with pytest.raises(AlertConfigError) as raised:
        load_alert_config(path)
    assert str(raised.value).startswith(f"{path}:{message}"), str(raised.value)
    assert "; " not in str(raised.value), "one mistake, one problem"


def test_every_problem_is_named_at_once(alerts_file):
    path = alerts_file('[settings]\nlookback_days = 0\n[gate]\nmin_outlets = true\n'
                       '[[rule]]\nid = "a"\nkind = "magic"\nlevel = "pair"\nmin_z = "4"\n'
                       '[[rule]]\nid = "b"\nkind = "new_pair"\nlevel = "pair_topic"\nmin_ratio = 2\n'
                       '[[rule]]\nid = "a"\nkind = "surge"\nlevel = "pair"\n')
    with pytest.raises(AlertConfigError) as raised:
        load_alert_config(path)
    problems = str(raised.value).split("; ")
    expected = [f"{path}:{line}: {problem}" for line, problem in [  # from the top of the file down
        (2, "[settings]: lookback_days must"), (4, "[gate]: min_outlets must"), (7, "rule 'a': kind must"),
        (9, "rule 'a': min_z must"), (13, "rule 'b': level must be 'pair'"),
        (14, "rule 'b': kind 'new_pair' takes no min_ratio"),
        (16, "duplicate rule ids in ['a', 'b', 'a']")]]  # though rule 'a' has mistakes of its own
    assert len(problems) == len(expected) and all(map(str.startswith, problems, expected)), problems


def test_a_watch_loads_while_the_seeds_it_is_checked_against_do_not(monkeypatch):
    """A broken iso_countries.csv made the watch's check raise the tagger's SeedError, which `status` and the Alerts
    page do not catch from the alert rules: the tagger's own error names the file."""
    import pipeline.seeds

    def broken():
        raise pipeline.seeds.SeedError("iso_countries.csv:252: 2 fields, expected 5")

    monkeypatch.setattr(pipeline.seeds, "country_codes", broken)
    rule = {**RULE, "pairs": ["PRK-RUS"], "topics": ["military"]}
    assert parse_alert_config({"rule": [rule]}).rules[0].pairs == ("PRK-RUS",)


@pytest.mark.parametrize("snippet, section, name, value", [
    ('[coverage]\non_gap = "mark"', "coverage", "on_gap", "mark"),  # documented in alerts.toml and docs/accuracy.md
    ("[coverage]\nmin_drop_z = inf", "coverage", "min_drop_z", math.inf),  # no day is a gap
    ("[gate]\nmax_rise_share = inf", "gate", "max_rise_share", math.inf),  # the gate's own default: no limit
    ("[gate]\nmax_copy_rise_share = inf", "gate", "max_copy_rise_share", math.inf),  # the copies gate off
    ("[gate]\nmax_copy_rise_share = 1.5", "gate", "max_copy_rise_share", 1.5),  # beyond the usual share: can pass 1
    ("[gate]\nusual_days = 0", "gate", "usual_days", 0),
    ("[settings]\ncooldown_days = 0", "settings", "cooldown_days", 0),
    ("[settings]\nwarmup_days = 0", "settings", "warmup_days", 0),
    ("min_z = 4", "rule", "min_z", 4.0),  # an integer where a number is read, as numpy will read it
    (f"min_baseline = {'9' * 400}", "rule", "min_baseline", math.inf),  # numpy refused such an integer
    ("baseline_weeks = 260", "rule", "baseline_weeks", 260),
    ("overdispersion = 10", "rule", "overdispersion", 10.0),
    ('pairs = ["rus–prk", "PRK-RUS", "usa chn"]', "rule", "pairs", ("PRK-RUS", "CHN-USA")),  # as the dashboard reads them
])
def test_every_legitimate_setting_loads(alerts_file, snippet, section, name, value):
    config = load_alert_config(alerts_file(PAIR_SPIKE + snippet + "\n"))
    loaded = getattr(config.rules[0] if section == "rule" else getattr(config, section), name)
    assert loaded == value and type(loaded) is type(value)


@pytest.mark.parametrize("cls, spec", [*SECTIONS.values(), (Rule, RULE_FIELDS)], ids=[*SECTIONS, "rule"])
def test_every_field_has_a_type_and_a_range(cls, spec):
    assert set(spec) == {field.name for field in fields(cls)}
    assert all(field.meaning for field in spec.values())


def test_every_kind_takes_only_rule_fields():
    assert set().union(*KIND_KEYS.values()) == set(RULE_FIELDS) and set(KIND_KEYS) == set(KERNELS)


@pytest.mark.parametrize("content, message", [
    (b"[[rule]]\nid = ", ": Invalid value (at end of document)"),
    (b"[settings]\nlookback_days = = 7\n", ":2:17: Invalid value"),  # where tomllib says, as a compiler writes it
    (BUNDLED.read_text(encoding="utf-8").encode("utf-16"), ": not UTF-8 text (byte 0): save it as UTF-8"),
], ids=["toml_syntax_at_end", "toml_syntax", "utf16"])
def test_a_broken_file_names_itself(alerts_file, content, message):
    path = alerts_file(content)
    with pytest.raises(AlertConfigError, match=f"^{re.escape(str(path) + message)}$"):
        load_alert_config(path)


@pytest.mark.parametrize("snippet, expected", [
    ("[alerts]\nlookback_days = 7", ["5: unknown sections ['alerts']"]),
    ('[[rule]]\nid = "pair_spike"\nkind = "surge"\nlevel = "pair"', ["6: duplicate rule ids"]),
    # the third [[rule]], read past a [settings] between them; a problem of a whole rule at its header
    ('[[rule]]\nid = "late"\n[settings]\nlookback_days = 0\n[[rule]]\nid = "later"\nmin_z = 0',
     ["5: rule 'late': kind is required", "8: [settings]: lookback_days must", "11: rule 'later': min_z must",
      "9: rule 'later': kind is required"]),
    # a multi-line list, a "#" in a string: neither opens a table nor hides a line
    ('[settings]\nnote = [\n  ["kept"],\n  "a # b",\n]\nlookback_days = 0',
     ["6: [settings]: unknown field 'note'", "10: [settings]: lookback_days must"]),
    ('[settings]\n"lookback_days" = 0', ["6: [settings]: lookback_days must"]),
    ('[[settings]]\nlookback_days = 0', ["5: [settings] must be one table"]),
])
def test_each_problem_names_its_line(alerts_file, snippet, expected):
    path = alerts_file(PAIR_SPIKE + snippet + "\n")
    with pytest.raises(AlertConfigError) as raised:
        load_alert_config(path)
    problems = str(raised.value).split("; ")
    assert all(any(problem.startswith(f"{path}:{line}") for problem in problems) for line in expected), problems


def test_a_byte_order_mark_is_no_mistake(alerts_file):
    assert load_alert_config(alerts_file(b"\xef\xbb\xbf" + BUNDLED.read_bytes())) == load_alert_config(BUNDLED)


@pytest.mark.parametrize("content", ["[[rule]]\nid = ", PAIR_SPIKE + 'min_z = "4"\n[settings]\nlookback_days = 0\n'],
                         ids=["toml_syntax", "two_fields"])
def test_the_cli_names_a_broken_file_in_one_line(alerts_file, home, content):
    """A TOML slip gave `pactwatch alerts` a Python traceback, a bad value a TypeError or a wrong answer."""
    # a home with a published snapshot (`feeds add` publishes one): the file must be what stops the command
    added = CliRunner().invoke(cli, ["--home", str(home), "feeds", "add", "https://a.example/rss", "--id", "a"])
    assert added.exit_code == 0, added.output
    path = alerts_file(content)
    result = CliRunner().invoke(cli, ["--home", str(home), "alerts"], catch_exceptions=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(f"Error: {path}:"), result.stderr
