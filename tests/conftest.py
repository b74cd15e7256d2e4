"""Shared fixtures: the Cloud API stand-in on loopback, Meta posting signed webhooks to a
real WSGI server (pytest-django's live_server), and WhatsApp users chatting with the bot.

By default Celery runs tasks eagerly inside the webhook's server thread, right after the
transaction commits, so a webhook POST returns once the replies reached the stand-in.
Tests about ordering, retries and crashes use a real worker process instead
(tests/e2e/test_worker.py).
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from conversations.dev.standin import serve
from credits.services import portfolio_sync
from tests.portfolio import core_active, core_ensure, demo_lines, portfolio_write
from tests.support import Meta, WhatsAppUser

TEST_TOKEN = "test-access-token"
TEST_SECRET = "test-app-secret"
TEST_PHONE_NUMBER_ID = "106540352242922"
# Services tests may not skip in the services pass, nor browser tests in CI.
pytest_plugins = ["tests.strict_skips"]

DEMO_PORTFOLIO = Path(__file__).resolve().parent.parent / "credits" / "fixtures" / "demo_portfolio.jsonl"


@pytest.fixture(scope="session")
def standin_server():
    server, state = serve("127.0.0.1", 0, access_token=TEST_TOKEN)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", state
    server.shutdown()


@pytest.fixture
def standin(standin_server, settings):
    """The Cloud API stand-in, with the bot's client pointed at it; emptied for each test."""
    url, state = standin_server
    settings.WHATSAPP_API_BASE_URL = url
    settings.WHATSAPP_ACCESS_TOKEN = TEST_TOKEN
    settings.WHATSAPP_RETRY_BACKOFF_SECONDS = 0.01
    state.reset()
    state.base_url = url
    return state


@pytest.fixture
def private_cache(settings):
    """The embedded (in-memory) cache, of this test's own, whatever the pass: identity failure
    counters, locks and one-time codes start from zero and stay in the test's process."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{uuid.uuid4()}"}
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.WHATSAPP_APP_SECRET = TEST_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "test-verify-token"
    # The business number of the payloads in tests/fixtures/whatsapp (Meta's documentation's).
    settings.WHATSAPP_PHONE_NUMBER_ID = TEST_PHONE_NUMBER_ID
    # Counters kept in the cache (identity failures and locks, one-time codes a day, login
    # throttling) start from zero in every test, on the embedded cache and on Redis alike.
    settings.CACHES = {name: {**config, "KEY_PREFIX": uuid.uuid4().hex} for name, config in settings.CACHES.items()}
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path / "media")},
            },
        }


@pytest.fixture(autouse=True)
def celery_eager(settings):
    # Celery reads the CELERY_* Django settings live (namespace "CELERY").
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def policy(db):
    """The PTI in force (the data migration's row does not survive transactional tests)."""
    from consent.models import PolicyVersion
    from consent.selectors import policy_current

    return policy_current() or PolicyVersion.objects.create(
        version="2026.1",
        consent_text="ProAlto tratará tus datos para atender tus solicitudes.",
        policy_url="https://www.proalto.com.co/pti",
        published_at=timezone.now(),
    )


@pytest.fixture
def meta(live_server, standin, policy):
    return Meta(f"{live_server.url}/webhooks/whatsapp/", TEST_SECRET)


@pytest.fixture
def chat(meta, standin):
    """Factory: chat("573001234567") is a WhatsApp user talking to the bot."""

    def make(wa_id: str | None = "573001234567", name: str = "Ana Lucía", **identity) -> WhatsAppUser:
        return WhatsAppUser(meta, standin, wa_id, name, **identity)

    return make


@pytest.fixture
def consented_chat(chat):
    """Factory: a user who has already accepted the data-processing authorisation."""

    def make(wa_id: str | None = "573001234567", name: str = "Ana Lucía", **identity) -> WhatsAppUser:
        user = chat(wa_id, name, **identity)
        user.says("hola")
        user.taps("consent_accept")
        return user

    return make


@pytest.fixture
def portfolio(db):
    """ProAlto's demo portfolio (credits/fixtures/README.md describes each customer), in the
    source in use: the local copy, or the core, synced to the local copy (tests/portfolio.py)."""
    if core_active():
        core_ensure("demo")
        portfolio_sync(full=True)
    else:
        portfolio_write(*demo_lines())


@pytest.fixture(autouse=True)
def _core_as_expected(request):
    """With the core as source (the services pass) a test starts from an empty core, or from
    the demo portfolio when it asks for it."""
    if core_active() and "portfolio" not in request.fixturenames:
        core_ensure("empty")
