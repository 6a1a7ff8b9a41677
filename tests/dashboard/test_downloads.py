"""Every download spells pairs and lists as the CLI writes them (`sql --csv`, `export`): a spreadsheet lookup between
a dashboard download and a CLI output matched nothing when the dashboard wrote PRK–RUS (its tables' en dash) and
"military, sanctions" where the CLI writes PRK-RUS and "military;sanctions". AppTest runs of the real pages; the CSVs
are the buttons' own data."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.dashboard.routes import ROUTES
from pipeline.store.reader import open_snapshot
from tests.conftest import downloaded_csv

from .conftest import CURRENT_PARAMS, open_page
from .factory import TAGGER

ROUTE = {route.name: route for route in ROUTES}
PAIR_KEY = r"[A-Z]{3}-[A-Z]{3}"


def cli_stdout(home, *args) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home.root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def cli_csv(home, *args) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(cli_stdout(home, *args)), dtype=str, keep_default_na=False)


def stored_pairs(home) -> set[str]:
    """The pairs `pactwatch sql --csv` names over the current period (v_pair_daily's keys)."""
    query = (f"SELECT DISTINCT pair FROM v_pair_daily WHERE day BETWEEN DATE '{CURRENT_PARAMS['from']}' "
             f"AND DATE '{CURRENT_PARAMS['to']}'")
    return set(cli_csv(home, "sql", "--csv", query)["pair"])


def test_pair_downloads_hold_the_pair_keys_the_cli_writes(monkeypatch, pair_crowded_home, downloads):
    """Overview's rising pairs, the Co-occurrence table, Trends of pairs and an article's pair sentences: each pair
    is a key of `pactwatch sql`, so a lookup of one in the other finds it. (The factory's pairs rise too little for
    the rising pairs' floor: this home's PRK-RUS rises 1 -> 654.)"""
    home = pair_crowded_home
    keys = stored_pairs(home)
    assert "PRK-RUS" in keys
    pages = [("overview", {}, "rising_pairs", "pair"), ("cooccurrence", {}, "cooccurrence", "pair"),
             ("trends", {"kind": "pairs"}, "trend_pairs", "series"),
             ("articles", {"article": "c2"}, "article_pair_sentences", "pair")]
    for page, params, table, column in pages:
        downloads.clear()
        open_page(monkeypatch, home, ROUTE[page], {**CURRENT_PARAMS, **params})
        pairs = downloaded_csv(downloads, table)[column]
        assert len(pairs) and pairs.str.fullmatch(PAIR_KEY).all(), (table, pairs.tolist())
        assert set(pairs) <= keys, (table, set(pairs) - keys)


def test_list_downloads_are_joined_as_the_cli_joins_them(monkeypatch, factory_home, downloads):
    """A sentence's topics read "military, sanctions" in the Pair explorer's download and "military;sanctions" in
    `pactwatch export`: the evidence download's topics are the export's, cell for cell."""
    exported = cli_csv(factory_home, "export", "--table", "pair_sentences", "--pair", "PRK-RUS", "--since",
                       CURRENT_PARAMS["from"], "--until", CURRENT_PARAMS["to"], "--format", "csv", "--output", "-")
    assert "military;sanctions" in set(exported["topics"])
    open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    evidence = downloaded_csv(downloads, "evidence_PRK-RUS")
    assert sorted(evidence["topics"]) == sorted(exported["topics"])
    # the sentences too (quoted, they read "⟦North Korea⟧ and ⟦Russia⟧ …"), their marks beside them
    assert sorted(evidence["sentence"]) == sorted(exported["sentence"])
    assert list(evidence.columns[evidence.columns.get_loc("sentence"):][:2]) == ["sentence", "sentence_marked"]
    assert evidence["sentence_marked"].str.contains("⟦").all()
    assert sorted(evidence["article_id"]) == sorted(exported["article_id"])  # a quoted sentence's article, by its id
    articles = downloaded_csv(downloads, "articles_PRK-RUS")
    assert "military;sanctions" in set(articles["topics"]), articles["topics"].tolist()
    # on screen, a list still reads as words
    shown = open_page(monkeypatch, factory_home, ROUTE["pair"], {**CURRENT_PARAMS, "pair": "PRK-RUS"})
    assert "military, sanctions" in set(next(t.value for t in shown.dataframe if "cue" in t.value)["topics"])
    downloads.clear()
    open_page(monkeypatch, factory_home, ROUTE["articles"], {**CURRENT_PARAMS, "article": "c2"})
    assert downloaded_csv(downloads, "article_pair_sentences")["topics"].tolist() == ["military;sanctions"]


def test_a_querys_download_is_what_pactwatch_sql_csv_writes(monkeypatch, factory_home, downloads):
    """The SQL page and `pactwatch sql --csv` run one query: their CSVs are one file, its list joined with ';'."""
    query = ("SELECT article_id, iso_a || '-' || iso_b AS pair, topics FROM pair_sentences "
             "WHERE article_id = 'c2' ORDER BY ALL")
    app = open_page(monkeypatch, factory_home, ROUTE["sql"])
    app.text_area[0].set_value(query)
    app.button[0].click().run()
    written = cli_csv(factory_home, "sql", "--csv", query)
    assert written["topics"].tolist() == ["military;sanctions"]
    assert downloaded_csv(downloads, "query_result").equals(written)


def downloaded_parquet(downloads, table: str) -> pa.Table:
    named = [name for name in downloads if re.fullmatch(rf"pactwatch-{re.escape(table)}(-[\w-]+)?\.parquet", name)]
    assert len(named) == 1, (table, list(downloads))
    return pq.read_table(io.BytesIO(downloads[named[0]]()))


def test_a_parquet_download_holds_days_as_dates_as_export_writes_them(monkeypatch, tmp_path, factory_home, downloads):
    """`pactwatch export` writes `day` as a DATE; the Articles and Trends downloads wrote a midnight timestamp (pandas
    reads every DATE so), which a join on `day` against the export's Parquet does not match."""
    exported = tmp_path / "articles.parquet"
    cli_stdout(factory_home, "export", "--table", "articles", "--format", "parquet", "--output", str(exported))
    assert pq.read_schema(exported).field("day").type == pa.date32()
    for page, params, table, column in [("articles", {}, "articles", "day"),
                                        ("trends", {"kind": "pairs"}, "trend_pairs", "bucket")]:
        downloads.clear()
        open_page(monkeypatch, factory_home, ROUTE[page], {**CURRENT_PARAMS, **params})
        downloaded = downloaded_parquet(downloads, table)
        assert downloaded.schema.field(column).type == pa.date32(), (table, downloaded.schema)
        assert downloaded.num_rows and None not in downloaded.column(column).to_pylist()


def test_a_parquet_download_says_what_it_was_cut_from(monkeypatch, factory_home, downloads):
    """Its name carried the view's parameters as a six-character hash: an auditor holding the file could not tell
    which pair, dates and filters it held, nor which run its data stopped at."""
    params = {**CURRENT_PARAMS, "pair": "PRK-RUS", "topics": "military"}
    open_page(monkeypatch, factory_home, ROUTE["pair"], params)
    said = {key.decode(): value.decode() for key, value in downloaded_parquet(downloads, "evidence_PRK-RUS")
            .schema.metadata.items() if key.startswith(b"pactwatch.")}
    with open_snapshot(factory_home) as con:
        finished, kind = con.execute("SELECT finished_at, kind FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
    assert said["pactwatch.table"] == "evidence_PRK-RUS"
    view = dict(parse_qsl(said["pactwatch.view"].partition("?")[2]))  # the parameters that open it again
    assert params.items() <= view.items() and view["level"] == "article"  # the page's controls too
    assert said["pactwatch.data_as_of"] == f"{finished.isoformat()} ({kind} run)"
    assert said["pactwatch.stored_tagger_versions"] == TAGGER
    assert abs(datetime.now(UTC) - datetime.fromisoformat(said["pactwatch.downloaded_at"])) < timedelta(minutes=5)
