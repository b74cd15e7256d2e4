"""The circuit breaker per business phone number: while Meta throttles the number (130429, HTTP
429) or refuses the access token (190), no worker sends from it. The messages wait in the
outbox, their attempts not counted; after a cool-down one worker sends a probe, and once it
goes through everyone sends again, each customer's messages in order.

The state is shared by every worker process through the cache (Redis in production). It is
written here rather than taken from pybreaker: pybreaker shares state only through a raw
Redis client (the embedded default has none), and it opens after a count of failures, where
one answer from Meta is already certain.
"""

from __future__ import annotations

import logging
import os
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins

logger = logging.getLogger(__name__)

THROTTLED = "throttled"  # Meta's throughput limit for the number (130429, 80007, 4, HTTP 429)
TOKEN = "token"  # the access token expired or was revoked (190)
# A probe that takes longer than this (a worker died while sending it) lets another worker probe.
PROBE_SECONDS = 30
# How soon a worker that found another's probe in flight comes back.
PROBE_WAIT_SECONDS = 0.5
STATE_SECONDS = 24 * 3600  # the state outlives any cool-down; a closed circuit has no key


@dataclass(frozen=True)
class Hold:
    """Sends from the number are held: try again in ``retry_in`` seconds."""

    reason: str
    retry_in: float


@dataclass(frozen=True)
class Gate:
    """What a worker about to send may do: send (``hold`` is None), possibly as the probe."""

    hold: Hold | None = None
    probe: bool = False


def _key(phone_number_id: str) -> str:
    return f"wa-circuit:{phone_number_id}"


def _probe_key(phone_number_id: str) -> str:
    return f"wa-circuit-probe:{phone_number_id}"


def _jitter() -> float:
    # Held customers' flushes are spread over half a second, not woken all at once.
    return random.uniform(0, 0.5)


def circuit_gate(phone_number_id: str) -> Gate:
    """Whether sends from the number may go now. One cache read while the circuit is closed."""
    state = cache.get(_key(phone_number_id))
    if state is None:
        return Gate()
    remaining = state["until"] - time.time()
    if remaining > 0:
        return Gate(hold=Hold(state["reason"], remaining + _jitter()))
    # Half-open: one worker probes, the others wait for its answer.
    if cache.add(_probe_key(phone_number_id), os.getpid(), timeout=PROBE_SECONDS):
        return Gate(probe=True)
    return Gate(hold=Hold(state["reason"], PROBE_WAIT_SECONDS + _jitter()))


def circuit_trip(phone_number_id: str, *, reason: str, code: int | None) -> Hold:
    """Meta throttled the number or refused the token: open (again) with a doubled cool-down."""
    state = cache.get(_key(phone_number_id))
    now = time.time()
    initial = settings.WHATSAPP_CIRCUIT_COOLDOWN_SECONDS
    cooldown = min(state["cooldown"] * 2, settings.WHATSAPP_CIRCUIT_MAX_COOLDOWN_SECONDS) if state else initial
    cache.set(
        _key(phone_number_id),
        {
            "reason": reason,
            "code": code,
            "opened_at": state["opened_at"] if state else now,
            "until": now + cooldown,
            "cooldown": cooldown,
        },
        timeout=STATE_SECONDS,
    )
    cache.delete(_probe_key(phone_number_id))
    if state is None:
        logger.warning(
            "Cloud API circuit open for phone number id %s: %s (code %s); sends held", phone_number_id, reason, code
        )
    if reason == TOKEN:
        _token_alert_once()
    return Hold(reason, cooldown + _jitter())


def circuit_close(phone_number_id: str) -> None:
    """A send went through (the probe, or any send after a cool-down): everyone sends again."""
    state = cache.get(_key(phone_number_id))
    cache.delete_many([_key(phone_number_id), _probe_key(phone_number_id)])
    if state is not None:
        logger.warning(
            "Cloud API circuit closed for phone number id %s after %.0f s (%s)",
            phone_number_id,
            time.time() - state["opened_at"],
            state["reason"],
        )


def probe_schedule_claim(phone_number_id: str, *, seconds: float) -> bool:
    """Whether the caller schedules the next probe (True for one caller per cool-down)."""
    return cache.add(f"wa-circuit-probe-due:{phone_number_id}", 1, timeout=int(seconds) + 5)


def probe_schedule_release(phone_number_id: str) -> None:
    """The scheduled probe runs: whoever is held next may schedule another."""
    cache.delete(f"wa-circuit-probe-due:{phone_number_id}")


def probe_abandon(phone_number_id: str) -> None:
    """The probe learnt nothing (no answer from Meta): the next send may probe at once."""
    cache.delete(_probe_key(phone_number_id))


def circuit_state(phone_number_id: str) -> dict | None:
    """The open circuit's state (reason, code, opened_at, until), or None when closed."""
    return cache.get(_key(phone_number_id))


def _token_alert_once() -> None:
    """One e-mail to the operators per period, however many sends the bad token refuses."""
    logger.critical("WhatsApp access token rejected (190): sends are held until it is renewed")
    if not cache.add("wa-token-alert", 1, timeout=settings.WHATSAPP_TOKEN_ALERT_PERIOD_SECONDS):
        return
    try:
        mail_admins(
            "Token de WhatsApp rechazado (190)",
            "Meta rechazó el token de acceso (error 190). Los mensajes quedan retenidos, sin perderse, "
            "y salen en orden apenas se renueve WHATSAPP_ACCESS_TOKEN y se reinicien los procesos.",
        )
    except Exception:
        # A broken mail set-up must not stop the breaker; the critical log line above stands.
        logger.exception("could not e-mail the operators about the rejected token")
