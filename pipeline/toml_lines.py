"""Where in a TOML file a value is set, so an error about it reads as a compiler's does ("alerts.toml:63: ..."):
editors and terminals open the file at that line. tomllib keeps no positions, so the text is read again by lines."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

_DOTTED = r'(?:[\w-]+|"[^"]*")(?:\s*\.\s*(?:[\w-]+|"[^"]*"))*'  # a key, bare, quoted or dotted
_HEADER = re.compile(rf'(\[\[?)\s*({_DOTTED})\s*\]\]?')
_KEY = re.compile(rf'\s*({_DOTTED})\s*=')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"' + r"|'[^']*'")  # a basic or a literal string
_TOML_POSITION = re.compile(r"(.*) \(at line (\d+), column (\d+)\)")


def line_of(text: str, keys: tuple) -> int | None:
    """The line of `text` that sets the value at `keys`, the path of names and indexes into the parsed file:
    ("rule", 2, "min_z") is set by the `min_z = ` line of the third [[rule]], ("rule", 2) and ("settings",) are their
    headers. A value the file sets on no line of its own (an item of a list, a key of an inline table, a key left out)
    is at the line of the nearest enclosing value that has one: ("CZE", "demonyms", 1) at `demonyms = [`, a required
    key left out at its table's header. None for the root. For many values of one text, line_index it once."""
    return line_in(line_index(text), keys)


def line_in(index: dict[tuple, int], keys: tuple) -> int | None:
    """line_of, from the `line_index` of the text."""
    while keys and keys not in index:
        keys = keys[:-1]
    return index.get(keys)


def line_in_file(path: Path, keys: tuple) -> int | None:
    """line_of in the file at `path`, read again: for a mistake in a document parsed already, whose text was not
    kept because only a mistake needs it. None where the file cannot be read."""
    try:
        return line_of(path.read_text(encoding="utf-8"), keys)
    except (OSError, UnicodeDecodeError):
        return None


def line_index(text: str) -> dict[tuple, int]:
    """The first line that opens or sets each table and value of TOML `text`, by key path (see line_of); one pass,
    so a long file with many mistakes is not read again for each."""
    index: dict[tuple, int] = {}
    table: tuple = ()
    tables_seen: dict[tuple, int] = {}
    depth = 0  # brackets and braces open: the lines of a multi-line array set no key and open no table
    quoted = None  # the quotes of a multi-line string left open: its lines are text, whatever they look like
    for number, line in enumerate(text.splitlines(), start=1):
        if quoted:
            quoted = None if quoted in line else quoted
            continue
        quoted = _left_open(line)
        if depth == 0 and (header := _HEADER.fullmatch(line.split("#", 1)[0].strip())):
            table = _header_path(header, tables_seen)
            index.setdefault(table, number)
            if header[1] == "[[":  # the array of tables: at its first header
                index.setdefault(table[:-1], number)
            continue
        if depth == 0 and (key := _KEY.match(line)):
            written = (*table, *_parts(key[1]))
            for end in range(len(table) + 1, len(written) + 1):  # a dotted key (`cues.PRK = `) fills in tables
                index.setdefault(written[:end], number)
        code = _STRING.sub('""', line.split(quoted)[0] if quoted else line).split("#", 1)[0]
        depth = max(0, depth + sum(map(code.count, "[{")) - sum(map(code.count, "]}")))
    return index


def _left_open(line: str) -> str | None:
    """The quotes of a multi-line string `line` opens and does not close (`note = '''`, or with three "), if any."""
    return next((quotes for quotes in ('"""', "'''") if line.count(quotes) % 2), None)


def _header_path(header: re.Match, tables_seen: dict[tuple, int]) -> tuple:
    """The keys of the table a header opens: ("settings",) for [settings], ("rule", n) for the n-th [[rule]]."""
    path = _parts(header[2])
    if header[1] == "[[":
        tables_seen[path] = tables_seen.get(path, -1) + 1
        path = (*path, tables_seen[path])
    return path


def _parts(dotted: str) -> tuple[str, ...]:
    """The names of a key as written: ("fr", "CHN") of `fr."CHN"`."""
    return tuple(part.strip().strip('"') for part in re.findall(r'"[^"]*"|[^.]+', dotted))


def located(path: Path | str, problem: str, line: int | None = None) -> str:
    """`problem` at `line` of `path` as a compiler writes it: "alerts.toml:63: min_z must be ..."."""
    return f"{path}{f':{line}' if line else ''}: {problem}"


def syntax_error(path: Path | str, error: ValueError, lead: str = "") -> str:
    """tomllib's "Unclosed array (at line 218, column 1)" as "countries.toml:218:1: Unclosed array", after `lead`."""
    if found := _TOML_POSITION.fullmatch(str(error)):
        return f"{path}:{found[2]}:{found[3]}: {lead}{found[1]}"
    return located(path, f"{lead}{error}")


def read_toml(path: Path, error: type[Exception]) -> dict:
    """The document of the TOML file at `path`; `error` names the file when it cannot be read, and the line and column
    of a syntax slip."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise error(f"{path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(syntax_error(path, exc)) from exc
