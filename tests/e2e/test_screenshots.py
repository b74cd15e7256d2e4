"""`manage.py screenshots`, the way the team looks at the back office, runs in every test run
(so in CI): against the live server, through the real admin login with TOTP, in Chromium."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from PIL import Image

from conversations.bot.services import unrecognised_message_label
from conversations.models import UnrecognisedMessage
from credits.services import renewal_rules_publish
from escalations.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screenshots_of_the_queue_a_chat_and_the_metrics(consented_chat, live_server, settings, tmp_path):
    settings.DEBUG = True  # the command refuses to create its throwaway user elsewhere
    call_command("setup_roles", stdout=io.StringIO())  # a transactional test's database starts empty
    ana = consented_chat()
    ana.says("xyzzy plugh 3001234567")  # kept, masked, in the not-understood list
    ana.says("quiero hablar con un asesor")
    ticket = Ticket.objects.get()
    marcela = get_user_model().objects.create_user(username="marcela", first_name="Marcela", last_name="Ríos")
    # Labelled by a supervisor, so the list's "Intención" column and the form show one.
    unrecognised_message_label(message=UnrecognisedMessage.objects.get(), intent="saldo", user=marcela)
    # A version of the renewal rules, so its list (and the audit log) shows a row.
    renewal_rules_publish(
        user=marcela,
        min_paid_share=Decimal("0.4"),
        amount_factor=Decimal("1.5"),
        max_amount=Decimal("50000000"),
        monthly_rate=Decimal("0.015"),
        term_months=60,
        reason="Campaña de diciembre",
    )
    out = io.StringIO()

    call_command("screenshots", url=live_server.url, out=str(tmp_path), stdout=out)

    written = out.getvalue().split()
    screens = ["bandeja", "asesor-chat", "supervisor-chat", "cola", "carga", "respuestas-rapidas", "metricas"]
    screens += ["habeas-data", "consentimientos", "error-403"]
    # Issue 15's screens, as a Supervisor.
    screens += [
        "mensajes-no-entendidos",
        "mensaje-no-entendido-etiquetar",
        "reglas-renovacion",
        "reglas-renovacion-nueva",
    ]
    for size, (width, height) in {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}.items():
        for screen in screens:
            path = tmp_path / f"{screen}-{size}.png"
            assert str(path) in written, path.name
            with Image.open(path) as image:
                assert image.format == "PNG" and image.size == (width, height)
    # The throwaway Supervisor it logged in with is gone; the ticket it photographed is untouched.
    assert not get_user_model().objects.filter(username__startswith="capturas-").exists()
    assert get_user_model().objects.filter(username="marcela").exists()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
