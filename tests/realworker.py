"""A real Celery worker process (prefork) on Redis and the test PostgreSQL database, for the
tests where ordering, retries or crashes matter; and helpers to chat through it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis as redis_lib
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[1]

# The marks of a test module that needs the worker: the services run, PostgreSQL shared by
# the test and the worker process, Redis as the broker.
REAL_WORKER = [
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL shared by the test and a worker process: DATABASE_URL is not postgres:// "
        "(make test-services)",
    ),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs Redis as the Celery broker: REDIS_URL unset (make test-services)",
    ),
]
CELERY = str(Path(sys.executable).parent / "celery")


def database_url() -> str:
    db = django_settings.DATABASES["default"]  # the test database pytest-django created
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    def __init__(self, log: Path, env: dict[str, str]):
        self.log_path = log
        self.log = open(log, "ab")
        self.proc = subprocess.Popen(
            [
                CELERY,
                "-A",
                "proalto",
                "worker",
                "--concurrency",
                "2",
                "-P",
                "prefork",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children): no ack, no cleanup."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def wait_broker_idle(timeout: float = 30) -> None:
    """Until no task is queued, running or due for a retry: Celery's queue is empty and nothing
    is unacknowledged (tasks are acknowledged late, when they end, and a retry's countdown task
    is held unacknowledged by the worker until it is due). After that nothing more is sent, so
    a test can assert that something did not happen without sleeping for a guess."""
    broker = redis_lib.Redis.from_url(os.environ["REDIS_URL"])
    deadline = time.monotonic() + timeout
    while broker.llen("celery") or broker.hlen("unacked"):
        assert time.monotonic() < deadline, f"tasks still queued or running after {timeout} s"
        time.sleep(0.05)


def wait_until(predicate, what: str, timeout: float = 30):
    """Polls predicate() until it returns something truthy; fails saying what never happened."""
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.02)
    return result


def wait_replies(user, count: int, timeout: float = 30) -> list[dict]:
    replies = user.replies(wait=timeout, at_least=count)
    assert len(replies) >= count, f"{user.wa_id} got {len(replies)} of {count} replies within {timeout} s"
    return replies


def consent_given(user) -> None:
    user.says("hola")
    wait_replies(user, 1)
    user._send(
        "button_reply",
        interactive={"type": "button_reply", "button_reply": {"id": "consent_accept", "title": "Acepto"}},
    )
    deadline = time.monotonic() + 30
    while "saldo" not in user.offered():
        assert time.monotonic() < deadline, "the menu never came after accepting consent"
        time.sleep(0.05)
    wait_broker_idle()
    user.replies()  # drain
