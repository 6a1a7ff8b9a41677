"""Deliver alerts to a webhook as one JSON POST, each alert once: a failed delivery is kept on disk, never lost, and
sent again by the next run to that webhook; a record under the home names the alerts each webhook received."""
from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

import httpx

from .feeds.addresses import is_default_port
from .home import Home, flocked, replace_file, unfinished_replacements
from .redact import redact_text

TIMEOUT = httpx.Timeout(10.0, connect=5.0)  # a hung receiver must not hang cron
# Seconds the whole POST may take: TIMEOUT bounds each read, and a receiver trickling its answer a header at a time
# stays within it for ever, holding the run and its webhook's lock while cron starts the next.
DEADLINE = 60.0
# Alert days a delivery record keeps, back from its newest: a daily job screens the latest week, so an alert leaves
# its window long before its key leaves the record (a run keeps every alert it found, however old).
RECORD_DAYS = 90
# Seconds a run waits for another delivering to the same webhook (two cron jobs overlapping): that one holds the lock
# for one POST, which DEADLINE bounds, and two small files. Waiting, a run then posts only what it did not.
LOCK_WAIT = 60.0
_SCHEME_AND_AUTHORITY = re.compile(r"\A([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)")


@dataclass(frozen=True)
class Delivery:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    kept_at: Path | None = None  # where the undelivered payload was saved


def alerts_payload(alerts: Sequence[dict], sent_at: datetime | None = None) -> dict:
    """The JSON body of one POST: `alerts` as `Alert.to_dict()` gives them."""
    sent_at = sent_at or datetime.now(timezone.utc)
    return {"source": "pactwatch", "sent_at": sent_at.isoformat(), "count": len(alerts), "alerts": list(alerts)}


def post_alerts(url: str, alerts: Sequence[dict], outbox: Path, *, timeout: httpx.Timeout = TIMEOUT,
                deadline: float = DEADLINE) -> Delivery:
    """POST the alerts to `url` within `deadline` seconds; on any failure save the payload under `outbox`, with the
    webhook it was for, and say why."""
    payload = alerts_payload(alerts)
    try:
        httpx.URL(url).host.encode("idna")  # a label over 63 characters: refused here, as the socket layer refuses it
        response = asyncio.run(_post(url, payload, timeout, deadline))
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # unreachable, refusing, or a malformed URL
        return _kept(outbox, url, payload, None, f"{type(exc).__name__}: {exc or 'no detail'}")
    except TimeoutError:
        return _kept(outbox, url, payload, None, f"no answer within {deadline:g} s")
    if response.is_success:
        return Delivery(True, response.status_code)
    return _kept(outbox, url, payload, response.status_code, f"HTTP {response.status_code} {response.reason_phrase}")


async def _post(url: str, payload: dict, timeout: httpx.Timeout, deadline: float) -> httpx.Response:
    async with asyncio.timeout(deadline), httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        return await client.post(url, json=payload)


def webhook_url_problem(url: str) -> str | None:
    """Why `url` cannot be a webhook, when its form already says so; None when it may be tried."""
    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decodes punycode: "xn--a.com" raises idna's ValueError here, not in URL()
    except (httpx.InvalidURL, ValueError) as exc:
        return str(exc) or type(exc).__name__
    if parsed.scheme not in ("http", "https") or not host:
        return "expected an http:// or https:// URL with a host"
    return None


def webhook_id(url: str) -> str:
    """How the files under the home name a webhook: a hash of its URL as webhook_address writes it, never the URL,
    which may hold a token (nor its host: a hash of all of it)."""
    return _hashed(webhook_address(url))


def _written_id(url: str) -> str:
    """How versions before named the webhook: a hash of its URL as written. "HTTPS://Hooks.Example.com/x" had a
    record and kept payloads of its own beside "https://hooks.example.com/x"'s; the record is taken over
    (DeliveryRecord.load_for), the payloads sent as this webhook's (Outbox.load)."""
    return _hashed(url)


def _hashed(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def webhook_address(url: str) -> str:
    """`url` written one way for one webhook: scheme and host lower-cased, a default port (or an empty one) dropped,
    an empty path "/", as every HTTP client sends them. The rest stays as written: the path is the receiver's to read,
    where "/x" and "/x/" can be two resources, and so can "/X" and "/x"; the userinfo is a credential, compared
    exactly."""
    found = _SCHEME_AND_AUTHORITY.match(url)
    if found is None:  # no webhook_url_problem would let it through
        return url
    scheme = found.group(1).lower()
    userinfo, at, host_and_port = found.group(2).rpartition("@")
    host, colon, port = host_and_port.rpartition(":")
    if not colon or "]" in port:  # no port: "host", "[::1]"
        host, port = host_and_port, ""
    if not port or (port.isascii() and port.isdigit() and is_default_port(scheme, int(port))):
        colon = port = ""
    rest = url[found.end():]
    return f"{scheme}://{userinfo}{at}{host.lower()}{colon}{port}{'' if rest.startswith('/') else '/'}{rest}"


def _kept(outbox: Path, url: str, payload: dict, status: int | None, error: str) -> Delivery:
    error = redact_text(error)  # httpx's messages may name the webhook's URL, a token in it
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = outbox / f"alerts-{stamp}.json"
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        # whole or not at all (written in place, one cut short by a full disk or a killed run stayed in the outbox,
        # unreadable, a warning at every run), and on disk before the kept payloads it carries are removed
        replace_file(path, json.dumps({**payload, "webhook": webhook_id(url), "delivery_error": error}, indent=1,
                                      ensure_ascii=False))
    except OSError as exc:  # a home this user may not write, a full disk: say both failures, not only the second
        return Delivery(False, status, f"{error}; the payload could not be kept either: {exc}")
    return Delivery(False, status, error, path)


@dataclass(frozen=True)
class DeliveryRecord:
    """The alerts one webhook received (key -> alert day), one JSON object a line in
    <home>/notify/delivered-<webhook_id>.jsonl. A line that cannot be read is skipped (its alert may be posted
    again), never an error: a damaged record must not stop the alerts themselves."""
    path: Path
    days: dict[str, date]
    problems: tuple[str, ...] = ()
    taken_over: Path | None = None  # a version before's record for the URL as written, merged in; removed on save

    @staticmethod
    def path_for(folder: Path, url: str) -> Path:
        return folder / f"delivered-{webhook_id(url)}.jsonl"

    @classmethod
    def load_for(cls, folder: Path, url: str) -> DeliveryRecord:
        """The record of the webhook at `url`, with the alerts of the one versions before kept under the name of the
        URL as written (_written_id), which differs when it was not written as webhook_address writes it. Both are
        read until a save writes them all under the webhook's name and removes the earlier one (a run with nothing
        to post writes nothing)."""
        record = cls.load(cls.path_for(folder, url))
        written = folder / f"delivered-{_written_id(url)}.jsonl"
        if written == record.path or not written.exists():
            return record
        earlier = cls.load(written)
        return cls(record.path, {**earlier.days, **record.days}, record.problems + earlier.problems, written)

    @classmethod
    def load(cls, path: Path) -> DeliveryRecord:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return cls(path, {})
        except OSError as exc:
            return cls(path, {}, (f"{path} could not be read ({exc}): every alert found counts as new",))
        entries = [_record_entry(line) for line in lines if line.strip()]
        bad = sum(entry is None for entry in entries)
        return cls(path, dict(entry for entry in entries if entry),
                   (f"skipped {bad} unreadable line(s) of {path}: their alerts may be posted again",) if bad else ())

    def save(self, delivered: Sequence[dict], found: Sequence[dict]) -> None:
        """Add the `delivered` alerts and drop those more than RECORD_DAYS alert days before the newest, but for the
        alerts this run found or delivered: those a run reaching further back would post again. The file is replaced
        whole by a rename, so a run killed while writing leaves the previous record."""
        days = {**self.days, **{alert["key"]: date.fromisoformat(alert["day"]) for alert in delivered}}
        newest, touched = max(days.values()), {alert["key"] for alert in [*delivered, *found]}
        lines = [json.dumps({"key": key, "day": day.isoformat()}) + "\n"
                 for key, day in sorted(days.items(), key=lambda item: (item[1], item[0]))
                 if (newest - day).days <= RECORD_DAYS or key in touched]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(self.path, "".join(lines))
        if self.taken_over:
            self.taken_over.unlink(missing_ok=True)


def _record_entry(line: str) -> tuple[str, date] | None:
    try:
        return _key_and_day(json.loads(line))
    except ValueError:  # cut short or edited
        return None


def _key_and_day(alert: Any) -> tuple[str, date] | None:
    """What a record keeps of an alert, its key and ISO day; None for what is not an object with both."""
    try:
        key, day = alert["key"], date.fromisoformat(alert["day"])
    except (ValueError, KeyError, TypeError):
        return None
    return (key, day) if isinstance(key, str) else None


def _drop_unfinished(path: Path) -> None:
    """Remove the temp files of `replace_file(path, …)` that runs killed before their rename left behind. Only under
    the lock of `path`'s webhook: its holder is the one run that could be writing one."""
    for temp in unfinished_replacements(path.parent, path.name):
        temp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Outbox:
    """The payloads kept for one webhook, whose alerts the next delivery to it carries again."""
    files: tuple[Path, ...]
    alerts: tuple[dict, ...]
    problems: tuple[str, ...]

    @classmethod
    def load(cls, folder: Path, url: str) -> Outbox:
        """The payloads kept for the webhook at `url`, also those a version before named by the URL as written."""
        files, alerts, problems, unaddressed = [], {}, [], 0
        ids = {webhook_id(url), _written_id(url)}
        for path in sorted(folder.glob("alerts-*.json")):
            try:
                webhook, listed = _kept_payload(path)
            except (OSError, ValueError) as exc:
                problems.append(f"{path} could not be read ({exc}): left where it is")
                continue
            unaddressed += webhook is None
            if webhook in ids:
                files.append(path)
                alerts.update((alert["key"], alert) for alert in listed)  # a key kept twice is sent once
        if unaddressed:  # sent on to this webhook by guess, they could reach a receiver they were never meant for
            problems.append(f"{unaddressed} payload(s) in {folder} name no webhook (kept before `alerts` retried "
                            "deliveries): they are not sent again; POST them by hand, then delete them")
        return cls(tuple(files), tuple(alerts.values()), tuple(problems))

    def remove(self) -> None:
        for path in self.files:
            path.unlink(missing_ok=True)


def _kept_payload(path: Path) -> tuple[str | None, list[dict]]:
    """(the webhook id it was for, or None for a payload kept before they named one; its alerts)."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise ValueError("not an alerts payload")
    # an alert the record could not keep once delivered (another version's, edited by hand) stopped the run after its
    # POST: its alerts delivered, the payload gone, none of them recorded
    if payload.get("webhook") is not None and not all(map(_key_and_day, payload["alerts"])):
        raise ValueError("an alert without its key or its day (YYYY-MM-DD)")
    return payload.get("webhook"), payload["alerts"]


@dataclass(frozen=True)
class Notified:
    """What one `alerts --notify-webhook` did: `delivery` is None when it had nothing to send."""
    delivery: Delivery | None
    new: int  # alerts found that the webhook had not received
    skipped: int  # alerts found that it had (in its record)
    retried: int  # alerts of payloads kept from failed deliveries to it
    problems: tuple[str, ...]  # what could not be read, and was skipped or left
    written: tuple[Path, ...]  # files made or replaced under the home, for its owner
    unrecorded: str | None = None  # why the delivered alerts could not be recorded: the next run posts them again


def notify_webhook(url: str, found: Sequence[dict], home: Home, *, resend: bool = False) -> Notified:
    """POST to `url` the alerts `found` that it has not received (all of them with `resend`), together with those of
    the payloads kept for it from failed deliveries; then record them, or keep the whole payload for the next run.
    One run at a time per webhook: HomeLocked when another still delivers to it after LOCK_WAIT."""
    record_path = DeliveryRecord.path_for(home.notify_records, url)
    with _webhook_lock(record_path) as lock:
        if lock:
            _drop_unfinished(record_path)
        notified = _deliver(url, found, home, record_path, resend)
    return replace(notified, written=(*_existing(record_path.parent, lock), *notified.written))


@contextmanager
def _webhook_lock(record_path: Path) -> Iterator[Path | None]:
    """Hold the lock of a webhook from reading its record and outbox to saving them: two runs at once both posted
    the alerts neither had recorded yet. Its own lock, not the writer's: `alerts` reads the snapshot, beside ingest.
    Yields the lock file, or None in a notify/ this run cannot write, where no record can be saved for it to guard
    (the save says why)."""
    path = record_path.with_suffix(".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)  # flock needs no write access
    except OSError:
        yield None
        return
    with open(descriptor, "rb") as handle, flocked(handle, fcntl.LOCK_EX, path, LOCK_WAIT):
        yield path


def _deliver(url: str, found: Sequence[dict], home: Home, record_path: Path, resend: bool) -> Notified:
    record, outbox = DeliveryRecord.load_for(record_path.parent, url), Outbox.load(home.outbox, url)
    retried = {alert["key"] for alert in outbox.alerts}
    received = set() if resend else record.days.keys() - retried
    new = [alert for alert in found if alert["key"] not in retried | received]
    said = dict(new=len(new), skipped=sum(alert["key"] in received for alert in found), retried=len(retried),
                problems=record.problems + outbox.problems)
    sending = [*outbox.alerts, *new]
    if not sending:
        return Notified(None, **said, written=())
    delivery = post_alerts(url, sending, home.outbox)
    if not delivery.ok:
        if delivery.kept_at:  # the new payload carries the kept ones' alerts too
            outbox.remove()
        return Notified(delivery, **said, written=_existing(home.outbox, delivery.kept_at))
    outbox.remove()
    try:
        record.save(sending, found)
    except OSError as exc:
        return Notified(delivery, **said, written=_existing(record.path.parent), unrecorded=str(exc))
    return Notified(delivery, **said, written=_existing(record.path.parent, record.path))


def _existing(*paths: Path | None) -> tuple[Path, ...]:
    return tuple(path for path in paths if path is not None and path.exists())
