"""A Supervisor manages the API's keys in the back office and reads its documentation (Swagger UI), in a
real headless Chromium under the site's Content-Security-Policy; screenshots at 1366x768 and
1920x1080 go to var/screenshots/api/."""

import re

import pytest
import requests
from django.conf import settings

from conversations.api.models import ClientKey
from tests.escalations.conftest import roles, staff, totp_code  # noqa: F401  (the back office's fixtures)
from tests.escalations.test_live_chat_browser import browser_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ((1366, 768), (1920, 1080))


def shoot(page, name: str) -> None:
    out = settings.BASE_DIR / "var" / "screenshots" / "api"
    out.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        page.screenshot(path=str(out / f"{name}-{width}x{height}.png"), full_page=False)


def test_a_supervisor_creates_revokes_and_documents_keys(browser_page, live_server, staff, portfolio):  # noqa: F811
    page = browser_page
    boss = staff("supervisora", "Supervisor")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/api/clientkey/add/")
    page.fill("#id_username", "supervisora")
    page.fill("#id_password", boss.password)
    page.fill("#id_otp_token", totp_code(boss.device))
    page.click("input[type=submit]")

    page.fill("#id_name", "ManyChat")
    page.check("input[name=scopes][value=lookup]")
    shoot(page, "clave-nueva")
    page.click("input[name=_save]")
    message = page.inner_text(".messagelist")
    key = re.search(r"es: (\S+) —", message).group(1)
    shoot(page, "claves")
    client = ClientKey.objects.get(name="ManyChat")
    assert client.scopes == ["lookup"] and key not in client.hashed_key
    body = {"cedula": "1020304050", "fecha_expedicion": "1979-05-10", "whatsapp": "573001234567", "consulta": "saldo"}
    url = f"{live_server.url}/api/v1/lookup/"
    assert requests.post(url, json=body, headers={"Authorization": f"Api-Key {key}"}, timeout=10).status_code == 200

    page.goto(f"{live_server.url}/admin/api/clientkey/{client.pk}/change/")
    page.check("#id_revoked")
    page.click("input[name=_save]")
    assert requests.post(url, json=body, headers={"Authorization": f"Api-Key {key}"}, timeout=10).status_code == 401

    page.goto(f"{live_server.url}/admin/api/apicall/")
    assert "ManyChat" in page.inner_text("#result_list") and "1020304050" not in page.content()
    shoot(page, "llamadas")

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/lookup/")
    shoot(page, "swagger")
    page.click("text=Consulta de un cliente (ManyChat External Request)")
    page.wait_for_selector("text=Valida la identidad como el bot")
    shoot(page, "swagger-lookup")


def test_staff_see_when_a_crm_delivery_is_tried_next(browser_page, live_server, staff):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from conversations.api.models import LeadDelivery
    from proalto.colombia import format_date_long, format_time

    next_attempt = timezone.now() + timedelta(minutes=1)
    LeadDelivery.objects.create(
        lead="nuevo_credito:WA-2026-0A1B2C3D", attempts=2, last_error="HTTP 503", next_attempt_at=next_attempt
    )
    LeadDelivery.objects.create(lead="renovacion:7", status="delivered", attempts=1, delivered_at=timezone.now())
    page = browser_page
    boss = staff("supervisor-crm", "Supervisor")
    days = {timezone.localdate()}
    page.goto(f"{live_server.url}/admin/login/?next=/admin/api/leaddelivery/")
    page.fill("#id_username", "supervisor-crm")
    page.fill("#id_password", boss.password)
    page.fill("#id_otp_token", totp_code(boss.device))
    page.click("input[type=submit]")

    header = page.inner_text("#result_list thead")
    assert "PRÓXIMO INTENTO" in header.upper()
    row = page.locator("#result_list tbody tr", has_text="WA-2026-0A1B2C3D").inner_text()
    assert "HTTP 503" in row and "Pendiente" in row
    # "hoy, 3:46 p. m.", or the date when the minute ahead is already tomorrow in Bogotá
    # (11:59 p. m.); `days` holds both days if midnight passed while the page loaded.
    days.add(timezone.localdate())
    shown = timezone.localtime(next_attempt)
    expected = {f"{'hoy' if shown.date() == day else format_date_long(shown)}, {format_time(shown)}" for day in days}
    assert any(text in row for text in expected), (expected, row)
    shoot(page, "envios-crm")
