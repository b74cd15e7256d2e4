"""POST /api/v1/events/: ProAlto's systems push changes; each id is applied once, older events
never move data backwards, and a stage change reaches the subscribed customer on WhatsApp.
An event about what the bot does not have yet is a 422 that stores nothing (400 is for
malformed bodies only).

The same tests run on both sources. With the core as source (the services pass) ProAlto's
system has made the change in the core before it pushes the event (`the_core_shows`), as
in production; with the local copy the event is how the bot learns it. Tests named
`test_core_*` prove what only the core source does (services pass only)."""

import copy
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conversations.api.models import ApiCall, ApiEvent
from conversations.messaging.models import Contact, OutboundMessage
from conversations.messaging.outbox import contact_outbox_flush
from credits import core
from credits.models import Application, ApplicationStageChange, Credit, Customer
from credits.services import application_lead_create, application_subscribe, portfolio_sync
from proalto.colombia import next_contact_time
from tests.portfolio import core_active, core_admin, core_write, demo_line, portfolio_write, study_moved_recently
from tests.support import texts

ANA = "1020304050"


def core_only(test):
    """A test of what only the core source does: the services pass (PORTFOLIO_SOURCE=core)."""
    needs_core = pytest.mark.skipif(
        os.environ.get("PORTFOLIO_SOURCE") != "core", reason="needs PORTFOLIO_SOURCE=core (scripts/test-services)"
    )
    return pytest.mark.services(needs_core(test))


def the_core_shows(cedula: str = ANA, *, applications=(), credits=()) -> None:
    """ProAlto's system made a change: with the core as source the core shows it now (not
    synced to the local copy yet); with the local copy nothing: the event brings it."""
    if not core_active():
        return
    line = demo_line(cedula)
    line["applications"] = list(applications)
    line["credits"] = [{**credit_of(cedula, c["number"]), **c} for c in credits]
    core_write(line)


def credit_of(cedula: str, number: str) -> dict:
    return copy.deepcopy(next(c for c in demo_line(cedula)["credits"] if c["number"] == number))


def ago(minutes: float) -> str:
    """An instant `minutes` before now, as the core writes it (Bogotá time). Events are dated
    from now, never from a calendar day: the demo application moved an hour ago
    (study_moved_recently), so an event of the last hour is newer than it at any hour."""
    return timezone.localtime(timezone.now() - timedelta(minutes=minutes)).isoformat()


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
    event = stage_event("evt-000123", "aprobacion", ago(30))
    the_core_shows(applications=[{"number": "SOL-2026-0042", "stage": "aprobacion", "updated_at": event["ocurrido"]}])
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
    the_core_shows(
        applications=[{"number": "SOL-2026-0042", "stage": "aprobacion", "updated_at": ago(10)}],
        credits=[
            {
                "number": "LIB-000123",
                "balance": "7840000",
                "installments_paid": 28,
                "next_deduction_date": "2027-01-01",
            }
        ],
    )
    assert core_system.post("/events/", stage_event("e2", "aprobacion", ago(10))).status_code == 202
    late = core_system.post("/events/", stage_event("e1", "estudio", ago(30)))
    assert late.status_code == 202 and late.json()["resultado"] == "ignorado_por_antiguo"
    assert Application.objects.get(number="SOL-2026-0042").stage == "aprobacion"
    # Payments: an older one does not undo a newer balance.
    newer = {"numero": "LIB-000123", "saldo": "7840000", "cuotas_pagadas": 28, "proximo_descuento": "2027-01-01"}
    older = {"numero": "LIB-000123", "saldo": "8250000.00", "cuotas_pagadas": 27}
    pay = {"tipo": "credito.pago"}
    assert (
        core_system.post("/events/", {**pay, "id": "p2", "ocurrido": ago(5), "datos": newer}).json()["resultado"]
        == "aplicado"
    )
    assert (
        core_system.post("/events/", {**pay, "id": "p1", "ocurrido": ago(29 * 24 * 60), "datos": older}).json()[
            "resultado"
        ]
        == "ignorado_por_antiguo"
    )
    credit = Credit.objects.get(number="LIB-000123")
    assert (credit.balance, credit.installments_paid) == (Decimal("7840000"), 28)
    assert str(credit.next_deduction_date) == "2027-01-01"


def test_other_event_types(core_system):
    the_core_shows("16789012", credits=[{"number": "LIB-000310", "status": "paid"}])
    if core_active():
        core_write({**demo_line(ANA), "phone": "573105550000", "applications": []})
    paid = core_system.post(
        "/events/",
        {
            "id": "s1",
            "tipo": "credito.estado",
            "ocurrido": ago(40),
            "datos": {"numero": "LIB-000310", "estado": "paid"},
        },
    )
    assert paid.status_code == 202 and Credit.objects.get(number="LIB-000310").status == "paid"
    moved = core_system.post(
        "/events/",
        {
            "id": "c1",
            "tipo": "cliente.contacto",
            "ocurrido": ago(40),
            "datos": {"cedula": "1020304050", "celular": "+57 310 555 0000"},
        },
    )
    assert moved.status_code == 202 and Customer.objects.get(cedula="1020304050").phone == "573105550000"


def test_bad_events_400_field_by_field(core_system):
    response = core_system.post("/events/", {"id": "x", "tipo": "otro", "ocurrido": "ayer", "datos": {}})
    assert response.status_code == 400
    assert set(response.json()) == {"tipo", "ocurrido"}
    bad_stage = core_system.post("/events/", stage_event("x", "aprobada", ago(30)))
    assert bad_stage.status_code == 400 and "etapa" in bad_stage.json()["datos"]
    # Dated ahead of this clock (a sender's wrong time zone): it would make every correct event
    # after it "older" until that hour came.
    ahead = core_system.post("/events/", stage_event("y", "aprobacion", ago(-10)))
    assert ahead.status_code == 400
    assert ahead.json() == {
        "ocurrido": [
            "La fecha del evento está en el futuro. Revise el reloj y la zona horaria del sistema que lo envía."
        ]
    }
    assert not ApiEvent.objects.exists()
    assert Application.objects.get(number="SOL-2026-0042").stage == "estudio"
    # A few minutes of drift is accepted.
    assert core_system.post("/events/", stage_event("z", "aprobacion", ago(-2))).status_code == 202


def test_a_stage_event_reaches_the_subscribed_customer(core_system, consented_chat, standin):
    ana = consented_chat("573001234567", "Ana Lucía")
    ana.says("¿en qué va mi solicitud?")
    ana.says("1020304050")
    assert "estudio" in texts(ana.says("10/05/1979"))
    ana.taps("notify_yes")
    before = timezone.now()
    standin.reset()
    the_core_shows(applications=[{"number": "SOL-2026-0042", "stage": "aprobacion", "updated_at": before.isoformat()}])

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


# --- What the bot does not have yet: 422, nothing stored; a new application is created -------


def test_an_event_about_a_customer_the_bot_does_not_have_is_422_and_stores_nothing(core_system):
    event = stage_event("evt-nuevo-1", "estudio", ago(30), number="SOL-2026-0900")
    event["datos"]["cedula"] = "99887766"

    response = core_system.post("/events/", event)

    assert response.status_code == 422
    assert response.json() == {
        "ok": False,
        "error": "cliente_desconocido",
        "texto": "El bot aún no tiene un cliente con esta cédula; envíe el evento de nuevo más tarde.",
    }
    assert not ApiEvent.objects.exists()  # the same id may be sent again
    assert not Application.objects.filter(number="SOL-2026-0900").exists()
    audit = ApiCall.objects.get(endpoint="/api/v1/events/", status=422)
    assert audit.outcome == "cliente_desconocido" and audit.client_name == "Núcleo ProAlto"
    assert audit.summary == "evento evt-nuevo-1 solicitud.etapa, cédula •••••766"  # masked

    unknown_credit = core_system.post(
        "/events/",
        {
            "id": "evt-nuevo-2",
            "tipo": "credito.estado",
            "ocurrido": ago(30),
            "datos": {"numero": "LIB-999999", "estado": "paid"},
        },
    )
    assert unknown_credit.status_code == 422 and unknown_credit.json()["error"] == "credito_desconocido"

    # The next sync (or import) brings the customer: the same id is accepted, and applied.
    jorge = {"cedula": "99887766", "full_name": "Jorge Iván Pérez", "phone": "573205559988"}
    application = {"number": "SOL-2026-0900", "stage": "recepcion", "updated_at": ago(24 * 60)}
    portfolio_write({**jorge, "applications": [application]})
    if core_active():  # ProAlto's system made the change in the core before pushing the event
        core_write({**jorge, "applications": [{**application, "stage": "estudio", "updated_at": event["ocurrido"]}]})
    again = core_system.post("/events/", event)
    assert again.status_code == 202 and again.json()["resultado"] == "aplicado"
    assert Application.objects.get(number="SOL-2026-0900").stage == "estudio"


def test_a_stage_event_for_an_application_the_bot_does_not_have_creates_it(core_system):
    at = ago(30)
    the_core_shows(
        applications=[
            {
                "number": "SOL-2026-0042",
                "stage": "estudio",
                "updated_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            },
            {"number": "SOL-2026-0099", "stage": "recepcion", "updated_at": at},
        ]
    )

    response = core_system.post("/events/", stage_event("evt-nueva", "recepcion", at, number="SOL-2026-0099"))

    assert response.status_code == 202 and response.json()["resultado"] == "aplicado"
    created = Application.objects.get(number="SOL-2026-0099")
    assert (created.customer.cedula, created.stage, created.origin) == (ANA, "recepcion", "core")
    # As an import creates one: no stage change recorded, nobody notified.
    assert not ApplicationStageChange.objects.filter(application=created).exists()
    assert not OutboundMessage.objects.exists()


def test_an_application_of_another_customer_is_422(core_system):
    event = stage_event("evt-ajena", "desembolso", ago(30), number="SOL-2026-0057")

    response = core_system.post("/events/", event)  # SOL-2026-0057 is customer 1032456789's

    assert response.status_code == 422 and response.json()["error"] == "de_otro_cliente"
    assert Application.objects.get(number="SOL-2026-0057").stage == "aprobacion"
    assert not ApiEvent.objects.exists()


# --- The core as source: judged against the core, notified once, nothing that contradicts it ---


def subscribed_ana(consented_chat):
    ana = consented_chat("573001234567", "Ana Lucía")
    ana.says("¿en qué va mi solicitud?")
    ana.says(ANA)
    assert "estudio" in texts(ana.says("10/05/1979"))
    ana.taps("notify_yes")
    return ana


def notices() -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(contact__wa_id="573001234567", sender="system"))


@core_only
@pytest.mark.parametrize("first", ["sync", "event"])
def test_core_the_notice_goes_once_whether_the_sync_or_the_event_writes_the_change_first(
    core_system, consented_chat, first
):
    subscribed_ana(consented_chat)
    at = timezone.now()
    the_core_shows(applications=[{"number": "SOL-2026-0042", "stage": "aprobacion", "updated_at": at.isoformat()}])
    if first == "sync":
        portfolio_sync()  # beat's sync saw it in the core first: it recorded the change and notified
        assert len(notices()) == 1

    response = core_system.post("/events/", stage_event("evt-core-1", "aprobacion", at.isoformat()))

    assert response.status_code == 202
    assert response.json()["resultado"] == ("sin_cambios" if first == "sync" else "aplicado")
    portfolio_sync()  # and the sync after the event finds nothing new
    assert Application.objects.get(number="SOL-2026-0042").stage == "aprobacion"
    assert ApplicationStageChange.objects.filter(application__number="SOL-2026-0042").count() == 1
    assert len(notices()) == 1 and "aprobación" in notices()[0].preview


@core_only
def test_core_an_event_ahead_of_the_core_waits_and_the_sync_notifies_when_the_core_shows_it(
    core_system, consented_chat
):
    subscribed_ana(consented_chat)
    at = timezone.now()

    response = core_system.post("/events/", stage_event("evt-core-2", "aprobacion", at.isoformat()))

    # The core still says estudio (dated before the event): nothing written that contradicts it.
    assert response.status_code == 202 and response.json()["resultado"] == "en_espera_del_nucleo"
    assert Application.objects.get(number="SOL-2026-0042").stage == "estudio"
    assert notices() == []
    assert ApiEvent.objects.get(event_id="evt-core-2").outcome == "awaiting_core"

    the_core_shows(applications=[{"number": "SOL-2026-0042", "stage": "aprobacion", "updated_at": at.isoformat()}])
    portfolio_sync()
    assert len(notices()) == 1
    repeated = core_system.post("/events/", stage_event("evt-core-2", "aprobacion", at.isoformat()))
    assert repeated.status_code == 200 and repeated.json()["resultado"] == "en_espera_del_nucleo"
    assert len(notices()) == 1


@core_only
def test_core_an_event_older_than_the_core_is_ignored_and_the_copy_follows_the_core(core_system):
    now = timezone.now()
    the_core_shows(
        applications=[{"number": "SOL-2026-0042", "stage": "desembolso", "updated_at": now.isoformat()}],
        credits=[{"number": "LIB-000123", "balance": "7430000", "installments_paid": 29}],
    )
    older = (now - timedelta(minutes=30)).isoformat()

    stage = core_system.post("/events/", stage_event("evt-core-3", "aprobacion", older))
    payment = core_system.post(
        "/events/",
        {
            "id": "evt-core-4",
            "tipo": "credito.pago",
            "ocurrido": ago(29 * 24 * 60),
            "datos": {"numero": "LIB-000123", "saldo": "7840000", "cuotas_pagadas": 28},
        },
    )

    assert stage.json()["resultado"] == "ignorado_por_antiguo"
    assert payment.json()["resultado"] == "ignorado_por_antiguo"
    # The local copy holds the core's values, never the event's.
    assert Application.objects.get(number="SOL-2026-0042").stage == "desembolso"
    credit = Credit.objects.get(number="LIB-000123")
    assert (credit.balance, credit.installments_paid) == (Decimal("7430000"), 29)


@core_only
def test_core_a_core_that_cannot_answer_is_503_and_stores_nothing(core_system, settings):
    settings.CORE_STATEMENT_TIMEOUT_MS = 300
    core.core_connection_reset()
    lock = core_admin()
    lock.execute("BEGIN")
    lock.execute("LOCK TABLE proalto_bot.customers IN ACCESS EXCLUSIVE MODE")  # every read waits
    try:
        response = core_system.post("/events/", stage_event("evt-core-5", "aprobacion", timezone.now().isoformat()))
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        core.core_breaker_reset()
        core.core_connection_reset()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(settings.CORE_BREAKER_SECONDS)
    assert response.json()["error"] == "nucleo_no_disponible"
    assert not ApiEvent.objects.exists()
    assert ApiCall.objects.get(status=503).outcome == "nucleo_no_disponible"


def test_a_stage_event_moves_a_lead_the_bot_took_itself_on_either_source(core_system, consented_chat):
    """A "Nuevo crédito" lead is the bot's own record (never in the core): ProAlto's system moves
    its stage by event, and the prospect who subscribed from the chat is told."""
    ana = consented_chat("573001234567", "Ana Lucía")
    contact = Contact.objects.get(wa_id=ana.wa_id)
    lead = application_lead_create(
        number="WA-2026-0A1B2C3D", contact=contact, cedula=ANA, full_name="Ana Lucía", details={}, now=timezone.now()
    )
    application_subscribe(application=lead, contact=contact)

    response = core_system.post(
        "/events/", stage_event("evt-lead", "estudio", timezone.now().isoformat(), number=lead.number)
    )

    assert response.status_code == 202 and response.json()["resultado"] == "aplicado"
    assert Application.objects.get(number=lead.number).stage == "estudio"
    assert len(notices()) == 1 and lead.number in notices()[0].preview
