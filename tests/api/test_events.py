"""POST /api/v1/events/: ProAlto's systems push changes; each id is applied once, older events
never move data backwards, and a stage change reaches the subscribed customer on WhatsApp."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conversations.messaging.models import Contact, OutboundMessage
from conversations.messaging.outbox import contact_outbox_flush
from credits.models import Application, ApplicationStageChange, Credit, Customer
from proalto.colombia import next_contact_time
from tests.portfolio import study_moved_recently
from tests.support import texts


@pytest.fixture
def portfolio(portfolio):
    study_moved_recently()
    return portfolio


@pytest.fixture
def core_system(api_client, portfolio):
    return api_client("events", name="Núcleo ProAlto")


def stage_event(event_id: str, stage: str, at: str, number: str = "SOL-2026-0042") -> dict:
    return {
        "id": event_id,
        "tipo": "solicitud.etapa",
        "ocurrido": at,
        "datos": {"numero": number, "cedula": "1020304050", "etapa": stage},
    }


def test_an_event_is_applied_once(core_system):
    event = stage_event("evt-000123", "aprobacion", "2026-11-30T10:00:00-05:00")
    first = core_system.post("/events/", event)
    assert first.status_code == 202
    assert first.json() == {"ok": True, "id": "evt-000123", "repetido": False, "resultado": "aplicado"}
    application = Application.objects.get(number="SOL-2026-0042")
    assert application.stage == "aprobacion"
    repeated = core_system.post("/events/", {**event, "datos": {**event["datos"], "etapa": "rechazada"}})
    assert repeated.status_code == 200
    assert repeated.json() == {"ok": True, "id": "evt-000123", "repetido": True, "resultado": "aplicado"}
    assert Application.objects.get(number="SOL-2026-0042").stage == "aprobacion"
    assert ApplicationStageChange.objects.filter(application=application).count() == 1


def test_older_events_do_not_move_data_backwards(core_system):
    assert (
        core_system.post("/events/", stage_event("e2", "aprobacion", "2026-11-30T11:00:00-05:00")).status_code == 202
    )
    late = core_system.post("/events/", stage_event("e1", "estudio", "2026-11-30T10:00:00-05:00"))
    assert late.status_code == 202 and late.json()["resultado"] == "ignorado_por_antiguo"
    assert Application.objects.get(number="SOL-2026-0042").stage == "aprobacion"
    # Payments: an older one does not undo a newer balance.
    newer = {"numero": "LIB-000123", "saldo": "7840000", "cuotas_pagadas": 28, "proximo_descuento": "2027-01-01"}
    older = {"numero": "LIB-000123", "saldo": "8250000.00", "cuotas_pagadas": 27}
    pay = {"tipo": "credito.pago"}
    assert (
        core_system.post(
            "/events/", {**pay, "id": "p2", "ocurrido": "2026-12-01T08:00:00-05:00", "datos": newer}
        ).json()["resultado"]
        == "aplicado"
    )
    assert (
        core_system.post(
            "/events/", {**pay, "id": "p1", "ocurrido": "2026-11-01T08:00:00-05:00", "datos": older}
        ).json()["resultado"]
        == "ignorado_por_antiguo"
    )
    credit = Credit.objects.get(number="LIB-000123")
    assert (credit.balance, credit.installments_paid) == (Decimal("7840000"), 28)
    assert str(credit.next_deduction_date) == "2027-01-01"


def test_other_event_types(core_system):
    paid = core_system.post(
        "/events/",
        {
            "id": "s1",
            "tipo": "credito.estado",
            "ocurrido": "2026-11-30T09:00:00-05:00",
            "datos": {"numero": "LIB-000310", "estado": "paid"},
        },
    )
    assert paid.status_code == 202 and Credit.objects.get(number="LIB-000310").status == "paid"
    moved = core_system.post(
        "/events/",
        {
            "id": "c1",
            "tipo": "cliente.contacto",
            "ocurrido": "2026-11-30T09:00:00-05:00",
            "datos": {"cedula": "1020304050", "celular": "+57 310 555 0000"},
        },
    )
    assert moved.status_code == 202 and Customer.objects.get(cedula="1020304050").phone == "573105550000"


def test_bad_events_400_field_by_field(core_system):
    response = core_system.post("/events/", {"id": "x", "tipo": "otro", "ocurrido": "ayer", "datos": {}})
    assert response.status_code == 400
    assert set(response.json()) == {"tipo", "ocurrido"}
    bad_stage = core_system.post("/events/", stage_event("x", "aprobada", "2026-11-30T10:00:00-05:00"))
    assert bad_stage.status_code == 400 and "etapa" in bad_stage.json()["datos"]
    unknown = core_system.post(
        "/events/",
        {
            **stage_event("x", "estudio", "2026-11-30T10:00:00-05:00"),
            "datos": {"numero": "SOL-9", "cedula": "99887766", "etapa": "estudio"},
        },
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"datos": {"cedula": ["No hay un cliente con esta cédula en la cartera del bot."]}}
    from conversations.api.models import ApiEvent

    assert not ApiEvent.objects.exists()  # nothing half-written: the id may be sent again


def test_a_stage_event_reaches_the_subscribed_customer(core_system, consented_chat, standin):
    ana = consented_chat("573001234567", "Ana Lucía")
    ana.says("¿en qué va mi solicitud?")
    ana.says("1020304050")
    assert "estudio" in texts(ana.says("10/05/1979"))
    ana.taps("notify_yes")
    before = timezone.now()
    standin.reset()

    response = core_system.post("/events/", stage_event("evt-9", "aprobacion", before.isoformat()))

    assert response.status_code == 202
    notice = OutboundMessage.objects.get(contact__wa_id="573001234567", sender="system")
    assert "SOL-2026-0042" in notice.preview and "aprobación" in notice.preview
    due = next_contact_time(before)
    assert abs((notice.not_before - due).total_seconds()) < 60  # Ley 2300 hours
    if notice.status == "queued":  # outside the hours: the sweep sends it when they open
        OutboundMessage.objects.filter(pk=notice.pk).update(not_before=timezone.now() - timedelta(seconds=1))
        contact_outbox_flush(contact_id=Contact.objects.get(wa_id="573001234567").pk)
    sent = standin.sent_to("573001234567")
    assert len(sent) == 1 and "SOL-2026-0042" in str(sent[0]["payload"])
