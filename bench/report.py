"""The markdown section for one corpus size, and its in-place replacement in docs/benchmarks.md."""
from __future__ import annotations

import re
from pathlib import Path

from bench.common import Results

PLACEHOLDER = "<!-- bench:sections -->"


def _markers(articles: int) -> tuple[str, str]:
    return f"<!-- bench:{articles}:start -->", f"<!-- bench:{articles}:end -->"


def _value(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def section(articles: int, raw: dict, results: Results) -> str:
    m = raw["machine"]
    loads = ", ".join(f"{label} {a:.1f}/{b:.1f}/{c:.1f}" for label, (a, b, c) in results.loads)
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    lines = [
        f"## {articles:,} articles",
        "",
        f"- **Run**: {m['date']}, `python -m bench --articles {articles}`, {raw.get('wall_seconds', 0) / 60:.1f} min wall, "
        f"code at {m.get('commit', '?')}",
        f"- **Machine**: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, {m['os']}, Python {m['python']}",
        f"- **Versions**: {versions}",
        f"- **Load average** (1/5/15 min, sampled after each step; the machine was shared): {loads}",
        "",
        "| section | metric | value | unit | target | met | side-by-side reference (same run) | details |",
        "|---|---|---:|---|---|:-:|---|---|",
    ]
    for row in results.rows:
        met = {True: "yes", False: "**no**", None: ""}[row.ok]
        lines.append(f"| {row.section} | {_cell(row.metric)} | {_value(row.value)} | {row.unit} | {_cell(row.target)} "
                     f"| {met} | {_cell(row.reference)} | {_cell(row.note)} |")
    if results.notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in results.notes]
    start, end = _markers(articles)
    return "\n".join([start, *lines, end])


def write_section(doc: Path, articles: int, text: str) -> None:
    """Replace this size's section (between its markers) or add it; everything else in the file is kept."""
    start, end = _markers(articles)
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n\n" + PLACEHOLDER + "\n"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    elif PLACEHOLDER in current:
        updated = current.replace(PLACEHOLDER, text + "\n\n" + PLACEHOLDER)
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(updated, encoding="utf-8")
