"""An advisor works a ticket in a real headless Chromium while the customer writes on WhatsApp."""

import os
import time

import pytest

from conversations.dev.management.commands.screenshots import CHROMIUM, CHROMIUM_ARGS
from escalations.models import Ticket
from tests.escalations.conftest import totp_code
from tests.support import texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    # Playwright's sync API runs an event loop in this thread; for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(10_000)
        errors, refused = [], []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # The admin runs under the Content-Security-Policy: anything it refused is a bug.
        page.on("console", lambda msg: "Content Security Policy" in msg.text and refused.append(msg.text))
        yield page
        browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"
        assert not refused, f"Content-Security-Policy violations: {refused}"


def _wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_advisor_takes_a_ticket_and_chats_live(browser_page, live_server, consented_chat, staff):
    page = browser_page
    ana = consented_chat()
    assert "fila" in texts(ana.says("quiero hablar con un asesor"))
    ticket = Ticket.objects.get()
    laura = staff("laura", "Asesor")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/escalations/ticket/")
    page.fill("#id_username", "laura")
    page.fill("#id_password", laura.password)
    page.fill("#id_otp_token", totp_code(laura.device))
    page.click("input[type=submit]")
    page.wait_for_selector(f"text=#{ticket.pk}")
    assert page.inner_text("#tickets-waiting .count") == "1"

    page.click("button:has-text('Tomar')")
    page.wait_for_selector("#reply-form")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.TAKEN and ticket.assigned_to == laura.user

    # The customer writes: the bot stays quiet and the message shows up without reloading.
    page.evaluate("() => { window.__notReloaded = true; }")  # gone if the page reloads
    assert ana.says("Hola, necesito ayuda con mi <b>cuota</b>") == []
    page.wait_for_selector("#messages .msg.in:has-text('necesito ayuda')")
    assert page.evaluate("() => window.__notReloaded") is True
    # Rendered as text, never as HTML.
    assert page.locator("#messages b").count() == 0
    assert "<b>cuota</b>" in page.inner_text("#messages")

    page.fill("#reply-text", "Hola Ana, soy Laura de ProAlto. Ya reviso tu cuota.")
    page.click("#send-button")
    replies = _wait_for(lambda: ana.replies())
    assert "soy Laura de ProAlto" in texts(replies)
    page.wait_for_selector("#messages .msg.advisor:has-text('soy Laura')")

    page.on("dialog", lambda dialog: dialog.accept())
    page.select_option("#close-outcome", "resuelto")
    page.click("#close-button")
    page.wait_for_selector("text=el asistente virtual retoma la conversación")
    assert "terminó" in texts(_wait_for(lambda: ana.replies()))
    # The bot answers again.
    assert "¿En qué te puedo ayudar?" in texts(ana.says("menú"))  # the menu (greeted once per session)
    assert "saldo" in ana.offered()
