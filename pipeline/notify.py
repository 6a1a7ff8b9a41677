"""Deliver alerts to a webhook as one JSON POST; a failed delivery is kept on disk, never lost."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import httpx

from .redact import redact_text

TIMEOUT = httpx.Timeout(10.0, connect=5.0)  # a hung receiver must not hang cron


@dataclass(frozen=True)
class Delivery:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    kept_at: Path | None = None  # where the undelivered payload was saved


def alerts_payload(alerts: Sequence, sent_at: datetime | None = None) -> dict:
    sent_at = sent_at or datetime.now(timezone.utc)
    return {"source": "pactwatch", "sent_at": sent_at.isoformat(), "count": len(alerts),
            "alerts": [alert.to_dict() for alert in alerts]}


def post_alerts(url: str, alerts: Sequence, outbox: Path, *, timeout: httpx.Timeout = TIMEOUT) -> Delivery:
    """POST the alerts to `url`; on any failure save the payload under `outbox` and say why."""
    payload = alerts_payload(alerts)
    try:
        response = httpx.post(url, json=payload, timeout=timeout, follow_redirects=False)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # unreachable, refusing, or a malformed URL
        return _kept(outbox, payload, None, f"{type(exc).__name__}: {exc or 'no detail'}")
    if response.is_success:
        return Delivery(True, response.status_code)
    return _kept(outbox, payload, response.status_code, f"HTTP {response.status_code} {response.reason_phrase}")


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


def _kept(outbox: Path, payload: dict, status: int | None, error: str) -> Delivery:
    error = redact_text(error)  # httpx's messages may name the webhook's URL, a token in it
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = outbox / f"alerts-{stamp}.json"
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**payload, "delivery_error": error}, indent=1, ensure_ascii=False),
                        encoding="utf-8")
    except OSError as exc:  # a home this user may not write, a full disk: say both failures, not only the second
        return Delivery(False, status, f"{error}; the payload could not be kept either: {exc}")
    return Delivery(False, status, error, path)
