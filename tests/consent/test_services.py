"""Data-rights requests: opening, the single extension, answers, missing information,
withdrawal after two months, the "reclamo en trámite" mark, and revocation."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from consent.models import ConsentRecord, DataRightsRequest, PolicyVersion
from consent.selectors import (
    contact_consent_outdated,
    contact_has_consent,
    policy_current,
    rights_requests_open,
)
from consent.services import (
    RightsRequestError,
    consent_record,
    consent_revoke,
    policy_publish,
    rights_request_ask_info,
    rights_request_complete_info,
    rights_request_extend,
    rights_request_open,
    rights_request_resolve,
    rights_request_withdraw_stale,
)
from consent.tasks import rights_request_withdraw_stale_task
from conversations.models import Contact, OutboundMessage
from credits.models import Customer
from proalto.colombia import BOGOTA

Kind, Status = DataRightsRequest.Kind, DataRightsRequest.Status
# Friday 4 December 2026, 10:00 in Bogotá.
FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=BOGOTA)

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    return Contact.objects.create(wa_id="573001234567", profile_name="Ana", last_inbound_at=FRIDAY)


@pytest.fixture
def customer():
    return Customer.objects.create(cedula="1020304050", full_name="Ana Lucía Gómez", phone="573001234567")


@pytest.fixture
def officer():
    return get_user_model().objects.create_user("oficial", password="x")


def notices(contact) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(contact=contact, sender="system").order_by("id"))


def test_consulta_gets_a_radicado_and_a_10_business_day_deadline(contact, customer):
    request = rights_request_open(contact=contact, kind=Kind.CONOCER, customer=customer, now=FRIDAY)
    assert request.number == f"HD-2026-{request.pk:06d}"
    assert request.category == DataRightsRequest.Category.CONSULTA
    assert request.due_date == request.original_due_date == date(2026, 12, 21)
    assert request.status == Status.RECEIVED
    # A consulta disputes nothing: credit reports are not marked.
    customer.refresh_from_db()
    assert customer.reclamo_en_tramite is False
    assert list(rights_requests_open()) == [request]


def test_reclamo_marks_reclamo_en_tramite_at_once_and_resolving_clears_it(contact, customer, officer):
    request = rights_request_open(
        contact=contact, kind=Kind.RECTIFICAR, detail="Mi apellido está mal escrito", customer=customer, now=FRIDAY
    )
    assert request.category == DataRightsRequest.Category.RECLAMO
    assert request.due_date == date(2026, 12, 29)
    customer.refresh_from_db()
    assert customer.reclamo_en_tramite is True

    rights_request_resolve(
        request=request,
        answer="Corregimos tu apellido en todos nuestros registros.",
        by=officer,
        now=FRIDAY + timedelta(hours=3),
    )
    request.refresh_from_db()
    customer.refresh_from_db()
    assert request.status == Status.RESOLVED and request.resolved_by == officer
    assert customer.reclamo_en_tramite is False
    [notice] = notices(contact)
    assert notice.body["type"] == "text"
    assert "Corregimos tu apellido" in notice.body["text"]["body"]
    assert request.number in notice.body["text"]["body"]


def test_mark_stays_while_another_reclamo_is_open(contact, customer, officer):
    first = rights_request_open(
        contact=contact,
        kind=Kind.ACTUALIZAR,
        detail="Cambié de dirección de residencia",
        customer=customer,
        now=FRIDAY,
    )
    rights_request_open(
        contact=contact,
        kind=Kind.SUPRIMIR,
        detail="Borren mi correo personal por favor",
        customer=customer,
        now=FRIDAY,
    )
    rights_request_resolve(request=first, answer="Actualizada.", by=officer, now=FRIDAY)
    customer.refresh_from_db()
    assert customer.reclamo_en_tramite is True


def test_consulta_extends_once_by_5_business_days_from_the_original_deadline(contact, officer):
    request = rights_request_open(contact=contact, kind=Kind.CONOCER, now=FRIDAY)
    request = rights_request_extend(
        request=request,
        by=officer,
        reason="estamos reuniendo la información de tus créditos",
        now=FRIDAY + timedelta(days=5),
    )
    # 21 Dec + 22, 23, 24, (25 Navidad), 28, 29.
    assert request.due_date == date(2026, 12, 29)
    assert request.original_due_date == date(2026, 12, 21)
    assert request.extended and request.status == Status.EXTENDED and request.extended_by == officer
    assert "29 de diciembre de 2026" in request.extension_notice
    assert "reuniendo la información" in request.extension_notice
    assert [n.preview for n in notices(contact)] == [request.extension_notice]

    with pytest.raises(RightsRequestError):
        rights_request_extend(request=request, by=officer)
    request.refresh_from_db()
    assert request.due_date == date(2026, 12, 29)
    assert len(notices(contact)) == 1


def test_reclamo_extends_by_8_business_days_across_new_year_and_reyes(contact, officer):
    request = rights_request_open(
        contact=contact, kind=Kind.SUPRIMIR, detail="Eliminen mi número de teléfono fijo", now=FRIDAY
    )
    request = rights_request_extend(request=request, by=officer, now=FRIDAY)
    # 29 Dec + 30, 31, (1 Jan), 4..8, (11 Jan Reyes), 12.
    assert request.due_date == date(2027, 1, 12)


def test_closed_request_cannot_be_extended_or_answered_twice(contact, officer):
    request = rights_request_open(contact=contact, kind=Kind.CONOCER, now=FRIDAY)
    rights_request_resolve(request=request, answer="Estos son tus datos.", by=officer, now=FRIDAY)
    with pytest.raises(RightsRequestError):
        rights_request_extend(request=request, by=officer)
    with pytest.raises(RightsRequestError):
        rights_request_resolve(request=request, answer="Otra vez", by=officer)


def test_outside_the_24_hour_window_the_notice_goes_as_an_approved_template(contact, officer, settings):
    settings.WHATSAPP_HABEAS_DATA_TEMPLATE = "proalto_habeas_data"
    request = rights_request_open(contact=contact, kind=Kind.CONOCER, now=FRIDAY)
    rights_request_resolve(
        request=request, answer="Tenemos tu nombre,\nteléfono y créditos.", by=officer, now=FRIDAY + timedelta(days=6)
    )
    [notice] = notices(contact)
    template = notice.body["template"]
    assert template["name"] == "proalto_habeas_data"
    number, text = (p["text"] for p in template["components"][0]["parameters"])
    assert number == request.number
    assert "\n" not in text and "teléfono y créditos" in text


def test_incomplete_reclamo_waits_for_information_then_the_term_restarts(contact, customer, officer):
    request = rights_request_open(
        contact=contact, kind=Kind.RECTIFICAR, detail="Mi dirección está mal", customer=customer, now=FRIDAY
    )
    with pytest.raises(RightsRequestError):
        rights_request_ask_info(request=request, missing="", by=officer)
    request = rights_request_ask_info(
        request=request, missing="¿Cuál es la dirección correcta?", by=officer, now=FRIDAY
    )
    assert request.status == Status.NEEDS_INFO and request.needs_info_since == FRIDAY
    assert "dirección correcta" in notices(contact)[0].preview

    later = datetime(2026, 12, 14, 9, 0, tzinfo=BOGOTA)
    request = rights_request_complete_info(request=request, detail="Calle 10 # 20-30, Medellín", now=later)
    assert request.status == Status.IN_PROGRESS and request.needs_info_since is None
    assert "Calle 10" in request.detail and "Mi dirección está mal" in request.detail
    # 15 business days from Monday 14 December.
    assert request.due_date == date(2027, 1, 6)


def test_consulta_cannot_be_left_waiting_for_information(contact, officer):
    request = rights_request_open(contact=contact, kind=Kind.CONOCER, now=FRIDAY)
    with pytest.raises(RightsRequestError):
        rights_request_ask_info(request=request, missing="Tu cédula", by=officer)


def test_reclamo_without_the_information_for_two_months_is_withdrawn(contact, customer, officer):
    asked = datetime(2026, 1, 10, 10, 0, tzinfo=BOGOTA)
    request = rights_request_open(
        contact=contact, kind=Kind.ACTUALIZAR, detail="Actualicen mi correo", customer=customer, now=asked
    )
    rights_request_ask_info(request=request, missing="El correo nuevo", by=officer, now=asked)

    assert rights_request_withdraw_stale(now=datetime(2026, 3, 10, 9, 59, tzinfo=BOGOTA)) == 0
    request.refresh_from_db()
    assert request.status == Status.NEEDS_INFO

    assert rights_request_withdraw_stale(now=datetime(2026, 3, 10, 10, 0, tzinfo=BOGOTA)) == 1
    request.refresh_from_db()
    customer.refresh_from_db()
    assert request.status == Status.WITHDRAWN and request.withdrawn_at is not None
    assert customer.reclamo_en_tramite is False
    assert "dos meses" in notices(contact)[-1].preview
    # Running again does nothing more.
    assert rights_request_withdraw_stale(now=datetime(2026, 6, 1, tzinfo=BOGOTA)) == 0


def test_the_periodic_task_withdraws_through_the_service(contact):
    request = rights_request_open(contact=contact, kind=Kind.SUPRIMIR, detail="Eliminen mis datos de contacto")
    DataRightsRequest.objects.filter(pk=request.pk).update(
        status=Status.NEEDS_INFO, needs_info_since=datetime(2020, 1, 1, tzinfo=BOGOTA)
    )
    assert rights_request_withdraw_stale_task() == 1


def test_beat_runs_the_withdrawal_task(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "consent.rights_request_withdraw_stale" in tasks


def test_revocation_is_appended_and_opens_a_request_for_the_record(contact, customer, policy):
    consent_record(
        contact=contact,
        policy=policy,
        text_shown="texto",
        answer=ConsentRecord.Answer.ACCEPTED,
        inbound_message_id=None,
        wa_message_id="wamid.1",
        answered_at=FRIDAY,
    )
    assert contact_has_consent(contact=contact)

    record, request = consent_revoke(
        contact=contact,
        text_shown="¿Confirmas?",
        inbound_message_id=None,
        wa_message_id="wamid.2",
        answered_at=FRIDAY,
        customer=customer,
        now=FRIDAY,
    )
    assert record.answer == ConsentRecord.Answer.REVOKED and record.policy_version == policy
    assert request.kind == Kind.REVOCAR and request.category == DataRightsRequest.Category.RECLAMO
    assert request.consent_record == record and request.due_date == date(2026, 12, 29)
    assert not contact_has_consent(contact=contact)
    assert ConsentRecord.objects.filter(contact=contact).count() == 2
    # A revocation disputes no data: credit reports are not marked.
    customer.refresh_from_db()
    assert customer.reclamo_en_tramite is False


def test_a_newer_policy_makes_an_older_acceptance_outdated(contact, policy):
    old = policy
    consent_record(
        contact=contact,
        policy=old,
        text_shown="texto",
        answer=ConsentRecord.Answer.ACCEPTED,
        inbound_message_id=None,
        wa_message_id="wamid.1",
        answered_at=FRIDAY,
    )
    assert not contact_consent_outdated(contact=contact)
    PolicyVersion.objects.create(
        version="2027.1",
        consent_text="Nuevo",
        policy_url="https://x.co/pti",
        published_at=old.published_at + timedelta(days=1),
    )
    assert contact_consent_outdated(contact=contact)
    assert not contact_has_consent(contact=contact)


def test_records_render_readably_for_the_admin(contact):
    request = rights_request_open(contact=contact, kind=Kind.CONOCER, now=FRIDAY)
    assert str(request) == f"{request.number} · Conocer mis datos (Recibida)"


def test_publishing_a_policy_puts_it_in_force_once(contact, policy, officer):
    consent_record(
        contact=contact,
        policy=policy,
        text_shown="texto",
        answer=ConsentRecord.Answer.ACCEPTED,
        inbound_message_id=None,
        wa_message_id="wamid.1",
        answered_at=FRIDAY,
    )
    draft = PolicyVersion.objects.create(version="2027.1", consent_text="Nuevo texto", policy_url="https://x.co/pti")
    assert policy_current() == policy

    policy_publish(policy=draft, by=None, now=policy.published_at + timedelta(days=1))
    assert policy_current() == draft
    assert contact_consent_outdated(contact=contact)
    with pytest.raises(ValueError):
        policy_publish(policy=draft, by=officer)


def test_messages_of_contacts_without_consent_are_emptied_after_the_retention(db, policy, settings):
    """Audit finding 9: messages of people who decline or never answer were kept forever."""
    from datetime import timedelta

    from django.utils import timezone

    from consent.services import PURGED, unconsented_messages_purge
    from conversations.models import Contact, InboundMessage

    settings.UNCONSENTED_RETENTION_DAYS = 30
    now = timezone.now()
    old, recent, consented = (
        Contact.objects.create(wa_id=wa_id, last_inbound_at=now - timedelta(days=days))
        for wa_id, days in (("573000000001", 31), ("573000000002", 29), ("573000000003", 31))
    )
    for contact in (old, recent, consented):
        InboundMessage.objects.create(
            contact=contact,
            wa_message_id=f"wamid.{contact.wa_id}",
            type="text",
            text="mi cédula es 1020304050",
            payload={"text": {"body": "mi cédula es 1020304050"}},
            sent_at=contact.last_inbound_at,
        )
    consent_record(
        contact=consented,
        policy=policy,
        text_shown="x",
        answer=ConsentRecord.Answer.ACCEPTED,
        inbound_message_id=None,
        wa_message_id="wamid.c",
        answered_at=now,
    )

    assert unconsented_messages_purge(now=now) == 1
    texts = dict(InboundMessage.objects.values_list("contact__wa_id", "text"))
    assert texts == {
        "573000000001": PURGED,
        "573000000002": "mi cédula es 1020304050",
        "573000000003": "mi cédula es 1020304050",
    }
    assert unconsented_messages_purge(now=now) == 0  # done once
