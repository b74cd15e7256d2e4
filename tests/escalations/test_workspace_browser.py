"""The advisors' inbox, a supervisor's saved replies and compliance's view of a person, in a
real headless Chromium at 1366x768 (the laptop the back office must fit without sideways scrolling)."""

import os
import re
import time

import pytest

from conversations.dev.management.commands.screenshots import CHROMIUM, CHROMIUM_ARGS
from escalations.models import AuditEntry, SavedReply, Ticket, TicketNote
from tests.escalations.conftest import totp_code
from tests.support import texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
# Records what the page asks the browser to notify, as a granted Notification API would show it.
NOTIFICATION_SPY = """
window.__notified = [];
window.Notification = function (title, options) { window.__notified.push(title); };
window.Notification.permission = "granted";
window.Notification.requestPermission = function () { return Promise.resolve("granted"); };
"""


@pytest.fixture
def browser_page():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"]
        )
        page = browser.new_page(viewport=LAPTOP)
        page.add_init_script(NOTIFICATION_SPY)
        page.set_default_timeout(10_000)
        errors, refused = [], []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
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


def _login(page, url, member, next_url=""):
    page.goto(f"{url}/admin/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("#id_username", member.username)
    page.fill("#id_password", member.password)
    page.fill("#id_otp_token", totp_code(member.device))
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")


def assert_no_sideways_scroll(page):
    # Neither the page nor the admin's result tables (which scroll inside their own box).
    overflow = page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth,
            ...Array.from(document.querySelectorAll(".results")).map(el => el.scrollWidth - el.clientWidth))"""
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 1366x768"


def test_an_advisor_works_a_case_from_the_inbox(browser_page, live_server, consented_chat, staff, portfolio):
    from credits.selectors import customer_by_phone

    page = browser_page
    SavedReply.objects.create(
        shortcut="saludo", title="Saludo", text="Hola {nombre}, soy {asesor} de ProAlto. *Con gusto* te ayudo."
    )
    laura = staff("laura", "Asesor")
    laura.user.first_name, laura.user.last_name = "Laura", "Pérez"
    laura.user.save()

    # After logging in an advisor lands on the inbox, not the app index.
    _login(page, live_server.url, laura)
    assert page.url.endswith("/admin/escalations/ticket/inbox/")
    page.wait_for_selector("#queue-unassigned .q-empty")
    assert_no_sideways_scroll(page)

    # A customer asks for a person: the queue shows it without reloading, with a notification,
    # a sound and the count in the tab title.
    ana = consented_chat()
    assert "fila" in texts(ana.says("quiero hablar con un asesor"))
    ticket = Ticket.objects.get()
    ticket.customer = customer_by_phone(phone="573001234567")
    ticket.save(update_fields=["customer"])
    page.wait_for_selector(f"#q-{ticket.pk}")
    page.wait_for_selector("#inbox-toast:has-text('Nuevo caso')")
    assert page.evaluate("() => window.__notified") == [f"Nuevo caso #{ticket.pk}"]
    assert page.evaluate("() => window.proaltoBeeps") >= 1
    assert page.title().startswith("(1) ")

    # The ticket list fits too ("Abrir chat"/"Tomar" were cut off below ~1900 px).
    page.goto(f"{live_server.url}/admin/escalations/ticket/")
    page.wait_for_selector("#result_list button:has-text('Tomar')")
    assert_no_sideways_scroll(page)
    page.goto(f"{live_server.url}/admin/escalations/ticket/inbox/")
    page.wait_for_selector(f"#q-{ticket.pk}")

    # Take it from the queue: the chat and the customer sit side by side.
    page.click(f"#queue-unassigned li:has(#q-{ticket.pk}) button:has-text('Tomar')")
    page.wait_for_selector("#reply-form")
    assert_no_sideways_scroll(page)
    credits = page.inner_text("#customer-credits")
    assert "LIB-000123" in credits and "$8.250.000" in credits and "$410.000" in credits
    assert re.search(r"\d+ de [a-z]+ de 2026", credits)  # the next deduction, in lowercase Spanish
    assert "Aceptó" in page.inner_text("#customer-consent") and "PTI" in page.inner_text("#customer-consent")
    assert "•••" in page.inner_text("#customer-cedula")  # advisors see the cédula masked
    assert "Abierta" in page.inner_text("#customer-window")
    os.makedirs("var/test-screens", exist_ok=True)
    page.screenshot(path="var/test-screens/advisor-chat.png")

    # A saved reply by typing /, placeholders filled, WhatsApp formatting previewed.
    page.click("#reply-text")
    page.keyboard.type("/sal")
    page.wait_for_selector("#slash-menu li:has-text('/saludo')")
    page.keyboard.press("Enter")
    assert page.input_value("#reply-text") == "Hola Ana, soy Laura de ProAlto. *Con gusto* te ayudo."
    assert page.inner_text("#reply-preview strong") == "Con gusto"
    page.click("#send-button")
    assert "soy Laura de ProAlto" in texts(_wait_for(lambda: ana.replies()))
    page.wait_for_selector("#messages .msg.advisor strong:has-text('Con gusto')")

    # A private note: in the transcript for the team, audited, never sent.
    page.click("#note-box summary")
    page.fill("#note-text", "Pidió que la llamen después de las 3.")
    page.click("#note-button")
    page.wait_for_selector("#messages .msg.note:has-text('llamen después')")
    assert TicketNote.objects.get().author == laura.user
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ADD_NOTE, user=laura.user).exists()
    assert ana.replies() == []

    # Closing asks for the outcome; the inbox follows.
    page.on("dialog", lambda dialog: dialog.accept())
    page.select_option("#close-outcome", "resuelto")
    page.click("#close-button")
    page.wait_for_url("**/admin/escalations/ticket/inbox/")
    page.wait_for_selector("text=el asistente virtual retoma la conversación")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.outcome == Ticket.Outcome.RESOLVED


def test_a_supervisor_keeps_the_saved_replies(browser_page, live_server, staff):
    page = browser_page
    boss = staff("sofia", "Supervisor")
    _login(page, live_server.url, boss)
    page.goto(f"{live_server.url}/admin/escalations/savedreply/add/")
    assert_no_sideways_scroll(page)
    page.fill("#id_shortcut", "saludo")
    page.fill("#id_title", "Saludo")
    page.fill("#id_text", "Hola {nombre} {apellido}, soy {asesor}.")
    page.click("input[name=_save]")
    # An unknown placeholder is refused, naming it and the ones that exist.
    error = page.inner_text(".errorlist")
    assert "{apellido}" in error and "{nombre}" in error
    assert not SavedReply.objects.exists()
    page.fill("#id_text", "Hola {nombre}, soy {asesor}. Tu caso es el {caso}.")
    page.click("input[name=_save]")
    page.wait_for_selector("#result_list")
    assert "/saludo" in page.inner_text("#result_list")
    reply = SavedReply.objects.get()
    assert reply.updated_by == boss.user and reply.active
    assert_no_sideways_scroll(page)


def test_compliance_sees_who_made_a_data_rights_request(browser_page, live_server, staff, consented_chat, portfolio):
    from consent.services import rights_request_open
    from conversations.messaging.models import Contact
    from credits.selectors import customer_by_phone

    consented_chat()
    request = rights_request_open(
        contact=Contact.objects.get(wa_id="573001234567"),
        kind="rectificar",
        detail="Mi dirección está mal.",
        customer=customer_by_phone(phone="573001234567"),
    )
    page = browser_page
    officer = staff("camila", "Cumplimiento")
    _login(page, live_server.url, officer)
    # The badge counts the new request.
    assert page.inner_text("#rights-attention .count") == "1"
    page.click("#rights-attention")
    page.wait_for_selector("#result_list")
    assert_no_sideways_scroll(page)
    row = page.inner_text("#result_list tbody tr")
    # Cumplimiento sees the person's name and full cédula; the headers are in Spanish.
    assert "Ana Lucía Gómez Restrepo · C.C. 1020304050" in row
    headers = page.inner_text("#result_list thead")
    assert "RADICADO" in headers.upper() and "TITULAR" in headers.upper() and "KIND" not in headers.upper()
    page.goto(f"{live_server.url}/admin/consent/datarightsrequest/{request.pk}/change/")
    assert "1020304050" in page.inner_text("#content")
    page.goto(f"{live_server.url}/admin/consent/datarightsrequest/{request.pk}/resolve/")
    assert page.inner_text("#rights-person") == "Ana Lucía Gómez Restrepo · C.C. 1020304050"
    assert_no_sideways_scroll(page)
    looks = AuditEntry.objects.filter(user=officer.user, action=AuditEntry.Action.VIEW_CUSTOMER)
    assert looks.count() == 3 and all("cédula completa" in entry.fields for entry in looks)
