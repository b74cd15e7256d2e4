"""Issue 15: an application whose study stage has not moved for longer than the 48 hours
it promises is not promised again: the bot says it is taking longer and offers an advisor.
And the bot's examples never show a real or demo customer's data."""

import json
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from credits.models import Application
from escalations.models import Ticket
from proalto.colombia import BOGOTA
from tests.support import texts

ANA = ("573001234567", "1020304050", "10/05/1979")  # demo customer 1: SOL-2026-0042 in estudio
PORTFOLIO = Path(__file__).resolve().parents[2] / "credits" / "fixtures" / "demo_portfolio.jsonl"


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def status_at(consented_chat, moment: datetime) -> tuple[object, str]:
    with time_machine.travel(moment, tick=True):
        ana = consented_chat(ANA[0], "Ana")
        ana.says("en qué etapa va mi trámite")
        ana.says(ANA[1])
        return ana, texts(ana.says(ANA[2]))


def test_within_48_hours_the_answer_is_promised(consented_chat, portfolio):
    # SOL-2026-0042 entered estudio on 20 November 2026 at 3:04 p. m.
    _, body = status_at(consented_chat, datetime(2026, 11, 21, 10, 0, tzinfo=BOGOTA))
    assert "próximas 48 horas" in body and "tardando" not in body


def test_after_48_hours_it_says_it_is_taking_longer_and_offers_an_advisor(consented_chat, portfolio):
    ana, body = status_at(consented_chat, datetime(2026, 11, 26, 10, 0, tzinfo=BOGOTA))
    assert "próximas 48 horas" not in body
    assert "tardando más de lo normal" in body and "asesor" in body
    assert "asesor" in ana.offered()
    ana.taps("asesor")
    assert Ticket.objects.get(contact__wa_id=ANA[0]).reason == Ticket.Reason.ASKED_HUMAN


def test_no_notice_is_offered_for_an_overdue_study(consented_chat, portfolio):
    ana, _ = status_at(consented_chat, datetime(2026, 11, 26, 10, 0, tzinfo=BOGOTA))
    assert "notify_yes" not in ana.offered()
    assert Application.objects.get(number="SOL-2026-0042").stage == Application.Stage.ESTUDIO


def test_examples_are_no_customer_data(consented_chat, portfolio):
    customers = [json.loads(line) for line in PORTFOLIO.read_text(encoding="utf-8").splitlines() if line.strip()]
    ana = consented_chat("573209990001", "Sofía")
    asked = texts(ana.says("saldo"))
    asked += texts(ana.says("no sé"))  # the unreadable-cédula hint
    asked += texts(ana.says("1234567890"))
    asked += texts(ana.says("ayer"))  # the unreadable-date hint
    assert "por ejemplo" in asked
    for customer in customers:
        year, month, day = customer["cedula_issue_date"].split("-")
        assert customer["cedula"] not in asked
        assert f"{day}/{month}/{year}" not in asked
