"""The sandbox chat in a real headless Chromium: a person chats as a WhatsApp user, and
every action goes through a signed webhook to the bot and back through the stand-in.

The site is served like proalto/wsgi.py serves it (Django with the Cloud API stand-in
mounted at /sandbox/graph), on Django's live-server thread so it shares the test database.
"""

from __future__ import annotations

import importlib.util
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from consent.selectors import contact_has_consent
from conversations.dev import sandbox
from conversations.dev.walkthrough import sandbox_in_process
from conversations.messaging.webhook import parse
from conversations.models import Contact, InboundMessage, OutboundMessage
from documents.models import Document
from tests.e2e.sample_files import pdf_bytes

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 20000


# --- The payloads the sandbox posts are the ones the webhook parses -------------------------------


@pytest.mark.parametrize(
    "kind, content, expected",
    [
        ("text", {"body": "hola"}, {"type": "text", "text": "hola"}),
        (
            "interactive",
            {"type": "button_reply", "button_reply": {"id": "consent_accept", "title": "Acepto"}},
            {"type": "interactive", "choice_id": "consent_accept", "text": "Acepto"},
        ),
        (
            "interactive",
            {"type": "list_reply", "list_reply": {"id": "saldo", "title": "Consultar saldo"}},
            {"type": "interactive", "choice_id": "saldo"},
        ),
        ("image", {"mime_type": "image/png", "sha256": "x", "id": "123"}, {"type": "image", "media_id": "123"}),
        (
            "document",
            {"filename": "a.pdf", "mime_type": "application/pdf", "sha256": "x", "id": "456"},
            {"type": "document", "media_id": "456", "media_filename": "a.pdf"},
        ),
    ],
)
def test_sandbox_payloads_parse_like_metas(kind, content, expected):
    payload = sandbox.message_payload(wa_id="573001234567", name="Ana", kind=kind, content=content)
    [message] = parse(json.loads(json.dumps(payload))).messages
    assert message.wa_id == "573001234567" and message.sender.profile_name == "Ana"
    assert message.sender.bsuid == sandbox.sandbox_bsuid("573001234567")
    assert message.wa_message_id.startswith("wamid.")
    for field, value in expected.items():
        assert getattr(message, field) == value


def test_sandbox_status_payload_parses_like_metas():
    payload = sandbox.statuses_payload(
        wa_id="573001234567", wa_message_ids=["wamid.a", "wamid.b"], statuses=["delivered", "read"]
    )
    statuses = parse(payload).statuses
    assert [(s.wa_message_id, s.status) for s in statuses] == [
        ("wamid.a", "delivered"),
        ("wamid.b", "delivered"),
        ("wamid.a", "read"),
        ("wamid.b", "read"),
    ]


def test_send_refuses_bad_numbers_and_big_files_with_a_reason(client, settings):
    response = client.post("/sandbox/send", {"wa_id": "57-300", "kind": "text", "text": "hola"})
    assert response.status_code == 400 and response.json()["error"] == "phone"
    response = client.post("/sandbox/send", {"wa_id": "573001234567", "kind": "text", "text": "   "})
    assert response.status_code == 400 and response.json()["error"] == "text"
    settings.DOCUMENT_MAX_BYTES = 1000
    big = b"%PDF-1.4\n" + b"0" * (sandbox.UPLOAD_MARGIN_BYTES + 2000)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/sandbox/send",
        {"wa_id": "573001234567", "kind": "file", "file": SimpleUploadedFile("big.pdf", big, "application/pdf")},
    )
    assert response.status_code == 413 and response.json()["error"] == "file_too_large"
    # The page explains each code in Spanish.
    page = client.get("/sandbox/").content.decode()
    for code in ("phone", "text", "file_too_large", "webhook", "unreachable"):
        assert f'data-code="{code}"' in page


# --- The page in a browser ---------------------------------------------------------------------


@pytest.fixture
def sandbox_site(transactional_db, settings, policy, monkeypatch):
    """The web process as `make run` serves it: Django plus the stand-in at /sandbox/graph."""
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.WHATSAPP_ACCESS_TOKEN = "sandbox-test-token"
    settings.WHATSAPP_RETRY_BACKOFF_SECONDS = 0.01
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"sbx-{uuid.uuid4()}"}
    }
    # Served as `manage.py screenshots --walkthrough` serves it (conversations/dev/walkthrough.py).
    with sandbox_in_process() as site:
        yield site


@pytest.fixture
def page(sandbox_site):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True, locale="es-CO")
        tab = context.new_page()
        errors, refused = [], []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        # The page runs under the Content-Security-Policy: anything it refused is a bug.
        tab.on("console", lambda msg: "Content Security Policy" in msg.text and refused.append(msg.text))
        tab.set_default_timeout(WAIT_MS)
        yield tab
        browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"
        assert not refused, f"Content-Security-Policy violations: {refused}"


def open_chat(page, url: str, wa_id: str, name: str) -> None:
    page.goto(f"{url}/sandbox/")
    page.fill("#wa-id", wa_id)
    page.fill("#profile-name", name)
    page.get_by_role("button", name="Usar este número").click()


def say(page, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def bot_rows(page):
    return page.locator('.row[data-who="bot"]')


def consent_given(page) -> None:
    say(page, "hola")
    page.get_by_role("button", name="Acepto", exact=True).click()
    page.locator(".list-open").wait_for()


def consented_chat_in(page, sandbox_site, *, flow: str, wa_id: str, name: str):
    """A chat past the consent, for a test that needs ``flow``; returns the stand-in state."""
    if importlib.util.find_spec(f"conversations.bot.flows.{flow}") is None:
        pytest.skip(f"the {flow} flow is not in this tree")
    url, standin = sandbox_site
    open_chat(page, url, wa_id, name)
    consent_given(page)
    return standin


# Predicates for wait_for_function are arrow functions: a bare expression is eval'd inside the
# page, which its Content-Security-Policy (no 'unsafe-eval') refuses.
def identity_given(page, cedula: str, issued: str) -> None:
    page.wait_for_function("() => document.body.innerText.includes('cédula')")
    say(page, cedula)
    page.wait_for_function("() => document.body.innerText.toLowerCase().includes('expedición')")
    say(page, issued)


def wait_for_bot_messages(page, count: int) -> None:
    page.wait_for_function(
        f"() => document.querySelectorAll('.row[data-who=\"bot\"]').length >= {count}", timeout=WAIT_MS
    )


@pytest.mark.browser
def test_person_chats_taps_opens_the_list_and_sends_a_file(page, sandbox_site):
    url, standin = sandbox_site
    open_chat(page, url, "573001234567", "Ana Lucía")
    say(page, "hola")

    # The consent question with its two reply buttons, like WhatsApp.
    accept = page.get_by_role("button", name="Acepto", exact=True)
    accept.wait_for()
    assert page.get_by_role("button", name="No acepto", exact=True).is_visible()
    assert "autorización" in bot_rows(page).last.inner_text()
    accept.click()

    # The welcome with the list button; the sheet shows the services with descriptions.
    page.locator(".list-open", has_text="Ver opciones").wait_for()
    page.locator(".list-open").last.click()
    sheet = page.locator(".sheet")
    sheet.wait_for()
    assert sheet.locator(".sheet-section").first.inner_text() == "Servicios"
    titles = sheet.locator(".r-title").all_inner_texts()
    assert titles[:3] == ["Consultar saldo", "Estado de solicitud", "Paz y salvo"]
    assert "Saldo, cuotas y próximo descuento" in sheet.inner_text()
    assert page.locator("#sheet-send").is_disabled()
    page.locator("#sheet-close").click()

    # A PDF the bot did not ask for: the upload path works and the bot says it did not keep it.
    shown = bot_rows(page).count()
    page.set_input_files(
        "#file-input", files=[{"name": "cedula.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Cedula")}]
    )
    wait_for_bot_messages(page, shown + 1)
    assert "no lo guardé" in bot_rows(page).last.inner_text()
    my_file = page.locator('.row[data-who="me"] .doc-name', has_text="cedula.pdf")
    assert my_file.is_visible()
    assert page.locator('.row[data-who="me"] .ticks').last.get_attribute("data-status") == "read"

    # The production path saw a real webhook for each action.
    page.wait_for_timeout(2500)  # the page reports delivered/read after 1.5 s
    contact = Contact.objects.get(wa_id="573001234567")
    assert contact.profile_name == "Ana Lucía"
    assert contact_has_consent(contact=contact)
    kinds = list(InboundMessage.objects.filter(contact=contact).order_by("id").values_list("type", "choice_id"))
    assert kinds == [("text", ""), ("interactive", "consent_accept"), ("document", "")]
    assert not Document.objects.exists()
    assert any(m["payload"]["type"] == "interactive" for m in standin.sent_to("573001234567"))
    # The page told the webhook that the bot's messages were read (blue ticks for the advisors).
    assert set(OutboundMessage.objects.filter(contact=contact).values_list("status", flat=True)) == {"read"}


@pytest.mark.browser
def test_person_downloads_the_paz_y_salvo_the_bot_sent(page, sandbox_site, portfolio):
    standin = consented_chat_in(page, sandbox_site, flow="paz_y_salvo", wa_id="573009876543", name="Carlos")

    # Choosing "Paz y salvo" in the list, then proving identity with cédula and issue date.
    page.locator(".list-open").last.click()
    page.locator(".sheet-row", has_text="Paz y salvo").click()
    page.locator("#sheet-send").click()
    identity_given(page, "79456123", "20/09/1973")

    link = page.locator('.row[data-who="bot"] a.download')
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    sent = [m for m in standin.sent_to("573009876543") if m["type"] == "document"]
    assert len(sent) == 1 and standin.media[sent[0]["payload"]["document"]["id"]]["data"] == data


@pytest.mark.browser
def test_one_time_code_template_is_readable_on_the_registered_phone(page, sandbox_site, portfolio):
    # Ana's identity, asked from a phone that is not her registered one: a code goes to hers.
    standin = consented_chat_in(page, sandbox_site, flow="saldo", wa_id="573005550000", name="Ana")
    say(page, "quiero consultar mi saldo")
    identity_given(page, "1020304050", "10/05/1979")
    page.wait_for_function("() => document.body.innerText.toLowerCase().includes('código')")

    # On Ana's own phone the template shows the code readably, with its copy button.
    page.locator(".customer", has_text="Ana Lucía Gómez Restrepo").click()
    template = page.locator(".bubble.template", has_text="es tu código de verificación").last
    template.wait_for()
    [sent] = [
        m
        for m in standin.sent_to("573001234567")
        if m["type"] == "template" and m["payload"]["template"]["name"] == "proalto_codigo_verificacion"
    ]
    code = sent["payload"]["template"]["components"][0]["parameters"][0]["text"]
    assert f"{code} es tu código de verificación" in template.inner_text()
    assert "Plantilla" in template.inner_text()
    assert template.get_by_role("button", name="Copiar código").is_visible()

    # Back on the other phone, the code proves identity and the balance arrives.
    page.fill("#wa-id", "573005550000")
    page.get_by_role("button", name="Usar este número").click()
    page.locator(".row", has_text="hola").first.wait_for()  # the tab kept this chat's transcript
    say(page, code)
    page.wait_for_function("() => document.body.innerText.includes('8.250.000')")


@pytest.mark.browser
def test_person_without_a_visible_number_chats_by_bsuid(page, sandbox_site):
    """The switch "Sin número visible" plays a customer with a username: Meta's webhooks carry
    only their BSUID, and the bot answers by recipient."""
    url, standin = sandbox_site
    page.goto(f"{url}/sandbox/")
    page.fill("#wa-id", "573001234567")
    page.fill("#profile-name", "Ana Lucía")
    page.check("#hide-phone")
    page.get_by_role("button", name="Usar este número").click()
    say(page, "hola")

    page.get_by_role("button", name="Acepto", exact=True).click()
    page.locator(".list-open", has_text="Ver opciones").wait_for()

    contact = Contact.objects.get(bsuid="CO.9573001234567")
    assert contact.wa_id is None and contact.username == "cliente.4567"
    assert contact_has_consent(contact=contact)
    sent = standin.sent_to("CO.9573001234567")
    assert sent and all(m["addressed_by"] == "recipient" for m in sent)


def test_people_writing_at_once_each_get_their_answer(sandbox_site):
    # The page posts a person's messages and, 1.5 s after the bot's replies show, their
    # statuses: two webhooks at once, each run inline by its own server thread, while on the
    # embedded pass every thread shares the test run's one in-memory SQLite connection.
    url, standin = sandbox_site
    people = [f"5730055500{n:02d}" for n in range(8)]

    def write(wa_id):
        with requests.Session() as browser:
            browser.get(f"{url}/sandbox/", timeout=60)
            return browser.post(
                f"{url}/sandbox/send",
                data={"wa_id": wa_id, "name": "Persona", "kind": "text", "text": "hola"},
                headers={"X-CSRFToken": browser.cookies["csrftoken"], "Referer": f"{url}/sandbox/"},
                timeout=60,
            )

    with ThreadPoolExecutor(len(people)) as pool:
        answers = list(pool.map(write, people))
    assert [a.status_code for a in answers] == [200] * len(people), [a.text for a in answers]
    for wa_id in people:
        assert standin.sent_to(wa_id), f"{wa_id} got no answer"
    assert InboundMessage.objects.count() == len(people)


@pytest.mark.browser
def test_a_message_answered_before_its_send_returns_shows_read(page, sandbox_site, monkeypatch):
    # The bot answers inside the webhook call, so the page's poll can show the reply before the
    # send call returns (a loaded machine): the message was still read. Made certain here by
    # holding the send's answer back for longer than two polls.
    relay = sandbox.webhook_post

    def slow_relay(payload):
        relay(payload)
        if "messages" in payload["entry"][0]["changes"][0]["value"]:
            time.sleep(2)

    monkeypatch.setattr(sandbox, "webhook_post", slow_relay)
    url, _ = sandbox_site
    open_chat(page, url, "573001234567", "Ana Lucía")
    say(page, "hola")
    page.get_by_role("button", name="Acepto", exact=True).wait_for()
    mine = page.locator('.row[data-who="me"] .ticks').last
    page.wait_for_function(
        "() => document.querySelector('.row[data-who=\"me\"] .ticks')?.dataset.status !== 'pending'"
    )
    assert mine.get_attribute("data-status") == "read"
