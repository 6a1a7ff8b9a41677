"""Salience of each country in an article, and the focus countries it is about."""
from __future__ import annotations

from .lexicon import FocusRule
from .model import Mention
from .ordered import in_order


TIE_TOLERANCE = 1e-9  # saliences closer than this are equal


def focus_of(totals: dict[str, float], anchored: set[str], rule: FocusRule, top: float) -> tuple[str, ...]:
    """Anchored countries plus those whose salience is high in absolute terms and close to the top one (or
    high enough to be focus whatever the top: a country named several times in a long story about another)."""
    if not totals:
        return ()
    floor = rule.min_salience
    if anchored and rule.anchored_min_salience is not None:
        floor = max(floor, rule.anchored_min_salience)
    cutoff = max(floor, rule.relative_to_top * top)
    if rule.sure_salience is not None:
        cutoff = min(cutoff, max(floor, rule.sure_salience))
    candidates = [code for code, value in totals.items() if value >= cutoff and code not in anchored]
    slots = rule.max_focus - len(anchored)
    if len(candidates) > slots:  # rank only when not all fit (rare)
        candidates = _cut_outside_ties(sorted(candidates, key=totals.__getitem__, reverse=True), totals, slots)
    return in_order({*anchored, *candidates})  # a set display is built natively; set.union is a method call


def _cut_outside_ties(ranked: list[str], totals: dict[str, float], slots: int) -> list[str]:
    """The first `slots` of `ranked`, less those tied with the first left out: which of tied countries a text named
    first says nothing of which it is about (a UN vote's 26 countries in its lead made focus of its first six, and
    their 15 pairs)."""
    if slots <= 0:
        return []
    kept = ranked[:slots]
    # equal sums of weights may differ in their last bit by the order they were added (0.6 + 0.7 + 0.7 < 1.4 + 0.6)
    above = totals[ranked[slots]] + TIE_TOLERANCE
    return kept if totals[kept[-1]] > above else [code for code in kept if totals[code] > above]


def salience_and_focus(mentions: list[Mention], dateline_mention: Mention | None, rule: FocusRule, lead_end: int
                       ) -> tuple[dict[str, float], float, tuple[str, ...]]:
    """Salience per ISO3 (kind weight x position, summed over mentions, plus the dateline's weight), the top one (0.0
    for none: `normalised` divides by it), and the focus countries: the anchored ones (in the headline or the dateline; every named country of a roster article,
    one that names roster_size or more countries such as donors, members or signatories, and is about all of
    them) plus those focus_of keeps by salience. A list dominated by one country (a quota table, an export
    roster) is that country's partners, not a roster. `lead_end`: where the text's first rule.lead_chars end
    (`text.one_line_offset`)."""
    if not mentions and dateline_mention is None:  # most feed items: no sets and dicts to build
        return {}, 0.0, ()
    totals: dict[str, float] = {}
    anchored: set[str] = set()
    named: list[str] = []  # the codes of mentions by name; a set only where there are enough of them for a roster
    weights, title_multiplier, lead_multiplier = rule.kind_weights, rule.title_multiplier, rule.lead_multiplier
    title_is_focus = rule.title_is_focus
    for mention in mentions:
        code = mention.iso3
        if mention.field == "title":
            value = weights[mention.kind] * title_multiplier
            if title_is_focus:
                anchored.add(code)
        else:
            value = weights[mention.kind] * (lead_multiplier if mention.start < lead_end else 1.0)
        totals[code] = totals.get(code, 0.0) + value
        if mention.kind == "name":
            named.append(code)
    if dateline_mention is not None:
        code = dateline_mention.iso3
        totals[code] = totals.get(code, 0.0) + rule.dateline_weight
        if rule.dateline_is_focus:
            anchored.add(code)
    if len(named) >= rule.roster_size:  # fewer mentions by name, fewer countries named than a roster's
        names = set(named)
        if rule.roster_size <= len(names) <= rule.roster_max_size and not _dominated(totals, rule.roster_max_dominance):
            anchored |= names
    if len(anchored) > rule.roster_max_size:
        anchored = set(sorted(anchored, key=lambda code: (-totals[code], code))[:rule.roster_max_size])
    top = _top(totals)
    return totals, top, focus_of(totals, anchored, rule, top)


def _dominated(totals: dict[str, float], ratio: float | None) -> bool:
    """Whether one country's salience is at least `ratio` times every other's."""
    if ratio is None:
        return False
    top = second = 0.0
    for value in totals.values():
        if value > top:
            top, second = value, top
        elif value > second:
            second = value
    return top >= ratio * second


def normalised(totals: dict[str, float], top: float, codes: tuple[str, ...]) -> dict[str, float]:
    """Each country's salience over the `top` one's, in the order of `codes` (the keys of `totals`, in order: the
    article's countries, ordered once)."""
    if not top:
        return {}
    return {code: totals[code] / top for code in codes}


def _top(totals: dict[str, float]) -> float:
    """The largest value (0.0 for none). A loop, not max(): compiled, max() over an iterable is a call into
    the interpreter's builtin with a tuple of arguments, at every article."""
    top = 0.0
    for value in totals.values():
        if value > top:
            top = value
    return top
