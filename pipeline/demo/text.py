"""Turn a stream (country/pair + topic) into a headline and a 2-4 sentence summary from our templates.

Some pair articles never name their two countries in one sentence (`[apart]` in templates.toml), and some name a third
country (`[third_country]`), most often in a list of three: what the dashboard's sentence / article switches and its
"hide sentences that only list" filter tell apart."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from pipeline.demo.plan import EventText
from pipeline.demo.scenario import (
    ROLES, SOLO, THIRD, TONES, Country, Scenario, Stream, TextBank, leader_roles,
)

NAME_SHARE = 0.6  # a plain {a} is a country name this often, otherwise a metonym ("Moscow", "the Kremlin")


@dataclass(frozen=True)
class Voice:
    """How the news names one country on one day."""
    country: Country
    leader: str | None
    leader_short: str | None

    @classmethod
    def on(cls, country: Country, day: date) -> Voice:
        leader = country.leader_on(day)
        if leader is None:
            return cls(country, None, None)
        return cls(country, f"{country.demonyms[0]} {leader.title} {leader.name}", leader.short)

    def form(self, form: str, rng: random.Random) -> str:
        country = self.country
        if form == "":
            use_name = not country.metonyms or rng.random() < NAME_SHARE
            return pick(rng, country.names if use_name else country.metonyms)
        if form == "name":
            return pick(rng, country.names)
        if form == "adj":
            return pick(rng, country.demonyms)
        return self.leader if form == "leader" else self.leader_short


class _Forms(dict):
    """A str.format_map mapping drawing a fresh surface form for every placeholder occurrence.

    Like news copy, the body introduces a leader in full ("Russian President Vladimir Putin") before
    using the short name; headlines (`introduced` = all roles) use the short name straight away.
    """

    def __init__(self, rng: random.Random, voices: dict[str, Voice], introduced: set[str]) -> None:
        super().__init__()
        self.rng = rng
        self.voices = voices
        self.introduced = introduced

    def __missing__(self, key: str) -> str:
        role, _, form = key.partition("_")
        if form in ("leader", "short") and role not in self.introduced:
            self.introduced.add(role)
            form = "leader"
        return self.voices[role].form(form, self.rng)


class PreparedBank:
    """A TextBank split by which roles' leaders its templates need, so a day without a leader skips them."""

    def __init__(self, bank: TextBank) -> None:
        self.roles = bank.roles
        self.tone = bank.tone
        self._by_leaders = {
            available: (_usable(bank.headlines, available), _usable(bank.sentences, available))
            for available in _role_subsets()
        }

    def headlines(self, available: frozenset[str]) -> tuple[str, ...]:
        return self._by_leaders[available][0]

    def sentences(self, available: frozenset[str]) -> tuple[str, ...]:
        return self._by_leaders[available][1]


def _role_subsets() -> list[frozenset[str]]:
    return [frozenset(combo) for size in range(len(ROLES) + 1) for combo in combinations(ROLES, size)]


def _usable(texts: tuple[str, ...], available: frozenset[str]) -> tuple[str, ...]:
    return tuple(text for text in texts if leader_roles(text) <= available)


def pick(rng: random.Random, options: tuple[str, ...]) -> str:
    """rng.choice, several times faster (one float draw); deterministic all the same."""
    return options[int(rng.random() * len(options))]


def _pick_distinct(rng: random.Random, options: tuple[str, ...], count: int, taken: str) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        option = pick(rng, options)
        if option != taken and option not in chosen:
            chosen.append(option)
    return chosen


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class ArticleWriter:
    """Renders articles for one scenario; call `start_day` before rendering a day's articles."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.settings = scenario.settings
        self.topic_text = {key: PreparedBank(bank) for key, bank in scenario.topic_text.items()}
        self.generic_text = {tone: PreparedBank(bank) for tone, bank in scenario.generic_text.items()}
        self.own_text = {stream.key: PreparedBank(stream.own_text) for stream in scenario.streams if stream.own_text}
        self.event_text = {(e, pair): PreparedBank(event.text_for(pair))
                           for e, event in enumerate(scenario.events) for pair in event.pairs}
        self.voices: dict[str, Voice] = {}
        self.companies: dict[tuple[str, ...], tuple[str, ...]] = {}  # Scenario.company, worked out once per pair

    def start_day(self, day: date) -> None:
        self.voices = {iso3: Voice.on(country, day) for iso3, country in self.scenario.countries.items()}

    def render(self, rng: random.Random, stream: Stream, story: EventText | None = None) -> tuple[str, str]:
        """(headline, summary) for one article of `stream`; an event `story` may override the stream's own text."""
        primary = self._event_sometimes(rng, story) or self._own_text_sometimes(rng, stream)
        if primary is None and stream.is_pair and rng.random() < self.scenario.apart.share:
            return self._render_apart(rng, stream)
        tone = _tone(rng, stream, primary)
        voices = self._cast(rng, stream, primary)
        available = frozenset(role for role, voice in voices.items() if voice.leader)
        topic = self.topic_text[(stream.topic, tone)]
        headline = pick(rng, _first_nonempty(primary, topic, available, "headlines"))
        opening = pick(rng, _first_nonempty(primary, topic, available, "sentences"))
        rest = self._filler(rng, topic, tone, available, opening)
        company = self._company(stream.countries) if stream.is_pair else ()
        if company and rng.random() < self.scenario.third_country.share:
            # the last filler sentence gives way, so the summary keeps its length
            voices[THIRD] = self.voices[pick(rng, company)]
            rest[-1:] = [pick(rng, self.scenario.third_country.sentences)]
        return self._written(rng, voices, headline, [opening, *rest])

    def _render_apart(self, rng: random.Random, stream: Stream) -> tuple[str, str]:
        """A pair article with no sentence naming both: a story about {a}, told with its topic's one-country headline
        and sentences, in which the first filler sentence gives way to a paragraph about {b} alone. That is inside
        the lead, where the tagger weighs a country most, so {b} is one of the countries the article is about."""
        voices = self._cast(rng, stream, None)
        available = frozenset(role for role, voice in voices.items() if voice.leader)
        solo = self.topic_text[(stream.topic, SOLO)]
        headline = pick(rng, solo.headlines(available))
        opening = pick(rng, solo.sentences(available))
        rest = self._filler(rng, solo, SOLO, available, opening)
        rest[:1] = [pick(rng, self.scenario.apart.sentences)]
        return self._written(rng, voices, headline, [opening, *rest])

    def _filler(self, rng: random.Random, topic: PreparedBank, tone: str, available: frozenset[str],
                opening: str) -> list[str]:
        """The summary's sentences after its opening: of the topic's and the tone's generic ones."""
        filler = topic.sentences(available) + self.generic_text[tone].sentences(available)
        low, high = self.settings.summary_sentences
        return _pick_distinct(rng, filler, low - 1 + int(rng.random() * (high - low + 1)), opening)

    def _written(self, rng: random.Random, voices: dict[str, Voice], headline: str,
                 sentences: list[str]) -> tuple[str, str]:
        body = _Forms(rng, voices, introduced=set())
        summary = " ".join(_capitalised(text.format_map(body)) for text in sentences)
        headline = _capitalised(headline.format_map(_Forms(rng, voices, introduced=set(ROLES))))
        return headline + self._tail(rng), summary

    def _company(self, countries: tuple[str, ...]) -> tuple[str, ...]:
        if countries not in self.companies:
            self.companies[countries] = self.scenario.company(countries)
        return self.companies[countries]

    def _tail(self, rng: random.Random) -> str:
        return pick(rng, self.scenario.headline_tails) if rng.random() < self.scenario.headline_tail_share else ""

    def _event_sometimes(self, rng: random.Random, story: EventText | None) -> PreparedBank | None:
        if story is None or rng.random() >= story.probability:
            return None
        return self.event_text[rng.choices(story.events, cum_weights=story.cum_weights)[0]]

    def _own_text_sometimes(self, rng: random.Random, stream: Stream) -> PreparedBank | None:
        own = self.own_text.get(stream.key)
        return own if own is not None and rng.random() < self.settings.own_text_share else None

    def _cast(self, rng: random.Random, stream: Stream, primary: PreparedBank | None) -> dict[str, Voice]:
        """Which country plays {a} and which {b}: fixed by stream/event text, otherwise either way round."""
        if primary is not None:
            order = primary.roles
        elif stream.is_pair and not stream.ordered and rng.random() < 0.5:
            order = stream.countries[::-1]
        else:
            order = stream.countries
        return {role: self.voices[iso3] for role, iso3 in zip(ROLES, order)}


def _tone(rng: random.Random, stream: Stream, primary: PreparedBank | None) -> str:
    """Stream/event texts are written in one tone; otherwise draw it from the stream's cooperation share."""
    if primary is not None:
        return primary.tone or stream.dominant_tone
    if not stream.is_pair:
        return SOLO
    cooperation, confrontation = TONES
    return cooperation if rng.random() < stream.cooperation else confrontation


def _first_nonempty(primary: PreparedBank | None, fallback: PreparedBank, available: frozenset[str],
                    kind: str) -> tuple[str, ...]:
    texts = getattr(primary, kind)(available) if primary is not None else ()
    return texts or getattr(fallback, kind)(available)
