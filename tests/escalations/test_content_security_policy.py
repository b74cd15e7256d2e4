"""Content-Security-Policy (django-csp) on the admin, the sandbox and /verificar/: scripts and
<style> elements run only with the response's nonce, no inline event handlers, no plugins, no
framing. That the pages still work under it is checked in Chromium by the browser tests
(tests/escalations/test_live_chat_browser.py, tests/e2e/test_sandbox_browser.py), which fail
on any CSP violation in the console."""

import re

import pytest

from escalations.models import Ticket
from tests.escalations.test_queue import _ticket

pytestmark = pytest.mark.django_db

INLINE = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
SCRIPT_BODIES = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def assert_strict_policy(response) -> None:
    policy = directives(response)
    for source in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:"):
        assert source not in policy["script-src"].split(), policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"].split()
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    html = response.content.decode()
    inline = [(tag, attrs) for tag, attrs in INLINE.findall(html) if "src=" not in attrs and "json" not in attrs]
    if inline:
        nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
        assert f"'nonce-{nonce}'" in policy["style-src"]
        for tag, attrs in inline:
            assert f'nonce="{nonce}"' in attrs, f"<{tag}{attrs}> has no nonce: the browser would refuse it"
    assert not HANDLER.search(SCRIPT_BODIES.sub("", html)), "an inline event handler never runs under the policy"


def test_admin_login_page(client):
    assert_strict_policy(client.get("/admin/login/"))


def test_admin_queue_chat_and_metrics(logged_in):
    ticket = _ticket("573000000001")
    supervisor = logged_in("Supervisor")
    assert supervisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.TAKEN
    chat = supervisor.get(f"/admin/escalations/ticket/{ticket.pk}/chat/")
    assert chat.status_code == 200 and 'id="close-form"' in chat.content.decode()
    assert_strict_policy(chat)
    assert_strict_policy(supervisor.get("/admin/escalations/ticket/"))
    assert_strict_policy(supervisor.get("/admin/metrics/"))
    assert_strict_policy(supervisor.get("/admin/"))


def test_sandbox_and_verification_pages(client):
    sandbox = client.get("/sandbox/")
    assert sandbox.status_code == 200
    assert_strict_policy(sandbox)
    assert_strict_policy(client.get("/verificar/AAAA-BBBB-CCCC/"))
