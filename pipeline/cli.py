"""`pactwatch` — one thin CLI over the library. Every command works on one home directory."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .home import EXIT_LOCKED, HOME_ENV, Home, HomeLocked


def _home(ctx: click.Context) -> Home:
    return ctx.obj["home"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--home", "home_path", envvar=HOME_ENV, default="./data", show_default=True,
              type=click.Path(file_okay=False), help=f"State directory (env {HOME_ENV}).")
@click.version_option(package_name="pactwatch")
@click.pass_context
def cli(ctx: click.Context, home_path: str) -> None:
    """PactWatch: which country pairs the news connects, on which topics, day by day.

    \b
    Examples:
      pactwatch demo                      # write + ingest the offline demo corpus
      pactwatch ingest --feeds seeds/feeds.toml
      pactwatch status --json
      pactwatch --home /srv/pactwatch sql "SELECT * FROM v_pair_daily LIMIT 5"
    """
    ctx.ensure_object(dict)
    ctx.obj["home"] = Home.resolve(home_path)


def main() -> None:
    try:
        cli(obj={})
    except HomeLocked as exc:
        click.echo(f"pactwatch: {exc}; try again when it finishes (exit {EXIT_LOCKED})", err=True)
        sys.exit(EXIT_LOCKED)




def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Articles, feeds and the last run, from the published snapshot.

    \b
    Example:
      pactwatch status --json
    """
    from .store.catalog import warehouse_status
    from .store.reader import NoSnapshot, current_version, open_snapshot

    home = _home(ctx)
    version, path = current_version(home)
    try:
        con = open_snapshot(home)
    except NoSnapshot:
        report = {"articles": 0, "feeds": 0, "last_run": None, "is_demo": False}
    else:
        with con:
            report = warehouse_status(con)
    report = {"home": str(home.root), "snapshot": str(path) if path else None, "snapshot_version": version, **report}
    if as_json:
        _echo_json(report)
        return
    for key, value in report.items():
        click.echo(f"{key:>17}: {value}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def schema(ctx: click.Context, as_json: bool) -> None:
    """Print the data dictionary: every table, view and column with its comment.

    \b
    Example:
      pactwatch schema | less
    """
    from .store.catalog import data_dictionary

    dictionary = data_dictionary()
    if as_json:
        _echo_json(dictionary)
        return
    for obj in dictionary:
        click.echo(f"\n{obj['kind'].upper()} {obj['name']}\n    {obj['comment']}")
        for column in obj["columns"]:
            click.echo(f"    {column['name']:<22} {column['type']:<14} {column['comment'] or ''}")


@cli.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Rows as a JSON list of objects.")
@click.option("--csv", "as_csv", is_flag=True, help="Rows as CSV.")
@click.option("--max-rows", default=10_000, show_default=True, help="Row cap.")
@click.option("--timeout", default=30.0, show_default=True, help="Time limit in seconds.")
@click.pass_context
def sql(ctx: click.Context, query: str, as_json: bool, as_csv: bool, max_rows: int, timeout: float) -> None:
    """Run one read-only SELECT on the published warehouse (sandboxed: no files, no SET, capped).

    \b
    Example:
      pactwatch sql "SELECT pair, sum(sentences) FROM v_pair_daily WHERE topic = 'military' GROUP BY 1 ORDER BY 2 DESC LIMIT 10"
    """
    from .store.reader import NoSnapshot
    from .store.sandbox import SandboxError, run_sandboxed

    try:
        result = run_sandboxed(_home(ctx), query, max_rows=max_rows, timeout=timeout)
    except (SandboxError, NoSnapshot) as exc:
        raise click.ClickException(str(exc)) from exc
    _print_rows(result.columns, result.rows, as_json=as_json, as_csv=as_csv)
    if result.truncated:
        click.echo(f"(stopped at {max_rows} rows; raise --max-rows for more)", err=True)


def _print_rows(columns: list[str], rows: list[tuple], *, as_json: bool, as_csv: bool) -> None:
    if as_json:
        _echo_json([dict(zip(columns, row)) for row in rows])
    elif as_csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))
