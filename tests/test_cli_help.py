"""Every command explains itself with an example (`pactwatch COMMAND --help`)."""
from __future__ import annotations

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
    assert "rows with any of them, not only with all" in " ".join(result.output.split())
