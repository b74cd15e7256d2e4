"""Compliance is alerted of data-rights requests (e-mail and badge), sees the person on them,
and exports consents in the ';' variant Excel in Colombian Spanish opens directly."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consent.alerts import rights_requests_alert_due
from consent.selectors import rights_requests_attention_count
from consent.services import rights_request_open
from conversations.models import Contact
from credits.selectors import customer_by_phone
from tests.consent.test_admin_compliance import as_role, records  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings):
    settings.COMPLIANCE_NOTIFY_EMAILS = ["cumplimiento@proalto.test"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def ana(db):
    return Contact.objects.create(wa_id="573001234567", profile_name="Ana Lucía", last_inbound_at=timezone.now())


def test_the_semicolon_export_keeps_the_bom_and_the_columns(as_role, records):  # noqa: F811
    compliance = as_role("Cumplimiento")
    assert "CSV para Excel (;)" in compliance.get("/admin/consent/consentrecord/").content.decode()
    response = compliance.get("/admin/consent/consentrecord/export/excel/?answer__exact=accepted")
    assert response.status_code == 200 and "-excel.csv" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["fecha", "wa_id", "versión", "hash", "respuesta", "id mensaje"]
    assert len(rows) == 3 and rows[1][4] == "Aceptó"
    # The comma variant is unchanged.
    comma = b"".join(compliance.get("/admin/consent/consentrecord/export/").streaming_content)
    assert comma.startswith("\ufeff".encode()) and b"fecha,wa_id" in comma


def test_consent_list_names_the_message_in_spanish(as_role, records):  # noqa: F811
    html = as_role("Cumplimiento").get("/admin/consent/consentrecord/").content.decode()
    assert "inbound message id" not in html.lower() and ">Mensaje<" in html


def test_a_new_request_is_emailed_to_compliance_without_personal_data(
    mailbox, ana, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = rights_request_open(contact=ana, kind="suprimir", detail="Borren mis datos")
    [message] = mail.outbox
    assert request.number in message.subject and "Suprimir datos" in message.subject
    assert f"/admin/consent/datarightsrequest/{request.pk}/change/" in message.body
    assert "573001234567" not in message.body and "Ana" not in message.body and "Borren" not in message.body


def test_requests_due_in_two_business_days_are_emailed_once_a_day(mailbox, ana, django_capture_on_commit_callbacks):
    due_soon = rights_request_open(contact=ana, kind="conocer", now=timezone.now() - timedelta(days=13))
    later = rights_request_open(contact=ana, kind="conocer")
    mail.outbox.clear()
    assert rights_requests_alert_due() == 1
    [message] = mail.outbox
    assert due_soon.number in message.body and later.number not in message.body
    assert "por vencer" in message.subject
    # Once a day per request: the hourly sweep does not repeat it.
    assert rights_requests_alert_due() == 0 and len(mail.outbox) == 1


def test_without_addresses_nobody_is_emailed(ana, settings, django_capture_on_commit_callbacks):
    settings.COMPLIANCE_NOTIFY_EMAILS = []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        rights_request_open(contact=ana, kind="conocer", now=timezone.now() - timedelta(days=13))
    assert rights_requests_alert_due() == 0 and mail.outbox == []


def test_the_badge_counts_new_and_due_soon_requests(as_role, ana):  # noqa: F811
    today = timezone.localdate()
    assert rights_requests_attention_count(today=today) == 0
    rights_request_open(contact=ana, kind="conocer")
    assert rights_requests_attention_count(today=today) == 1
    html = as_role("Cumplimiento").get("/admin/").content.decode()
    assert 'id="rights-attention"' in html
    # Advisors have no such badge.
    assert 'id="rights-attention"' not in as_role("Asesor").get("/admin/").content.decode()


def test_the_person_is_masked_for_whoever_may_not_see_it_in_full(as_role, ana, portfolio):  # noqa: F811
    request = rights_request_open(contact=ana, kind="conocer", customer=customer_by_phone(phone="573001234567"))
    compliance = as_role("Cumplimiento")
    html = compliance.get("/admin/consent/datarightsrequest/").content.decode()
    assert "Ana Lucía Gómez Restrepo · C.C. 1020304050" in html
    for header in ("Radicado", "Titular", "Tipo", "Categoría", "Estado", "Recibida", "Vence"):
        assert f">{header}<" in html or f">{header}</a>" in html, header
    assert "Por estado" in html and "Por tipo" in html
    detail = compliance.get(f"/admin/consent/datarightsrequest/{request.pk}/change/").content.decode()
    assert "1020304050" in detail
    # A role that may change requests but not see personal data in full reads the cédula masked.
    from django.contrib.auth.models import Permission

    reader = as_role("Asesor")
    reader.user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_datarightsrequest", "change_datarightsrequest"])
    )
    masked = reader.get(f"/admin/consent/datarightsrequest/{request.pk}/resolve/").content.decode()
    assert "Ana Lucía Gómez Restrepo" in masked and "1020304050" not in masked and "•••050" in masked
