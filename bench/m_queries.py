"""6a. Every public function of pipeline/store/queries.py on the published snapshot, median and p95.

Functions are discovered at run time (the module is still growing); arguments are chosen by parameter
name with the dashboard's defaults (the last 90 days, day grain, sentence level, the top countries and
pairs), then again on the whole day range a user can pick. A function with a parameter we cannot
fill is skipped with a note.
"""
from __future__ import annotations

import inspect
import statistics
import time
from datetime import timedelta

DEFAULT_DAYS = 90  # pipeline/dashboard/filters.py DEFAULT_DAYS


def discover():
    from pipeline.store import queries

    return [(name, function) for name, function in inspect.getmembers(queries, inspect.isfunction)
            if not name.startswith("_") and function.__module__ == queries.__name__
            and next(iter(inspect.signature(function).parameters), None) == "con"]  # queries, not SQL builders


def typical_arguments(con) -> dict:
    from pipeline.store import queries

    status = queries.status(con)
    last = status["last_day"]
    scope = queries.Scope(start=max(status["first_day"], last - timedelta(days=DEFAULT_DAYS - 1)), end=last)
    countries = [row[0] for row in queries.top_countries(con, scope, 12).itertuples(index=False)]
    options = queries.filter_options(con)
    pairs = options["pairs"][:3]
    return {**_drill_down_arguments(con, status),
        "scope": scope, "start": scope.start, "end": scope.end, "kind": "countries", "keys": countries[:5],
        "grain": "day", "pairs": pairs, "pair": pairs[0] if pairs else "CHN-RUS", "countries": countries,
        # "sanction*": every word starting so, as "sanction" matched before search took whole words (same rows)
        "level": "sentence", "topic": None, "text": "sanction*", "in_body": False, "limit": 20,
        "position": queries.SEARCH_LIMIT,  # where the Articles page's second page starts
        "_articles": status["articles"],
    }


def _drill_down_arguments(con, status: dict) -> dict:
    """What a click opens: the newest pair sentence's article, the feed fetched most, the last run, the stored days."""
    from pipeline.demo import FEED_TAG

    article_id, day = con.execute("SELECT article_id, day FROM pair_sentences ORDER BY day DESC, article_id LIMIT 1"
                                  ).fetchone() or (None, None)
    feed_id = con.execute("SELECT feed_id FROM fetches GROUP BY feed_id ORDER BY count(*) DESC, feed_id LIMIT 1"
                          ).fetchone()
    return {"article_id": article_id, "day": day, "feed_id": feed_id[0] if feed_id else None,
            "run_id": con.execute("SELECT max(run_id) FROM runs").fetchone()[0], "demo_feed_tag": FEED_TAG,
            "first_day": status["first_day"], "last_day": status["last_day"]}


def _call_plan(function, typical: dict) -> tuple[dict | None, str]:
    kwargs = {}
    for index, (name, parameter) in enumerate(inspect.signature(function).parameters.items()):
        if index == 0:
            continue  # the connection
        if parameter.default is not inspect.Parameter.empty:
            continue  # keep the function's own default (limits, ...)
        if name not in typical:
            return None, f"no typical value for parameter {name!r}"
        kwargs[name] = typical[name]
    return kwargs, ""


def run_queries(home: str, repeats: int = 10) -> dict:
    """Every query twice: on the dashboard's default scope (last 90 days) and on the whole day range."""
    from pipeline.home import Home
    from pipeline.store import queries
    from pipeline.store.reader import open_snapshot

    con = open_snapshot(Home.resolve(home))
    typical = typical_arguments(con)
    variants = [(name, function, None) for name, function in discover()]
    if "search_articles" in dict(discover()):  # the expensive variant the Articles page offers
        variants.append(("search_articles (in body)", dict(discover())["search_articles"], {"in_body": True}))
    first_day = queries.status(con)["first_day"]
    whole = queries.Scope(start=first_day, end=typical["scope"].end)
    scopes = {"default": typical, "all": {**typical, "scope": whole, "start": whole.start, "end": whole.end}}
    results = {scope: _measure(con, variants, arguments, repeats) for scope, arguments in scopes.items()}
    con.close()
    return {"queries": results["default"], "queries_all": results["all"],
            "scope": [str(typical["scope"].start), str(typical["scope"].end)],
            "scope_all": [str(whole.start), str(whole.end)], "articles": typical["_articles"]}


def _measure(con, variants, typical: dict, repeats: int) -> dict:
    results = {}
    for name, function, override in variants:
        kwargs, why = _call_plan(function, typical)
        if kwargs is None:
            results[name] = {"skipped": why}
            continue
        kwargs.update(override or {})
        timings, rows = [], None
        try:
            for _ in range(repeats + 1):  # the first call warms DuckDB's file cache and is not counted
                with con.cursor() as cursor:
                    started = time.perf_counter()
                    result = function(cursor, **kwargs)
                    timings.append(time.perf_counter() - started)
                rows = len(result) if hasattr(result, "__len__") and not isinstance(result, dict) else 1
        except Exception as error:  # a query being rewritten right now must not sink the whole run
            results[name] = {"skipped": f"raised {type(error).__name__}: {error}"[:200]}
            continue
        measured = sorted(timings[1:])
        results[name] = {"first": timings[0], "median": statistics.median(measured),
                         "p95": measured[min(len(measured) - 1, int(0.95 * len(measured) + 0.5) - 1)],
                         "repeats": repeats, "rows": rows}
    return results
