"""`manage.py whatsapp_templates check|submit` and `manage.py whatsapp_check` against the
Cloud API stand-in's Business Account endpoints, as an operator runs them."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from conversations.messaging.template_sync import TEMPLATE_FILES, templates_defined
from tests.conftest import TEST_PHONE_NUMBER_ID, TEST_SECRET

WABA = "300000000000001"


@pytest.fixture
def account(standin, settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA
    standin.account.update(phone_number_id=TEST_PHONE_NUMBER_ID, waba_id=WABA, app_secret=TEST_SECRET, subscribed=True)
    standin.template_page_size = 100
    return standin


def run(*args) -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command(*args, stdout=out)
    except CommandError as exc:
        return out.getvalue() + str(exc), False
    return out.getvalue(), True


def line_of(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f" {name} (" in line)


def approve_all(standin) -> None:
    with standin.lock:
        for template in standin.templates:
            template["status"] = "APPROVED"


def test_an_empty_account_lacks_every_template(account):
    output, ok = run("whatsapp_templates", "check")
    assert not ok
    assert output.count("MISSING") == len(TEMPLATE_FILES) == 6
    assert "6 of 6 template(s) not approved as written" in output


def test_submit_creates_the_missing_ones_as_meta_takes_them(account, settings):
    settings.WHATSAPP_NOTIFY_TEMPLATE = "proalto_estado_v2"  # submitted under the configured name
    output, ok = run("whatsapp_templates", "submit")
    assert not ok  # submitted, now pending Meta's review
    assert output.count("submitted ") == 6
    assert sum(line.startswith("PENDING") for line in output.splitlines()) == 6
    stored = {template["name"]: template for template in account.templates}
    assert "proalto_estado_v2" in stored and "proalto_estado_solicitud" not in stored
    otp = stored["proalto_codigo_verificacion"]
    assert otp["category"] == "AUTHENTICATION" and otp["language"] == "es"
    assert {"type": "OTP", "otp_type": "COPY_CODE", "text": "Copiar código"} in otp["components"][2]["buttons"]
    assert stored["proalto_habeas_data"]["components"][0]["example"]["body_text"][0][0] == "HD-2026-000042"

    approve_all(account)
    output, ok = run("whatsapp_templates", "check")
    assert ok, output
    assert "all 6 templates approved as written" in output
    output, ok = run("whatsapp_templates", "submit")
    assert ok and "nothing to submit" in output


def test_check_says_what_is_pending_rejected_or_different(account):
    run("whatsapp_templates", "submit")
    approve_all(account)
    account.template_put(
        {"name": "proalto_habeas_data", "language": "es", "status": "REJECTED", "rejected_reason": "INVALID_FORMAT"}
    )
    account.template_put({"name": "proalto_aviso_codigo", "language": "es", "status": "PENDING"})
    account.template_put(
        {
            "name": "proalto_retomar_conversacion",
            "language": "es",
            "components": [{"type": "BODY", "text": "Hola, retomemos tu caso."}],
        }
    )
    account.template_put({"name": "proalto_compartir_numero", "language": "es", "category": "MARKETING"})

    output, ok = run("whatsapp_templates", "check")
    assert not ok
    assert "REJECTED" in line_of(output, "proalto_habeas_data") and "INVALID_FORMAT" in output
    assert "PENDING" in line_of(output, "proalto_aviso_codigo")
    different = line_of(output, "proalto_retomar_conversacion")
    assert "DIFFERENT" in different and "BODY text: 'Hola, retomemos tu caso.'" in different
    assert "category MARKETING (ours UTILITY)" in line_of(output, "proalto_compartir_numero")
    assert "OK" in line_of(output, "proalto_codigo_verificacion")
    assert "4 of 6 template(s) not approved as written" in output


def test_every_page_of_templates_is_read(account):
    run("whatsapp_templates", "submit")
    approve_all(account)
    account.template_page_size = 2  # Meta pages the list; the command follows paging.next
    output, ok = run("whatsapp_templates", "check")
    assert ok, output


def test_without_the_business_account_id_it_says_so(account, settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = ""
    output, ok = run("whatsapp_templates", "check")
    assert not ok and "WHATSAPP_BUSINESS_ACCOUNT_ID is not set" in output


def test_the_templates_fit_how_the_bot_sends_them(settings):
    """Each template's variables are the parameters the code sends (appliers, notifications,
    consent), with an example for each; the code's lifetime is the one-time code's."""
    params_sent = {
        "WHATSAPP_OTP_TEMPLATE": 0,  # the code goes in Meta's fixed authentication text
        "WHATSAPP_OTP_NOTICE_TEMPLATE": 2,
        "WHATSAPP_SHARE_NUMBER_TEMPLATE": 0,
        "WHATSAPP_REENGAGEMENT_TEMPLATE": 0,
        "WHATSAPP_NOTIFY_TEMPLATE": 3,
        "WHATSAPP_HABEAS_DATA_TEMPLATE": 2,
    }
    by_name = {template["name"]: template for template in templates_defined()}
    for setting, count in params_sent.items():
        body = next(c for c in by_name[getattr(settings, setting)]["components"] if c["type"] == "BODY")
        variables = set(re.findall(r"\{\{(\d+)\}\}", body.get("text", "")))
        assert len(variables) == count, setting
        if count:
            assert len(body["example"]["body_text"][0]) == count, setting
    footer = by_name[settings.WHATSAPP_OTP_TEMPLATE]["components"][1]
    assert footer["code_expiration_minutes"] * 60 == settings.IDENTITY_OTP_SECONDS


# --- whatsapp_check ------------------------------------------------------------------------------


@pytest.fixture
def webhook_url(live_server):
    return f"{live_server.url}/webhooks/whatsapp/"


@pytest.mark.django_db(transaction=True)
def test_a_correct_setup_passes_every_check(account, webhook_url):
    output, ok = run("whatsapp_check", "--webhook-url", webhook_url)
    assert ok, output
    for what in (
        "access token and phone number id: +57 601 555 0100 (ProAlto), quality GREEN",
        "app secret (appsecret_proof)",
        "phone number in the business account",
        "webhook subscription: ProAlto",
        "webhook verification (verify token): challenge echoed",
        "webhook signature (app secret, signed self-test)",
    ):
        assert f"OK   {what}" in output
    assert "WhatsApp is wired correctly" in output


@pytest.mark.django_db(transaction=True)
def test_a_rejected_token_stops_there(account, webhook_url, settings):
    settings.WHATSAPP_ACCESS_TOKEN = "an-expired-token"
    output, ok = run("whatsapp_check", "--webhook-url", webhook_url)
    assert not ok
    assert "FAIL access token and phone number id: Meta rejected the access token (190)" in output
    assert "1 check(s) failed" in output


@pytest.mark.django_db(transaction=True)
def test_a_wrong_phone_number_id_app_secret_or_subscription_is_named(account, webhook_url, settings):
    settings.WHATSAPP_PHONE_NUMBER_ID = "999999999999999"
    output, ok = run("whatsapp_check", "--webhook-url", webhook_url)
    assert not ok and "FAIL access token and phone number id" in output

    settings.WHATSAPP_PHONE_NUMBER_ID = TEST_PHONE_NUMBER_ID
    account.account.update(app_secret="the-apps-real-secret", subscribed=False)
    output, ok = run("whatsapp_check", "--webhook-url", webhook_url)
    assert not ok
    assert "FAIL app secret (appsecret_proof)" in output and "Invalid appsecret_proof" in output
    assert "FAIL webhook subscription: no app subscribed" in output
    assert "OK   webhook signature" in output  # our webhook and this process agree with each other
    assert "2 check(s) failed" in output


@pytest.mark.django_db(transaction=True)
def test_a_webhook_that_does_not_check_signatures_fails(account, live_server):
    output, ok = run("whatsapp_check", "--webhook-url", f"{live_server.url}/verificar/nada/")
    assert not ok
    assert "FAIL webhook verification (verify token)" in output
    assert "FAIL webhook signature" in output
