"""Which words each pair-cue term matches in real pair sentences: the check behind seeds/topics/cues.toml.

A `*` term covers the rest of a word, so a stem can also start words of another sense ("accord*" read
"according", "sever*" "several"; docs/accuracy.md "What changed in 1.4"). This tags the labelled corpora
and the captured feeds in ../shared/data and prints, for every cooperation and confrontation term that fired in a
pair sentence, how often and which words it matched, most frequent first. Below them, apart, what counts for neither
side: the `neutral` phrases that matched (each cancels the cue words inside it), and the [endings] verbs that ended
the cooperation word after them, with what they read as one confrontation ("terminated trade talks"). An ending verb
that ends nothing is no cue, and is not listed: of the 503 in those pair sentences, 10 ended one. Run it after
editing cues.toml:

    .venv/bin/python tools/cue_census.py [--data ../shared/data] [--top 80]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import SHARED_DATA  # noqa: E402
from pipeline.evaluate import reuters_row  # noqa: E402
from pipeline.tagging import Tagger  # noqa: E402
from pipeline.tagging.matcher import Hit  # noqa: E402
from pipeline.tagging.model import CUES, ENDING, NEUTRAL  # noqa: E402
from pipeline.tagging.topics import EndingRule, ended  # noqa: E402

Census = dict[tuple[str, str], Counter]  # (family, term) -> matched word -> pair sentences
# The families that count for neither side, each listed apart under what it does
NO_CUE_SECTIONS = {NEUTRAL: "neutral: phrases that are no cue (the cue words inside them count for neither side)",
                   ENDING: "ending: verbs that ended the cooperation word after them (one confrontation each)"}


def census(documents: Iterable[tuple[str, str]], tagger: Tagger, endings: EndingRule) -> Census:
    """For every (title, text), in its pair sentences (each sentence once): the words each cue and neutral term
    matched, and the phrases each ending verb made one confrontation of (`endings`, as the tagger reads them)."""
    found: Census = defaultdict(Counter)
    for title, text in documents:
        sentences = {(pair.field, pair.sentence_index): pair.sentence for pair in tagger.tag(title, text).pair_sentences}
        for sentence in sentences.values():
            hits = tagger.cue_hits(sentence)
            for hit in hits:
                if hit.pattern.payload.family != ENDING:
                    found[(hit.pattern.payload.family, _term(hit))][_matched(sentence, hit)] += 1
            for verb, ending in _endings_made(hits, sentence, endings):
                found[(ENDING, _term(verb))][_matched(sentence, ending)] += 1
    return found


def _endings_made(hits: list[Hit], sentence: str, endings: EndingRule) -> Iterator[tuple[Hit, Hit]]:
    """(verb, the confrontation from it to the cooperation word it ends) for each ending in the sentence: the hits
    `ended` adds are the ones reading from the word they end (CueTerm.reach_from), and start at their verb."""
    verbs = [hit for hit in hits if hit.pattern.payload.family == ENDING]
    for hit in ended(hits, sentence, endings):
        if hit.pattern.payload.reach_from >= 0:
            yield next(verb for verb in verbs if verb.start == hit.start), hit


def _term(hit: Hit) -> str:
    return hit.pattern.phrase + ("*" if hit.pattern.is_prefix else "")


def _matched(sentence: str, hit: Hit) -> str:
    """The words a hit matched, on one line (a phrase may span a line break of the text)."""
    return " ".join(sentence[hit.start:hit.end].lower().split())


def format_census(found: Census, top: int) -> str:
    """The `top` cooperation and confrontation terms by pair sentences, then, each apart under its heading, the
    `top` of each family that is no cue (NO_CUE_SECTIONS) that matched any."""
    sections = [_table(found, CUES, top)]
    sections += [f"\n{heading}\n{_table(found, (family,), top)}" for family, heading in NO_CUE_SECTIONS.items()
                 if any(key[0] == family for key in found)]
    return "\n".join(sections)


def _table(found: Census, families: tuple[str, ...], top: int) -> str:
    ranked = sorted(((key, words) for key, words in found.items() if key[0] in families),
                    key=lambda item: -sum(item[1].values()))[:top]
    return "\n".join(f"{family:<13} {term:<22} {sum(words.values()):>6}  "
                     + ", ".join(f"{word} {count}" for word, count in words.most_common(6))
                     for (family, term), words in ranked)


def shared_documents(data: Path) -> Iterator[tuple[str, str]]:
    """(title, text) of geoparsing_news dev, Reuters-21578 dev and every captured real feed entry."""
    import orjson

    from pipeline.feeds.parse import parse_feed

    for line in (data / "geoparsing_news" / "dev.jsonl").open("rb"):
        doc = orjson.loads(line)
        yield doc.get("title") or "", doc["text"]
    for line in (data / "reuters21578" / "dev.jsonl").open("rb"):
        row = reuters_row(orjson.loads(line))
        yield row["title"], row["text"]
    now = datetime.now(timezone.utc)
    for path in sorted((data / "feeds" / "real").rglob("*.xml")):
        for entry in parse_feed(path.read_bytes(), path.as_uri(), now).entries:
            yield entry.title, entry.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--top", type=int, default=80)
    args = parser.parse_args()
    from pipeline.seeds import DEFAULT_SEEDS_DIR, load_tagger, load_tagger_data

    endings = EndingRule(load_tagger_data(DEFAULT_SEEDS_DIR).cue_endings)
    print(format_census(census(shared_documents(args.data), load_tagger(), endings), args.top))


if __name__ == "__main__":
    main()
