"""Prometheus metrics: what the processes count, and ``/metrics`` that exposes them.

Counters and histograms are prometheus-client's. Under gunicorn and Celery prefork every
process writes its own files in ``PROMETHEUS_MULTIPROC_DIR`` (set before the process starts:
gunicorn.conf.py, the Procfile and the systemd units do) and ``/metrics`` adds them up, with
the files of the other directories in ``METRICS_DIRS`` (the worker's, on the same machine).
Without the variable (a test, a shell) the process's own registry is exposed.

Labels hold only bounded, non-personal values (outcomes, message types, Meta error codes,
priorities): never a phone, a BSUID, a name or a message id.

Gauges read from the database (queues, tickets, data-rights deadlines) are computed when
Prometheus scrapes, by collectors the upper layers register here (``scrape_collector_add``).
"""

from __future__ import annotations

import glob
import hmac
import os
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.multiprocess import MultiProcessCollector

# A histogram without labels opens its file as it is defined, below: the folder must exist.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

# --- What is counted ------------------------------------------------------------------------

WEBHOOK_REQUESTS = Counter(
    "proalto_webhook_requests",
    "Webhook requests from Meta, by outcome (ok, bad_signature, malformed, too_large, verify_ok, verify_refused).",
    ["outcome"],
)
WEBHOOK_SECONDS = Histogram(
    "proalto_webhook_request_seconds",
    "Time the webhook took to answer a POST.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
MESSAGES_RECEIVED = Counter(
    "proalto_messages_received",
    "Customer messages received by the webhook (replays included), by WhatsApp type.",
    ["type"],
)
FIRST_REPLY_SECONDS = Histogram(
    "proalto_first_reply_seconds",
    "From a customer message's arrival at the webhook to the bot's first reply accepted by Meta.",
    buckets=(0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120, 300),
)
WHATSAPP_SENDS = Counter(
    "proalto_whatsapp_sends",
    "Messages sent to the Cloud API, by outcome and Meta error code (empty when sent).",
    ["outcome", "error_code"],
)
IDENTITY_CODES_SENT = Counter("proalto_identity_codes_sent", "One-time codes sent to customers' registered phones.")
IDENTITY_LOCKS = Counter("proalto_identity_locks", "Identity validations locked after repeated failures.")

# The message types Meta documents; anything else is counted as "other" (a label never takes
# an unbounded value from outside).
MESSAGE_TYPES = frozenset(
    {
        "text",
        "image",
        "document",
        "audio",
        "video",
        "sticker",
        "location",
        "contacts",
        "interactive",
        "button",
        "reaction",
        "order",
        "system",
        "unsupported",
    }
)


def message_type_label(kind: str) -> str:
    return kind if kind in MESSAGE_TYPES else "other"


# --- Exposition -------------------------------------------------------------------------------

_scrape_collectors: list = []


def scrape_collector_add(collector) -> None:
    """Register a collector computed at scrape time (database gauges); once per process."""
    if collector not in _scrape_collectors:
        _scrape_collectors.append(collector)


def metrics_dirs() -> list[str]:
    own = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    extra = [d.strip() for d in getattr(settings, "METRICS_DIRS", []) if d.strip()]
    return [d for d in dict.fromkeys([own, *extra]) if d]


class _FilesCollector:
    """The multiprocess files of several directories added up as one (MultiProcessCollector
    reads one directory; two collectors would repeat each series)."""

    def __init__(self, dirs: list[str]):
        self.dirs = dirs

    def collect(self):
        files = [path for d in self.dirs for path in glob.glob(os.path.join(d, "*.db"))]
        return MultiProcessCollector.merge(files, accumulate=True)


def exposition() -> bytes:
    """What /metrics answers: every process's counters (multiprocess) or this process's, then
    the gauges computed now."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        counted.register(_FilesCollector(metrics_dirs()))
    else:
        counted = REGISTRY
    computed = CollectorRegistry()
    for collector in _scrape_collectors:
        computed.register(collector)
    return generate_latest(counted) + generate_latest(computed)


def token_accepted(header: str) -> bool:
    """With METRICS_TOKEN set, only ``Authorization: Bearer <token>`` is answered; without it
    /metrics is open, for a network rule to protect (check --deploy warns)."""
    expected = settings.METRICS_TOKEN
    if not expected:
        return True
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())


def metrics_response(request) -> HttpResponse:
    if not token_accepted(request.META.get("HTTP_AUTHORIZATION", "")):
        response = HttpResponse("Bearer token required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


def multiprocess_dir_prepare(path: str | os.PathLike) -> None:
    """Empty (create) a process group's metrics directory before its processes start: files
    of processes from an earlier run would be added to this run's counters."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink(missing_ok=True)


def worker_metrics_serve(*, port: int, address: str) -> None:
    """Serve this machine's multiprocess counters over plain HTTP from a background thread."""
    served = CollectorRegistry()
    served.register(_FilesCollector(metrics_dirs()))
    start_http_server(port, addr=address, registry=served)
