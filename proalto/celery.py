"""The Celery application: configured from Django settings (CELERY_* names)."""

import gc
import logging
import os
import threading
import time
from pathlib import Path

from celery import Celery, bootsteps, signals
from celery.beat import PersistentScheduler
from celery.utils import uuid
from django.conf import settings

from proalto import metrics
from proalto.logs import correlation_id, new_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proalto.settings")

logger = logging.getLogger(__name__)

app = Celery("proalto")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The message header carrying the correlation id of the work that queued a task (proalto.logs).
CORRELATION_HEADER = "proalto_correlation"


@signals.setup_logging.connect
def _keep_django_logging(**kwargs) -> None:
    """Workers and beat log through Django's LOGGING (JSON lines in production, with the
    correlation id), not a format of Celery's own."""


@signals.task_prerun.connect
def _task_correlated(task_id=None, task=None, **kwargs) -> None:
    """A task's lines carry the id of the work that queued it (a webhook's WhatsApp message
    ids), or the task's own id when nothing did (the sweep, beat)."""
    if task is None:
        return
    # A worker finds the header among the request's attributes; an eager call under its headers.
    given = getattr(task.request, CORRELATION_HEADER, None) or (task.request.headers or {}).get(CORRELATION_HEADER)
    task.request.correlation_token = correlation_id.set(given or task_id or new_id())


@signals.task_postrun.connect
def _task_uncorrelated(task=None, **kwargs) -> None:
    token = getattr(task.request, "correlation_token", None) if task is not None else None
    if token is not None:
        correlation_id.reset(token)


# --- Liveness of workers and beat ----------------------------------------------------------------
#
# Each touches a heartbeat file from its main loop every HEARTBEAT_SECONDS; `manage.py
# celery_alive worker|beat` (or any "file modified in the last minute" probe) tells the
# orchestrator whether it is stuck.


def heartbeat_touch(kind: str) -> None:
    path = Path(settings.HEARTBEAT_DIR) / f"celery-{kind}.heartbeat"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError:
        logger.warning("could not touch the %s heartbeat %s", kind, path, exc_info=True)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Touches the worker's heartbeat from the main process's event loop: a worker whose loop
    is blocked stops touching it."""

    requires = {"celery.worker.components:Timer"}

    def start(self, worker):
        heartbeat_touch("worker")
        self.timer_entry = worker.timer.call_repeatedly(settings.HEARTBEAT_SECONDS, heartbeat_touch, ("worker",))

    def stop(self, worker):
        entry = getattr(self, "timer_entry", None)
        if entry is not None:
            entry.cancel()


app.steps["worker"].add(WorkerHeartbeat)


@signals.worker_init.connect
def _metrics_dir_prepare(**kwargs) -> None:
    """The worker's metrics directory starts empty (an earlier run's files would be added to
    this run's counters); the pool's processes, forked after this, each write their own."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        metrics.multiprocess_dir_prepare(folder)


@signals.worker_process_init.connect
def _loaded_objects_freeze(**kwargs) -> None:
    """A pool process forked from the loaded worker: what it inherited lives as long as it,
    so a full collection skips it (as the web's workers do, proalto/wsgi.py)."""
    gc.collect()
    gc.freeze()


@signals.worker_ready.connect
def _metrics_serve(**kwargs) -> None:
    """A worker on a machine without the web serves its pool's counters itself on
    CELERY_METRICS_PORT (plain HTTP, no token: bind it to a private address Prometheus alone
    reaches). On a machine with the web, the web's /metrics reads the worker's directory
    (METRICS_DIRS) instead."""
    port = os.environ.get("CELERY_METRICS_PORT")
    if port and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics.worker_metrics_serve(port=int(port), address=os.environ.get("CELERY_METRICS_ADDRESS", "127.0.0.1"))


class HeartbeatScheduler(PersistentScheduler):
    """Beat's scheduler, touching beat's heartbeat as it ticks (it ticks at least every 15 s)."""

    max_interval = 15

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - getattr(self, "_touched", 0.0) >= settings.HEARTBEAT_SECONDS:
            heartbeat_touch("beat")
            self._touched = now
        return super().tick(*args, **kwargs)


# --- Publishing on the hot path -------------------------------------------------------------
#
# The webhook queues a task for every message Meta sends. Task.apply_async costs ~0.45 ms of
# CPU a call on Redis (routing and option merging, a Redis client built per publish and a
# round trip to look up the exchange's bindings); enqueue() builds the same protocol-2 task
# message with Celery's own AMQP.as_task_v2 and publishes it straight to the default queue
# by name through a producer kept per thread (~0.2 ms). Workers cannot tell the difference.


class _Producers(threading.local):
    connection = None
    producer = None
    broker_url = None


_producers = _Producers()


def _producer():
    """The thread's kept producer, and whether it was already there (its connection may
    have gone stale since) or was just connected."""
    if _producers.producer is not None and _producers.broker_url == app.conf.broker_url:
        return _producers.producer, True
    _producer_drop()
    _producers.connection = app.connection_for_write()
    _producers.producer = app.amqp.Producer(_producers.connection.default_channel, auto_declare=False)
    _producers.broker_url = app.conf.broker_url
    return _producers.producer, False


def _producer_drop() -> None:
    connection, _producers.connection, _producers.producer = _producers.connection, None, None
    if connection is not None:
        try:
            connection.release()
        except Exception:  # already broken: nothing to release
            pass


def task_by_name(name: str):
    """The registered task called ``name``. Lower layers queue work for the layers above by
    name, so they never import them; every task module is imported here on first use."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(name: str, *args, countdown: float | None = None) -> None:
    """Queue the task ``name`` with args on the default queue, with the least work per call;
    raises when the broker cannot be reached (callers rely on a sweep; only a kept
    connection that went stale is tried once more, on a new one)."""
    redis = str(app.conf.broker_url).startswith(("redis://", "rediss://"))
    headers = {CORRELATION_HEADER: correlation_id.get()} if correlation_id.get() else {}
    if app.conf.task_always_eager or not redis or countdown is not None:
        task_by_name(name).apply_async(args, countdown=countdown, retry=False, headers=headers)
        return
    task_id = uuid()
    message = app.amqp.as_task_v2(task_id, name, args=args, kwargs={}, ignore_result=True)
    message.headers.update(headers)
    producer, kept = _producer()
    try:
        _publish(producer, message)
    except Exception:
        _producer_drop()
        if not kept:
            raise
        _publish(_producer()[0], message)  # the kept connection went stale (Redis restarted): once more


def _publish(producer, message) -> None:
    producer.publish(
        message.body,
        exchange="",
        routing_key=app.conf.task_default_queue,
        headers=message.headers,
        serializer="json",
        delivery_mode=2,
        retry=False,
        **message.properties,
    )


def enqueue_or_defer(name: str, *args, countdown: float | None = None) -> bool:
    """enqueue(), for work that is already stored: when the broker cannot be reached the
    failure is logged and False returned, and beat's sweep enqueues the stored work later."""
    try:
        enqueue(name, *args, countdown=countdown)
    except Exception:
        logger.warning("could not enqueue %s%s; the sweep will pick it up", name, args, exc_info=True)
        return False
    return True
