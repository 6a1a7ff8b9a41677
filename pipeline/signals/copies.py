"""The copies gate: a rise that copies of a few stories make is those stories' reach, not more news.

A wire story run by twelve outlets under their own addresses is twelve articles (README, "An article is one story at
one address"), and passes the source gate: every copy has another outlet. Review J's alert read "36 articles vs 12.0
expected (x3.0, z=4.7, 12 outlets)" where 24 articles were copies of two stories. Copies are the articles beyond each
story's first, what counting stories instead of articles takes away; the gate holds a window back when they supply more
than `max_copy_rise_share` of its rise, beyond the copies the series usually has (an outlet's usual share is read alike
for `max_rise_share`). All the copies together, not one story's: two stories of twelve copies each supply under half
of J's rise each.
"""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta
from typing import Sequence, TypeVar

from ..store import indicators
from ..store.indicators import Window, WindowStories
from .rules import DiversityGate

Judged = TypeVar("Judged")  # engine.Candidate: a rule firing with its window's count (current) and expected (baseline)
TITLE_SHOWN = 80  # characters of the most copied story's title in a reason
NONE_USUAL = WindowStories(0, 0)  # no articles before the window: no copies usual to the series


def copy_rise_share(current: float, expected: float, copies: int, usual_copy_share: float) -> float:
    """How much of the window's rise above `expected` its copies make, beyond the share of copies its series usually
    has (`usual_copy_share` of its articles): the part of the stories a rise of this many articles would bring at that
    usual share that the window lacks. 0 when its stories rose as its articles did; J's wire stories, 22 copies in a
    rise of 24 on a series without copies, 0.92."""
    rise = current - expected
    if rise <= 0:
        return 0.0  # no rise, nothing for copies to have made (only when a rule's thresholds are off)
    # a series' copies are fewer than its articles (each story has a first), so the usual share is under 1
    return (copies - current * usual_copy_share) / (rise * (1 - usual_copy_share))


def copies_block(gate: DiversityGate, current: float, expected: float, found: WindowStories,
                 usual: WindowStories) -> str | None:
    """Why the gate holds a window back, naming its most copied story; None when it passes."""
    usual_share = usual.copies / usual.articles if usual.articles else 0.0
    share = copy_rise_share(current, expected, found.copies, usual_share)
    if share <= gate.max_copy_rise_share:
        return None
    title = found.top_story_title or ""
    title = title if len(title) <= TITLE_SHOWN else title[:TITLE_SHOWN - 1] + "…"
    return (f"copies supply {share:.0%} of the rise > {gate.max_copy_rise_share:.0%}: its {found.articles} articles "
            f"are {found.stories} stories, the most copied \u201c{title}\u201d ({found.top_story_articles} articles, "
            f"{found.top_story_outlets} outlets)")


def copy_gate(con, judged: Sequence[Judged], windows: Sequence[Window],
              gate: DiversityGate) -> tuple[list[Judged], list[tuple[Judged, str, str]]]:
    """Of `judged` (with their `windows`), those the copies gate passes, and those it holds back with its reason."""
    if gate.max_copy_rise_share == math.inf or not judged:
        return list(judged), []
    found = indicators.window_stories(con, windows)
    # The usual copies only lower a share (copy_rise_share falls as they rise): the usual days (84 a window, most of
    # the gate's time in a replay) are read only for the windows whose copies are too many without them.
    doubtful = [n for n, (item, told) in enumerate(zip(judged, found))
                if copies_block(gate, item.current, item.baseline, told, NONE_USUAL) is not None]
    usual = dict(zip(doubtful, indicators.window_stories(con, [_days_before(windows[n], gate.usual_days)
                                                               for n in doubtful]) if doubtful else []))
    kept, held = [], []
    for n, (item, told) in enumerate(zip(judged, found)):
        reason = copies_block(gate, item.current, item.baseline, told, usual[n]) if n in usual else None
        if reason is None:
            kept.append(item)
        else:
            held.append((item, "copies", reason))
    return kept, held


def _days_before(window: Window, days: int) -> Window:
    """The series' `days` before `window` (none for 0)."""
    return replace(window, first_day=window.first_day - timedelta(days=days),
                   last_day=window.first_day - timedelta(days=1))
