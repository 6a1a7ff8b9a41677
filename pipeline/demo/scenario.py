"""Load and validate the demo scenario data in seeds/demo/ (countries, outlets, streams, events, templates)."""
from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from pipeline.paths import SEEDS
from pipeline.tagging.model import CUES
from pipeline.toml_lines import read_toml

SCENARIO_DIR = SEEDS / "demo"

ROLES = ("a", "b")
FORMS = ("", "_name", "_adj", "_leader", "_short")
LEADER_FORMS = ("_leader", "_short")
THIRD = "c"  # a third country some pair articles name beside their pair (Scenario.company)
# {c} has no leader forms: its sentences are drawn whatever leaders are in office
PLACEHOLDERS = frozenset(role + form for role in ROLES for form in FORMS) | {THIRD + form for form in FORMS[:3]}
TONES = CUES  # a demo story's tone is the cue the tagger should read in it
SOLO = "solo"


class ScenarioError(ValueError):
    """The demo scenario data is inconsistent."""


@dataclass(frozen=True)
class Leader:
    title: str
    name: str
    short: str
    start: date
    until: date | None

    def in_office(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)


@dataclass(frozen=True)
class Country:
    iso3: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    metonyms: tuple[str, ...]
    leaders: tuple[Leader, ...]

    def leader_on(self, day: date) -> Leader | None:
        return next((leader for leader in self.leaders if leader.in_office(day)), None)


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    country: str
    volume: float
    focus: frozenset[str]


@dataclass(frozen=True)
class TextBank:
    """Headline and sentence templates; `roles` fixes which country is {a} and {b} (None: either way)."""
    headlines: tuple[str, ...]
    sentences: tuple[str, ...]
    roles: tuple[str, ...] | None = None
    tone: str | None = None  # the tone these texts are written in (None: the stream's dominant tone)

    def __bool__(self) -> bool:
        return bool(self.headlines or self.sentences)


EMPTY_BANK = TextBank((), ())


@dataclass(frozen=True)
class Occasional:
    """Sentences a `share` of the articles they fit carry (templates.toml says which and where)."""
    share: float
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Stream:
    """Articles about one country or one pair on one topic."""
    countries: tuple[str, ...]
    topic: str
    weekly: float
    cooperation: float
    ordered: bool  # keep {a} = countries[0] in directional templates
    own_text: TextBank

    @property
    def key(self) -> tuple[tuple[str, ...], str]:
        return tuple(sorted(self.countries)), self.topic

    @property
    def is_pair(self) -> bool:
        return len(self.countries) == 2

    @property
    def dominant_tone(self) -> str:
        if not self.is_pair:
            return SOLO
        cooperation, confrontation = TONES
        return cooperation if self.cooperation >= 0.5 else confrontation


@dataclass(frozen=True)
class Event:
    name: str
    day: date
    pairs: tuple[tuple[str, str], ...]
    topics: tuple[str, ...]
    peak: float
    half_life_days: float
    lead_days: int
    after: float
    tone: str | None
    headlines: tuple[str, ...]
    sentences: tuple[str, ...]

    def surplus(self, day: date, lead_share: float) -> tuple[float, float]:
        """(transient, lasting) extra multiples of the base rate this event causes on `day`."""
        offset = (day - self.day).days
        if offset >= 0:
            return (self.peak - self.after) * 0.5 ** (offset / self.half_life_days), self.after - 1.0
        if offset >= -self.lead_days:
            return (self.peak - 1.0) * lead_share * (1 - -offset / (self.lead_days + 1)), 0.0
        return 0.0, 0.0

    def text_for(self, pair: tuple[str, str]) -> TextBank:
        return TextBank(self.headlines, self.sentences, pair, self.tone)


@dataclass(frozen=True)
class Settings:
    weekday_factors: tuple[float, ...]
    stream_noise_sigma: float
    day_noise_sigma: float
    focus_boost: float
    own_text_share: float
    lead_share: float
    summary_sentences: tuple[int, int]
    covers_from: date | None


@dataclass(frozen=True)
class Scenario:
    settings: Settings
    countries: dict[str, Country]
    outlets: tuple[Outlet, ...]
    streams: tuple[Stream, ...]
    events: tuple[Event, ...]
    topic_text: dict[tuple[str, str], TextBank]  # (topic, tone or "solo") -> templates
    generic_text: dict[str, TextBank]  # tone or "solo" -> filler sentences
    headline_tails: tuple[str, ...]  # attribution/context endings ("…, officials say")
    headline_tail_share: float
    apart: Occasional  # pair articles naming their two countries in separate sentences only: the {b} paragraph
    third_country: Occasional  # sentences naming a third country {c} beside the pair, most of them a list

    def stream_index(self, countries: tuple[str, ...], topic: str) -> int | None:
        key = (tuple(sorted(countries)), topic)
        return next((i for i, stream in enumerate(self.streams) if stream.key == key), None)

    def outlet(self, outlet_id: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.id == outlet_id:
                return outlet
        raise ScenarioError(f"unknown demo outlet {outlet_id!r}; known: {[o.id for o in self.outlets]}")

    def all_templates(self) -> list[str]:
        banks = [*self.topic_text.values(), *self.generic_text.values(), *(s.own_text for s in self.streams)]
        texts = [text for bank in banks for text in (*bank.headlines, *bank.sentences)]
        return (texts + list(self.headline_tails) + list(self.apart.sentences) + list(self.third_country.sentences)
                + [text for event in self.events for text in (*event.headlines, *event.sentences)])

    def company(self, countries: tuple[str, ...]) -> tuple[str, ...]:
        """Who a third-country sentence names beside `countries`: the countries they share a stream with (news lists
        a pair with its usual company, "Russia, North Korea and Iran"). None for a pair alone in its streams (FIN-KEN):
        any other country would make pairs the scenario never has, 157 where the streams have 17, and each one
        a series the alerts replay (the alert scorer's pair-weeks went from 884 to 5,720)."""
        return tuple(sorted({iso3 for stream in self.streams if set(countries) & set(stream.countries)
                             for iso3 in stream.countries} - set(countries)))


@cache
def load_scenario(directory: Path = SCENARIO_DIR) -> Scenario:
    """Read seeds/demo/*.toml once per process and check that everything refers to something. A file that does not
    parse, or lacks a table or a key, is a ScenarioError naming it (`pactwatch demo` says it in one line)."""
    raw = {name: read_toml(directory / f"{name}.toml", ScenarioError)
           for name in ("countries", "outlets", "scenario", "templates")}
    try:
        scenario = _scenario(raw)
    except ScenarioError:
        raise
    except (KeyError, TypeError, ValueError) as exc:  # a table or key left out, a value of another shape
        raise ScenarioError(f"{directory}: the demo's files lack or misshape what the scenario reads "
                            f"({type(exc).__name__}: {exc})") from exc
    _validate(scenario)
    return scenario


def _scenario(raw: dict[str, dict]) -> Scenario:
    return Scenario(
        settings=_settings(raw["scenario"]["settings"]),
        countries={iso3: _country(iso3, entry) for iso3, entry in raw["countries"].items()},
        outlets=tuple(_outlet(entry) for entry in raw["outlets"]["outlet"]),
        streams=tuple(_stream(entry) for entry in raw["scenario"]["stream"]),
        events=tuple(_event(entry) for entry in raw["scenario"]["event"]),
        topic_text=_topic_text(raw["templates"]["topic"]),
        generic_text={tone: _bank(entry) for tone, entry in raw["templates"]["generic"].items()},
        headline_tails=tuple(raw["templates"]["headline_tails"]["tails"]),
        headline_tail_share=raw["templates"]["headline_tails"]["share"],
        apart=_occasional(raw["templates"]["apart"]),
        third_country=_occasional(raw["templates"]["third_country"]),
    )


def _settings(entry: dict) -> Settings:
    low, high = entry["summary_sentences"]
    return Settings(
        weekday_factors=tuple(entry["weekday_factors"]),
        stream_noise_sigma=entry["stream_noise_sigma"],
        day_noise_sigma=entry["day_noise_sigma"],
        focus_boost=entry["focus_boost"],
        own_text_share=entry["own_text_share"],
        lead_share=entry["lead_share"],
        summary_sentences=(low, high),
        covers_from=entry.get("covers_from"),
    )


def _country(iso3: str, entry: dict) -> Country:
    leaders = tuple(
        Leader(item["title"], item["name"], item["short"], item["from"], item.get("until"))
        for item in entry["leaders"]
    )
    return Country(iso3, tuple(entry["names"]), tuple(entry["demonyms"]), tuple(entry["metonyms"]), leaders)


def _outlet(entry: dict) -> Outlet:
    return Outlet(entry["id"], entry["name"], entry["country"], float(entry["volume"]), frozenset(entry["focus"]))


def _bank(entry: dict, roles: tuple[str, ...] | None = None) -> TextBank:
    return TextBank(tuple(entry.get("headlines", ())), tuple(entry.get("sentences", ())), roles)


def _occasional(entry: dict) -> Occasional:
    return Occasional(float(entry["share"]), tuple(entry["sentences"]))


def _stream(entry: dict) -> Stream:
    countries = tuple(entry["countries"])
    return Stream(countries, entry["topic"], float(entry["weekly"]), float(entry.get("cooperation", 0.5)),
                  bool(entry.get("ordered", False)), _bank(entry, countries))


def _event(entry: dict) -> Event:
    return Event(
        name=entry["name"],
        day=entry["date"],
        pairs=tuple(tuple(pair) for pair in entry["pairs"]),
        topics=tuple(entry["topics"]),
        peak=float(entry["peak"]),
        half_life_days=float(entry["half_life_days"]),
        lead_days=int(entry.get("lead_days", 0)),
        after=float(entry.get("after", 1.0)),
        tone=entry.get("tone"),
        headlines=tuple(entry.get("headlines", ())),
        sentences=tuple(entry.get("sentences", ())),
    )


def _topic_text(topics: dict) -> dict[tuple[str, str], TextBank]:
    return {(topic, tone): _bank(entry) for topic, tones in topics.items() for tone, entry in tones.items()}


def _validate(scenario: Scenario) -> None:
    known = scenario.countries.keys()
    referenced = [iso for o in scenario.outlets for iso in o.focus]
    referenced += [iso for s in scenario.streams for iso in s.countries]
    referenced += [iso for e in scenario.events for pair in e.pairs for iso in pair]
    _require(not set(referenced) - known, f"countries missing from countries.toml: {set(referenced) - known}")
    keys = [stream.key for stream in scenario.streams]
    _require(len(keys) == len(set(keys)), "a stream is listed twice in scenario.toml")
    for stream in scenario.streams:
        for tone in tones_of(stream):
            _require((stream.topic, tone) in scenario.topic_text, f"no {tone} templates for topic {stream.topic}")
        if stream.is_pair and scenario.apart.share:  # its articles apart open as one-country news of the topic
            _require((stream.topic, SOLO) in scenario.topic_text, f"no solo templates for topic {stream.topic}, "
                                                                  "which pair articles apart need")
    _validate_occasional(scenario)
    for event in scenario.events:
        _require(event.tone in (None, *TONES), f"event {event.name!r}: unknown tone {event.tone!r}")
        for pair in event.pairs:
            for topic in event.topics:
                _require(scenario.stream_index(pair, topic) is not None,
                         f"event {event.name!r}: no stream {pair} {topic}")
    for text in scenario.all_templates():
        unknown = set(placeholders(text)) - PLACEHOLDERS
        _require(not unknown, f"unknown placeholders {unknown} in template {text!r}")
    longest = scenario.settings.summary_sentences[1]
    for (topic, tone), bank in scenario.topic_text.items():
        sentences = (*bank.sentences, *scenario.generic_text[tone].sentences)
        filler = [text for text in sentences if not leader_roles(text)]
        _require(len(filler) > longest, f"{topic}/{tone}: fewer than {longest + 1} sentences without leaders")
    for headline in _pair_headlines(scenario):
        _require(_roles_named(headline) == set(ROLES), f"pair headline must name both {{a}} and {{b}}: {headline!r}")


def _validate_occasional(scenario: Scenario) -> None:
    """Drawn whatever leaders are in office, they name none; the paragraph apart names {b} alone (the article's
    other sentences tell {a}'s story), a third-country sentence names {c}, which no other template may (nothing else
    casts it)."""
    for name, occasional in (("apart", scenario.apart), ("third_country", scenario.third_country)):
        _require(0 <= occasional.share <= 1, f"[{name}] share must be from 0 to 1")
        _require(bool(occasional.sentences) or not occasional.share, f"[{name}] has a share but no sentences")
        for text in occasional.sentences:
            _require(not leader_roles(text), f"[{name}] names a leader: {text!r}")
    for text in scenario.apart.sentences:
        _require(_roles_named(text) == {"b"}, f"[apart] must name {{b}} alone: {text!r}")
    third = set(scenario.third_country.sentences)
    for text in scenario.all_templates():
        _require((THIRD in _roles_named(text)) == (text in third), f"{{c}} belongs in [third_country] alone: {text!r}")


def _pair_headlines(scenario: Scenario) -> list[str]:
    """Headlines of pair articles (but those apart, which open as one-country news): they name both countries, so
    those articles are co-mentions."""
    banks = [bank for (_, tone), bank in scenario.topic_text.items() if tone in TONES]
    banks += [stream.own_text for stream in scenario.streams if stream.is_pair]
    return [text for bank in banks for text in bank.headlines] + [h for e in scenario.events for h in e.headlines]


def leader_roles(text: str) -> frozenset[str]:
    """The roles ("a", "b") whose leader a template names."""
    return frozenset(field.partition("_")[0] for field in placeholders(text) if field.endswith(LEADER_FORMS))


def _roles_named(text: str) -> set[str]:
    return {field.partition("_")[0] for field in placeholders(text)}


def tones_of(stream: Stream) -> tuple[str, ...]:
    return TONES if stream.is_pair else (SOLO,)


def placeholders(text: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ScenarioError(message)
