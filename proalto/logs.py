"""Logging: one JSON object per line in production, plain text on a laptop, and on every
line the correlation id of the work it belongs to.

The correlation id is the WhatsApp id of the customer's message (``wamid.…``) from the
webhook that stores it, through the worker that answers it, to the Cloud API call that sends
the reply; other requests get the proxy's ``X-Request-ID`` or a new id, and a task carries
the id of what queued it (``proalto.celery.enqueue`` puts it in the task's headers). An
operator greps one id and reads one conversation turn across processes.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")

# A request id from the proxy is logged as given, so it is kept to what an id looks like.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@contextlib.contextmanager
def correlated(value: str):
    """Log lines inside carry ``value`` as their correlation id."""
    token = correlation_id.set(value)
    try:
        yield value
    finally:
        correlation_id.reset(token)


class CorrelationFilter(logging.Filter):
    """Adds ``correlation_id`` to every record a handler emits ("-" outside any work)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get() or "-"
        return True


class CorrelationMiddleware:
    """Every request runs under a correlation id: the proxy's X-Request-ID when it sends a
    sane one, else a new one; answered back in X-Request-ID. The webhook narrows it to the
    WhatsApp ids of the messages it stores."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        value = given if _REQUEST_ID.fullmatch(given) else new_id()
        with correlated(value):
            response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


class JsonNamesFilter(logging.Filter):
    """The JSON line's short names (level, logger, pid) set on the record: python-json-logger's
    rename_fields would cost three times the formatting itself on every line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.level, record.logger, record.pid = record.levelname, record.name, record.process
        return True


def logging_config(*, json_lines: bool, level: str) -> dict:
    """The LOGGING dict: JSON lines (python-json-logger) or plain text, both with the
    correlation id; the console is the only handler (the process manager keeps the logs)."""
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(level)s %(logger)s %(correlation_id)s %(pid)d %(message)s",
            "timestamp": "time",  # ISO 8601, UTC
        }
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "correlation": {"()": "proalto.logs.CorrelationFilter"},
            "json_names": {"()": "proalto.logs.JsonNamesFilter"},
        },
        "formatters": {"main": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["correlation", "json_names"] if json_lines else ["correlation"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # axes: failures and lockouts (WARNING) without a line for every step of every login.
        "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
    }


# --- Sentry (optional): errors reported with personal data scrubbed -------------------------------

# What looks like a phone, a cédula or a one-time code (runs of 5+ digits), a BSUID, an e-mail.
_DIGITS = re.compile(r"\d{5,}")
_BSUID = re.compile(r"\b[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{6,140}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def scrub_text(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _BSUID.sub("[bsuid]", text)
    return _DIGITS.sub(lambda m: "•" * (len(m.group()) - 3) + m.group()[-3:], text)


def scrub(value):
    """Personal data out of anything an event holds: strings masked, containers walked."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value


def sentry_before_send(event: dict, hint) -> dict:
    """No request bodies, cookies, headers, users or local variables leave; messages,
    exception values and breadcrumbs are masked."""
    request = event.get("request")
    if request:
        event["request"] = {"method": request.get("method"), "url": scrub_text(request.get("url", "").split("?")[0])}
    event.pop("user", None)
    for exception in (event.get("exception") or {}).get("values", []):
        if exception.get("value"):
            exception["value"] = scrub_text(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    for key in ("message", "logentry", "extra", "breadcrumbs", "contexts"):
        if key in event:
            event[key] = scrub(event[key])
    if event.get("logentry"):
        event["logentry"].pop("params", None)
    return event


def sentry_init(*, dsn: str, environment: str, release: str) -> None:
    import sentry_sdk  # only with SENTRY_DSN: the SDK is not loaded otherwise
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=sentry_before_send,
        before_breadcrumb=lambda crumb, hint: scrub(crumb),
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
