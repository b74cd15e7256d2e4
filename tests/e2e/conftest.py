"""Fixtures of the end-to-end tests that need real moving parts."""

from __future__ import annotations

import os

import pytest
import redis as redis_lib
import time_machine

from tests.conftest import TEST_PHONE_NUMBER_ID, TEST_SECRET, TEST_TOKEN
from tests.realworker import Worker, database_url


@pytest.fixture
def start_worker(meta, standin, tmp_path, settings):
    """Factory: a real worker process with the test run's environment, on the test database.
    Tasks go through Redis to it (the suite's eager mode is off for the test)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    redis_lib.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # nothing left from other tests
    workers: list[Worker] = []
    base_env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        WHATSAPP_API_BASE_URL=standin.base_url,
        WHATSAPP_ACCESS_TOKEN=TEST_TOKEN,
        WHATSAPP_APP_SECRET=TEST_SECRET,
        WHATSAPP_VERIFY_TOKEN="test-verify-token",
        WHATSAPP_PHONE_NUMBER_ID=TEST_PHONE_NUMBER_ID,
        WHATSAPP_RETRY_BACKOFF_SECONDS="0.05",
        CELERY_VISIBILITY_TIMEOUT="5",
        CELERY_TASK_ALWAYS_EAGER="false",
        PROALTO_SANDBOX="false",
        PYTHONUNBUFFERED="1",
    )

    def start(**extra_env) -> Worker:
        worker = Worker(tmp_path / f"worker-{len(workers)}.log", {**base_env, **extra_env})
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def moment(request):
    """The wall clock of the whole test process (webhook server threads included) set to
    ``request.param``, an aware datetime, and ticking from there (time-machine). Parametrise
    it indirectly and list it before the chat fixtures so everything happens at that moment."""
    with time_machine.travel(request.param, tick=True):
        yield request.param
