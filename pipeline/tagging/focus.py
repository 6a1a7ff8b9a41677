"""Salience of each country in an article, and the focus countries it is about."""
from __future__ import annotations

from collections import defaultdict

from .lexicon import FocusRule
from .model import Mention


def salience(mentions: list[Mention], dateline_mention: Mention | None, rule: FocusRule) -> dict[str, float]:
    """Raw salience per ISO3: kind weight x position (title, lead) summed over mentions."""
    totals: dict[str, float] = defaultdict(float)
    for mention in mentions:
        totals[mention.iso3] += rule.kind_weights[mention.kind] * _position_multiplier(mention, rule)
    if dateline_mention is not None:
        totals[dateline_mention.iso3] += rule.dateline_weight
    return dict(totals)


def _position_multiplier(mention: Mention, rule: FocusRule) -> float:
    if mention.field == "title":
        return rule.title_multiplier
    return rule.lead_multiplier if mention.start < rule.lead_chars else 1.0


def anchors(mentions: list[Mention], dateline_mention: Mention | None, rule: FocusRule) -> set[str]:
    """Countries that are focus whatever their share of the mentions: those in the headline, the
    dateline, and every named country of a roster article (one that names roster_size or more
    countries, e.g. donors, members or signatories: it is about all of them)."""
    found = {mention.iso3 for mention in mentions if mention.field == "title"} if rule.title_is_focus else set()
    if dateline_mention is not None and rule.dateline_is_focus:
        found.add(dateline_mention.iso3)
    named = {mention.iso3 for mention in mentions if mention.kind == "name"}
    return found | named if len(named) >= rule.roster_size else found


def focus_of(totals: dict[str, float], anchored: set[str], rule: FocusRule) -> tuple[str, ...]:
    """Anchored countries plus those whose salience is high in absolute terms and close to the top one."""
    if not totals:
        return ()
    cutoff = max(rule.min_salience, rule.relative_to_top * max(totals.values()))
    ranked = sorted((code for code, value in totals.items() if value >= cutoff and code not in anchored),
                    key=lambda code: -totals[code])
    return tuple(sorted(anchored | set(ranked[:max(rule.max_focus - len(anchored), 0)])))


def normalised(totals: dict[str, float]) -> dict[str, float]:
    top = max(totals.values(), default=0.0)
    return {code: value / top for code, value in sorted(totals.items())} if top else {}
