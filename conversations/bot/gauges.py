"""Gauges read from the database when Prometheus scrapes /metrics (proalto.metrics).

Queues (pending inbound messages, queued replies, the Celery queue), advisors' tickets,
data-rights deadlines, the Meta token as last seen and the Cloud API circuit breaker. A handful of indexed aggregate
queries, kept ``METRICS_GAUGES_CACHE_SECONDS`` per process so scrapes from several
Prometheus servers cost one round. Counts and ages only: no label holds personal data.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from kombu.exceptions import ChannelError
from prometheus_client.core import GaugeMetricFamily

from consent.selectors import rights_requests_deadlines
from conversations.messaging import breaker, whatsapp
from conversations.messaging.models import InboundMessage, OutboundMessage
from escalations.selectors import tickets_waiting_by_priority
from proalto.celery import app as celery_app

logger = logging.getLogger(__name__)

PRIORITY_LABELS = {0: "urgent", 1: "high", 2: "normal"}


def _age(now, since) -> float:
    return max((now - since).total_seconds(), 0.0) if since else 0.0


def _gauge(name: str, documentation: str, value: float, labels: dict | None = None) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=list(labels or {}))
    family.add_metric(list((labels or {}).values()), value)
    return family


def broker_queue_length() -> int | None:
    """Tasks waiting in Celery's default queue (Redis list or file-system folder); None when the
    broker cannot be reached."""
    try:
        with celery_app.connection_for_read() as connection:
            declared = connection.default_channel.queue_declare(celery_app.conf.task_default_queue, passive=True)
            return declared.message_count
    except ChannelError:
        return 0  # Redis keeps no empty list: no queue is an empty queue
    except Exception:
        logger.warning("metrics: the broker's queue length could not be read", exc_info=True)
        return None


def gauge_families(*, now=None) -> list[GaugeMetricFamily]:
    now = now or timezone.now()
    families = []

    pending = InboundMessage.objects.filter(status=InboundMessage.Status.PENDING).aggregate(
        oldest=Min("received_at"), count=Count("id")
    )
    families.append(_gauge("proalto_inbound_pending", "Customer messages stored, not yet answered.", pending["count"]))
    families.append(
        _gauge(
            "proalto_inbound_oldest_pending_seconds",
            "Age of the oldest customer message not yet answered (0: none).",
            _age(now, pending["oldest"]),
        )
    )

    # Due replies only: a notice waiting for the allowed hours (not_before) is not late.
    due = Q(status=OutboundMessage.Status.QUEUED) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    queued = OutboundMessage.objects.filter(due).aggregate(
        count=Count("id"),
        oldest_created=Min("created_at", filter=Q(not_before__isnull=True)),
        oldest_due=Min("not_before"),
    )
    oldest = min((t for t in (queued["oldest_created"], queued["oldest_due"]) if t), default=None)
    families.append(_gauge("proalto_outbound_queued", "Replies and notices due and not yet sent.", queued["count"]))
    families.append(
        _gauge(
            "proalto_outbound_oldest_queued_seconds",
            "How long the oldest due message has waited to be sent (0: none).",
            _age(now, oldest),
        )
    )

    length = broker_queue_length()
    if length is not None:
        families.append(_gauge("proalto_celery_queue_length", "Tasks waiting in the Celery queue.", length))

    tickets = GaugeMetricFamily(
        "proalto_tickets_waiting", "Open tickets no advisor has taken yet, by priority.", labels=["priority"]
    )
    oldest_ticket = GaugeMetricFamily(
        "proalto_ticket_oldest_waiting_seconds",
        "Age of the oldest ticket not yet taken, by priority.",
        labels=["priority"],
    )
    waiting = tickets_waiting_by_priority()
    for priority, label in PRIORITY_LABELS.items():
        count, since = waiting.get(priority, (0, None))
        tickets.add_metric([label], count)
        oldest_ticket.add_metric([label], _age(now, since))
    families += [tickets, oldest_ticket]

    overdue, soon = rights_requests_deadlines(
        today=timezone.localdate(now), soon_days=settings.DATA_RIGHTS_DUE_SOON_DAYS
    )
    families.append(
        _gauge("proalto_data_rights_overdue", "Open data-rights requests past their legal deadline.", overdue)
    )
    families.append(
        _gauge(
            "proalto_data_rights_due_soon",
            "Open data-rights requests due within DATA_RIGHTS_DUE_SOON_DAYS days.",
            soon,
        )
    )

    state = whatsapp.token_state()
    if state is not None:
        families.append(
            _gauge(
                "proalto_whatsapp_token_valid",
                "1 when Meta last accepted the access token, 0 when it last rejected it (190).",
                1 if state["valid"] else 0,
            )
        )

    number = settings.WHATSAPP_PHONE_NUMBER_ID  # the business's own number, not personal data
    circuit = breaker.circuit_state(number)
    families.append(
        _gauge(
            "proalto_whatsapp_circuit_open",
            "1 while the circuit breaker holds sends from the number (Meta throttling it or refusing the token).",
            1 if circuit else 0,
            {"phone_number_id": number},
        )
    )
    return families


class DatabaseGauges:
    """The collector registered with proalto.metrics; one computation per cache period."""

    def __init__(self):
        self.lock = threading.Lock()
        self.kept: tuple[float, list] | None = None

    def collect(self):
        with self.lock:
            now = time.monotonic()
            if self.kept is None or now - self.kept[0] >= settings.METRICS_GAUGES_CACHE_SECONDS:
                try:
                    self.kept = (now, gauge_families())
                except Exception:
                    # A database that is down is /readyz's business; /metrics still answers
                    # with what the processes counted.
                    logger.warning("metrics: the database gauges could not be read", exc_info=True)
                    return []
            return list(self.kept[1])

    def forget(self) -> None:
        with self.lock:
            self.kept = None


database_gauges = DatabaseGauges()
