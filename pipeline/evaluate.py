"""`pactwatch eval`: score the tagger (and a pycountry-names baseline) on ../shared/data.

Every measure is computed by the same functions for both systems. See docs/accuracy.md for what each
measure means and the current numbers.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Protocol

from pipeline.feeds.models import ParsedArticle
from pipeline.feeds.parse import parse_feed
from pipeline.feeds.text import one_line_text
from pipeline.paths import EVAL_LABELS
from pipeline.seeds import iso_name_entries, load_tagger
from pipeline.tagging import TOPICS, ArticleTags, PairSentence, Tagger
from pipeline.tagging.matcher import PhraseMatcher, make_pattern
from pipeline.tagging.model import CUES
from pipeline.tagging.places import longest_matches
from pipeline.tagging.text import padded_fold, primary_subtag

OURS, BASELINE = "pactwatch", "pycountry names"
# Hand labels of pair sentences from the captured real feeds: eval/README.md says how they were made.
PAIR_LABELS = EVAL_LABELS / "real_feed_pairs.jsonl"
# Hand labels of whole captured articles' topics (the same README).
TOPIC_LABELS = PAIR_LABELS.with_name("real_feed_topics.jsonl")
# Reuters topics that are our `energy` (crude oil, natural gas, gasoline, heating oil, fuel, jet fuel, ...).
REUTERS_ENERGY = frozenset({"crude", "nat-gas", "gas", "heat", "fuel", "jet", "propane", "naphtha"})
FEED_SUFFIXES = (".xml", ".rss", ".atom")  # the captured feeds (feeds/real)
TARGETS = {
    "reuters_focus_micro_f1": 0.85, "reuters_pair_micro_f1": 0.70, "geoparsing_named_country_micro_f1": 0.92,
    "reuters_trade_f1": 0.75, "re3d_military_recall": 0.95, "reuters_earn_acq_military_fp_rate": 0.005,
    "reuters_earn_acq_tourism_fp_rate": 0.005,
}
CEILING_TARGETS = frozenset({"reuters_earn_acq_military_fp_rate", "reuters_earn_acq_tourism_fp_rate"})  # at most


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp else 0.0


class CountryBaseline(Protocol):
    """An off-the-shelf country finder scored beside the tagger (`run_eval`'s `baselines`)."""

    def countries(self, title: str, text: str) -> set[str]:
        """The ISO3 codes of every country found in the story: no focus selection, pairs are all pairs of them."""


class NameBaseline:
    """Exact, case-sensitive ISO/pycountry country names on word boundaries, longest match first."""

    def __init__(self):
        self._matcher = PhraseMatcher(make_pattern(entry.surface, entry, case_sensitive=True)
                                      for entry in iso_name_entries())

    def countries(self, title: str, text: str) -> set[str]:
        found = set()
        for body in (title, text):
            hits = list(self._matcher.scan(body, padded_fold(body)))
            found |= {hit.pattern.payload.code for hit in longest_matches(hits, None)}
        return found


def missing_corpora(data_dir: Path) -> str | None:
    """Why `data_dir` cannot be scored (it holds no labelled corpora), or None: for the commands to say so."""
    if (Path(data_dir) / "reuters21578").is_dir():
        return None
    return (f"{data_dir}: no labelled corpora here (reuters21578/, geoparsing_news/, re3d_defence/, feeds/real/): "
            "pass --data")


def run_eval(data_dir: Path, tagger: Tagger | None = None, baselines: dict[str, CountryBaseline] | None = None
             ) -> list[dict]:
    """Rows {measure, system, value, n, target} for every measure on the dev splits in `data_dir`. The country
    measures also score each of `baselines` (name -> finder; default: pycountry names)."""
    tagger = tagger or load_tagger()
    baselines = baselines if baselines is not None else {BASELINE: NameBaseline()}
    rows = []
    rows += score_reuters(Path(data_dir) / "reuters21578", tagger, baselines)
    rows += score_geoparsing(Path(data_dir) / "geoparsing_news", tagger, baselines)
    rows += _re3d(Path(data_dir) / "re3d_defence", tagger)
    rows += real_feed_pairs(Path(data_dir) / "feeds" / "real", tagger)
    rows += real_feed_topics(Path(data_dir) / "feeds" / "real", tagger)
    rows += real_feed_languages(Path(data_dir) / "feeds" / "real", tagger)
    # our rows name the tagger that scored them, so a saved `eval --json` (an `--against` file) says which it holds
    return [{**row, "tagger_version": tagger.version} if row["system"] == OURS else row for row in rows]


def format_table(rows: list[dict]) -> str:
    """The tagger's version, the rows, then a line on the targets: how many are met, and each missed one with its
    value."""
    lines = [f"tagger {row['tagger_version']}" for row in rows[:1] if "tagger_version" in row]
    lines += [f"{'measure':<40} {'system':<18} {'value':>7} {'target':>8} {'met':>4} {'n':>7}"]
    for row in rows:
        met = {True: "yes", False: "NO", None: ""}[row["met"]]
        lines.append(f"{row['measure']:<40} {row['system']:<18} {row['value']:>7.3f} {_target_text(row):>8} {met:>4} "
                     f"{row['n']:>7}")
    judged = sum(row["met"] is not None for row in rows)
    missed = missed_targets(rows)
    lines.append(f"targets met: {judged - len(missed)} of {judged}"
                 + ("; missed: " + ", ".join(f"{row['measure']} {row['value']:.3f}" for row in missed) if missed else ""))
    return "\n".join(lines)


def _target_text(row: dict) -> str:
    if row["target"] is None:
        return ""
    return f"{'<=' if row['measure'] in CEILING_TARGETS else '>='}{row['target']:.3f}"


def missed_targets(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["met"] is False]


def changes_against(rows: list[dict], earlier: list[dict]) -> list[tuple[dict, float, bool]]:
    """Our measures whose value differs from `earlier` (the rows of an earlier `eval --json`): (row, earlier value,
    whether it is worse: higher for a ceiling's measure, lower for every other). "A change that lowers a score needs a
    stated reason": `eval --check` cannot say which, when targets were missed before the change too."""
    before = {(row["measure"], row["system"]): row["value"] for row in earlier}
    return [(row, before[key], row["value"] > before[key] if row["measure"] in CEILING_TARGETS
             else row["value"] < before[key])
            for row in rows if row["system"] == OURS and (key := (row["measure"], row["system"])) in before
            and row["value"] != before[key]]


def tagger_of(rows: list[dict]) -> str | None:
    """The tagger version our rows of an `eval --json` name; None in one written before they named it."""
    return next((row["tagger_version"] for row in rows if "tagger_version" in row), None)


def format_changes(changes: list[tuple[dict, float, bool]], earlier_name: str,
                   taggers: tuple[str | None, str | None] = (None, None)) -> str:
    """One line per measure that moved against `earlier_name`, the worse ones marked, then how many fell; the two
    taggers (earlier, now) when they differ: a seed edit that moves nothing still makes another version, whose
    numbers docs/accuracy.md must name."""
    lines = [f"{row['measure']:<40} {value:>7.4f} -> {row['value']:<7.4f}{'  WORSE' if worse else ''}"
             for row, value, worse in changes]
    fell = sum(worse for _, _, worse in changes)
    earlier, now = taggers
    versions = f" (tagger {earlier or 'not named'} -> {now})" if now and earlier != now else ""
    return "\n".join([f"against {earlier_name}{versions}: {len(changes)} measure(s) moved, {fell} worse", *lines])


def result_row(measure: str, system: str, value: float, n: int) -> dict:
    """One measure of one system, and whether it meets its target: the target is the tagger's, so a baseline's row
    has none (`met` None). The false-positive rates' targets are ceilings (CEILING_TARGETS), the others floors."""
    target = TARGETS.get(measure) if system == OURS else None
    value = round(value, 4)  # judged as shown: 0.69996 is 0.700, which meets 0.70
    met = None if target is None else (value <= target if measure in CEILING_TARGETS else value >= target)
    return {"measure": measure, "system": system, "value": value, "n": n, "target": target, "met": met}


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def reuters_text(doc: dict) -> str:
    """Body with its dateline in front, as the story appeared on the wire."""
    return f"{doc['dateline']} {doc['body']}" if doc.get("dateline") else doc.get("body", "")


def reuters_row(doc: dict) -> dict:
    """A Reuters story as a `pactwatch tag` input row (what the bench and the compiled-tagger test feed it)."""
    return {"id": doc["id"], "title": doc["title"], "text": reuters_text(doc), "published": doc["date"][:10]}


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None


def _place_map(folder: Path) -> dict[str, str]:
    with (folder / "places_to_iso3.csv").open(encoding="utf-8") as handle:
        return {row["place_code"]: row["iso3"] for row in csv.DictReader(handle)}


def _pairs(codes: set[str]) -> set[tuple[str, str]]:
    return set(combinations(sorted(codes), 2))


def score_reuters(folder: Path, tagger: Tagger, baselines: dict[str, CountryBaseline]) -> list[dict]:
    """Reuters-21578 dev: focus, pairs and pairs per story of the tagger and of each baseline; the tagger's
    trade and energy F1 and its false-positive rates."""
    places = _place_map(folder)
    systems = [OURS, *baselines]
    focus = {system: Counts() for system in systems}
    pairs = {system: Counts() for system in systems}
    pairs_all_docs = {system: Counts() for system in systems}
    # Per-story pair F1, averaged over stories with a gold or predicted pair: every story weighs the
    # same, where the micro measure lets one 19-country roster (171 pairs) outweigh 100 two-country stories.
    pair_doc_f1 = {system: [0.0, 0] for system in systems}
    trade, energy, labelled, places_n, docs_n = Counts(), Counts(), 0, 0, 0
    earn_acq, military_fp, tourism_fp = 0, 0, 0
    for doc in read_jsonl(folder / "dev.jsonl"):
        text = reuters_text(doc)
        tags = tagger.tag(doc["title"], text, _date(doc["date"]))
        docs_n += 1
        gold = {places[code] for code in doc["places"] if places.get(code)}
        predicted = {OURS: set(tags.focus)}
        predicted.update((name, baseline.countries(doc["title"], text)) for name, baseline in baselines.items())
        for system, codes in predicted.items():
            predicted_pairs = set(tags.article_pairs) if system == OURS else _pairs(codes)
            pairs_all_docs[system].add(predicted_pairs, _pairs(gold))
            if gold:
                focus[system].add(codes, gold)
                pairs[system].add(predicted_pairs, _pairs(gold))
                if predicted_pairs or len(gold) > 1:
                    story = Counts()
                    story.add(predicted_pairs, _pairs(gold))
                    pair_doc_f1[system][0] += story.f1
                    pair_doc_f1[system][1] += 1
        places_n += bool(gold)
        if doc["topics_attr"] == "YES":  # documents the indexers actually assigned topics to
            labelled += 1
            trade.add({"trade"} & set(tags.topic_ids), {"trade"} & set(doc["topics"]))
            energy.add({"energy"} & set(tags.topic_ids), {"energy"} if REUTERS_ENERGY & set(doc["topics"]) else set())
        if {"earn", "acq"} & set(doc["topics"]):
            earn_acq += 1
            military_fp += "military" in tags.topic_ids
            tourism_fp += "tourism" in tags.topic_ids
    rows = [result_row("reuters_focus_micro_f1", system, counts.f1, places_n) for system, counts in focus.items()]
    rows += [result_row("reuters_pair_micro_f1", system, counts.f1, places_n) for system, counts in pairs.items()]
    rows += [result_row("reuters_pair_micro_f1_all_docs", system, counts.f1, docs_n)
             for system, counts in pairs_all_docs.items()]
    rows += [result_row("reuters_pair_story_avg_f1", system, total / max(n, 1), n)
             for system, (total, n) in pair_doc_f1.items()]
    rows.append(result_row("reuters_trade_f1", OURS, trade.f1, labelled))
    rows.append(result_row("reuters_energy_f1", OURS, energy.f1, labelled))
    rows.append(result_row("reuters_earn_acq_military_fp_rate", OURS, military_fp / max(earn_acq, 1), earn_acq))
    rows.append(result_row("reuters_earn_acq_tourism_fp_rate", OURS, tourism_fp / max(earn_acq, 1), earn_acq))
    return rows


def named_countries(tags: ArticleTags) -> set[str]:
    return {mention.iso3 for mention in tags.mentions if mention.kind == "name"}


def score_geoparsing(folder: Path, tagger: Tagger, baselines: dict[str, CountryBaseline]) -> list[dict]:
    """geoparsing_news dev: the countries named in each text, by the tagger and by each baseline."""
    systems: dict[str, Callable[[str], set[str]]] = {OURS: lambda text: named_countries(tagger.tag("", text))}
    systems.update((name, partial(baseline.countries, "")) for name, baseline in baselines.items())
    counts = {system: Counts() for system in systems}
    docs = list(read_jsonl(folder / "dev.jsonl"))
    for doc in docs:
        for system, predict in systems.items():
            counts[system].add(predict(doc["text"]), set(doc["countries_explicit"]))
    return [result_row("geoparsing_named_country_micro_f1", system, c.f1, len(docs)) for system, c in counts.items()]


def _re3d(folder: Path, tagger: Tagger) -> list[dict]:
    docs = list(read_jsonl(folder / "dev.jsonl"))
    found = sum("military" in tagger.tag(doc["title"], doc["text"]).topic_ids for doc in docs)
    return [result_row("re3d_military_recall", OURS, found / max(len(docs), 1), len(docs))]


def real_feed_pairs(folder: Path, tagger: Tagger, labels_path: Path = PAIR_LABELS) -> list[dict]:
    """The pair sentences of the captured real feeds against hand labels: is the pair right (both countries
    meant), do the two countries relate in the sentence, is the cue the sentence's stance between them, and
    are its topics the sentence's. A label whose sentence the tagger no longer pairs is not scored;
    `real_pair_labels_found` counts them."""
    labels = list(read_jsonl(labels_path))
    found: dict[tuple[str, str, str, str], PairSentence] = {}
    for file in sorted({label["file"] for label in labels}):
        found.update(feed_pair_sentences(folder, file, tagger))
    scored = [(label, found[label_key(label)]) for label in labels if label_key(label) in found]
    n = len(scored)
    rows = [result_row("real_pair_labels_found", OURS, n / max(len(labels), 1), len(labels)),
            result_row("real_pair_sentence_precision", OURS,
                       sum(label["correct"] for label, _ in scored) / max(n, 1), n),
            result_row("real_pair_sentence_relation_share", OURS,
                       sum(label["relation"] for label, _ in scored) / max(n, 1), n)]
    rows += _listed_rows(scored)
    for stance in CUES:
        cue = Counts()
        for label, pair in scored:
            cue.add({stance} & {pair.cue}, {stance} & {label["stance"]})
        rows.append(result_row(f"real_cue_{stance}_precision", OURS, cue.precision, cue.tp + cue.fp))
        rows.append(result_row(f"real_cue_{stance}_recall", OURS, cue.recall, cue.tp + cue.fn))
    return rows + _topic_rows("real_pair_topic", [(set(pair.topics), set(label["topics"])) for label, pair in scored])


def real_feed_topics(folder: Path, tagger: Tagger, labels_path: Path = TOPIC_LABELS) -> list[dict]:
    """The article-level topics of captured entries (what the topic charts count) against hand labels: micro
    precision and recall over all labels and over the `check` half kept apart from tuning, then F1 per topic."""
    labels = list(read_jsonl(labels_path))
    scored = [(label["split"], set(tags.topic_ids), set(label["topics"]))
              for label, _, tags in labelled_entries(folder, labels, tagger)]
    check = _topic_rows("real_article_topic_check",
                        [(predicted, gold) for split, predicted, gold in scored if split == "check"])[:2]
    found_share = len(scored) / max(len(labels), 1)
    return ([result_row("real_article_topic_labels_found", OURS, found_share, len(labels))] + check
            + _topic_rows("real_article_topic", [(predicted, gold) for _, predicted, gold in scored]))


def labelled_entries(folder: Path, labels: list[dict], tagger: Tagger
                     ) -> list[tuple[dict, ParsedArticle, ArticleTags]]:
    """(label, entry, tags) of each topic label (file, entry_sha1) whose entry is still in its captured feed."""
    found = {(file, entry_key(entry.title, entry.text)): (entry, tags)
             for file in sorted({label["file"] for label in labels})
             for entry, tags in tagged_feed_entries(folder, file, tagger)}
    return [(label, *found[key]) for label in labels if (key := (label["file"], label["entry_sha1"])) in found]


def _listed_rows(scored: list[tuple[dict, PairSentence]]) -> list[dict]:
    """How well `listed` (the pair's countries are items of one list) sets apart the sentences that do not relate
    them: the share of listed ones that do not, and the share of the others that do."""
    listed = [label["relation"] for label, pair in scored if pair.listed]
    others = [label["relation"] for label, pair in scored if not pair.listed]
    return [result_row("real_pair_listed_unrelated", OURS, listed.count(False) / max(len(listed), 1), len(listed)),
            result_row("real_pair_unlisted_relation_share", OURS, others.count(True) / max(len(others), 1),
                       len(others))]


def real_feed_languages(folder: Path, tagger: Tagger) -> list[dict]:
    """The language guess, scored on the captured entries whose feed or entry declares a language: each is
    tagged as if it declared none. English ones must stay English (`real_language_english_kept`); the others
    should be read in their declared language (recall; precision over those read as a language at all)."""
    english = Counts()
    other = Counts()
    for declared, title, text in _declared_entries(folder):
        read = tagger.tag(title, text).language
        if declared == "en":
            english.add({read or "en"} & {"en"}, {"en"})
        else:
            other.add({read} - {None}, {declared})
    return [result_row("real_language_english_kept", OURS, english.recall, english.tp + english.fn),
            result_row("real_language_guess_precision", OURS, other.precision, other.tp + other.fp),
            result_row("real_language_guess_recall", OURS, other.recall, other.tp + other.fn)]


def _declared_entries(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(primary language subtag, title, text) of each distinct captured entry that declares its language."""
    seen = set()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.suffix.lower() not in FEED_SUFFIXES:
            continue
        feed = parse_feed(path.read_bytes(), path.resolve().as_uri(), dt.datetime.now(dt.timezone.utc))
        for entry in feed.entries:
            language = entry.language or feed.language
            if language and (entry.title, entry.text) not in seen:
                seen.add((entry.title, entry.text))
                yield primary_subtag(language), entry.title, entry.text


def _topic_rows(prefix: str, scored: list[tuple[set[str], set[str]]]) -> list[dict]:
    """Micro precision and recall of (predicted, gold) topic sets, then F1 per topic (n: gold items). Only the fixed
    topics are scored: the labels know no other, and a topic a home added would count as a false positive."""
    overall, by_topic = Counts(), {topic: Counts() for topic in TOPICS}
    for predicted, gold in scored:
        overall.add(predicted & set(TOPICS), gold)
        for topic, counts in by_topic.items():
            counts.add(predicted & {topic}, gold & {topic})
    rows = [result_row(f"{prefix}_precision", OURS, overall.precision, overall.tp + overall.fp),
            result_row(f"{prefix}_recall", OURS, overall.recall, overall.tp + overall.fn)]
    return rows + [result_row(f"{prefix}_{topic}_f1", OURS, counts.f1, counts.tp + counts.fn)
                   for topic, counts in by_topic.items()]


def sentence_key(sentence: str) -> str:
    """How a label names its sentence without holding the (third-party) text."""
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:16]


def entry_key(title: str, text: str) -> str:
    """How a topic label names its captured entry without holding the (third-party) text: its text read on one line,
    as parsing gave it when the labels were made (it keeps paragraphs since migration 0071)."""
    return sentence_key(f"{title}\n{one_line_text(text)}")


def label_key(label: dict) -> tuple[str, str, str, str]:
    return label["file"], label["a"], label["b"], label["sentence_sha1"]


def feed_pair_sentences(folder: Path, file: str, tagger: Tagger) -> dict[tuple[str, str, str, str], PairSentence]:
    """(file, a, b, sentence key) -> every pair sentence of one captured feed (see `tagged_feed_entries`)."""
    return {(file, pair.a, pair.b, sentence_key(pair.sentence)): pair
            for _, tags in tagged_feed_entries(folder, file, tagger) for pair in tags.pair_sentences}


def tagged_feed_entries(folder: Path, file: str, tagger: Tagger) -> Iterator[tuple[ParsedArticle, ArticleTags]]:
    """Each entry of one captured feed with its tags, tagged with the entry's or the feed's language, as ingest
    does, and the day it was published (unknown when undated, where ingest would take the day it first saw the
    entry). A missing file has no entries."""
    path = folder / file
    if not path.is_file():
        return
    feed = parse_feed(path.read_bytes(), path.resolve().as_uri(), dt.datetime.now(dt.timezone.utc))
    for entry in feed.entries:
        day = entry.published_at.date() if entry.published_at else None
        yield entry, tagger.tag(entry.title, entry.text, day, entry.language or feed.language)


if __name__ == "__main__":  # python -m pipeline.evaluate [DATA_DIR]
    import sys

    print(format_table(run_eval(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data"))))
