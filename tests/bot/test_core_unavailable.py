"""When ProAlto's core cannot answer, whatever the flow, the customer reads that their
information cannot be consulted now and is offered an advisor; nothing is said from
elsewhere, and the flow ends without writing anything."""

import socket

import pytest
from django.db import connections

from credits import core
from tests.bot.conftest import ANA, CARLOS, DIANA, GLORIA

UNAVAILABLE = "portfolio/unavailable.txt"


@pytest.fixture
def core_down(settings, monkeypatch):
    """The core as source, unreachable: a closed port (services pass) or no core configured."""
    settings.PORTFOLIO_SOURCE = "core"
    if core.core_configured():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        monkeypatch.setitem(connections.settings["core"], "PORT", str(port))
    core.core_connection_reset()
    yield
    core.core_connection_reset()


@pytest.mark.parametrize(
    ("demo", "asks"),
    [(ANA, "saldo"), (CARLOS, "paz y salvo"), (DIANA, "estado de mi solicitud"), (GLORIA, "quiero renovar")],
)
def test_a_validated_customer_is_told_and_offered_an_advisor(chat, portfolio, core_down, demo, asks):
    said = chat(demo.wa_id, demo.name).validated_as(demo.customer()).says(asks)

    assert said.sequence == [UNAVAILABLE]
    assert said.options == {"asesor": "Hablar con asesor", "menu": "Ver el menú"}
    assert "no puedo consultar tu información en este momento" in said.text
    assert said.at == ("", "") and said.escalation is None and said.resolved_flow is None


def test_identity_validation_too(chat, portfolio, core_down):
    ana = chat()
    ana.says("saldo")

    said = ana.says(ANA.cedula)

    assert said.sequence == [UNAVAILABLE]
    assert said.session.validated_customer is None


def test_tapping_the_advisor_button_hands_over(chat, portfolio, core_down):
    ana = chat().validated_as(ANA.customer())
    ana.says("saldo")

    said = ana.taps("asesor")

    assert said.escalation.reason == "asked_human"
