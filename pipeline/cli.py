"""`pactwatch` — one thin CLI over the library. Every command works on one home directory."""
from __future__ import annotations

import errno
import json
import math
import os
import select
import sys
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import click
from click.exceptions import NoArgsIsHelpError

from .article_day import NO_USABLE_DATE, day_filed
from .home import EXIT_LOCKED, HOME_ENV, Home, HomeLocked
from .monitor import EXIT_UNHEALTHY
from .paths import SHARED_DATA
from .stop_signals import LoopStopper, StopSignals, signal_exit_code
from .terminal import (StandardOutputError, complaint, cut_short, echo_json, logfmt, print_rows, readable,
                       stdout_written_whole, tsv_field, visible_lines)

if TYPE_CHECKING:  # demo_home loads duckdb: imported where a command needs it
    from .demo_home import Found, Then

EXPORT_FORMATS = {".parquet": "parquet", ".csv": "csv"}  # output extension -> format (store.exporter.FORMATS)
# store.exporter.EXPORTABLE, not imported here: it loads duckdb
EXPORT_TABLES = ("articles", "mentions", "article_countries", "article_topics", "topic_hits", "pair_sentences",
                 "article_pairs", "article_revisions")
EXIT_TARGET_MISSED = 3  # `eval --check`: 1 is click's error exit, 2 its usage error
SQL_MAX_TIMEOUT = 3600.0  # store.sandbox.MAX_TIMEOUT_SECONDS, not imported here: it loads duckdb
DEMO_FIRST_END = date(2000, 1, 1)
SQL_MAX_ROWS = 100_000_000  # store.sandbox.MAX_ROWS, not imported here: it loads duckdb


def _home(ctx: click.Context) -> Home:
    return ctx.obj["home"]


def _stored_home(ctx: click.Context, nothing: str, reads_snapshot: bool = False) -> Home:
    """The home of a command over what is stored: a mistyped --home must fail, not create an empty home there
    (retag would record a run in it) nor report one as empty. `nothing` says what the command then lacks. A home
    whose writer file is gone but whose snapshots are there is no such home: a command reading the snapshot
    (`reads_snapshot`) reads it, any other says how to put the writer back."""
    from .store.snapshot import published_without_writer, writer_missing_message

    home = _home(ctx)
    if home.writer_db.exists():
        return home
    if not (newest := published_without_writer(home)):
        raise click.ClickException(f"no warehouse in {home.root}: {nothing}")
    if not reads_snapshot:
        raise click.ClickException(writer_missing_message(home, newest))
    return home


class _Filter(click.Group):
    """The root group. A reader that stops reading (`pactwatch export --output - | head -1`) ends any command as it
    ends a Unix filter: at once, without a word. Caught here, around every command: click takes a BrokenPipeError
    that reaches it for its own and exits 1 without a word, even for another pipe's, which is a failure to name.
    A failure whose message says it all (a seed file or feed list that does not load, the demo's home) is made click's
    here too: said in one line, exit 1, whether main() or a test's CliRunner runs the command."""

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            if sys.stdout is not None:  # None when started with standard output closed (`>&-`): nothing to flush
                sys.stdout.flush()  # rows still buffered go now, where a closed pipe is caught, not at interpreter exit
            return result
        except StandardOutputError as exc:
            raise click.ClickException(cut_short(exc)) from exc
        except BrokenPipeError as exc:
            if not _reader_left(sys.stdout):  # another pipe broke (an --output FIFO, a worker's): a failure
                raise click.ClickException(f"broken pipe (not standard output's): {exc}") from exc
            # Python's recipe ("Note on SIGPIPE" in the signal module's docs): what is left to flush goes to devnull,
            # or the interpreter's exit flush fails again, with a traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            # 0, not 141: the reader stopped because it had what it wanted, and its own status says whether the
            # pipeline failed; 141 fails every `set -o pipefail` script that reads the first rows. CPython, when the
            # write cut short is the last one, reports no error and ends with 0 anyway.
            ctx.exit(0)
        except Exception as exc:
            if _is_refusal(exc):  # in words, as click's own failures are: no traceback, exit 1
                raise click.ClickException(str(exc)) from exc
            raise


def _reader_left(stream) -> bool:
    """Whether `stream` is a pipe that has lost its reader: poll() flags its write end with POLLERR then. None (a
    command started with standard output closed) has no reader to lose."""
    if stream is None:
        return False
    poller = select.poll()
    poller.register(stream.fileno(), select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


def _versions() -> dict[str, str]:
    """The package's version and the tagger version new tags get: the one stamped on stored tags (`tagger_version`)
    and named by `status`, which an analyst citing a count must trace to rules and seed files."""
    from importlib.metadata import version

    from .seeds import tagger_version

    return {"version": version("pactwatch"), "tagger_version": tagger_version()}


def _print_version(ctx: click.Context, _param: click.Parameter, wanted: bool) -> None:
    if not wanted or ctx.resilient_parsing:
        return
    from .tagging import CODE_VERSION

    versions = _versions()
    tagger = versions["tagger_version"]
    click.echo(f"pactwatch, version {versions['version']}\ntagger version {tagger} (tagging rules {CODE_VERSION}, "
               f"seed files hashed {tagger.partition('+')[2]})")
    ctx.exit()


@click.group(cls=_Filter, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--home", "home_path", envvar=HOME_ENV, default="./data", show_default=True,
              type=click.Path(file_okay=False), help=f"State directory (env {HOME_ENV}).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and the tagger version new tags get, and exit (1 when no seed files are found).")
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
    try:
        ctx.obj["home"] = Home.resolve(home_path)
    except RuntimeError as exc:  # pathlib's symlink loop: a traceback for every command before
        raise click.BadParameter(str(exc), param_hint="--home") from exc


def main() -> None:
    if undecodable := [arg for arg in sys.argv[1:] if not _is_utf8(arg)]:
        click.echo(complaint(f"arguments must be UTF-8 text; not {ascii(undecodable[0])}"), err=True)
        sys.exit(2)
    stop_signals = StopSignals()
    stdout_written_whole()
    try:
        _run(home_first(sys.argv[1:]))
    except BaseException as exc:
        if stop_signals.received is not None and not (isinstance(exc, SystemExit) and not exc.code):
            # Whatever the stop made fail (a DuckDB "Query interrupted", a compaction's DETACH): it is the stop.
            click.echo(complaint(f"interrupted by {stop_signals.received.name}; what was committed before is kept, "
                                 "the work in progress was rolled back"), err=True)
            sys.exit(stop_signals.exit_code)
        _exit_for(exc)


def _run(args: list[str]) -> None:
    """What click's standalone mode does, but for the line saying why a command failed: dated as a `complaint`, not
    click's "Error: …", which left the cron log's failures without a time."""
    try:
        code = cli.main(args=args, obj={}, standalone_mode=False)
        if sys.stdout is not None:  # what an option printed before any command (--version); _Filter flushes a command's
            sys.stdout.flush()
    except StandardOutputError as exc:
        click.echo(complaint(cut_short(exc)), err=True)
        sys.exit(1)
    except NoArgsIsHelpError as exc:  # `pactwatch feeds`: its help, as click shows it; no failure to date
        exc.show()
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        if isinstance(exc, click.UsageError) and exc.ctx is not None:  # how to call it, as click shows it
            click.echo(f"{exc.ctx.get_usage()}\nTry '{exc.ctx.command_path} --help' for help.\n", err=True)
        click.echo(complaint(exc.format_message()), err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    sys.exit(code if type(code) is int else 0)  # an int is ctx.exit's code; commands return None


def _is_utf8(arg: str) -> bool:
    """Python hands bytes that are no UTF-8 in as lone surrogates; a query, a name or a home path holding them failed
    with a traceback wherever it was encoded (DuckDB, a log line, a stored path), some after writing."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def home_first(args: list[str]) -> list[str]:
    """`--home DIR` is the group's option, before the command; written after it (`pactwatch ingest --home X`, as
    cron lines often are) it is moved there, where click would answer "No such option. Did you mean --help?"."""
    homes, rest, index = [], [], 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        taken = 2 if arg == "--home" and index + 1 < len(args) else 1 if arg.startswith("--home=") else 0
        (homes if taken else rest).extend(args[index:index + (taken or 1)])
        index += taken or 1
    return homes + rest


def _exit_for(exc: BaseException) -> None:
    """Expected failures in words and an exit code; anything else goes on with its traceback."""
    from .store.errors import storage_failure

    if isinstance(exc, HomeLocked):
        click.echo(complaint(f"{exc}; try again when it finishes (exit {EXIT_LOCKED})"), err=True)
        sys.exit(EXIT_LOCKED)
    if failure := storage_failure(exc):  # disk full, unwritable home, damaged file: say so, no traceback
        click.echo(complaint(f"{failure}{_unwritable_hint(failure)}"), err=True)
        sys.exit(1)
    if _is_refusal(exc):  # raised before any command ran (by `--version`), where _Filter.invoke does not see it
        click.echo(complaint(str(exc)), err=True)
        sys.exit(1)
    raise exc


def _is_refusal(exc: BaseException) -> bool:
    """Whether `exc` is a failure whose message says it all, naming the file (the line where known, the entry, what is
    expected) or the home: a seed file does not load: the tagger's (pipeline.seeds), the URL rules'
    (pipeline.url_seeds), the time zones' (pipeline.feeds.dates) or the demo's (pipeline.demo.scenario); that an
    operator's feed list does not (pipeline.feeds.feedlist); or that the home is the demo's (pipeline.ingest). Only a
    loaded module raises its error, and importing pipeline.seeds here would load the tagger's modules for any
    failure."""
    return any(module is not None and isinstance(exc, getattr(module, name))
               for module, name in ((sys.modules.get("pipeline.seeds"), "SeedError"),
                                    (sys.modules.get("pipeline.url_seeds"), "UrlSeedError"),
                                    (sys.modules.get("pipeline.feeds.dates"), "TimeZoneSeedError"),
                                    (sys.modules.get("pipeline.demo.scenario"), "ScenarioError"),
                                    (sys.modules.get("pipeline.feeds.feedlist"), "FeedListError"),
                                    (sys.modules.get("pipeline.ingest"), "DemoHomeRefused")))


def _unwritable_hint(failure: BaseException) -> str:
    """What still works in a home this user cannot write (a read-only mount, another user's files)."""
    if isinstance(failure, OSError) and failure.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ("; writing commands need a home they may write, while status, feeds list, sql, schema, export, "
                "alerts, backup and the dashboard only read it")
    return ""


class Duration(click.ParamType):
    """Seconds from "15m", "2h", "30s", "90d" or a plain number; never negative, above zero when `positive`, and at
    most `at_most` (seconds, and in words): by default MAX_DAYS (a schedule a year out is a typo, and a date that far
    past the calendar's end would overflow)."""

    name = "duration"
    UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    MAX_DAYS = 366

    def __init__(self, positive: bool, at_most: tuple[float, str] = (MAX_DAYS * 86400, f"{MAX_DAYS} days")) -> None:
        self.positive = positive
        self.most_seconds, self.most_words = at_most

    def convert(self, value, param, ctx) -> float:
        text = str(value).strip()
        try:
            seconds = float(text[:-1]) * self.UNITS[text[-1]] if text[-1:] in self.UNITS else float(text)
        except ValueError:
            self.fail(f"{value!r}: use a number with s, m, h or d, e.g. 15m", param, ctx)
        if not math.isfinite(seconds) or seconds < 0 or (self.positive and seconds == 0):
            self.fail(f"{value!r}: must be {'above' if self.positive else 'at least'} zero", param, ctx)
        if seconds > self.most_seconds:
            self.fail(f"{value!r}: must be at most {self.most_words}", param, ctx)
        return seconds


# --keep-fetches longer than ten years is a typo: no home holds fetches that old.
KEEP_FETCHES_MOST_DAYS = 3660

# A scheduled backup or compaction whose minute falls on an ingest's would exit 75 and be skipped for a day or a week.
WAIT_OPTION = click.option(
    "--wait", default="0", show_default=True, type=Duration(positive=False, at_most=(6 * 3600, "6 hours")),
    help="While another command holds the home, wait up to this long for it (30s, 20m, 1h) before exiting 75.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--check", is_flag=True,
              help=f"Exit {EXIT_UNHEALTHY} when the ingest needs a look, naming each problem on stderr, else 0; "
                   "prints the report with --json only (cron mails any output).")
@click.option("--max-age", default="2h", show_default=True, type=Duration(positive=True),
              help="--check: the last completed ingest run may be at most this old (above the ingest's schedule).")
@click.option("--max-failing", default=0.5, show_default=True, type=click.FloatRange(0, 1),
              help="--check: the share of enabled feeds that may be other than healthy.")
@click.option("--max-broken", default="24h", show_default=True, type=Duration(positive=True),
              help="--check: how long any one enabled feed may bring nothing usable (failing, gone or empty).")
@click.pass_context
def status(ctx: click.Context, as_json: bool, check: bool, max_age: float, max_failing: float,
           max_broken: float) -> None:
    """Articles and the days they are filed under (first_day, last_day; last_dated_day: the last of an article
    with a usable publication date), feeds, runs of each kind, the last run and the tagger versions of the stored
    tags, from the published snapshot, and its schema version (snapshot_schema_version) against this code's
    (code_schema_version: a snapshot published before an upgrade lags until the next writing command);
    the share of free blocks of the writer file (what `compact` would reclaim; writer_busy and no share while a
    writing command runs: status never waits; a user who may only read the home gets it too, else
    writer_unreadable says why, as it does for a damaged writer file). Tags from another tagger version than this code's (an upgrade,
    an edited seed file) set retag_needed: `pactwatch retag` rebuilds them; so do articles with topics but no
    topic words (articles_without_topic_words: tagged before migration 0021) and articles without a story
    (articles_without_stories: stored before migration 0060, each counted as a story of its own until then).

    For monitoring: failing_feeds (enabled feeds whose health, as `feeds list` shows it, is neither healthy nor
    paused, of enabled_feeds; paused_feeds: those whose server asked for a pause and said till when, not counted as
    failing), broken_feeds (enabled feeds failing, gone or empty, and since when), last_ingest_at (when the last
    completed ingest run finished; demo, import and retag runs do not count), snapshot_behind (the writer holds what
    the published snapshot lacks: a publish failed, or the writer was migrated to writer_schema_version and not yet
    published; null while the writer cannot be read), writer_held_open (another
    process, a DuckDB session on warehouse.duckdb, holds the writer file, so every ingest exits 75), not_the_owners
    (files of the home another user than its owner owns: a root command killed before it gave them back) and
    publish_failed (when and why the last publish failed, also after a write that adds no run, such as `feeds add`;
    null once a publish succeeds). --check exits 4 when no ingest run completed within --max-age, the last publish
    failed or the snapshot is behind, more than --max-failing of the enabled feeds are failing (neither healthy nor
    paused), any one feed has brought nothing usable for longer than --max-broken, no feed is enabled, the writer
    file is damaged (writer_damaged: every writing command fails on it) or held open by another process, a file of
    the home is not its owner's (not_the_owners: the owner's ingest fails on it), the last
    ingest run finished in the future (the clock went back), the published snapshot cannot be read
    (snapshot_unreadable: a damaged block, which every reader fails on), warehouse.duckdb is missing in a home holding published
    snapshots (writer_missing: every writing command refuses it; the line says how to put it back), the stored tags need a retag (retag_needed), the seed
    files or the alert rules do not load (seeds_error, alert_rules_error), or the home is the demo's (ingest refuses
    it); exit 1 means it could not check (no warehouse there).

    \b
    Examples:
      pactwatch status --json
      pactwatch status --check --max-age 45m --max-failing 0.25
    """
    from .status import status_notes, status_report

    report = status_report(_stored_home(ctx, "nothing to report", reads_snapshot=True), unreadable_snapshot_ok=check)
    if check:
        _check(report, max_age, max_failing, max_broken, as_json)
    if as_json:
        echo_json(report)
        return
    width = max(map(len, report))
    for key, value in report.items():
        click.echo(f"{key:>{width}}: {readable(value)}")
    for note in status_notes(report):
        click.echo(note)


def _check(report: dict, max_age: float, max_failing: float, max_broken: float, as_json: bool) -> None:
    """`status --check`: the problems on stderr and exit EXIT_UNHEALTHY; quiet and on to exit 0 when there is none,
    so a cron line mails only a problem (the report is printed with --json alone)."""
    from .monitor import ingest_problems

    problems = ingest_problems(report, timedelta(seconds=max_age), max_failing, datetime.now(UTC),
                               timedelta(seconds=max_broken))
    if as_json:
        echo_json({**report, "problems": problems})
    for problem in problems:  # one line each, as text: a problem can quote the failure record, a file in the home
        click.echo(complaint(tsv_field(problem)), err=True)
    sys.exit(EXIT_UNHEALTHY if problems else 0)


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="The port to serve on.")
@click.option("--address", help="The address to listen on (default 127.0.0.1: this machine only; to serve others, "
              'README "Running the dashboard for others").')
@click.pass_context
def dashboard(ctx: click.Context, port: int, address: str | None) -> None:
    """Serve the dashboard of the home's published warehouse (`streamlit run` of the installed package's script).

    The settings of the checkout's .streamlit/config.toml but its theme go as flags, so they hold whatever the working
    directory: loopback only, XSRF protection, no usage statistics, no error details or toolbar for viewers, no
    grid export. It reads the home the command is given (--home or PACTWATCH_HOME), read-only; Ctrl-C stops it.

    \b
    Example:
      pactwatch --home /srv/pactwatch dashboard --port 8600
    """
    from .dashboard.launch import streamlit_argv

    argv = streamlit_argv(port, address)
    os.execve(argv[0], argv, {**os.environ, HOME_ENV: str(ctx.obj["home"].root)})  # Streamlit gets the signals


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def schema(ctx: click.Context, as_json: bool) -> None:
    """Print the data dictionary of the home's published warehouse: every table, view and column with its comment
    (without one yet, the schema this version creates). A line on stderr says which.

    \b
    Example:
      pactwatch schema | less
    """
    from .store.catalog import published_dictionary

    source, dictionary = published_dictionary(_home(ctx))
    click.echo(f"data dictionary: {source}", err=True)
    if as_json:
        echo_json(dictionary)
        return
    for obj in dictionary:
        click.echo(f"\n{obj['kind'].upper()} {obj['name']}\n    {obj['comment']}")
        for column in obj["columns"]:
            click.echo(f"    {column['name']:<22} {column['type']:<14} {column['comment'] or ''}")


class _QueryCommand(click.Command):
    """A query that opens with an SQL comment, as every README example does ("-- Why is …"), is the query: click
    would take it for an unknown option. Option names hold no spaces, so such an argument is moved after `--`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        comment_first = [arg for arg in args if arg.startswith("--") and any(char.isspace() for char in arg)]
        if comment_first and "--" not in args:
            args = [arg for arg in args if arg is not comment_first[0]] + ["--", comment_first[0]]
        return super().parse_args(ctx, args)


@cli.command(cls=_QueryCommand)
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Rows as a JSON list of objects.")
@click.option("--csv", "as_csv", is_flag=True, help="Rows as CSV.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1, max=SQL_MAX_ROWS),
              help="Row cap.")
@click.option("--timeout", default="30s", show_default=True,
              type=Duration(positive=True, at_most=(SQL_MAX_TIMEOUT, "an hour")),
              help="Time limit: seconds, or with s, m or h as --every takes it (an hour at most).")
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="The value of the query's $NAME, bound as text, never spliced in (cast it where a number is "
                   "meant: $days::INTEGER); once per parameter.")
@click.pass_context
def sql(ctx: click.Context, query: str, as_json: bool, as_csv: bool, max_rows: int, timeout: float,
        params: tuple[tuple[str, str], ...]) -> None:
    """Run one read-only SELECT on the published warehouse (sandboxed: no files, no SET, capped). QUERY `-` reads
    the query from standard input: a query kept in a file, as the README's examples are.

    \b
    Examples:
      pactwatch sql "SELECT pair, sum(sentences) FROM v_pair_daily WHERE topic = 'military' GROUP BY 1 ORDER BY 2 DESC LIMIT 10"
      pactwatch sql 'SELECT day, sentences FROM v_pair_daily WHERE pair = $pair AND topic = $topic ORDER BY day' \\
        -p pair PRK-RUS -p topic military
      pactwatch sql - --csv < weekly-prk-rus.sql > weekly.csv
    """
    from .pairs import reversed_pairs_note
    from .store.reader import NoSnapshot, open_snapshot
    from .store.sandbox import ParameterMismatch, SandboxError, run_sandboxed

    if as_json and as_csv:
        raise click.UsageError("--json and --csv exclude each other")
    if twice := sorted({name for name, _ in params if sum(given == name for given, _ in params) > 1}):
        raise click.UsageError(f"-p {', '.join(twice)} given more than once: one value per parameter")
    if query == "-":
        query = sys.stdin.read()
    try:
        result = run_sandboxed(_home(ctx), query, max_rows=max_rows, timeout=timeout, params=dict(params))
    except NoSnapshot as exc:
        raise click.ClickException(visible_lines(str(exc))) from exc
    except ParameterMismatch as exc:  # the -p values given and the query's $names differ: the command line's mistake
        raise click.UsageError(f"{visible_lines(str(exc))} (give each value as -p NAME VALUE, e.g. -p pair KOR-RUS)"
                               ) from exc
    except SandboxError as exc:  # DuckDB's message quotes the query, and a value it could not convert
        with open_snapshot(_home(ctx)) as con:  # a column an upgrade adds is "not found" until it is published
            _note_snapshot(_home(ctx), con)
        raise click.ClickException(visible_lines(str(exc))) from exc
    print_rows(result.columns, result.rows, as_json=as_json, as_csv=as_csv)
    if result.truncated:
        click.echo(f"(stopped at {max_rows} rows; raise --max-rows for more)", err=True)
    if note := reversed_pairs_note(query, [value for _, value in params]):
        click.echo(f"note: {note}", err=True)
    with open_snapshot(_home(ctx)) as con:
        _note_snapshot(_home(ctx), con)


def _note_snapshot(home: Home, con) -> None:
    """On stderr, after a query, an export or the alerts: what their answers are not, though an analyst would take
    them to be. Their counts mix tagger rule sets until `pactwatch retag` (as `status` and the dashboard say); the
    snapshot lacks the writer's newest runs when a publish failed; and it lacks what an upgrade adds until the next
    writing command migrates it (a query naming a new column fails without saying why)."""
    from .seeds import load_problem, retag_blocked, stale_tags_effect, tagger_version
    from .status import schema_note
    from .store.catalog import last_run, schema_versions
    from .store.queries import stored_tagger_versions
    from .store.snapshot import publish_failure

    current, stored = tagger_version(), stored_tagger_versions(con)
    if others := sorted(stored - {current}):
        blocked = f", {retag_blocked(problem)}" if (problem := load_problem()) else ""
        click.echo(f"note: {'some' if current in stored else 'the'} stored tags come from tagger version "
                   f"{', '.join(others)}, not this code's {current}: {stale_tags_effect(stored, current)} until "
                   f"`pactwatch retag` rebuilds them{blocked}", err=True)
    if failure := publish_failure(home):
        run_id, finished = last_run(con)
        as_of = f"run {run_id} (finished {finished})" if run_id is not None else "the last published state (no run)"
        # the record is a file in the home: what it says is printed as text, never as terminal controls
        click.echo(f"note: publishing failed at {tsv_field(str(failure['failed_at'] or 'an unknown time'))} "
                   f"({tsv_field(str(failure['error']))}): these answers stop at {as_of} and lack what the writer "
                   "committed since; once the cause is fixed, the next `pactwatch ingest` publishes it "
                   "(`pactwatch status --check`)", err=True)
    if note := schema_note(*schema_versions(con)):
        click.echo(note, err=True)


class WebhookUrl(click.ParamType):
    """An http(s) URL: a malformed webhook is a usage error at once, not only on the day an alert fires."""

    name = "url"

    def convert(self, value, param, ctx) -> str:
        from .notify import webhook_url_problem
        from .redact import redact_url

        problem = webhook_url_problem(str(value))
        if problem:  # named without its credentials, as a delivery failure names it
            self.fail(f"{redact_url(str(value))!r}: {problem}", param, ctx)
        return str(value)


@cli.command()
@click.option("--feeds", "feeds_file", type=click.Path(exists=True, dir_okay=False),
              help="Feed list to add/refresh first: our TOML or any reader's OPML (known feeds take the fields it "
                   "spells out, as with `feeds import-opml`). Default: seeds/feeds.toml when the warehouse has no "
                   "feeds yet.")
@click.option("--every", type=Duration(positive=True),
              help="Keep polling at this interval (e.g. 15m); SIGINT/SIGTERM/SIGHUP stop it after the run in "
                   "progress (event=stopping at once, event=stopped, exit 128+signal), a second one at once.")
@click.option("--interval", default="15m", show_default=True, type=Duration(positive=False),
              help="Base polling interval per feed (backoff grows from it; 0s: every feed at every run). It sets "
                   "each feed's next poll: a feed an earlier run scheduled waits until then.")
@click.option("--fetch-budget", default="10m", show_default=True, type=Duration(positive=True),
              help="Start no fetch after this long into a run: the feeds left (a slow host's backlog) are deferred to "
                   "the next run, still due. A run takes at most this plus one fetch's 60 s limit and the parsing.")
@click.option("--now", "poll_now", is_flag=True,
              help="Poll every enabled feed in this run whatever its schedule: the backoff (up to 24 h) every feed "
                   "built while our own network was down. A host's Retry-After pause still holds, and a gone feed "
                   "waits for `feeds enable`. A feed --fetch-budget leaves unasked is due at the next run, among "
                   "the first. With --every, the first run that stores its polls (its publish may fail: a later "
                   "period publishes it).")
@click.pass_context
def ingest(ctx: click.Context, feeds_file: str | None, every: float | None, interval: float,
           fetch_budget: float, poll_now: bool) -> None:
    """Poll every due feed once (cron/systemd friendly), store new articles with their tags, publish.

    Exits 0 when the run completed, even if some feeds failed (failures are recorded per feed);
    exits 75 when another run holds the home or another process has its warehouse.duckdb open; 130/143/129 when
    SIGINT/SIGTERM/SIGHUP stopped a single run (at once, storing nothing of it); non-zero when the run itself failed,
    or its publish did (its event=run line is logged, then "run N is stored; publishing failed": the next ingest
    publishes it). With --every, a signal stops it after the run in progress (a second one at once), a run a full
    disk failed is logged (event=failed) and the loop goes on,
    and each period tags with the seed files as they are then (event=seeds_changed after an edit; seeds that no
    longer load are logged, event=seeds_unreadable, and the last that loaded kept).

    \b
    Examples:
      pactwatch ingest                          # due feeds of the warehouse (seeds/feeds.toml at first)
      pactwatch ingest --feeds my-reader.opml   # add an OPML export, then poll
      pactwatch ingest --every 15m              # a long-running poller
      pactwatch ingest --now                    # every feed at once, after an outage of our own
    """
    from .feeds.feedlist import load_feed_list
    from .feeds.http import HttpConfig
    from .ingest import RunNotPublished, ingest_once
    from .seeds import load_tagger
    from .store.errors import storage_failure
    from .store.snapshot import PublishError

    home, period, base = _home(ctx), every, timedelta(seconds=interval)
    # Only a loop waits for the current run to finish; a single run stops at once (main() reports it).
    stopper = LoopStopper(_announce_stop) if period is not None else None
    if feeds_file:
        load_feed_list(feeds_file)  # a list with a mistake is refused before the home is created or locked
    tagger, config = load_tagger(), HttpConfig(fetch_budget=fetch_budget)
    failures_in_a_row = 0
    while True:
        if stopper is not None and not stopper.run_may_start():
            click.echo(logfmt("stopped", signal=stopper.asked.name), err=True)
            ctx.exit(signal_exit_code(stopper.asked))
        tagger = _tagger_now(tagger) if period is not None else tagger
        try:
            summary, idle = ingest_once(home, tagger, feeds_file, base_interval=base, config=config,
                                        poll_now=poll_now, on_result=_fetch_logger(), on_event=_log_event)
        except HomeLocked as exc:
            if period is None:
                raise
            # A long-running poller outlives a retag, an import, a weekly compact or an analyst's connection to the
            # writer file: it tries again next period.
            click.echo(logfmt("skipped", reason="locked", detail=str(exc)), err=True)
        except Exception as exc:
            if isinstance(exc, RunNotPublished):  # stored: the log counts it, though readers see it after a publish
                _log_run(exc.summary, None)
            # A loop outlives a run that storage failed (a full disk, a publish that could not be written): the run
            # was rolled back or its snapshot left as it was, and a later period, once space is back, stores and
            # publishes it. It never gives up, however many fail in a row: stopping would end polling for good over
            # what an operator fixes without touching the service (`in_a_row` is there to alert on). A single run
            # exits as before, and so does anything else, a bug with its traceback: it would fail every period.
            if period is None or (failure := storage_failure(exc)) is None:
                raise
            failures_in_a_row += 1
            click.echo(logfmt("failed", reason="storage", detail=str(failure), in_a_row=failures_in_a_row), err=True)
            # A publish fails after its run's commit: the schedule the run set is stored, --now is spent, and only the
            # snapshot is behind (a later period publishes it). Kept on, --now polled every feed again every period.
            poll_now = poll_now and not isinstance(exc, PublishError)  # `failure` is the cause it wraps
        else:
            # a skipped run stored no schedule, nor did one storage failed before its commit: --now holds till now
            failures_in_a_row, poll_now = 0, False
            _log_run(summary, idle)
        if stopper is None:
            return
        stopper.wait(period)


def _announce_stop(sig) -> None:
    """The loop's line for a first stop signal, written from the handler: straight to the descriptor, as the run may be
    inside a write to sys.stderr, which a second write through it would interrupt (RuntimeError: reentrant call)."""
    os.write(2, (logfmt("stopping", signal=sig.name, after="current_run") + "\n").encode())


def _tagger_now(tagger):
    """The tagger of the seed files as they are now: a poller that kept its first seeds stamped every later article
    with their version, undoing each `retag` after an edit. Seeds that no longer load keep the loop on the last ones
    that did (news is still stored; `status --check` names the problem)."""
    from .seeds import SeedError, load_tagger

    try:
        current = load_tagger()
    except SeedError as error:
        click.echo(logfmt("seeds_unreadable", detail=str(error), kept=tagger.version), err=True)
        return tagger
    if current is not tagger:
        click.echo(logfmt("seeds_changed", tagger_version=current.version, was=tagger.version), err=True)
    return current


def _log_event(event: str, **fields) -> None:
    click.echo(logfmt(event, **fields), err=True)


def _log_run(summary, idle: dict | None) -> None:
    if sys.stderr.isatty():
        click.echo(err=True)  # below the last `\r` progress line, not appended to it
    if summary is None:
        click.echo(logfmt("idle", **idle), err=True)
        return
    click.echo(logfmt("run", run_id=summary.run_id, feeds=summary.feeds_polled,
                       not_modified=summary.not_modified, failures=summary.failures, deferred=summary.deferred,
                       new=summary.new_articles, undated=summary.undated, duplicates=summary.duplicates,
                       revised=summary.revised, seconds=summary.seconds, publish_seconds=summary.publish_seconds,
                       publish_copy=summary.publish_copy), err=True)


def _fetch_logger():
    """Logs each feed's `fetches` row as recorded (a body that is no feed says "rejected", as the table does)."""
    if sys.stderr.isatty():
        return lambda fetch: click.echo(f"\r{fetch['outcome']:>12} {fetch['feed_id']:<40}", err=True, nl=False)
    return lambda fetch: click.echo(
        logfmt("fetch", feed=fetch["feed_id"], outcome=fetch["outcome"], status=fetch["status_code"],
                ms=round(fetch["ms"] or 0), bytes=fetch["bytes"], entries=_parsed_entries(fetch),
                **_fetch_problem(fetch)), err=True)


def _parsed_entries(fetch: dict) -> int | None:
    """Entries of a parsed document (`entries=0`: the feed answered with none); left out where nothing was parsed
    (not_modified, unchanged, failures), whose stored 0 says nothing of the feed."""
    return fetch["entries"] if fetch["outcome"] == "ok" else None


def _fetch_problem(fetch: dict) -> dict:
    """A successful fetch's error field holds the parser's complaint about a feed it read anyway: logged as
    `warning=`, so a grep for `error=` finds the feeds that failed."""
    from .feeds.models import SUCCESS_OUTCOMES

    return {"warning" if fetch["outcome"] in SUCCESS_OUTCOMES else "error": fetch["error"]}


@cli.group()
def feeds() -> None:
    """List, add, disable and exchange (OPML) the feeds the warehouse polls.

    \b
    Examples:
      pactwatch feeds list --json
      pactwatch feeds check my-feeds.toml
      pactwatch feeds add https://example.org/rss --id example --outlet "Example News" --country GBR
      pactwatch feeds import-opml my-reader.opml
      pactwatch feeds export-opml > pactwatch.opml
    """


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def feeds_list(ctx: click.Context, as_json: bool) -> None:
    """Feeds with their health, from the published snapshot (works while an ingest runs).

    \b
    health is the first that holds: gone, disabled, failing (3+ failures in a row), paused (its server asked for a
    pause, a 429 or Retry-After, that lasts till pause_until), degraded (1-2), never polled,
    empty (its last 3+ successful fetches served no entries), stale (no new article for 3 times its usual gap,
    4 to 30 days), healthy; health_reason says why. outlet: what its articles are cited under (its id when the
    feed was given neither outlet nor name).

    \b
    Example:
      pactwatch feeds list --json | jq '.[] | select(.health != "healthy")'
    """
    from .store.catalog import feed_list
    from .store.reader import NoSnapshot, open_snapshot

    try:
        with open_snapshot(_stored_home(ctx, "no feed to list", reads_snapshot=True)) as con:
            rows = feed_list(con)
    except NoSnapshot:
        rows = []
    if as_json:
        echo_json([{"id": row["feed_id"], **row} for row in rows])
        return
    # the error last and cut short: a mistyped URL's 404 must show without --json, and must not bury the table;
    # health_reason beside health: an empty or stale feed has no error to tell why
    shown = ("feed_id", "health", "health_reason", "last_status", "consecutive_failures", "last_success_at", "url",
             "outlet", "last_error")
    print_rows(list(shown), [(*(row[c] for c in shown[:-1]), _clipped(row["last_error"])) for row in rows],
                as_json=False, as_csv=False)


def _clipped(text: str | None, limit: int = 100) -> str | None:
    return text if text is None or len(text) <= limit else text[:limit - 1] + "…"


@feeds.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def feeds_check(path: str, as_json: bool) -> None:
    """Check a feed list (our TOML or any reader's OPML) as `ingest --feeds` and `feeds import-opml` would read it,
    without a home: exit 1 naming every problem, else how many feeds it holds. For the repository that keeps an
    organisation's list, before a cron job reads it; feeds given no outlet (nor name) are named: their articles
    would be cited under their ids.

    \b
    Example:
      pactwatch feeds check my-feeds.toml && pactwatch ingest --feeds my-feeds.toml
    """
    from .feeds.feedlist import given_no_outlet, load_feed_list

    specs = load_feed_list(path)
    unnamed = sorted(given_no_outlet(specs))
    enabled = sum(spec.enabled for spec in specs)
    if as_json:
        echo_json({"path": path, "feeds": len(specs), "enabled": enabled, "without_outlet": unnamed})
        return
    click.echo(f"{path}: {len(specs)} feeds, {enabled} enabled")
    for feed_id in unnamed:
        click.echo(f"warning: {feed_id} has no outlet: its articles would be cited under its id; give it outlet = "
                   "\"NAME\"", err=True)


@feeds.command("add")
@click.argument("url")
@click.option("--id", "feed_id", required=True, help="Stable feed id (lower-case letters, digits, . _ -).")
@click.option("--name", help="Feed name (default: the id).")
@click.option("--outlet", help="Outlet its articles are cited under (default: the name, else the id, which is warned "
                                 "of).")
@click.option("--country", "outlet_country", help="Outlet ISO3 country, e.g. GBR.",
              callback=lambda ctx, param, value: value and _iso3_codes((value,), param)[0])
@click.option("--language", help="BCP 47 tag such as de or pt-BR (default: what the feed declares, else read "
                                 "from each article's words). Topics and cues are tagged in English text only.")
@click.pass_context
def feeds_add(ctx: click.Context, url: str, feed_id: str, name: str | None, outlet: str | None,
              outlet_country: str | None, language: str | None) -> None:
    """Add one feed, or refresh one the warehouse knows; the next `pactwatch ingest` polls it (unless disabled).

    Refreshing an id gives it this URL and the options given here; the options left out keep their
    stored values. A new URL is polled at the next run, its predecessor's backoff and validators forgotten;
    the URL the feed was added with, once a permanent redirect moved it, is not new: the move stays.

    Without --outlet (or --name) its articles are cited under the id, and a warning says so: the feed's own
    title is not taken for an outlet. Given later, the outlet names the articles stored from then on (so does a
    name given later, to a feed cited under its id).

    \b
    Example:
      pactwatch feeds add https://www.nknews.org/feed/ --id nknews --outlet "NK News" --country KOR
    """
    from .feeds.feedlist import FeedListError, given_no_outlet, local_path, validated_specs
    from .ingest import refuse_demo_home, register_feed_specs

    options = {"name": name, "outlet": outlet, "outlet_country": outlet_country and outlet_country.upper(),
               "language": language}
    entry = {"id": feed_id, "url": url, **{key: value for key, value in options.items() if value is not None}}
    try:
        spec, = validated_specs([entry], "feeds add")
    except FeedListError as exc:  # the command line's values: a usage error, exit 2, as a --country unknown is
        raise click.UsageError(str(exc), ctx) from exc

    def register(warehouse) -> tuple[set[str], list[dict]]:
        refuse_demo_home(_home(ctx), warehouse, f"the articles of {spec.feed_id}")
        return register_feed_specs(warehouse, [spec]), warehouse.feed_rows()

    refreshed, rows = _with_writer(ctx, register)
    enabled = next(row["enabled"] for row in rows if row["feed_id"] == spec.feed_id)
    click.echo(f"{'refreshed' if refreshed else 'added'} {spec.feed_id}"
               + ("" if enabled else f" (disabled: `pactwatch feeds enable {spec.feed_id}` to poll it)"))
    _warn_of_shared_urls(rows, {spec.feed_id})
    _warn_of_no_outlet(rows, given_no_outlet([spec]))
    path = local_path(spec.url)
    if path is not None and not path.is_file():  # kept: a replay may write it later
        # the path is decoded from the URL: its %0A or %1B would forge a log line or drive the terminal
        click.echo(f"warning: {tsv_field(str(path))} is not a file (yet): each poll of {spec.feed_id} records an "
                   "error until it is", err=True)


@feeds.command("disable")
@click.argument("feed_id")
@click.pass_context
def feeds_disable(ctx: click.Context, feed_id: str) -> None:
    """Stop polling a feed (kept, visible as disabled in feed health).

    \b
    Example:
      pactwatch feeds disable nknews
    """
    _stored_home(ctx, "no feed to disable")
    if not _with_writer(ctx, lambda w: w.set_feed_enabled(feed_id, False), publish_if=bool):
        raise click.ClickException(f"no feed with id {feed_id!r}")
    click.echo(f"disabled {feed_id}")


@feeds.command("enable")
@click.argument("feed_id")
@click.pass_context
def feeds_enable(ctx: click.Context, feed_id: str) -> None:
    """Resume polling a disabled feed, or give a gone one (it answered HTTP 410) another try.

    A gone feed is never polled again on its own: enabling it clears gone and makes it due, so the next
    `pactwatch ingest` asks its URL again (another 410 marks it gone again).

    \b
    Example:
      pactwatch feeds enable nknews
    """
    _stored_home(ctx, "no feed to enable")
    was_gone = _with_writer(ctx, lambda w: w.enable_feed(feed_id), publish_if=lambda gone: gone is not None)
    if was_gone is None:
        raise click.ClickException(f"no feed with id {feed_id!r}")
    click.echo(f"enabled {feed_id}" + ("; it had answered 410 Gone: no longer gone, polled again at the next run"
                                       if was_gone else ""))


@feeds.command("import-opml")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def feeds_import_opml(ctx: click.Context, path: str) -> None:
    """Add every feed of an OPML file (the format every feed reader exports) or of our TOML feed list.

    A feed the warehouse already knows (same id) takes the URL and the fields the file spells out
    (`enabled` included); the fields it leaves out keep their stored values. An OPML outline without our
    pactwatch:id gets an id made up from its title: that of the stored feed with its URL, if any, and never
    that of a different feed (a free one instead).

    \b
    Example:
      pactwatch feeds import-opml ~/Downloads/feedly.opml
    """
    from .feeds.feedlist import ids_held_elsewhere, load_feed_list
    from .ingest import refuse_demo_home, register_feed_list

    specs = load_feed_list(path)

    def register(warehouse) -> tuple[dict[str, str], list[str], list[dict]]:
        refuse_demo_home(_home(ctx), warehouse, f"the articles of the feeds of {Path(path).name}")
        stored_before = {row["feed_id"]: row["url"] for row in warehouse.feed_rows()}
        return stored_before, sorted(register_feed_list(warehouse, specs, "import-opml", _log_event)), \
            warehouse.feed_rows()

    stored_before, refreshed, rows = _with_writer(ctx, register)
    click.echo(f"imported {len(specs)} feeds: {len(specs) - len(refreshed)} new, {len(refreshed)} refreshed"
               + (f" ({_first_few(refreshed)})" if refreshed else ""))
    _warn_of_shared_urls(rows, {spec.feed_id for spec in specs})
    polled = {row["feed_id"] for row in rows if row["enabled"] and not row["gone"]}
    for new_id, held_id in ids_held_elsewhere(specs, stored_before, rows):
        if held_id in polled:  # a disabled or gone feed polls its old URL no more: nothing to do
            click.echo(f"warning: {new_id} is new, at another URL than {held_id}, which its title names too; if "
                       f"{held_id} moved there, `pactwatch feeds disable {held_id}` (it goes on polling its old URL)",
                       err=True)


def _warn_of_no_outlet(rows: list[dict], unnamed: set[str]) -> None:
    """A feed given no outlet (nor name), now or before, is cited under its id: say so, and how to name it."""
    from .feeds.feedlist import cited_under_their_ids

    for feed_id in cited_under_their_ids(rows, unnamed):
        click.echo(f"warning: {feed_id} has no outlet: its articles are cited under its id; add it again with "
                   "--outlet NAME (the feed's own title is not taken for one)", err=True)


def _warn_of_shared_urls(rows: list[dict], touched: set[str]) -> None:
    """Name the enabled feeds that now poll one URL under two ids (the articles are stored once; the fetches are
    not), where one of them is a feed just added or refreshed."""
    from .feeds.feedlist import feeds_sharing_a_url

    for ids in feeds_sharing_a_url(rows):
        if touched & set(ids):
            click.echo(f"warning: feeds {', '.join(ids)} poll the same URL; `pactwatch feeds disable ID` all but one",
                       err=True)


@feeds.command("export-opml")
@click.pass_context
def feeds_export_opml(ctx: click.Context) -> None:
    """Write the warehouse's feeds as OPML to standard output, all but local (file:) ones, named on stderr.

    URLs are written as the poller uses them, credentials included (a password, ?apikey=…): this is the owner
    moving the list to another reader, so they are read from the writer file, not the published copy, which masks
    them; stderr says how many carry some. Exits 75 while a writing command (an ingest) runs.

    \b
    Example:
      pactwatch feeds export-opml > pactwatch.opml
    """
    from .feeds.feedlist import export_opml
    from .feeds.models import FeedSpec
    from .redact import carries_credentials
    from .store.catalog import WriterBusy, WriterUnreadable, writer_feed_list

    try:
        rows = writer_feed_list(_stored_home(ctx, "no feed to export"))
    except WriterBusy as exc:
        raise HomeLocked(str(exc)) from exc
    except WriterUnreadable as exc:
        raise click.ClickException(str(exc)) from exc
    specs = [FeedSpec.from_row(row) for row in rows]
    document, local = export_opml(specs)
    click.echo(document)
    if local:
        click.echo(f"left out {len(local)} local feed(s) ({_first_few([spec.feed_id for spec in local])}): OPML may "
                   "not carry file: URLs, which importing it would refuse", err=True)
    if carrying := sum(carries_credentials(spec.url) for spec in specs if spec not in local):
        click.echo(f"{carrying} feed URL(s) carry credentials (a password or a secret parameter such as apikey=), "
                   "written as they are: keep this file private", err=True)


def _first_few(names: list[str], shown: int = 5) -> str:
    """Names for a one-line message: the first `shown`, then an ellipsis."""
    return ", ".join(names[:shown]) + (", …" if len(names) > shown else "")


def _with_writer(ctx: click.Context, action, publish_if=lambda result: True, wait: float = 0.0):
    """Run `action(warehouse)` under the writer lock (waited for up to `wait` seconds), then publish so readers see
    the change (when `publish_if(result)`: a snapshot is a copy of the whole file, not worth making for no change)."""
    from .store.snapshot import PublishError, publish
    from .writer import open_writer

    home = _home(ctx)
    with home.writer_lock(wait), open_writer(home) as warehouse:
        result = action(warehouse)
        if publish_if(result):
            try:
                publish(warehouse.con, home)
            except PublishError as exc:  # the change is committed: say so, or it reads as refused and is made again
                raise click.ClickException(f"the change is saved in the warehouse; {exc}; readers see it after the "
                                           "next publish (`pactwatch ingest` publishes)") from exc
    return result


@cli.command()
@click.option("--input", "input_path", required=True,
              type=click.Path(exists=True, dir_okay=False, allow_dash=True),
              help="JSONL rows {id, title, text, published?, language?}; - reads standard input.")
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="JSONL rows {id, countries, focus, pairs, topics, mentions, ...}; - writes standard output.")
@click.pass_context
def tag(ctx: click.Context, input_path: str, output_path: str) -> None:
    """Tag your own archive: one output row per non-blank input line, same order, streaming (bounded memory).

    `pairs` are the pairs of the row's focus countries (what `pactwatch eval` scores); `pair_sentences` hold
    each pair of countries named in one sentence, with the sentence, its topics and cue. The warehouse's
    article_pairs, which the dashboard counts, hold both.

    The topic and cue lexicons are English: a row whose language (a BCP 47 tag such as "de") is not English
    gets countries, focus and pairs but no topics and no cues. A line that cannot be tagged (not a JSON object;
    a title, text or language that is not a string; longer than 16 MiB) gets an error row {id, line, error} in
    its place and is reported on stderr (the first 20); the run goes on, and exits with 1.

    \b
    Example:
      pactwatch tag --input archive.jsonl --output tags.jsonl
      zcat archive.jsonl.gz | pactwatch tag --input - --output - | jq -c .pairs
      pactwatch tag --input archive.jsonl --output - | jq -c '.pair_sentences[] | [.a, .b, .cue, .sentence]'
    """
    from .seeds import load_tagger
    from .tag_files import STDIO, tag_jsonl

    # The paths are kept as typed: "./-" is a file named "-", only a bare "-" is standard input or output. Opening
    # the output would empty the input.
    files = STDIO not in (input_path, output_path)
    if files and Path(output_path).exists() and Path(output_path).samefile(input_path):
        raise click.UsageError("--output must not be the --input file")
    if output_path != STDIO:
        _refuse_a_home_file(ctx, Path(output_path))
    summary = tag_jsonl(input_path, output_path, load_tagger())
    if summary.error_count:  # the count is why it fails: the `ts=… pactwatch:` line every failing command ends on
        _echo_first_errors(summary.errors)
        raise click.ClickException(_how_many(summary.errors, summary.error_count,
                                             f"of {summary.rows:,} rows not tagged (error rows written in their place)"))


def _echo_first_errors(errors: list[str], count: int = 0, what: str = "") -> None:
    """The first errors one per line, then how many there were (`count` of them are `what`): a bad file is found by its
    line numbers."""
    for error in errors:
        click.echo(error, err=True)
    if count:
        click.echo(_how_many(errors, count, what), err=True)


def _how_many(errors: list[str], count: int, what: str) -> str:
    more = count - len(errors)
    return f"{count:,} {what}" + (f"; {more:,} more not shown" if more > 0 else "")


@cli.command("eval")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="Labelled corpora folder (default: ../shared/data next to a git checkout; an install passes it).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output: rows {measure, system, value, n, "
              "target, met, tagger_version (on our rows)}.")
@click.option("--check", is_flag=True, help=f"Exit {EXIT_TARGET_MISSED} when a measure misses its target.")
@click.option("--against", "earlier_path", type=click.Path(dir_okay=False, exists=True),
              help=f"An earlier `eval --json` output: list the measures that moved since (on stderr with --json) and "
                   f"exit {EXIT_TARGET_MISSED} when one is worse, as after a seed edit.")
def evaluate(data_dir: str | None, as_json: bool, check: bool, earlier_path: str | None) -> None:
    """Score the tagger on the labelled corpora and on hand-labelled real pair sentences; print a table.

    The dev splits of Reuters-21578 (country focus and pairs, the trade topic, military and tourism false
    positives on earnings and takeover stories), geoparsing_news (named countries) and re3d_defence (military
    recall), then hand labels of the captured real feeds' pair sentences, topics and languages (eval/README.md).
    Each row: the measure, the system (pactwatch, or the pycountry-names baseline on the country measures), its
    value, its target (>= a floor, <= a ceiling; the issue's targets, on our rows only), whether it is met, and n,
    what it counts. The last line says which targets are missed. About half a minute; docs/accuracy.md keeps the
    current numbers and why each one stands.

    \b
    Example:
      pactwatch eval
      pactwatch eval --json | jq '.[] | select(.met == false)'
      pactwatch eval --json > before.json   # then edit seeds/, and:
      pactwatch eval --against before.json
    """
    from .evaluate import (changes_against, format_changes, format_table, missed_targets, missing_corpora, run_eval,
                           tagger_of)

    folder = Path(data_dir) if data_dir else SHARED_DATA
    if problem := missing_corpora(folder):
        raise click.ClickException(problem)
    earlier = _earlier_eval(Path(earlier_path)) if earlier_path else None
    rows = run_eval(folder)
    click.echo(json.dumps(rows, indent=2) if as_json else format_table(rows))
    changes = changes_against(rows, earlier) if earlier is not None else []
    if earlier is not None:
        click.echo(format_changes(changes, earlier_path, (tagger_of(earlier), tagger_of(rows))), err=as_json)
    if check and missed_targets(rows) or any(worse for _, _, worse in changes):
        sys.exit(EXIT_TARGET_MISSED)


def _earlier_eval(path: Path) -> list[dict]:
    """The rows of an earlier `eval --json`, refused before the half-minute of scoring when they are not."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(rows, list) and all({"measure", "system", "value"} <= set(row) for row in rows):
            return rows
    except (ValueError, TypeError, OSError):
        pass
    raise click.BadParameter(f"{path} is not the output of `pactwatch eval --json`", param_hint="--against")


@cli.command()
@click.pass_context
def retag(ctx: click.Context) -> None:
    """Recompute every derived table from the stored articles with the current gazetteer and lexicons.

    The new tags replace the old ones in one transaction and are published as a new snapshot. The JSON printed (and
    kept in runs.details) says what changed: the versions replaced; how many articles' countries, focus, pairs,
    topics and pair topics differ (articles_changed; pair_topics: the topics each pair counts under, as
    v_pair_topic_daily and the alerts count them) and how many pair sentences' topics and cues (sentences_changed);
    the ten countries, pairs, topics and pairs x topics gaining or losing the most articles
    (country_articles_changed, pair_articles_changed, topic_articles_changed, pair_topic_articles_changed: "IRN-USA
    military", "IRN-USA (none)" for no topic) and pairs x topics and pairs x cues the most pair sentences
    (pair_topic_sentences_changed, pair_cue_sentences_changed: "PRK-RUS cooperation"); and, as an ingest run's log
    line, what publishing took (publish_seconds, the compaction included) and how the readers' copy was written
    (publish_copy).

    \b
    Example:
      pactwatch retag
    """
    from .retag import retag as run_retag
    from .seeds import load_tagger
    from .writer import open_writer

    home = _stored_home(ctx, "nothing to retag")
    tagger = load_tagger()
    with home.writer_lock(), open_writer(home) as warehouse:
        with click.progressbar(length=warehouse.article_count(), label="retagging", file=sys.stderr) as bar:
            result = run_retag(home, warehouse, tagger, on_progress=bar.update)
    echo_json(result)


@cli.command()
@click.option("--min-free", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Only when at least this share of the file is free blocks.")
@click.option("--keep-fetches", type=Duration(positive=True, at_most=(KEEP_FETCHES_MOST_DAYS * 86400, "ten years")),
              help="First delete the fetch log's rows (one a feed a run) older than this, e.g. 90d, but those a "
                   "feed's health and history read; when it deletes any, the file is then rewritten whatever "
                   "--min-free says. Default: keep every fetch.")
@WAIT_OPTION
@click.pass_context
def compact(ctx: click.Context, min_free: float, keep_fetches: float | None, wait: float) -> None:
    """Rewrite the warehouse file without its free blocks (DuckDB never gives them back), then publish it (a
    file with nothing to reclaim, or less than --min-free, is left as it is and nothing is published).

    Deleted and replaced rows leave free blocks that every snapshot copies; `retag`, `import` and `demo` compact
    by themselves when at least a fifth of the file is free. `pactwatch status` shows the share.

    The fetch log grows by a row a feed a run (2.1M a year for 60 feeds every 15 minutes), and `backup`, `compact`
    and a publish that masks credentials copy it whole. --keep-fetches 90d deletes the fetches older than 90 days,
    in one transaction, but for each feed its last 50 fetches (the Feeds page's history), its last fetch that served
    entries and every one after it (what feed health reads: `feeds list`, `status` and the Feeds page say the same
    after it), and its first fetch and first fetch by an ingest (the day it was added, in Trends' feed changes).
    v_feed_daily's days before the cut-off then count only the fetches kept. The JSON adds fetches_dropped and
    fetches_kept. Runs are kept.

    \b
    Example:
      pactwatch compact --min-free 0.2
      pactwatch compact --keep-fetches 90d
    """
    _stored_home(ctx, "nothing to compact")
    before = datetime.now(UTC) - timedelta(seconds=keep_fetches) if keep_fetches else None
    echo_json(_with_writer(ctx, lambda warehouse: warehouse.compact(min_free_share=min_free, fetches_before=before),
                            publish_if=lambda report: report["compacted"], wait=wait))


@cli.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a file already at TARGET.")
@WAIT_OPTION
@click.pass_context
def backup(ctx: click.Context, target: Path, force: bool, wait: float) -> None:
    """Write a consistent copy of the warehouse to TARGET: every article, tag, run and feed, the feeds' credentials
    included (so it is readable by its owner only). Restore it with `pactwatch restore`.

    It copies the warehouse file as it is and never migrates it: after an upgrade, a backup taken before the new
    version's first writing command is the way back to the old version (its `schema_version` is the old one, and
    `schema_note` says `restore` migrates it). It takes the writer lock as a run does: while an ingest runs it
    exits 75, writing nothing, at once or after --wait (a nightly job: `--wait 20m` waits out the ingest its minute
    may fall on). TARGET appears whole or not at all. The published snapshot is no backup: it masks the
    credentials the poller needs. In a home this user may not write (a read-only mount, another user's home) it
    takes the readers' lock instead, keeping writers out as `status` does; `made_from` in its output says which.
    The copy is written in `.TARGET.partial-PID` beside TARGET: a backup killed outright leaves it, and the next
    backup to that folder removes it.

    \b
    Example:
      pactwatch backup /srv/backups/pactwatch-$(date +%F).duckdb
    """
    from .store.backup import write_backup

    home = _stored_home(ctx, "nothing to back up")
    _refuse_a_home_file(ctx, target, named="TARGET")
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists: pass --force to replace it")
    if not home.writable():  # the writer lock would fail: the readers' lock keeps writers out as well
        with home.reader_lock(wait=wait):
            echo_json(write_backup(home.writer_db, target, this_user_writes=False))
        return
    with home.writer_lock(wait):
        echo_json(write_backup(home.writer_db, target))


@cli.command()
@click.argument("source", metavar="BACKUP", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the warehouse this home holds (its articles, tags and feeds).")
@click.pass_context
def restore(ctx: click.Context, source: Path, force: bool) -> None:
    """Make a `pactwatch backup` file the home's warehouse, and publish it for readers.

    The backup is checked and copied into the home before the warehouse is replaced, so a file that is not a
    readable PactWatch warehouse changes nothing. One written by an older version is migrated (`retag` then brings
    its tags up to date); one written by a newer version is refused. Articles stored after the backup are lost:
    the next ingest stores again those its feeds still carry.

    \b
    Example:
      pactwatch restore /srv/backups/pactwatch-2026-12-01.duckdb --force
    """
    from .store.backup import restore_backup
    from .writer import log_migration
    from .store.snapshot import PublishError, publish
    from .store.warehouse import Warehouse

    home = _home(ctx)
    if home.writer_db.exists() and not force:
        raise click.UsageError(f"{home.root} holds a warehouse: pass --force to replace it with the backup")
    if home.keeps(source):
        raise click.UsageError(f"{source} is part of the home {home.root}: restore a backup kept elsewhere")
    with home.ensure().writer_lock():
        report = restore_backup(source, home.writer_db)
        if report["migrated_from"]:
            log_migration(report["migrated_from"], report["schema_version"])
        with Warehouse(home.writer_db) as warehouse:  # the backup's copy, migrated by restore_backup
            try:
                publish(warehouse.con, home)
            except PublishError as exc:
                raise click.ClickException(
                    f"the warehouse was restored from {source}, but {exc}: readers see the data before it until a "
                    "publish succeeds (`pactwatch ingest` publishes it, due feeds or none; `status` says "
                    "snapshot_behind)") from exc
    echo_json(report)


@cli.command()
@click.option("--articles", default=20_000, show_default=True, type=click.IntRange(min=1), help="Corpus size (streams to 1M with bounded memory).")
@click.option("--seed", default=7, show_default=True, help="Random seed: same seed and end date, same corpus.")
@click.option("--end-date", type=click.DateTime(formats=["%Y-%m-%d"]), callback=lambda ctx, param, value:
              _demo_end_date(value, param),
              help="The day the corpus ends, itself left out: its last day is the day before (default today, so "
                   "the last day is yesterday, whole; 2000-01-01 at the earliest). It covers the 24 months before, or "
                   "from covers_from in seeds/demo/scenario.toml when that is earlier (the June 2024 summit).")
@click.option("--force", is_flag=True, help="Also into a home holding real articles (all then labelled demo).")
@click.option("--unless-done", is_flag=True,
              help="Leave alone a home showing a finished demo or holding data of its own (what `make run` runs); "
                   "a demo stopped before its end is built again from the start.")
@click.pass_context
def demo(ctx: click.Context, articles: int, seed: int, end_date, force: bool, unless_done: bool) -> None:
    """Write the offline demo corpus (RSS files from our own templates) and ingest it like any feed.

    The dashboard labels demo data as demo. Injected spikes are listed in <home>/demo/manifest.json.
    The demo feeds are registered disabled: `pactwatch ingest` does not poll them. A home that already
    holds real articles or enabled feeds is refused (the demo would be mixed in and label them demo) unless --force.
    A home holding a demo alone gets a new demo in place of that one (`event=demo found=... then=built-again`), never
    one continued on another day's corpus. The warehouse records whether the demo finished (`pactwatch status`:
    demo_state started or finished). With --unless-done a home showing a finished demo, or holding feeds or runs of
    its own, is left as it is (exit 0, `event=demo found=... then=kept`; `then=published` for a finished demo that a
    stop kept from its last snapshot), and one a stopped demo left part-loaded gets a new demo in place of that one.

    \b
    Examples:
      pactwatch demo
      pactwatch --home /tmp/big demo --articles 1000000
    """
    from .demo_home import DEMO_ALONE, STOPPED_DEMO_ONLY, Then, kept_as_published, settle_writer
    from .ingest import build_demo
    from .seeds import load_tagger
    from .store.queries import is_demo
    from .writer import open_writer

    if force and unless_done:
        raise click.UsageError("--unless-done leaves a home holding data of its own alone, --force writes into it: "
                               "give one")
    home = _home(ctx)
    if unless_done and (found := kept_as_published(home)):
        _say_found(home, found, Then.KEPT)
        return
    with home.writer_lock():
        found, then = settle_writer(home, STOPPED_DEMO_ONLY if unless_done else DEMO_ALONE)
        if unless_done or then is Then.BUILT_AGAIN:  # plain `demo` goes on with data of its own: refused, or --force
            _say_found(home, found, then)
        if unless_done and found.kept:
            return
        with (open_writer(home, over_published=then is Then.BUILT_AGAIN) as warehouse,
              _told_if_stopped(warehouse, "demo") as done):
            if not is_demo(warehouse.con) and not force:
                _refuse_a_real_home(home, warehouse)
            # the build takes half a minute and `make run` serves nothing until it ends: say what is happening
            click.echo(logfmt("demo", building=f"{articles} articles", home=str(home.root)), err=True)
            build_demo(home, warehouse, load_tagger(), articles=articles, seed=seed,
                       end_date=end_date.date() if end_date else None)
            click.echo(logfmt("demo", **done(), home=str(home.root)), err=True)


def _say_found(home: Home, found: Found, then: Then) -> None:
    """What `demo` found (demo_home.Found) and did with it (demo_home.Then), when it leaves the home as it is,
    publishes it or builds the demo again; an empty home goes without saying."""
    from .demo_home import Found

    if found is not Found.NOTHING:
        click.echo(logfmt("demo", found=found.value, then=then.value, home=str(home.root)), err=True)


def _refuse_a_real_home(home, warehouse) -> None:
    """A home with real articles, or with feeds that ingest polls, would be labelled demo as a whole."""
    real, polled = warehouse.article_count(), len(warehouse.feed_rows(enabled_only=True))
    if real or polled:
        holds = (f"{real:,} real articles" if real
                 else f"{polled:,} enabled feeds (ingest would label their articles demo)")
        raise click.ClickException(f"{home.root} holds {holds}: the demo would mix synthetic articles in and label the "
                                   "whole warehouse demo; use another --home (or --force)")


@contextmanager
def _told_if_stopped(warehouse, event: str, counts: Callable[[], dict] = dict):
    """A bulk load stopped early (Ctrl-C, a failure) publishes the runs it committed; say how far it got, when it
    got anywhere (else the error alone says it all). Yields what the load has done: the runs it committed, as
    the warehouse has them (a signal right after a commit must not leave that run out), and `counts`."""
    first_run = warehouse.next_run_id()

    def done() -> dict:
        return {**warehouse.runs_since(first_run), **counts()}

    try:
        yield done
    except click.ClickException:
        raise  # our own message already says what happened
    except BaseException:
        if (progress := done())["runs"]:
            click.echo(logfmt(event, stopped="early", **progress), err=True)
        raise


@cli.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(min=1),
              help="Records per committed run.")
@click.option("--force", is_flag=True, help="Also into the demo's home (all articles then labelled demo).")
@click.pass_context
def import_(ctx: click.Context, path: Path, batch_size: int, force: bool) -> None:
    """Backfill an archive: JSONL, CSV or Parquet with columns id, title, text, url, published, source and
    optionally language (a BCP 47 tag; a record in another language than English gets countries and pairs, no
    topics and no cues).

    Records go through the same cleaning, dedup and tagging as feed entries; each `source` becomes a
    disabled feed named import-<source>, so the feed health page never polls it. A file `export --table articles`
    wrote reads back as it is (its guid and key_scope as id and source, else its outlet as source): into a fresh
    home, each article under the article_id it had. A record's `id` is its identity
    within its `source`: a record whose id is stored already (or met earlier in the file) with another title or
    text is skipped and counted as id_reused, the first 20 named by line. Records with none of title, text
    and url are counted as rejected, the first 20 named by line or row; a file that yields not one record (empty, a
    JSON array, no such column, text that is not UTF-8) exits 1.
    The demo's home is refused (its articles would all be labelled demo) unless --force. `published` is read
    as ISO 8601, RFC 822, a date with its month in words ("1 May 2024", "May 1, 2024", "26-FEB-1987
    15:01:01.79") or a Parquet timestamp or date, never "01/05/2024" (day or month first?); a record without a
    usable one (none, unreadable, or more than a day ahead) is counted as undated and filed under the day of the
    import, the first 20 unreadable ones named. The date is stored as written too (articles.published_as_written).
    Each committed run prints an event=import_progress line (records read so far), the end an event=import line,
    which ends as an ingest run's does: publish_seconds= and publish_copy= of its last publish (compaction included).

    \b
    Example:
      pactwatch import archive-2023.parquet
    """
    from .importer import ArchiveFormatError, ImportReport, UnknownFormat, import_file, require_importable
    from .ingest import refuse_demo_home
    from .seeds import load_tagger
    from .writer import open_writer

    home = _home(ctx)
    report = ImportReport()
    try:
        require_importable(path)  # before the home is opened: a mistyped file must not leave a new home behind
    except UnknownFormat as exc:  # a usage error (exit 2), as a file that does not exist is
        raise click.UsageError(str(exc), ctx) from exc
    except ArchiveFormatError as exc:
        raise click.ClickException(str(exc)) from exc

    def records_left_out() -> dict:
        return {"rejected": report.rejected, "undated": report.undated, "id_reused": report.id_reused}

    def progress(so_far: ImportReport) -> None:  # a run committed: a long import shows it is alive
        click.echo(logfmt("import_progress", runs=len(so_far.runs), records=so_far.records, new=so_far.new_articles,
                          duplicates=so_far.duplicates, **records_left_out()), err=True)

    with (home.writer_lock(), open_writer(home) as warehouse,
          _told_if_stopped(warehouse, "import", records_left_out) as done):
        if not force:
            refuse_demo_home(home, warehouse, f"the records of {path.name}")
        try:
            import_file(home, warehouse, load_tagger(), path, batch_size=batch_size, report=report,
                        committed=progress)
        except ArchiveFormatError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(logfmt("import", **done(), **(report.published.summary_fields() if report.published else {})),
                   err=True)
        _echo_first_errors(report.errors, report.rejected, "records rejected")
        _echo_first_errors(report.reused, report.id_reused, "records skipped: their id was already another story's")
        _echo_first_errors(report.unread, report.unreadable_dates,
                           "records with a published date import cannot read (counted as undated)")


@cli.command()
@click.option("--table", default="articles", show_default=True,
              type=click.Choice(EXPORT_TABLES))
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS.values())),
              help="Default: from the --output extension (.csv, .parquet); another name (a FIFO, /dev/null) needs it.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write, whole or not at all (through a temp file beside it: a failure leaves it as "
                   "it was); - writes CSV to standard output (./- is a file named -).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day (inclusive).")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day (inclusive).")
@click.option("--country", "countries", multiple=True, callback=lambda ctx, param, values: _iso3_codes(values, param),
              help="ISO3; repeat for several (articles naming any).")
@click.option("--pair", "pairs", multiple=True, callback=lambda ctx, param, values: _pair_codes(values, param),
              help="e.g. PRK-RUS; repeat for several. pair_sentences, article_pairs: that pair's rows; "
                   "other tables: articles pairing the two (with --topic: whose pair carries the topic, as the "
                   "Co-occurrence page counts it).")
@click.option("--topic", "topics", multiple=True, callback=lambda ctx, param, values: _known_topics(values, param),
              help="Topic id (military, sanctions, ... and any seeds/topics/topics.toml adds); repeat for several "
                   "(rows with any of them, not only with all: --all-topics for all). pair_sentences, article_pairs, "
                   "article_topics, topic_hits: rows with the topic; other tables: "
                   "articles whose own topics include it (with --pair: whose pair carries it). Topics are read in "
                   "English articles only: stderr says how many rows in other languages it leaves out.")
@click.option("--all-topics", is_flag=True,
              help="Several --topic keep rows with all of them, not any, as the dashboard's \"Only articles with "
                   "all of these topics\". pair_sentences, article_pairs: rows whose own topics include them all; "
                   "article_topics, topic_hits: the chosen topics' rows of the articles with them all; other tables: "
                   "articles with them all (with --pair: whose pair carries them all).")
@click.option("--outlet", "outlets", multiple=True, help="Outlet name; repeat for several.")
@click.option("--dated-only", is_flag=True,
              help="Leave out the articles without a usable publication date (filed under the day PactWatch first "
                   "stored them), as the dashboard's \"Leave out undated articles\".")
@click.option("--unlisted-only", is_flag=True,
              help="Leave out list-only pairs, as the dashboard's switch: pair_sentences without the sentences that "
                   "name the two only as items of a list of countries; article_pairs, and --pair on other tables, "
                   "without the pairs only such sentences connect.")
@click.option("--as-of", "as_of", type=click.IntRange(1, 2**63 - 1), metavar="RUN",
              help="Only the articles run RUN or an earlier one stored (and the revisions those runs met), as the "
                   "dashboard's \"Data as of run\" (as_of in its links): an ingest or import since, dated inside "
                   "--since/--until, changes no row.")
@click.pass_context
def export(ctx: click.Context, table: str, fmt: str | None, output: str, since, until, countries, pairs, topics,
           all_topics: bool, outlets, dated_only: bool, unlisted_only: bool, as_of: int | None) -> None:
    """Export articles or a derived table from the published snapshot, with the dashboard's filters.

    --pair and --topic keep the matching rows of the tables that have those columns (the example: the
    military sentences about PRK-RUS); --country and --outlet keep whole articles.

    Rows come ordered by day, article and the rest of the table's row key, queried a calendar month at a time into
    the one file: memory follows the largest month, not the whole export. `pactwatch import` reads an articles export
    back, into a fresh home under the same article ids (its guid and key_scope are what import reads as id and source).

    pair_sentences and article_pairs rows end with what a quote of them is cited by: the article's language,
    published_at, outlet, url, published_as_written (the date as its feed wrote it), revisions (later versions its
    feeds served: 0 when none) and last_revision_seen_at; a sentence's field says headline (title) or body (text).

    \b
    Example:
      pactwatch export --table pair_sentences --pair PRK-RUS --topic military --since 2024-01-01 \\
          --format csv --output rus-prk-military.csv
    """
    from .store.exporter import (EXPORTABLE, ExportFilters, NotInSnapshot, export_provenance, export_table,
                                 not_read_rows)
    from .store.reader import NoSnapshot, open_snapshot
    from .tag_files import STDIO

    _refuse_an_empty_range(since, until)
    if all_topics and not topics:
        raise click.UsageError("--all-topics needs --topic: it keeps the rows with all the topics --topic names")
    filters = ExportFilters(start=since.date() if since else None, end=until.date() if until else None,
                            countries=countries, pairs=pairs, topics=topics, all_topics=all_topics, outlets=outlets,
                            dated_only=dated_only, unlisted_only=unlisted_only, as_of=as_of)
    if output != STDIO:
        _refuse_a_home_file(ctx, Path(output))
    fmt = _export_format(fmt, output)
    try:
        with open_snapshot(_home(ctx)) as con:
            _check_pinned_run(con, as_of)
            provenance = export_provenance(con, table, filters, datetime.now(UTC), _versions())
            rows = _exported(output, lambda sink: export_table(con, table, sink, fmt, filters, provenance))
            _note_snapshot(_home(ctx), con)
            _note_not_read(not_read_rows(con, table, filters), EXPORTABLE[table].rows)
    except (NoSnapshot, NotInSnapshot) as exc:
        raise click.ClickException(str(exc)) from exc
    written_to = "standard output" if output == STDIO else output
    click.echo(f"wrote {rows:,} row{'' if rows == 1 else 's'} to {written_to}", err=True)
    if not rows and outlets:
        click.echo("No row matched: outlets match exactly as `pactwatch feeds list` and the dashboard spell them.",
                   err=True)


def _exported(output: str, export_into) -> int:
    """`export_into` run on the file `output` names, or on standard output for "-" (a write that fails there, a full
    disk or `ulimit -f` under `> file`, raises StandardOutputError: exit 1 in words, as the file left is cut short)."""
    from .tag_files import STDIO

    return export_into(Path(output) if output != STDIO else sys.stdout.buffer)


def _check_pinned_run(con, as_of: int | None) -> None:
    """--as-of names a run of the snapshot (else exit 1: nothing would be "as of" it), and a note on stderr says when
    a retag since re-derived its articles' tags (the rows then differ from an export made at that run)."""
    from .store.queries import run_facts

    if as_of is None:
        return
    run = run_facts(con, as_of)
    if run is None:
        raise click.ClickException(f"--as-of {as_of}: no such run in the published snapshot (`pactwatch status` "
                                   "names the last run)")
    if run["rederived"]:
        click.echo(f"note: the tags of the articles up to run {as_of} were re-derived since (tagger version "
                   f"{', '.join(map(tsv_field, run['rederived']))}, where run {as_of} stored "
                   f"{tsv_field(str(run['tagger_version']))}): rows may differ from an export made then", err=True)


def _refuse_an_empty_range(since: datetime | None, until: datetime | None) -> None:
    if since and until and since > until:
        raise click.UsageError(f"--since {since:%Y-%m-%d} is after --until {until:%Y-%m-%d}: no day matches")


def _note_not_read(not_read: dict[str, int], rows: str) -> None:
    """On stderr: the rows in other languages `export --topic` could not judge. 27 of a pair's 29 sentences, in
    Russian, Korean, Chinese, ..., left an export of its military sentences without a word."""
    if not not_read:
        return
    ordered = sorted(not_read.items(), key=lambda item: (-item[1], item[0]))
    languages = ", ".join(f"{tsv_field(language)} {n:,}" for language, n in ordered)
    click.echo(f"note: {sum(not_read.values()):,} {rows} in languages whose topics are not read ({languages}) are not "
               "in this export: --topic matches English articles only", err=True)


def _demo_end_date(value, param):
    """The demo's two years end no later than today (later, its articles would be stored as dated in the future) and
    no earlier than 2000 (year 1 less two years is no date; the calendar's planning grows with the span to today)."""
    if value is not None and not DEMO_FIRST_END <= value.date() <= datetime.now(UTC).date():
        raise click.BadParameter(f"{value:%Y-%m-%d}: must be from {DEMO_FIRST_END} to today", param=param)
    return value


def _refuse_a_home_file(ctx: click.Context, output: Path, named: str = "--output") -> None:
    home = _home(ctx)
    if home.keeps(output):
        raise click.UsageError(f"{named} {output} is part of the home {home.root}, which readers and writers open: "
                               "write it elsewhere")


def _iso3_codes(values: tuple[str, ...], param) -> tuple[str, ...]:
    codes = tuple(value.strip().upper() for value in values)
    for value, code in zip(values, codes):
        _known_country(code, repr(value), param)
    return codes


def _pair_codes(values: tuple[str, ...], param) -> tuple[tuple[str, str], ...]:
    """Pairs as the dashboard and the docs write them (PRK–RUS, rus-prk), the dashboard's parser."""
    from .pairs import pair_codes, parse_pair

    keys = [(value, parse_pair(value)) for value in values]
    for value, key in keys:
        if key is None:
            raise click.BadParameter(f"{value!r}: a pair is two ISO3 codes such as PRK-RUS", param=param)
        for code in pair_codes(key):
            _known_country(code, f"{value!r}: {code}", param)
    return tuple(pair_codes(key) for _, key in keys)


def _known_topics(values: tuple[str, ...], param) -> tuple[str, ...]:
    """A topic no tag can carry is a typo: it would export nothing and exit 0. Known: the seeds' topics, or while
    they do not load (export only reads the warehouse) the fixed ones."""
    from .seeds import SeedError, topic_ids
    from .tagging.model import TOPICS

    try:
        known = topic_ids() if values else ()
    except SeedError:
        known = TOPICS
    if unknown := [value for value in values if value not in known]:
        raise click.BadParameter(f"{unknown[0]!r} is no topic of the seeds: {', '.join(known)}", param=param)
    return values


def _known_country(code: str, named: str, param) -> None:
    """A code no tag can carry is a typo: it would export nothing and exit 0, which reads as "no coverage"."""
    from .seeds import country_codes

    if code not in country_codes():
        raise click.BadParameter(f"{named} is not the ISO 3166-1 alpha-3 code of a country PactWatch tags (such as "
                                 "RUS, PRK, XKX)", param=param)


def _export_format(fmt: str | None, output: str) -> str:
    from .tag_files import STDIO

    if output == STDIO:  # kept as typed: "./-" is a file named "-", as for `pactwatch tag`
        if fmt == "parquet":
            raise click.UsageError("--output - writes CSV only: Parquet is a binary file, meant for a file "
                                   "(--output rows.parquet)")
        return "csv"
    named = EXPORT_FORMATS.get(Path(output).suffix.lower())
    if fmt and named and fmt != named:
        raise click.UsageError(f"--format {fmt} contradicts the extension of {Path(output).name}")
    if not (fmt or named):  # a.json would get Parquet under a name that promises JSON
        raise click.UsageError(f"{Path(output).name}: name the output .parquet or .csv, or pass --format")
    return fmt or named


# --- alerts ------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day of alerts to show (default: the week up to --until).")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Last day of alerts to show (default: the last day of data). The data is today's: articles stored "
                   "since, dated that day or before, count too.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (a list of alerts with evidence; "
                                                           "z is null where nothing was expected).")
@click.option("--notify-webhook", "webhook", metavar="URL", type=WebhookUrl(),
              help="Also POST to this URL, as JSON, the alerts it has not received yet, and those of its failed "
                   "deliveries kept in <home>/outbox/.")
@click.option("--resend", is_flag=True,
              help="POST every alert found to the --notify-webhook URL, also those it received before.")
@click.pass_context
def alerts(ctx: click.Context, since, until, as_json: bool, webhook: str | None, resend: bool) -> None:
    """Spike and new-pair alerts from the published snapshot, each with its rule, numbers and evidence.

    Each line counts its window's articles and outlets, and the stories they are when some are copies of one story (a
    wire story several outlets ran under their own addresses: `stories` in --json). Rule firings a gate held back (too
    few outlets, one outlet's articles or rise, a coverage gap, or copies of a few stories making most of the rise,
    named) are listed after the alerts, then the rises a rule's floor kept from being tested; --json lists alerts only.
    One pair's alerts whose windows overlap (a summit story rising on military, diplomacy and trade at once) are one
    episode: a line for it, its alerts indented under it, strongest first; --json lists each alert, with the id of its
    episode (`episode`).

    Rules live in seeds/alerts.toml. All alerts found are printed; --notify-webhook then posts each alert once: a
    record under <home>/notify/ names the alerts each webhook received (by a hash of its URL, whatever the case of
    its scheme and host and whether it names its default port), so a daily run posts only new ones. A webhook that
    cannot be reached does not lose the alerts: they are printed first, the payload is kept under <home>/outbox/, the
    command exits 1, and the next run to that webhook posts them again with its new alerts. On success one logfmt line
    on stderr counts the alerts new, skipped (received before) and retried. A URL that is not http(s) with a host is
    a usage error before anything runs.

    \b
    Examples:
      pactwatch alerts
      pactwatch alerts --since 2025-01-01 --json
      pactwatch alerts --since 2024-06-10 --until 2024-06-30
      pactwatch alerts --notify-webhook https://hooks.example.org/pactwatch
    """
    from .signals import AlertConfigError, load_alert_config, screen_alerts, with_evidence
    from .store.reader import NoSnapshot, open_snapshot

    if resend and not webhook:
        raise click.UsageError("--resend posts to a webhook: give it --notify-webhook URL")
    _refuse_an_empty_range(since, until)
    home = _home(ctx)
    try:  # first: a mistake in the rules file is named before any work, with or without a warehouse
        config = load_alert_config()
    except AlertConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        with open_snapshot(home) as con:
            screening = screen_alerts(con, since.date() if since else None, config, until.date() if until else None)
            found = with_evidence(con, screening.alerts, config)
            _note_snapshot(home, con)
    except NoSnapshot as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        echo_json([alert.to_dict() for alert in found])
    else:
        _print_alerts(found, screening.days, default_days=since is None and until is None)
        _print_held(screening.held)
        _print_kept_out(screening.kept_out, screening.kept_out_series)
    if webhook:
        _notify(ctx, home, webhook, [alert.to_dict() for alert in found], resend)


def _notify(ctx: click.Context, home: Home, webhook: str, found: list[dict], resend: bool) -> None:
    """Deliver the alerts not yet delivered to `webhook` with those kept from its failed deliveries, and say how."""
    from .notify import notify_webhook
    from .redact import redact_url

    notified = notify_webhook(webhook, found, home, resend=resend)
    home.return_to_owner(notified.written)
    for problem in notified.problems:
        click.echo(complaint(f"warning: {problem}"), err=True)
    delivery = notified.delivery
    if delivery and not delivery.ok:
        kept = f"alerts kept at {delivery.kept_at}" if delivery.kept_at else "the alerts are only in the output above"
        click.echo(complaint(f"webhook {redact_url(webhook)} failed ({delivery.error}); {kept}"), err=True)
        ctx.exit(1)
    click.echo(logfmt("notify", url=redact_url(webhook), status=delivery and delivery.status_code, new=notified.new,
                       skipped=notified.skipped, retried=notified.retried), err=True)
    if notified.unrecorded:
        click.echo(complaint(f"the alerts were delivered but could not be recorded ({notified.unrecorded}): the "
                             "next run posts them again"), err=True)
        ctx.exit(1)


def _print_held(held, shown: int = 10) -> None:
    """The series whose firings the coverage and source gates held back: "no alerts" alone reads as "nothing rose"."""
    if not held:
        return
    click.echo(f"rule firings on {len(held)} series held back by a gate of seeds/alerts.toml "
               "(not alerts: check them against the articles):")
    for item in held[:shown]:
        click.echo(f"    {item.summary}")
    if len(held) > shown:
        click.echo(f"    … and {len(held) - shown} more")


def _print_kept_out(kept_out, series: int) -> None:
    """The rises a rule's floor kept from being tested (a quiet pair that exploded): no rule fits them, so without
    this "no alerts" reads as "nothing rose"."""
    if not kept_out:
        return
    click.echo(f"rises on {series} series past a rule's ratio and z that its floors kept from being tested "
               "(seeds/alerts.toml; not alerts: check them against the articles), biggest first:")
    for item in kept_out:
        click.echo(f"    {item.summary}")
    if series > len(kept_out):
        click.echo(f"    … and {series - len(kept_out)} more (kept_out_listed in seeds/alerts.toml)")


DAY_NOT_OVER = " [today (UTC) is not over: its articles so far]"


def _print_alerts(found, days: tuple | None, default_days: bool) -> None:
    """`default_days`: the days screened are the default week, which the hint widens (after an --until before the
    data, "screens from an earlier day" pointed the wrong way)."""
    if not found:
        hint = " (--since DATE screens from an earlier day)" if default_days else ""
        click.echo("no alerts: no articles" if not days else
                   f"no alerts: the last article day is {days[1]}, before {days[0]}" if days[0] > days[1] else
                   f"no alerts from {days[0]} to {days[1]}{hint}")
    from .signals.episodes import episodes

    # One pair rising on several topics at once is one event: a line for the episode, then each alert's numbers under
    # it, strongest first, and the strongest one's articles (the others' are mostly the same articles).
    for episode in episodes(found):
        several = len(episode.alerts) > 1
        if several:
            click.echo(f"{episode.day}  {episode.summary}")
        for alert in episode.alerts:
            flag = (" [coverage gap]" if alert.coverage != "ok" else "") + ("" if alert.day_over else DAY_NOT_OVER)
            click.echo(f"{'    ' if several else f'{alert.day}  '}{alert.summary}{flag}")
        for article in episode.alerts[0].articles[:3]:
            # an alert's articles say only whether each is dated, not why not
            undated = "" if article["dated"] else NO_USABLE_DATE
            click.echo(f"{'        ' if several else '    '}{day_filed(article['day'], undated)}  "
                       f"{article['outlet']}: {article['title']}  {article['url'] or ''}")
