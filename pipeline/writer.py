"""The writer's warehouse as a writing command opens it. The open that migrates it (the first writing command after
an upgrade) says so on stderr, as the run's other logfmt lines: a cron log then shows when the schema changed, and
from which version, rather than an idle run that was silently applying migrations."""
from __future__ import annotations

import click

from .home import Home
from .store.snapshot import WriterMissing, published_without_writer, writer_missing_message
from .store.warehouse import Warehouse
from .terminal import logfmt


def open_writer(home: Home, over_published: bool = False) -> Warehouse:
    """The home's writer, made when it has none. Not over published snapshots (WriterMissing), unless
    `over_published`: the demo starting over its own snapshots."""
    if not over_published and (newest := published_without_writer(home)):
        raise WriterMissing(writer_missing_message(home, newest))
    warehouse = Warehouse(home.ensure().writer_db)
    if warehouse.migrated:
        log_migration(*warehouse.migrated)
    return warehouse


def log_migration(before: int, after: int) -> None:
    click.echo(logfmt("migrated", **{"from": before, "to": after}), err=True)
