"""pipeline.toml_lines: the line an error about a seed file's value names is the line that sets it."""
from __future__ import annotations

import tomllib

import pytest

from pipeline.paths import SEEDS
from pipeline.toml_lines import line_in, line_in_file, line_index, line_of

TEXT = '''\
top = 1
[settings]
lookback = 7  # a comment with [brackets]
"quoted key" = "a # b"
words = [
  ["nested", "list"],
  "x",
]
after = 2
inline = { low = 1, high = 2 }
dotted.part = 3
[[rule]]
id = "a"
[[rule]]
id = "b"
[fr."CHN"]
capitals = ["Pékin"]
note = """
[not_a_table]
not_a_key = 1
"""
last = 1
'''


@pytest.mark.parametrize(("keys", "line"), [
    (("top",), 1),
    (("settings",), 2),
    (("settings", "lookback"), 3),
    (("settings", "quoted key"), 4),
    (("settings", "words"), 5),
    (("settings", "words", 0, 1), 5),  # an item of a list: the line of the list
    (("settings", "after"), 9),  # past a multi-line list whose lines look like a header and a key
    (("settings", "inline", "high"), 10),  # a key of an inline table: the line holding it
    (("settings", "dotted", "part"), 11),
    (("settings", "dotted"), 11),  # a table a dotted key fills in
    (("rule",), 12),  # an array of tables: its first header
    (("rule", 1), 14),
    (("rule", 1, "id"), 15),
    (("rule", 1, "kind"), 14),  # a key left out: its table's header
    (("fr", "CHN", "capitals"), 17),
    (("fr", "CHN", "note"), 18),
    (("fr", "CHN", "last"), 22),  # past a multi-line string whose lines look like a header and a key
    (("not_a_table",), None),
    (("elsewhere",), None),
])
def test_the_line_that_sets_a_value(keys, line):
    assert line_of(TEXT, keys) == line


def test_a_file_read_again_for_a_line_gives_none_where_it_cannot_be_read(tmp_path):
    """A mistake found after parsing names its line from the file; a file gone or no longer UTF-8 gives the mistake
    without one, never a second error."""
    path = tmp_path / "rules.toml"
    path.write_text(TEXT, encoding="utf-8")
    assert line_in_file(path, ("rule", 1, "min_z")) == line_of(TEXT, ("rule", 1, "min_z")) is not None
    path.write_bytes(b"\xff\xfe[[rule]]")
    assert line_in_file(path, ("rule", 0)) is None
    assert line_in_file(tmp_path / "gone.toml", ("rule", 0)) is None


def _values(value, keys=()):
    """The key path of every value of a parsed TOML document, tables of arrays of tables included."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _values(inner, (*keys, key))
    elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            yield from _values(item, (*keys, index))
    else:
        yield keys


@pytest.mark.parametrize("path", sorted(SEEDS.rglob("*.toml")), ids=lambda path: str(path.relative_to(SEEDS)))
def test_every_value_of_a_bundled_seed_file_has_a_line_naming_one_of_its_keys(path):
    text = path.read_text(encoding="utf-8")
    lines, index = text.splitlines(), line_index(text)  # line_of indexes anew per value: 22.7 s, now 0.5
    for keys in _values(tomllib.loads(text)):
        line = line_in(index, keys)
        assert line is not None and any(key in lines[line - 1] for key in keys if isinstance(key, str)), (keys, line)
