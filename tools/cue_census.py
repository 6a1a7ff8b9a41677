"""Which words each pair-cue term matches in real pair sentences: the check behind seeds/topics/cues.toml.

A `*` term covers the rest of a word, so a stem can also start words of another sense ("accord*" read
"according", "sever*" "several"; docs/accuracy.md "What changed in 1.4"). This tags the labelled corpora
and the captured feeds in ../shared/data and prints, for every cue term that fired in a pair sentence, how
often and which words it matched, most frequent first. Run it after editing cues.toml:

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

Census = dict[tuple[str, str], Counter]  # (family, term) -> matched word -> pair sentences


def census(documents: Iterable[tuple[str, str]], tagger: Tagger) -> Census:
    """For every (title, text), the words each cue term matched in its pair sentences (each sentence once)."""
    found: Census = defaultdict(Counter)
    for title, text in documents:
        sentences = {(pair.field, pair.sentence_index): pair.sentence for pair in tagger.tag(title, text).pair_sentences}
        for sentence in sentences.values():
            for hit in tagger.cue_hits(sentence):
                pattern = hit.pattern
                term = pattern.phrase + ("*" if pattern.is_prefix else "")
                found[(pattern.payload.family, term)][sentence[hit.start:hit.end].lower()] += 1
    return found


def format_census(found: Census, top: int) -> str:
    ranked = sorted(found.items(), key=lambda item: -sum(item[1].values()))[:top]
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
    from pipeline.seeds import load_tagger

    print(format_census(census(shared_documents(args.data), load_tagger()), args.top))


if __name__ == "__main__":
    main()
