"""Every command explains itself with an example (`pactwatch COMMAND --help`)."""
from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import cli


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in group.commands.items():
        paths += command_paths(command, prefix + (name,)) if isinstance(command, click.Group) else [prefix + (name,)]
    return paths


@pytest.mark.parametrize("path", command_paths(cli), ids=lambda p: " ".join(p) or "pactwatch")
def test_help_has_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Example" in result.output, result.output


def test_export_says_several_topics_keep_rows_with_any_of_them():
    """`--topic finance --topic sanctions` exported 188 articles, of which one has both: the help did not say."""
    result = CliRunner().invoke(cli, ["export", "--help"], terminal_width=200)
    assert "rows with any of them, not only with all: --all-topics for all" in " ".join(result.output.split())


def test_export_names_the_columns_an_evidence_row_is_cited_by():
    """Review J: a quote exported from pair_sentences did not say the outlet later corrected the article; the columns
    that say it are named where an exporter looks first."""
    result = CliRunner().invoke(cli, ["export", "--help"], terminal_width=200)
    assert ("published_as_written (the date as its feed wrote it), revisions (later versions its feeds served: 0 when "
            "none) and last_revision_seen_at") in " ".join(result.output.split())


@pytest.mark.parametrize("path", [("tag",), ("import",), ("feeds", "add")])
def test_help_says_other_languages_get_no_topics_and_no_cues(path):
    """`tag --help` said "no topics", while cues come back null too: a reader of Russian sentences took "no cue" for
    what the text says."""
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=200)
    assert any(words in " ".join(result.output.split())
               for words in ("no topics and no cues", "Topics and cues are tagged in English text only"))


def test_the_readmes_opening_says_topics_and_cues_are_read_in_english_articles_only():
    """The README's first paragraph promised topics and cues, and said which languages only around line 700."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    opening = " ".join(readme.split("PactWatch is an", 1)[1].split("\n\n", 1)[0].split())
    assert "Topics and cues are read in English articles only: articles in other languages get countries and pairs" \
        in opening


def test_version_names_the_tagger_version_new_tags_get():
    """Tags say `1.39+3de996e2` where `--version` said only `0.1.0`: nothing tied a cited count's tags to the code."""
    from pipeline.seeds import tagger_version

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.splitlines()[1].startswith(f"tagger version {tagger_version()} (tagging rules ")


@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_version_refuses_seeds_that_are_not_there(tmp_path, folder):
    """An install without its seeds printed `seed files hashed e3b0c442`, the hash of nothing, as if they were there."""
    seeds = tmp_path / "seeds"
    if folder == "empty":
        (seeds / "gazetteer").mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True,
                            env={**os.environ, "PACTWATCH_SEEDS": str(seeds)}, timeout=120)
    assert result.returncode == 1 and "hashed" not in result.stdout
    assert f"pactwatch: {seeds}: no seed files in gazetteer/, topics/, languages/" in result.stderr
