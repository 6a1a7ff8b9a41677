"""The off-the-shelf baselines of the tagging issue's target table, scored by `pipeline.evaluate`'s own code.

* **geotext** (0.4.0, `GeoText(text).country_mentions`: the countries it names, and the country of every city and
  nationality it knows), on the country measures, beside the tagger and the pycountry-names baseline that
  `pactwatch eval` always scores.
* **TF-IDF + linear SVM** (scikit-learn), the supervised model the issue quotes for Reuters `trade` (0.745, trained
  on the 9,603 ModApte training stories and scored on the test split we do not read). On dev it is scored by
  5-fold cross-validation over the 10,177 stories with topics, the stories the tagger's trade F1 counts; then,
  trained on all of them, on the captured feed articles' hand labels (eval/real_feed_topics.jsonl), which
  `real_article_topic_trade_f1` counts: the text PactWatch reads.

Both libraries are development dependencies (`pip install -e '.[dev]'`); the product never imports them.

    make baselines        # or: .venv/bin/python tools/baselines.py [--data ../shared/data] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import SHARED_DATA  # noqa: E402
from pipeline.evaluate import (BASELINE, OURS, TOPIC_LABELS, Counts, NameBaseline, format_table,  # noqa: E402
                               labelled_entries, missing_corpora, read_jsonl, result_row, reuters_text, run_eval)
from pipeline.seeds import iso3_by_iso2, load_tagger  # noqa: E402
from pipeline.tagging import Tagger  # noqa: E402

GEOTEXT = "geotext"
SVM_CV = "tf-idf+SVM 5-fold"  # cross-validated on the stories it is scored on
SVM_REUTERS = "tf-idf+SVM Reuters"  # trained on every Reuters dev story with topics
# The country measures, where every system is scored, and the trade measures, where the SVM is.
COUNTRY_MEASURES = ("reuters_focus_micro_f1", "reuters_pair_micro_f1", "reuters_pair_micro_f1_all_docs",
                    "reuters_pair_story_avg_f1", "geoparsing_named_country_micro_f1")
TRADE_MEASURES = ("reuters_trade_f1", "real_article_topic_trade_f1")
# geotext's nationalities table writes "UK" for "English": the United Kingdom. Its other codes outside ISO 3166 are
# dropped; on the dev corpora " Do" ("Dominican": Dominica or the Dominican Republic) and "AN" (the Netherlands
# Antilles of its country table, dissolved in 2010).
GEOTEXT_CODES = {"UK": "GBR"}
FOLDS = 5


class GeotextBaseline:
    """geotext's country mentions (names, cities and nationalities), as our ISO3 codes."""

    def __init__(self):
        from geotext import GeoText

        self._geotext = GeoText
        self._codes = iso3_by_iso2() | GEOTEXT_CODES

    def countries(self, title: str, text: str) -> set[str]:
        mentions = self._geotext(f"{title}\n{text}").country_mentions
        return {self._codes[code] for code in mentions if code in self._codes}


def trade_model():
    """The issue's supervised baseline: TF-IDF of words (sublinear counts) into a linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    return make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2), LinearSVC())


def cross_validated(texts: list[str], labels: list[bool], folds: int = FOLDS) -> list[bool]:
    """Each text's label as predicted by a model trained on the other folds (stratified, one fixed shuffle)."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    splits = StratifiedKFold(folds, shuffle=True, random_state=0)
    return [bool(label) for label in cross_val_predict(trade_model(), texts, labels, cv=splits)]


def f1(predicted: list[bool], gold: list[bool]) -> float:
    counts = Counts()
    for guess, truth in zip(predicted, gold, strict=True):
        counts.add({True} & {guess}, {True} & {truth})
    return counts.f1


def svm_rows(data: Path, tagger: Tagger, folds: int = FOLDS, labels_path: Path = TOPIC_LABELS) -> list[dict]:
    """Trade F1 of the SVM: cross-validated on Reuters dev, then trained on all of it and read on the captured
    feed articles' labels (each article a title and its text, as the tagger reads it)."""
    stories = [doc for doc in read_jsonl(data / "reuters21578" / "dev.jsonl") if doc["topics_attr"] == "YES"]
    texts = [f"{doc['title']}\n{reuters_text(doc)}" for doc in stories]
    gold = ["trade" in doc["topics"] for doc in stories]
    rows = [result_row("reuters_trade_f1", SVM_CV, f1(cross_validated(texts, gold, folds), gold), len(stories))]
    articles = labelled_articles(data / "feeds" / "real", tagger, labels_path)
    if not articles:
        return rows
    model = trade_model().fit(texts, gold)
    predicted = [bool(label) for label in model.predict([text for text, _ in articles])]
    rows.append(result_row("real_article_topic_trade_f1", SVM_REUTERS, f1(predicted, [trade for _, trade in articles]),
                           sum(trade for _, trade in articles)))
    return rows


def labelled_articles(folder: Path, tagger: Tagger, labels_path: Path = TOPIC_LABELS) -> list[tuple[str, bool]]:
    """(title and text, gold trade) of every captured article with topic labels that is still in its feed."""
    return [(f"{entry.title}\n{entry.text}", "trade" in label["topics"])
            for label, entry, _ in labelled_entries(folder, list(read_jsonl(labels_path)), tagger)]


def baseline_rows(data: Path, folds: int = FOLDS) -> list[dict]:
    """The country measures of the tagger and both country baselines, and the trade measures of the tagger and
    the SVM, in measure order."""
    tagger = load_tagger()
    rows = run_eval(data, tagger, {BASELINE: NameBaseline(), GEOTEXT: GeotextBaseline()})
    kept = [row for row in rows if row["measure"] in COUNTRY_MEASURES
            or (row["measure"] in TRADE_MEASURES and row["system"] == OURS)]
    order = COUNTRY_MEASURES + TRADE_MEASURES
    return sorted(kept + svm_rows(data, tagger, folds), key=lambda row: order.index(row["measure"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    if problem := missing_corpora(args.data):
        parser.exit(2, problem + "\n")
    rows = baseline_rows(args.data)
    print(json.dumps(rows, indent=1) if args.json else format_table(rows))


if __name__ == "__main__":
    main()
