"""The dashboard's automatic-resolution rate fed by real conversations, end to end: customers
served by the bot through signed webhooks count as resolved by the bot, the ones who asked for
a person or complained count as escalated, and the Supervisor's dashboard shows the share."""

from __future__ import annotations

import io
import secrets
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from conversations.bot import metrics
from conversations.models import ResolvedRequest
from escalations.management.commands.create_staff import staff_create
from escalations.models import Ticket
from proalto.colombia import BOGOTA
from tests.consent.test_admin_compliance import _verified_client
from tests.support import texts

# A Tuesday 10:00 in Bogotá: advisors' hours, nothing depends on when the test runs.
TUESDAY = datetime(2027, 1, 12, 10, 0, tzinfo=BOGOTA)


def validated(user, cedula: str, issued: str) -> str:
    user.says(cedula)
    body = texts(user.says(issued))
    assert "Confirmé tu identidad" in body
    return body


@pytest.mark.parametrize("moment", [TUESDAY], indirect=True)
def test_resolved_and_escalated_conversations_make_the_rate(moment, consented_chat, portfolio):
    # Served by the bot: Ana's balance, Diana's application status (declining the notice).
    ana = consented_chat("573001234567", "Ana Lucía")
    assert "cédula" in texts(ana.says("cuanto debo"))
    assert "Saldo pendiente: *$8.250.000*" in validated(ana, "1020304050", "10/05/1979")
    diana = consented_chat("573204445566", "Diana")
    diana.says("en que va mi solicitud")
    assert "SOL-2026-0057" in validated(diana, "1032456789", "01/07/2003")
    diana.taps("notify_no")
    # Handed to a person: Jorge asks for one, Luz complains, Héctor never makes himself understood.
    consented_chat("573152223344", "Jorge").says("quiero hablar con un asesor")
    consented_chat("573101112233", "Luz").says("quiero poner una queja")
    hector = consented_chat("573158889900", "Héctor")
    hector.says("xyzzy plugh")
    hector.says("qwerty asdf")

    resolved = sorted(ResolvedRequest.objects.values_list("contact__wa_id", "flow"))
    assert resolved == [("573001234567", "saldo"), ("573204445566", "estado_solicitud")]
    assert sorted(Ticket.objects.values_list("contact__wa_id", "reason")) == [
        ("573101112233", "complaint"),
        ("573152223344", "asked_human"),
        ("573158889900", "misunderstood"),
    ]
    result = metrics.resolution(period=metrics.period_last_days(now=timezone.now()))
    assert (result["bot"], result["escalated"], result["rate"]) == (2, 3, 0.4)
    assert (result["daily"][-1]["bot"], result["daily"][-1]["escalated"]) == (2, 3)

    call_command("setup_roles", stdout=io.StringIO())
    device = staff_create(username=f"sup-{secrets.token_hex(3)}", role="Supervisor", password=secrets.token_hex(12))
    page = _verified_client(device.user).get("/admin/metrics/").content.decode()
    assert "Resolución automática" in page and "40 %" in page
