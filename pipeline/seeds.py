"""Load and validate the bundled seed files once per process, and build the Tagger from them."""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
import math
import re
import tomllib
from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from pipeline.paths import SEEDS, SEEDS_ENV
from pipeline.seed_shapes import FILE_SHAPES, TOPIC_ID, entry_name
from pipeline.tagging import (CODE_VERSION, TOPICS, AmbiguousSurface, CueEndings, FocusRule, LanguageGuide, ListWords,
                              OwnScan, PairWord, PartyWords, PlaceEntry, ScriptRule, Tagger, TaggerData, TopicLexicon)
from pipeline.tagging.model import CUES, MENTION_KINDS, NEUTRAL
from pipeline.tagging.matcher import make_pattern
from pipeline.tagging.text import phrase_key
from pipeline.toml_lines import line_in_file, line_of, located, syntax_error

DEFAULT_SEEDS_DIR = SEEDS
_TAGGING_DIRS = ("gazetteer", "topics", "languages")


class SeedError(ValueError):
    """A seed file is missing, malformed or inconsistent."""


def load_tagger(seeds_dir: Path | None = None) -> Tagger:
    """The Tagger built from `seeds_dir` (default: the bundled seeds/) as its files are now, cached per directory and
    content: `ingest --every` asks again each period and gets a new one after a seed edit (a file is read again only
    when it changed)."""
    directory = (seeds_dir or DEFAULT_SEEDS_DIR).resolve()
    return _cached_tagger(directory, seed_hash(directory))


def tagger_version(seeds_dir: Path | None = None) -> str:
    """The version the tagger built from `seeds_dir` stamps on its tags: code version + seed-file hash
    (without building the tagger)."""
    return f"{CODE_VERSION}+{seed_hash((seeds_dir or DEFAULT_SEEDS_DIR).resolve())}"


def stale_tags_effect(stored_versions: Collection[str], current: str) -> str:
    """What stored tags of `stored_versions` (one not `current`, the code's) do to counts until `pactwatch retag`:
    every tag of one older version is no mix, its counts follow that version's rules throughout."""
    mixed = current in stored_versions or len(set(stored_versions)) > 1
    return "counts mix rule sets" if mixed else "counts follow the older rules"


def load_problem(seeds_dir: Path | None = None) -> str | None:
    """Why the seed files in `seeds_dir` (default: the bundled seeds/) make no tagger, else None: every check the
    tagger's load makes, without keeping one. Advice to retag names it first, as a retag would fail."""
    directory = (seeds_dir or DEFAULT_SEEDS_DIR).resolve()
    try:
        _checked_seeds(directory, seed_hash(directory))
    except SeedError as error:
        return str(error)
    return None


def retag_blocked(problem: str) -> str:
    """What follows "until `pactwatch retag` rebuilds them" while the seed files do not load (`problem`)."""
    return f"which it cannot while the seed files do not load ({problem}): fix them first"


@functools.lru_cache(maxsize=4)
def _cached_tagger(seeds_dir: Path, content: str) -> Tagger:
    return Tagger(_checked_seeds(seeds_dir, content))


@functools.lru_cache(maxsize=4)
def _checked_seeds(seeds_dir: Path, _content: str) -> TaggerData:
    """load_tagger_data once per content of the files, for the tagger and for `status`, which asks on every call (its
    28 tests took a fifth longer loading them each time). Only a load that passed is kept (lru_cache keeps no
    exception), so an error names the line it is on now."""
    return load_tagger_data(seeds_dir)


def load_tagger_data(seeds_dir: Path) -> TaggerData:
    gazetteer, topics_dir = seeds_dir / "gazetteer", seeds_dir / "topics"
    countries = _country_codes(gazetteer)
    actors = _read_toml(gazetteer / "actors.toml")
    codes = countries | set(actors)
    rules = _read_toml(gazetteer / "rules.toml")
    leaders = _leaders(gazetteer, codes)
    sources = {"iso_countries.csv": iso_name_entries(seeds_dir), "subdivisions.csv": _subdivisions(gazetteer),
               "countries.toml": _curated(gazetteer, countries), "leaders.csv": leaders,
               "actors.toml": _actor_names(actors)}
    places = [entry for entries in sources.values() for entry in entries]
    ambiguous = tuple(_ambiguous(rule, codes) for rule in rules["ambiguous"])
    # A blocker may share a key with a foreign word: it is tried first and wins only where its capitals match
    # ("ROM", read-only memory, against German "Rom").
    english = _capitals_by_key([entry.surface for entry in places] + [rule.surface for rule in ambiguous])
    exonyms, own_scans, language_blockers = _exonyms(gazetteer, countries, leaders, english)
    places += [entry for entry in exonyms if not _found_by_english(english, entry.surface)]
    # those English finds too are checked: English gives them its country
    _refuse_a_word_of_two_countries(gazetteer, {**sources, "exonyms": exonyms}, own_scans, ambiguous)
    cue_table = _read_toml(topics_dir / "cues.toml")
    return TaggerData(
        places=tuple(dict.fromkeys(places)),  # the curated files repeat some ISO names; keep one
        actor_codes=frozenset(actors),
        blockers=tuple(rules["blockers"]),
        ambiguous=ambiguous,
        given_names=frozenset(name.lower() for name in rules["given_names"]),
        first_name_surfaces=frozenset(rules["first_name_surfaces"]),
        title_case_countries=_title_case_countries(rules, gazetteer / "rules.toml"),
        titles=frozenset(name.lower() for name in rules["titles"]),
        offices=frozenset(name.lower() for name in rules["offices"]),
        place_prefixes=frozenset(name.lower() for name in rules["place_prefixes"]),
        country_prefixes=_country_prefixes(rules, gazetteer / "rules.toml"),
        country_followers=frozenset(rules["country_followers"]),
        us_state_abbreviations=tuple(rules["us_state_abbreviations"]),
        topics=_topics(topics_dir / "topics.toml"),
        cues=_cues(cue_table),
        cue_endings=_cue_endings(cue_table),
        focus=_focus(_read_toml(gazetteer / "focus.toml")),
        languages=_language_guide(seeds_dir / "languages" / "guess.toml"),
        list_words=_list_words(seeds_dir / "languages" / "lists.toml"),
        parties=_party_words(rules, gazetteer / "rules.toml"),
        own_scans=own_scans,
        language_blockers=language_blockers,
        version=tagger_version(seeds_dir),
    )


def seed_hash(seeds_dir: Path) -> str:
    """8 hex digits over what every tagging seed file says, so tags can be traced to the data that made them. A folder
    without any is refused: its hash, of nothing, would pass for a version of seeds that are not there (an install
    missing its data)."""
    digest = hashlib.sha256()
    hashed = 0
    for sub in _TAGGING_DIRS:
        for path in sorted((seeds_dir / sub).glob("*")):
            if path.suffix in (".toml", ".csv", ".json", ".txt"):
                digest.update(f"{sub}/{path.name}\0".encode())
                stat = path.stat()
                digest.update(_hashed_content(path, stat.st_mtime_ns, stat.st_size))
                hashed += 1
    if not hashed:
        raise SeedError(f"{seeds_dir}: no seed files in {', '.join(f'{sub}/' for sub in _TAGGING_DIRS)}: "
                        f"an install missing its data, or {SEEDS_ENV} naming another folder")
    return digest.hexdigest()[:8]


@functools.lru_cache(maxsize=64)
def _hashed_content(path: Path, mtime_ns: int, size: int) -> bytes:  # the file's state is the cache key
    """A TOML file's values in file order, not its text: a comment reworded or a line re-wrapped changes no tag, and
    must not ask every home for a retag. A CSV file's lines but its comments; other files, and a TOML file that does
    not parse (the loader names its error), as they are."""
    data = path.read_bytes()
    if path.suffix == ".csv":
        return b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"#"))
    if path.suffix != ".toml":
        return data
    try:
        return json.dumps(tomllib.loads(data.decode("utf-8")), ensure_ascii=False, default=str).encode()
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return data


def _read_toml(path: Path) -> dict:
    """The content of a seed TOML file, checked against its declared shape (pipeline.seed_shapes)."""
    try:
        text = path.read_text(encoding="utf-8")
        content = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(f"{path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise SeedError(syntax_error(path, error)) from None
    if (shape := FILE_SHAPES.get(path.name)) and (problem := shape.problem(content, ())):
        keys, message = problem
        entry = entry_name(keys)
        raise SeedError(located(path, f"{f'{entry} ' if entry else ''}{message}", line_of(text, keys)))
    return content


_CSV_COLUMNS = {"iso_countries.csv": ("iso3", "iso2", "name", "official_name", "common_name"),
                "exonyms.csv": ("language", "iso3", "name"), "subdivisions.csv": ("iso3", "name", "type"),
                "leaders.csv": ("surface", "iso3", "role", "valid_from", "valid_to")}


def _read_csv(path: Path) -> list[dict[str, str]]:
    return [row for _, row in _csv_rows(path)]


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a seed CSV with the line each starts on. Its header must name the columns the loader reads
    (`_CSV_COLUMNS`), and every row have the header's number of fields: a field left out shifts the next ones into
    the wrong columns (a date read as a role), one too many is a comma inside a name. A line starting with "#" is a
    comment (read as a blank line, so the line numbers stay the file's): no field of a seed CSV spans lines, so each
    line is a record, and a "#" line inside a quoted field would be read as a comment too."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader("\n" if line.startswith("#") else line for line in handle)
            header = next(filter(None, reader), [])
            if missing := [column for column in _CSV_COLUMNS[path.name] if column not in header]:
                raise SeedError(f"{path}:{reader.line_num}: the header lacks {', '.join(map(repr, missing))} "
                                f"(expected {','.join(_CSV_COLUMNS[path.name])}, found {','.join(header)})")
            rows = []
            for fields in filter(None, reader):  # a blank line is no row (DictReader skipped it too)
                if len(fields) != len(header):
                    raise SeedError(f"{path}:{reader.line_num}: {len(fields)} fields, expected {len(header)} "
                                    f"({','.join(header)})")
                rows.append((reader.line_num, dict(zip(header, fields))))
            return rows
    except OSError as error:
        raise SeedError(f"{path}: {error}") from error


@functools.lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The ISO3 codes of every country the bundled gazetteer knows: the only ones a tag can carry."""
    return frozenset(_country_codes(DEFAULT_SEEDS_DIR / "gazetteer"))


def topic_ids() -> tuple[str, ...]:
    """The topics a tag can carry: the fixed ones (TOPICS), then those the seeds' topics.toml adds (the bundled seeds,
    or the folder PACTWATCH_SEEDS names)."""
    return tuple(lexicon.topic for lexicon in _topics(DEFAULT_SEEDS_DIR / "topics" / "topics.toml"))


def _country_codes(gazetteer: Path) -> set[str]:
    return {row["iso3"] for row in _read_csv(gazetteer / "iso_countries.csv")}


def iso_name_entries(seeds_dir: Path | None = None) -> list[PlaceEntry]:
    """Country names exactly as ISO 3166 / pycountry writes them (also the evaluation baseline)."""
    entries = []
    for row in _read_csv((seeds_dir or DEFAULT_SEEDS_DIR) / "gazetteer" / "iso_countries.csv"):
        for column in ("name", "official_name", "common_name"):
            name = row[column].removeprefix("the ").strip()
            if name and "," not in name:  # inverted forms ("Korea, Republic of") never occur in text
                entries.append(PlaceEntry(name, row["iso3"], "name"))
    return entries


def iso3_by_iso2(seeds_dir: Path | None = None) -> dict[str, str]:
    """ISO 3166 alpha-2 code -> our (alpha-3) country code, for tools that speak alpha-2."""
    return {row["iso2"]: row["iso3"]
            for row in _read_csv((seeds_dir or DEFAULT_SEEDS_DIR) / "gazetteer" / "iso_countries.csv")}


def _subdivisions(gazetteer: Path) -> list[PlaceEntry]:
    return [PlaceEntry(row["name"], row["iso3"], "place") for row in _read_csv(gazetteer / "subdivisions.csv")]


_CURATED_KINDS = {"names": "name", "historical": "name", "demonyms": "demonym", "capitals": "capital",
                  "cities": "place"}


def _curated(gazetteer: Path, countries: set[str]) -> list[PlaceEntry]:
    path = gazetteer / "countries.toml"
    entries = []
    for code, table in _read_toml(path).items():
        if code not in countries:
            raise _mistake(path, (code,), f"unknown country code {code!r} (iso_countries.csv has every code)")
        for key, surfaces in table.items():
            if key not in _CURATED_KINDS:
                raise _mistake(path, (code, key), f"[{code}] unknown key {key!r} (known: {', '.join(_CURATED_KINDS)})")
            kind = _CURATED_KINDS[key]
            forms = [form for surface in surfaces for form in
                     ((surface, *_plurals(surface)) if kind == "demonym" else (surface,))]
            entries += [PlaceEntry(form, code, kind) for form in forms]
    return entries


def _title_case_countries(rules: dict, path: Path) -> frozenset[str]:
    surfaces = frozenset(rules["title_case_countries"])
    if stray := surfaces - set(rules["first_name_surfaces"]):
        raise SeedError(f"{path}: title_case_countries must be first_name_surfaces too, not {sorted(stray)}")
    return surfaces


def _country_prefixes(rules: dict, path: Path) -> frozenset[str]:
    """The phrases of country_prefixes, lower case: a word and the first name it makes the country's ("air india")."""
    first_names = set(rules["first_name_surfaces"])
    if stray := [phrase for phrase in rules["country_prefixes"]
                 if len(phrase.split()) != 2 or phrase.split()[1] not in first_names]:
        raise SeedError(f"{path}: country_prefixes must be a word and one of first_name_surfaces, not {stray}")
    return frozenset(phrase.lower() for phrase in rules["country_prefixes"])


_MAN_COMPOUNDS = ("chman", "shman", "sman", "woman")  # Frenchman, Irishman, Scotsman; not German


def _plurals(demonym: str) -> tuple[str, ...]:
    """'Russian' -> 'Russians', 'Frenchman' -> 'Frenchmen', 'German' -> 'Germans'; 'Swiss', 'Chinese', 'British'
    have none."""
    if demonym.endswith(_MAN_COMPOUNDS):
        return (demonym[:-3] + "men",)
    if demonym.endswith(("s", "sh", "ch", "ese", "x", "z", "-based")) or not demonym[-1].isalpha():
        return ()
    return (demonym + "s",)


_EXONYM_KINDS = {"names": "name", "capitals": "capital", "demonyms": "demonym", "cities": "place"}


def _exonyms(gazetteer: Path, countries: set[str], leaders: list[PlaceEntry], english: dict[str, list[set[int]]]
             ) -> tuple[list[PlaceEntry], dict[str, OwnScan], dict[str, tuple[str, ...]]]:
    """Country words of other languages, each matched in its language only: every country's CLDR name
    (exonyms.csv) and the curated capitals, demonyms and names of exonyms.toml. The caller drops those the
    English gazetteer finds, in every language (`_found_by_english`). Also: the languages with a scan of their
    own, and the `blockers` of those matched like English: English words (`english`, `_capitals_by_key`) that name
    no country in their articles."""
    path = gazetteer / "exonyms.toml"
    cldr: dict[str, list[tuple[str, str]]] = {}
    for row in _read_csv(gazetteer / "exonyms.csv"):
        cldr.setdefault(row["language"], []).append((row["iso3"], row["name"]))
    languages = _read_toml(path)
    if missing := set(cldr) - set(languages):
        raise SeedError(f"{path}: no table for the languages of exonyms.csv {sorted(missing)}")
    entries, scans, blocked = [], {}, {}
    for language, table in languages.items():
        if not re.fullmatch("[a-z]{2,3}", language) or language == "en":
            raise SeedError(f"{path}: [{language}] is not the primary subtag of a language other than English")
        table = dict(table)
        if (scan := _own_scan(path, language, table, countries)) is not None:
            scans[language] = scan
        elif "blockers" in table:
            blocked[language] = _english_blockers(f"{path}: [{language}]", table.pop("blockers"), english)
        entries += _translated_leaders(path, language, table.pop("leaders", {}), leaders)
        entries += _language_exonyms(path, language, table, cldr.get(language, []), countries)
    return entries, scans, blocked


def _refuse_a_word_of_two_countries(gazetteer: Path, sources: dict[str, list[PlaceEntry]],
                                    own_scans: dict[str, OwnScan], ambiguous: tuple[AmbiguousSurface, ...]) -> None:
    """Two entries matching the same words (as the tagger keys them) for two countries: the tagger keeps one reading
    of a span, so one country silently lost the word ("Slovak" pasted under [CZE] took it from SVK; "Santiago" added
    to CUB's capitals was ignored). Allowed where the seed data says how to choose: leaders whose terms do not
    overlap (the article's date picks), and a word that is an [[ambiguous]] rule's surface in rules.toml (the
    article's other words pick: "Georgia")."""
    decided = {make_pattern(rule.surface, None, case_sensitive=True)[0] for rule in ambiguous}
    seen: dict[tuple[str, str | None], list[tuple[PlaceEntry, str]]] = {}
    for source, entries in sources.items():
        for entry in entries:
            own_scan = own_scans.get(entry.language or "")
            key = entry.surface.translate(str.maketrans(own_scan.letter_variants)) if own_scan \
                else make_pattern(entry.surface, None, case_sensitive=True)[0]
            if not own_scan and key in decided:
                continue
            # English words are matched in every language (they come first: exonyms are the last source)
            rivals = seen.get((key, entry.language), []) + (seen.get((key, None), []) if entry.language else [])
            for rival, rival_source in rivals:
                if rival.code != entry.code and _terms_overlap(rival, entry):
                    one, other = _origin(gazetteer, source, entry), _origin(gazetteer, rival_source, rival)
                    raise SeedError(f"{gazetteer}: {entry.surface!r} ({entry.kind}, {one}) and {rival.surface!r} "
                                    f"({rival.kind}, {other}) match the same words for two countries, {rival.code} and "
                                    f"{entry.code}: drop one, or give both leaders terms that do not overlap, or make "
                                    "the word an [[ambiguous]] rule of rules.toml, which picks its country by the "
                                    "article's other words")
            seen.setdefault((key, entry.language), []).append((entry, source))


def _terms_overlap(one: PlaceEntry, other: PlaceEntry) -> bool:
    """Whether some day is in both entries' terms (valid_from up to the day before valid_to; None: open)."""
    return ((one.valid_to is None or other.valid_from is None or other.valid_from < one.valid_to)
            and (other.valid_to is None or one.valid_from is None or one.valid_from < other.valid_to))


_LIST_OF_KIND = {"demonym": "demonyms", "capital": "capitals", "place": "cities"}  # countries.toml's


def _origin(gazetteer: Path, source: str, entry: PlaceEntry) -> str:
    """Where an entry of `source` (a key of load_tagger_data's sources) is written, for errors: a TOML file's with
    the line of its list ("countries.toml:224 [CZE]"; a name's, which is one of two lists, at its country's table)."""
    if source in ("countries.toml", "actors.toml"):
        line = line_in_file(gazetteer / source, (entry.code, _LIST_OF_KIND.get(entry.kind)))
        return f"{source}{f':{line}' if line else ''} [{entry.code}]"
    if source == "exonyms":
        return f"exonyms.toml/exonyms.csv [{entry.language}.{entry.code}]"
    return source


def _capitals_by_key(surfaces: list[str]) -> dict[str, list[set[int]]]:
    """Automaton key -> the positions of the capitals each word of `surfaces` with that key asks for."""
    capitals: dict[str, list[set[int]]] = {}
    for surface in surfaces:
        key, pattern = make_pattern(surface, None, case_sensitive=True)
        capitals.setdefault(key, []).append(set(pattern.upper_positions))
    return capitals


def _found_by_english(english: dict[str, list[set[int]]], surface: str) -> bool:
    """Whether a word of `english` (`_capitals_by_key`) is found wherever `surface` is: the same key, and no capital
    that `surface` lacks. Italian "taiwanese" is not: English "Taiwanese" asks for its capital."""
    key, pattern = make_pattern(surface, None, case_sensitive=True)
    return any(capitals <= set(pattern.upper_positions) for capitals in english.get(key, ()))


def _english_blockers(where: str, blockers: list[str], english: dict[str, list[set[int]]]) -> tuple[str, ...]:
    """The `blockers` of a language matched like English: each spelt as a word of the English gazetteer (`english`,
    `_capitals_by_key`), which then names no country in that language's articles. `where`: the file and the
    language's table, for errors."""
    if stray := [word for word in blockers if make_pattern(word, None, case_sensitive=True)[0] not in english]:
        raise SeedError(f"{where} blockers must be words of the English gazetteer (it finds them in every "
                        f"language), not {stray}")
    return tuple(blockers)


_OWN_SCAN_ONLY = ("pairs", "pairs_if_followed", "pair_followers", "pair_particles", "pair_counters")  # and letter_variants


def _own_scan(path: Path, language: str, table: dict, countries: set[str]) -> OwnScan | None:
    """The scan of a language marked `unspaced` or `whole_words`, or joining `prefixes` to its words (those
    keys, `blockers`, `letter_variants` and the pair abbreviations are taken out of `table`); None for a language
    matched like English (its `blockers` are left in `table`)."""
    flags = {key: table.pop(key, False) for key in ("unspaced", "whole_words")}
    prefixes, variants = tuple(table.pop("prefixes", ())), dict(table.pop("letter_variants", {}))
    whole_words = flags["whole_words"] or bool(prefixes)
    if not flags["unspaced"] and not whole_words:
        # A pair abbreviation is two letters inside a run of letters: only a scan of its own finds it there.
        if stray := [key for key in _OWN_SCAN_ONLY if key in table] + (["letter_variants"] if variants else []):
            raise SeedError(f"{path}: [{language}] {', '.join(stray)}: only for languages with a scan "
                            "of their own (unspaced, whole_words or with prefixes)")
        return None
    if any(len(letter) != 1 or not isinstance(read_as, str) or len(read_as) != 1
           for letter, read_as in variants.items()):
        raise SeedError(f"{path}: [{language}] letter_variants must map one letter to one letter")
    return OwnScan(tuple(table.pop("blockers", ())), whole_words, prefixes, variants,
                   _pair_words(f"{path}: [{language}", language, table, countries))


def _pair_words(where: str, language: str, table: dict, countries: set[str]) -> tuple[PairWord, ...]:
    """The `pairs` of a language, and its `pairs_if_followed`, which count only before one of its `pair_followers`
    or its `pair_counters` after the number of countries run together; `pair_particles` may end a run of them.
    `where`: the file and the language's table, for errors."""
    always, guarded = dict(table.pop("pairs", {})), dict(table.pop("pairs_if_followed", {}))
    followers, particles = table.pop("pair_followers", []), table.pop("pair_particles", [])
    counters = table.pop("pair_counters", [])
    if bool(guarded) != bool(followers) or not all(isinstance(word, str) and word for word in followers):
        raise SeedError(f"{where}] pairs_if_followed and pair_followers (words) go together")
    if not all(isinstance(letter, str) and len(letter) == 1 for letter in particles):
        raise SeedError(f"{where}] pair_particles must be letters, one each")
    if (counters and not guarded) or not all(isinstance(word, str) and word and not word[0].isdigit()
                                             for word in counters):
        raise SeedError(f"{where}] pair_counters must be words without digits, with pairs_if_followed")
    if both := sorted(set(always) & set(guarded)):
        raise SeedError(f"{where}] {both} in both pairs and pairs_if_followed")
    particles = "".join(particles)
    return (tuple(_pair_word(f"{where}.pairs]", surface, codes, language, countries, particles)
                  for surface, codes in always.items())
            + tuple(replace(_pair_word(f"{where}.pairs_if_followed]", surface, codes, language, countries, particles),
                            followers=tuple(followers), counters=tuple(counters))
                    for surface, codes in guarded.items()))


def _pair_word(where: str, surface: str, codes: object, language: str, countries: set[str],
               particles: str) -> PairWord:
    """One pair abbreviation: two letters, or two with a sign between ("북·러"), for two distinct countries."""
    if not (isinstance(codes, list) and len(codes) == 2 and codes[0] != codes[1] and set(codes) <= countries):
        raise SeedError(f"{where} {surface!r} must name two different countries (ISO3 codes), not {codes!r}")
    if len(surface) not in (2, 3) or not (surface[0].isalpha() and surface[-1].isalpha()) \
            or (len(surface) == 3 and surface[1].isalpha()):
        raise SeedError(f"{where} {surface!r} must be two letters, or two with a sign between")
    first, second = (PlaceEntry(letter, code, "name", language=language)
                     for letter, code in zip((surface[0], surface[-1]), codes))
    return PairWord(surface, first, second, particles=particles)


def _translated_leaders(path: Path, language: str, names: dict[str, str], leaders: list[PlaceEntry]
                        ) -> list[PlaceEntry]:
    """A leader's name in `language`, once per term of office of the leaders.csv surface it translates."""
    entries = []
    for surface, english in names.items():
        terms = [entry for entry in leaders if entry.surface == english]
        if not terms:
            raise SeedError(f"{path}: [{language}.leaders] {surface!r} = {english!r} is not in leaders.csv")
        entries += [PlaceEntry(surface, term.code, "leader", term.valid_from, term.valid_to, language)
                    for term in terms]
    return entries


def _language_exonyms(path: Path, language: str, table: dict, cldr: list[tuple[str, str]], countries: set[str]
                      ) -> list[PlaceEntry]:
    """`table` without its scan's keys and `leaders`."""
    skip, endings = set(table.pop("skip", ())), tuple(table.pop("name_endings", ()))
    demonym_endings, initial_forms = dict(table.pop("demonym_endings", {})), dict(table.pop("initial_forms", {}))
    optional_marks = str.maketrans("", "", "".join(table.pop("optional_marks", ())))
    if unknown := skip - {name for _, name in cldr}:
        raise SeedError(f"{path}: [{language}] skip lists names that exonyms.csv does not have: {sorted(unknown)}")
    words = [(code, "name", name) for code, name in cldr if name not in skip]
    for code, kinds in table.items():
        if code not in countries:
            raise SeedError(f"{path}: [{language}] unknown country code {code!r}")
        if unknown := set(kinds) - set(_EXONYM_KINDS):
            raise SeedError(f"{path}: [{language}.{code}] unknown keys {sorted(unknown)}")
        words += [(code, _EXONYM_KINDS[key], surface) for key, surfaces in kinds.items() for surface in surfaces]
    entries = []
    for code, kind, surface in words:
        forms = [surface]
        if kind == "name" and " " not in surface and not surface.endswith(("s", "ß", "x", "z")):
            forms += [surface + ending for ending in endings]
        if kind == "demonym" and " " not in surface:
            forms += [surface[:-len(final)] + ending for final, endings in demonym_endings.items()
                      if surface.endswith(final) for ending in endings]
        forms += [written + form[len(initial):] for form in forms for initial, written in initial_forms.items()
                  if form.startswith(initial)]
        forms += [form.translate(optional_marks) for form in forms]
        entries += [PlaceEntry(form, code, kind, language=language) for form in dict.fromkeys(forms)]
    return entries


def _leaders(gazetteer: Path, codes: set[str]) -> list[PlaceEntry]:
    path = gazetteer / "leaders.csv"
    entries = []
    for line, row in _csv_rows(path):
        if row["iso3"] not in codes:
            raise SeedError(f"{path}:{line}: unknown code {row['iso3']!r}")
        valid_from, valid_to = _date(row["valid_from"], path, line), _date(row["valid_to"], path, line)
        if valid_from and valid_to and valid_to <= valid_from:  # a term is valid_from to the day before valid_to
            raise SeedError(f"{path}:{line}: valid_to {valid_to} must be after valid_from {valid_from}")
        entries.append(PlaceEntry(row["surface"], row["iso3"], "leader", valid_from, valid_to))
    return entries


def _date(value: str, path: Path, line: int) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as error:
        raise SeedError(f"{path}:{line}: bad date {value!r}") from error


def _actor_names(actors: dict[str, list[str]]) -> list[PlaceEntry]:
    return [PlaceEntry(surface, code, "name") for code, surfaces in actors.items() for surface in surfaces]


def _ambiguous(rule: dict, codes: set[str]) -> AmbiguousSurface:
    cues = {code: tuple(phrases) for code, phrases in rule.get("cues", {}).items()}
    unknown = ({rule["default"]} | set(cues) | set(rule.get("place_for", ()))) - codes
    if unknown or rule.get("kind", "name") not in MENTION_KINDS:
        raise SeedError(f"rules.toml: ambiguous {rule['surface']!r} has unknown codes/kind {sorted(unknown)}")
    return AmbiguousSurface(rule["surface"], rule["default"], cues, rule.get("kind", "name"),
                            tuple(rule.get("place_for", ())))


_TOPIC_KEYS = {"threshold", "strong", "weak", "pair", "exclude", "title_weight", "max_hits_per_term", "short_threshold",
               "full_length", "raised_by_pair_sentence", "strong_short_threshold", "strong_full_length"}


_DEFAULT_KEYS = {"title_weight", "max_hits_per_term", "full_length"}


def _topics(path: Path) -> tuple[TopicLexicon, ...]:
    """The fixed topics (TOPICS: the evaluation, the labels and every home's history name them) in their order, then
    any a home added (a table of topics.toml of its own), in the file's order."""
    table = _read_toml(path)
    defaults = table.get("defaults", {})
    if unknown := sorted(set(defaults) - _DEFAULT_KEYS):
        raise _mistake(path, ("defaults", unknown[0]),
                       f"[defaults] has unknown keys {unknown} (known: {sorted(_DEFAULT_KEYS)})")
    default_length = defaults.get("full_length", 500)
    found = [key for key in table if key != "defaults"]
    if stray := [key for key in found if not TOPIC_ID.fullmatch(key)]:
        raise _mistake(path, (stray[0],), f"[{stray[0]}] is no topic id: lower-case letters and _ (\"cyber\", "
                                          "\"arms_control\")")
    if missing := [topic for topic in TOPICS if topic not in found]:
        raise _mistake(path, (), f"the fixed topics {missing} are missing: the evaluation, the hand labels and stored "
                                 "tags name them; add topics, never drop or rename one")
    topics = [*TOPICS, *(topic for topic in found if topic not in TOPICS)]
    for topic in topics:
        if unknown := sorted(set(table[topic]) - _TOPIC_KEYS):
            raise _mistake(path, (topic, unknown[0]),
                           f"[{topic}] has unknown keys {unknown} (known: {sorted(_TOPIC_KEYS)})")
        _refuse_a_word_counted_twice(path, topic, table[topic])
        _refuse_a_word_included_and_excluded(path, topic, table[topic])
    return tuple(
        TopicLexicon(topic, float(table[topic]["threshold"]), tuple(table[topic].get("strong", ())),
                     tuple(table[topic].get("weak", ())), tuple(table[topic].get("exclude", ())),
                     float(table[topic].get("title_weight", defaults.get("title_weight", 2.0))),
                     int(table[topic].get("max_hits_per_term", defaults.get("max_hits_per_term", 3))),
                     pair=tuple(table[topic].get("pair", ())), **_scaling(path, topic, table[topic], default_length))
        for topic in topics)


def _mistake(path: Path, keys: tuple, problem: str) -> SeedError:
    """`problem` of the value at `keys` of the TOML file `path`, at its line (toml_lines.line_in_file)."""
    return SeedError(located(path, problem, line_in_file(path, keys) if keys else None))


def _scaling(path: Path, topic: str, lexicon: dict, default_length: int) -> dict:
    """The thresholds of short articles and whether a pair sentence raises the topic (TopicLexicon's fields)."""
    raised = lexicon.get("raised_by_pair_sentence", False)
    short, full_length = _short_curve(path, topic, lexicon, ("short_threshold", "full_length"), default_length)
    strong_short, strong_full_length = _short_curve(path, topic, lexicon,
                                                    ("strong_short_threshold", "strong_full_length"), default_length)
    return {"short_threshold": short, "full_length": full_length, "strong_short_threshold": strong_short,
            "strong_full_length": strong_full_length, "raised_by_pair_sentence": raised}


def _short_curve(path: Path, topic: str, lexicon: dict, keys: tuple[str, str], default_length: int) \
        -> tuple[float | None, int]:
    """A short article's threshold (`keys[0]`, above 0 and at most the topic's threshold) and the length from which
    the full one applies (`keys[1]`, only beside the first)."""
    floor_key, length_key = keys
    short = lexicon.get(floor_key)
    if short is not None:
        short = float(short)
        if not 0 < short <= float(lexicon["threshold"]):
            raise _mistake(path, (topic, floor_key),
                           f"[{topic}] {floor_key} {short} must be above 0 and at most its threshold")
    if length_key in lexicon and short is None:
        raise _mistake(path, (topic, length_key), f"[{topic}] {length_key} only matters with a {floor_key}")
    full_length = lexicon.get(length_key, default_length)
    return short, full_length


def _refuse_a_word_counted_twice(path: Path, topic: str, lexicon: dict) -> None:
    """Two scored terms of one topic that match the same words ("troops" and "troop*", "al-qaeda" and "al qaeda",
    which fold alike) would score each such word twice: one word alone could reach a threshold its synonyms do not.
    One of the two must go, or the narrower must be listed as the stronger evidence ("holidaymaker*" strong,
    "holiday*" weak). Each term is looked up among the terms matching all its words (`_TermIndex`), not compared
    with every other: a topic of 20,000 terms loaded in 27 s."""
    weights = {"strong": 2, "weak": 1}
    terms = [(weights[kind], term) for kind in weights for term in lexicon.get(kind, ())]
    places = [(topic, kind, item) for kind in weights for item in range(len(lexicon.get(kind, ())))]
    index = _TermIndex([term for _, term in terms])
    for position, (weight, term) in enumerate(terms):
        for other_position in index.broader(position):
            other_weight, other = terms[other_position]
            if index.keys[position] == index.keys[other_position]:
                twice = term != other and (weight, term) < (other_weight, other)
            else:
                twice = weight <= other_weight
            if twice:
                raise _mistake(path, places[position], f"[{topic}] {term!r} matches only words {other!r} matches too: "
                               "each would count twice; drop one (or list the narrower as the stronger)")


def _refuse_a_word_included_and_excluded(path: Path, topic: str, lexicon: dict) -> None:
    """An exclude cancels a topic's hits inside it ("price war" the "war" in it): one that matches every word an
    included term matches ("resort*" and "resort") cancels that term everywhere, a contradiction the file hides."""
    included = [term for kind in ("strong", "weak", "pair") for term in lexicon.get(kind, ())]
    excludes = list(lexicon.get("exclude", ()))
    index = _TermIndex(included + excludes)
    for position, term in enumerate(included):
        capitals = set(index.capitals[position])
        for other in index.broader(position):
            if other >= len(included) and set(index.capitals[other]) <= capitals:
                exclude = excludes[other - len(included)]
                raise _mistake(path, (topic, "exclude", other - len(included)),
                               f"[{topic}] {term!r} is included and excluded: {exclude!r} matches every word it "
                               "matches and cancels it; drop one")


class _TermIndex:
    """Lexicon terms by automaton key, so that the terms matching every word one term matches are found by lookups:
    those of the same key, and the prefixes ("troop*") its key starts with, no space after them."""

    def __init__(self, terms: list[str]):
        keys, patterns = zip(*(make_pattern(term, None, case_sensitive=True) for term in terms)) if terms else ((), ())
        self.keys: list[str] = list(keys)
        self.capitals = [pattern.upper_positions for pattern in patterns]
        self._by_key: dict[str, list[int]] = {}
        self._prefixes: dict[str, list[int]] = {}
        for position, (key, pattern) in enumerate(zip(self.keys, patterns)):
            self._by_key.setdefault(key, []).append(position)
            if pattern.is_prefix:
                self._prefixes.setdefault(key, []).append(position)

    def broader(self, position: int) -> list[int]:
        """The other terms (their positions, in order) that match every word the term at `position` matches, or
        the same ones."""
        key = self.keys[position]
        found = [other for other in self._by_key[key] if other != position]
        for length in range(key.rstrip().rfind(" ") + 1, len(key)):  # a prefix's key ends before the last word ends
            found += self._prefixes.get(key[:length], ())
        return sorted(found)


ENDINGS = "endings"  # cues.toml's table of the verbs that end a cooperation word after them, and its lists of words
ENDING_WORDS = ("between", "after", "negations", "not_negating", "finishing", "events")
_TWO_WORDS_AT_MOST = ("negations", "not_negating")  # "rules out", "not only"; the other lists are single words


def _cues(table: dict) -> dict[str, tuple[str, ...]]:
    families = [family for family in (*CUES, NEUTRAL) if family in table]
    if sorted(set(table) - {ENDINGS}) != sorted(families) or not set(CUES) <= set(families):
        raise SeedError(f"cues.toml: expected families {CUES} and optionally {NEUTRAL!r}, found {sorted(table)}")
    return {family: _spelled_out(f"cues.toml: {family}", table[family]) for family in families}


def _cue_endings(table: dict) -> CueEndings:
    """cues.toml [endings] (its shape: seed_shapes): lower case, verbs of words, the other lists one word each."""
    endings = table[ENDINGS]
    if any(word != word.lower() or " ".join(word.split()) != word for words in endings.values() for word in words):
        raise SeedError("cues.toml: [endings] words must be lower case, one space between words")
    if several := [key for key in ENDING_WORDS if key not in _TWO_WORDS_AT_MOST
                   and any(" " in word for word in endings[key])]:
        raise SeedError(f"cues.toml: [endings] {', '.join(several)} must be single words")
    if long := [phrase for key in _TWO_WORDS_AT_MOST for phrase in endings[key] if phrase.count(" ") > 1]:
        raise SeedError(f"cues.toml: [endings] negations and not_negating are one or two words, not {long}")
    if not set(endings["finishing"]) <= set(endings["verbs"]):
        raise SeedError("cues.toml: [endings] finishing must be some of its verbs")
    return CueEndings(*(frozenset(endings[key]) for key in ("verbs", *ENDING_WORDS)))


_ALTERNATIVES = re.compile(r"\{([^{}]*)\}")
MAX_SPELLINGS = 1000  # phrases one term may stand for: the product of its groups' sizes grows fast


def _spelled_out(where: str, terms: list[str]) -> tuple[str, ...]:
    """The phrases terms stand for (a cue family's; `where` names its file and key in errors): "{evade,dodges}
    {,western }sanctions" is four phrases. A verb's forms times the words that may stand before its object are too
    many to list one by one, and a list that long hides the one form left out."""
    phrases: list[str] = []
    for term in terms:
        if set(_ALTERNATIVES.sub("", term)) & set("{}"):
            raise SeedError(f"{where}: unbalanced or nested braces in {term!r}")
        if math.prod(group.count(",") + 1 for group in _ALTERNATIVES.findall(term)) > MAX_SPELLINGS:
            raise SeedError(f"{where}: {term!r} spells more than {MAX_SPELLINGS} phrases; split it")
        phrases += _expanded(term)
    repeated = sorted(phrase for phrase, times in Counter(phrases).items() if times > 1)
    if repeated:
        raise SeedError(f"{where} lists {', '.join(map(repr, repeated))} more than once")
    return tuple(phrases)


def _expanded(term: str) -> list[str]:
    """Every spelling of one term, the alternatives of its first {...} group first."""
    group = _ALTERNATIVES.search(term)
    if group is None:
        return [" ".join(term.split())]  # an empty alternative beside a space leaves two
    head, tail = term[:group.start()], term[group.end():]
    return [phrase for choice in group.group(1).split(",") for phrase in _expanded(head + choice + tail)]


_LIST_KEYS = ("commas", "joints", "articles", "others")
_LIST_FLAGS = ("unspaced",)  # optional
_ONE_WORD_OR_SIGN = re.compile(r"\w+|[^\w\s,]+")  # a joint: the comma is listed under `commas`
_COMMA = re.compile(r"\w+|[^\w\s]+")
_ARTICLE = re.compile(r"\w+'?")  # "the"; "l'", written onto its word
_WORD = re.compile(r"\w+")


def _list_words(path: Path) -> dict[str, ListWords]:
    """Each language's words joining the countries of a list (the file's header explains the keys)."""
    table = _read_toml(path)
    if "en" not in table:  # read for every language without a table of its own
        raise SeedError(f"{path}: must have a table for English ([en])")
    return {language: _language_list_words(path, language, words) for language, words in table.items()}


def _language_list_words(path: Path, language: str, words) -> ListWords:
    if not re.fullmatch("[a-z]{2,3}", language) or not isinstance(words, dict):
        raise SeedError(f"{path}: [{language}] must be a table named by a language's primary subtag")
    if sorted(set(words) - set(_LIST_FLAGS)) != sorted(_LIST_KEYS):
        raise SeedError(f"{path}: [{language}] must have the keys {list(_LIST_KEYS)} (and may have "
                        f"{list(_LIST_FLAGS)}), not {sorted(words)}")
    if not isinstance(unspaced := words.get("unspaced", False), bool):
        raise SeedError(f"{path}: [{language}] unspaced must be true or false")
    for key in _LIST_KEYS:
        if not isinstance(words[key], list) or not all(isinstance(word, str) and word for word in words[key]):
            raise SeedError(f"{path}: [{language}] {key} must be a list of words")
    if not words["commas"]:
        raise SeedError(f"{path}: [{language}] commas must name at least one comma")
    for key, form in (("commas", _COMMA), ("joints", _ONE_WORD_OR_SIGN), ("articles", _ARTICLE)):
        if stray := [word for word in words[key] if not form.fullmatch(word)]:
            raise SeedError(f"{path}: [{language}] {key} must each be one word or sign, not {stray}")
    others = _spelled_out(f"{path}: [{language}] others", words["others"])
    return ListWords(tuple(words["joints"]), tuple(words["articles"]), others, tuple(words["commas"]), unspaced)


def _party_words(rules: dict, path: Path) -> PartyWords:
    """rules.toml [venues] and [heritage]: lists of words, each one word ("Davos", "in", "talks")."""
    words = {}
    for table, key in (("venues", "always"), ("venues", "before"), ("venues", "meetings"), ("venues", "joints"),
                       ("heritage", "nationalities"), ("heritage", "nationals"), ("heritage", "people")):
        found = rules.get(table, {}).get(key)
        if not isinstance(found, list) or not found or not all(isinstance(word, str) and _WORD.fullmatch(word)
                                                                for word in found):
            raise SeedError(f"{path}: [{table}] {key} must be a list of single words")
        words[key] = found
    lowered = [key for key in ("before", "meetings", "joints", "people")
               if any(word != word.lower() for word in words[key])]
    if lowered:
        raise SeedError(f"{path}: {', '.join(lowered)} must be lower case")
    return PartyWords(frozenset(words["always"]), frozenset(words["before"]), frozenset(words["meetings"]),
                      frozenset(words["joints"]), frozenset(words["nationalities"]), frozenset(words["nationals"]),
                      frozenset(words["people"]))


def _focus(table: dict) -> FocusRule:
    weights = {kind: float(table["kind_weights"][kind]) for kind in MENTION_KINDS}
    position, cutoff = table["position"], table["cutoff"]  # their types and ranges: seed_shapes
    if int(cutoff["roster_max_size"]) < int(cutoff["roster_size"]):  # no list could be a roster
        raise SeedError(f"focus.toml: roster_max_size must be at least roster_size, not {cutoff['roster_max_size']}")
    return FocusRule(weights, float(position["title_multiplier"]), float(position["lead_multiplier"]),
                     int(position["lead_chars"]), float(position["dateline_weight"]),
                     float(cutoff["min_salience"]), float(cutoff["relative_to_top"]), int(cutoff["max_focus"]),
                     bool(cutoff["title_is_focus"]), bool(cutoff["dateline_is_focus"]), int(cutoff["roster_size"]),
                     anchored_min_salience=_optional_float(cutoff, "anchored_min_salience"),
                     roster_max_dominance=_optional_float(cutoff, "roster_max_dominance"),
                     sure_salience=_optional_float(cutoff, "sure_salience"),
                     roster_max_size=int(cutoff["roster_max_size"]))


_GUIDE_KEYS = {"sample_words", "sample_chars", "min_words", "english_ratio", "function_words", "scripts",
               "english_markers"}


def _language_guide(path: Path) -> LanguageGuide:
    table = _read_toml(path)
    if unknown := sorted(set(table) - _GUIDE_KEYS):
        raise SeedError(f"{path}: unknown keys {unknown} (known: {sorted(_GUIDE_KEYS)})")
    words = {language: tuple(_function_word(path, language, word) for word in listed)
             for language, listed in table["function_words"].items()}
    if "en" not in words:  # the language every other is weighed against
        raise SeedError(f"{path}: function_words must list English (en)")
    scripts = tuple(_script(path, language, rule) for language, rules in table.get("scripts", {}).items()
                    for rule in (rules if isinstance(rules, list) else [rules]))
    markers = tuple(_function_word(path, "english_markers", word) for word in table.get("english_markers", ()))
    if stray := sorted(set(markers) - set(words["en"])):
        raise SeedError(f"{path}: english_markers {stray} are not English function words (function_words.en)")
    return LanguageGuide(words, scripts, table["sample_words"], table["sample_chars"], table["min_words"],
                         float(table["english_ratio"]), markers)


def _function_word(path: Path, language: str, word: str) -> str:
    """The word as folded text shows it: one word, or it could never be counted."""
    folded = phrase_key(word)
    if not folded or " " in folded:
        raise SeedError(f"{path}: [{language}] {word!r} is not one word once folded ({folded!r})")
    return folded


def _script(path: Path, language: str, rule) -> ScriptRule:
    """A [scripts] rule: letters and share; optionally `also` = {letters, share}, a second set that must be there
    too (Belarusian: ы and э, which Ukrainian lacks, with і, which Russian lacks), and `none_of`, letters that must
    not be there. A language may have a list of rules, tried in order."""
    where = f"{path}: [scripts] {language}"
    if unknown := sorted(set(rule) - {"letters", "share", "also", "none_of"}):
        raise SeedError(f"{where}: unknown keys {unknown}")
    also = rule.get("also", {})
    if not isinstance(also, dict) or ("also" in rule and set(also) != {"letters", "share"}):
        raise SeedError(f"{where}: also must be {{letters, share}}, not {also!r}")
    letters, share = _script_letters(where, rule.get("letters"), rule.get("share"))
    also_letters, also_share = _script_letters(f"{where} also", also["letters"], also["share"]) if also else ("", 0.0)
    none_of = _character_class(f"{where} none_of", rule["none_of"]) if "none_of" in rule else ""
    return ScriptRule(language, letters, share, also_letters, also_share, none_of)


def _script_letters(where: str, letters, share) -> tuple[str, float]:
    if not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise SeedError(f"{where}: share must be in (0, 1], not {share!r}")
    return _character_class(where, letters), float(share)


def _character_class(where: str, letters) -> str:
    if not isinstance(letters, str) or not letters:
        raise SeedError(f"{where}: letters must be a character range, not {letters!r}")
    try:
        re.compile(f"[{letters}]")
    except re.error as error:
        raise SeedError(f"{where}: letters {letters!r} is no character range ({error})") from None
    return letters


def _optional_float(table: dict, key: str) -> float | None:
    return float(table[key]) if key in table else None
