"""Consent records are append-only in PostgreSQL itself (consent/migrations/0006): a trigger
refuses UPDATE and DELETE whoever sends them, the ORM's update()/delete() or raw SQL. The
model's own save()/delete() guards never saw those. Only the services run has PostgreSQL."""

import os

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from consent.erasure import contact_personal_data_erase
from consent.models import ConsentRecord
from consent.services import consent_record
from conversations.models import Contact, InboundMessage

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="the append-only triggers exist on PostgreSQL only (make test-services)",
    ),
]


@pytest.fixture
def contact(db):
    return Contact.objects.create(wa_id="573001234567")


@pytest.fixture
def record(contact, policy):
    message = InboundMessage.objects.create(
        wa_message_id="wamid.consent", contact=contact, type="interactive", text="Acepto", sent_at=timezone.now()
    )
    return consent_record(
        contact=contact,
        policy=policy,
        text_shown="¿Autorizas el tratamiento de tus datos?",
        answer=ConsentRecord.Answer.ACCEPTED,
        inbound_message_id=message.pk,
        wa_message_id=message.wa_message_id,
        answered_at=timezone.now(),
    )


def refused(statement):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        statement()


def test_orm_update_and_delete_are_refused(record):
    refused(lambda: ConsentRecord.objects.filter(pk=record.pk).update(answer=ConsentRecord.Answer.DECLINED))
    refused(lambda: ConsentRecord.objects.filter(pk=record.pk).delete())
    record.refresh_from_db()
    assert record.answer == ConsentRecord.Answer.ACCEPTED


def test_raw_sql_update_and_delete_are_refused(record):
    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [record.pk])

    refused(lambda: execute("UPDATE consent_consentrecord SET answer = 'declined' WHERE id = %s"))
    refused(lambda: execute("UPDATE consent_consentrecord SET text_shown = '' WHERE id = %s"))
    refused(lambda: execute("DELETE FROM consent_consentrecord WHERE id = %s"))
    assert ConsentRecord.objects.filter(pk=record.pk, answer="accepted").exists()


def test_new_answers_are_still_recorded(record, contact, policy):
    consent_record(
        contact=contact,
        policy=policy,
        text_shown="¿Autorizas el tratamiento de tus datos?",
        answer=ConsentRecord.Answer.REVOKED,
        inbound_message_id=None,
        wa_message_id="wamid.revoke",
        answered_at=timezone.now(),
    )
    assert ConsentRecord.objects.filter(contact=contact).count() == 2


def test_deleting_the_message_only_clears_the_link_to_it(record):
    # on_delete=SET_NULL: the one change the trigger lets through, and nothing else with it.
    InboundMessage.objects.filter(pk=record.inbound_message_id).delete()
    record.refresh_from_db()
    assert record.inbound_message_id is None and record.answer == ConsentRecord.Answer.ACCEPTED
    with connection.cursor() as cursor:
        cursor.execute("UPDATE consent_consentrecord SET inbound_message_id = NULL WHERE id = %s", [record.pk])
    other = InboundMessage.objects.create(
        wa_message_id="wamid.other", contact=record.contact, type="text", sent_at=timezone.now()
    )

    def relink():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE consent_consentrecord SET inbound_message_id = %s WHERE id = %s", [other.pk, record.pk]
            )

    refused(relink)


def test_erasing_the_holders_data_keeps_the_consent_records(record, contact):
    contact_personal_data_erase(contact=contact, by=None)
    kept = ConsentRecord.objects.get(pk=record.pk)
    assert kept.answer == ConsentRecord.Answer.ACCEPTED and kept.text_shown == record.text_shown
