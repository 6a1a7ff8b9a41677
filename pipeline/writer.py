"""The writer's warehouse as a writing command opens it. The open that migrates it (the first writing command after
an upgrade) says so on stderr, as the run's other logfmt lines: a cron log then shows when the schema changed, and
from which version, rather than an idle run that was silently applying migrations."""
from __future__ import annotations

from pathlib import Path

import click

from .store.warehouse import Warehouse
from .terminal import logfmt


def open_writer(path: Path) -> Warehouse:
    warehouse = Warehouse(path)
    if warehouse.migrated:
        log_migration(*warehouse.migrated)
    return warehouse


def log_migration(before: int, after: int) -> None:
    click.echo(logfmt("migrated", **{"from": before, "to": after}), err=True)
