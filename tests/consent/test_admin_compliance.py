"""Compliance's back office: consent proof listed and exported but never changed, PTI
versions published from the admin (and the bot asking again), the data-rights queue."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from consent.models import ConsentRecord, DataRightsRequest, PolicyVersion
from consent.services import rights_request_open
from conversations.models import Contact, OutboundMessage
from escalations.management.commands.create_staff import staff_create
from escalations.models import AuditEntry
from tests.support import texts


def _verified_client(user) -> Client:
    """A browser session logged in with the second factor already confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="app", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def as_role(db):
    call_command("setup_roles", stdout=io.StringIO())

    def make(role: str) -> Client:
        device = staff_create(
            username=f"{role.lower()}-{secrets.token_hex(3)}", role=role, password=f"Clave-{secrets.token_hex(8)}"
        )
        client = _verified_client(device.user)
        client.user = device.user
        return client

    return make


@pytest.fixture
def superuser_client(db):
    user = get_user_model().objects.create_superuser("root", "root@proalto.test", f"Clave-{secrets.token_hex(8)}")
    return _verified_client(user)


@pytest.fixture
def records(policy):
    ana = Contact.objects.create(wa_id="573001234567")
    carlos = Contact.objects.create(wa_id="573009876543")
    now = timezone.now()
    made = []
    for contact, answer, minutes in ((ana, "accepted", 30), (carlos, "declined", 20), (carlos, "accepted", 10)):
        made.append(
            ConsentRecord.objects.create(
                contact=contact,
                wa_id=contact.wa_id,
                policy_version=policy,
                text_shown=f"Texto {policy.version}: {policy.consent_text}",
                answer=answer,
                wa_message_id=f"wamid.{contact.wa_id}.{minutes}",
                answered_at=now - timedelta(minutes=minutes),
            )
        )
    return made


def _csv(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


# --- Consent records ---------------------------------------------------------------------------


def test_compliance_lists_and_exports_filtered_consents(as_role, records):
    compliance = as_role("Cumplimiento")
    page = compliance.get("/admin/consent/consentrecord/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "573009876543" in html  # compliance sees numbers in full
    assert "Exportar CSV" in html and "delete_selected" not in html
    assert "/admin/consent/consentrecord/add/" not in html

    response = compliance.get("/admin/consent/consentrecord/export/?answer__exact=accepted")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw, rows = _csv(response)
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 with the BOM
    assert rows[0] == ["fecha", "wa_id", "versión", "hash", "respuesta", "id mensaje"]
    assert len(rows) == 3  # the two accepted, oldest first; the declined one is filtered out
    first = rows[1]
    record = records[0]
    assert first[1:] == [
        record.wa_id,
        record.policy_version.version,
        record.text_sha256,
        "Aceptó",
        record.wa_message_id,
    ]
    assert first[0].startswith(timezone.localtime(record.answered_at).strftime("%Y-%m-%dT%H:%M"))
    assert AuditEntry.objects.filter(action="export_consents", user=compliance.user).exists()


def test_export_action_on_selected_rows(as_role, records):
    compliance = as_role("Cumplimiento")
    response = compliance.post(
        "/admin/consent/consentrecord/", {"action": "export_csv", "_selected_action": [records[1].pk]}
    )
    _, rows = _csv(response)
    assert [row[4] for row in rows[1:]] == ["No aceptó"]


def test_without_full_data_permission_the_number_is_masked(records):
    user = get_user_model().objects.create_user("auditor", password=f"Clave-{secrets.token_hex(8)}", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_consentrecord"))
    client = _verified_client(user)
    html = client.get("/admin/consent/consentrecord/").content.decode()
    assert "573009876543" not in html and "57•••••6543" in html
    _, rows = _csv(client.get("/admin/consent/consentrecord/export/"))
    assert {row[1] for row in rows[1:]} == {"57•••••4567", "57•••••6543"}


def test_detail_shows_the_exact_text_read_only(as_role, records):
    compliance = as_role("Cumplimiento")
    record = records[0]
    page = compliance.get(f"/admin/consent/consentrecord/{record.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert record.text_shown in html and record.text_sha256 in html
    assert 'name="_save"' not in html
    assert (
        compliance.post(f"/admin/consent/consentrecord/{record.pk}/change/", {"answer": "declined"}).status_code == 403
    )


@pytest.mark.parametrize("who", ["compliance", "superuser"])
def test_nobody_adds_changes_or_deletes_consent_records(who, as_role, superuser_client, records):
    client = as_role("Cumplimiento") if who == "compliance" else superuser_client
    record = records[0]
    assert client.get("/admin/consent/consentrecord/add/").status_code == 403
    assert client.get(f"/admin/consent/consentrecord/{record.pk}/delete/").status_code == 403
    assert client.post(f"/admin/consent/consentrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        "/admin/consent/consentrecord/", {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    )
    # The action is not offered: the admin sends the list back, nothing deleted.
    assert (response.status_code, response["Location"]) == (302, "/admin/consent/consentrecord/")
    assert ConsentRecord.objects.count() == 3
    html = client.get(f"/admin/consent/consentrecord/{record.pk}/change/").content.decode()
    assert "deletelink" not in html


def test_advisors_do_not_see_consent_records(as_role, records):
    assert as_role("Asesor").get("/admin/consent/consentrecord/").status_code == 403
    assert as_role("Asesor").get("/admin/consent/consentrecord/export/").status_code == 403


# --- PTI versions ------------------------------------------------------------------------------------


def test_publishing_a_new_version_makes_the_bot_ask_again(as_role, consented_chat, policy):
    ana = consented_chat()
    assert "autorización" not in texts(ana.says("hola"))

    compliance = as_role("Cumplimiento")
    response = compliance.post(
        "/admin/consent/policyversion/add/",
        {
            "version": "2027.1",
            "consent_text": "ProAlto tratará tus datos también para enviarte el estado de tus solicitudes.",
            "policy_url": "https://www.proalto.com.co/pti-2027-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = PolicyVersion.objects.get(version="2027.1")
    assert draft.published_at is None
    assert "autorización" not in texts(ana.says("hola"))  # a draft changes nothing

    response = compliance.post("/admin/consent/policyversion/", {"action": "publish", "_selected_action": [draft.pk]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert AuditEntry.objects.filter(action="publish_policy", object_id=str(draft.pk)).exists()

    replies = ana.says("quiero ver mi saldo")
    assert "para enviarte el estado de tus solicitudes" in texts(replies)
    assert "pti-2027-1" in texts(replies)
    assert set(ana.offered()) == {"consent_accept", "consent_decline"}
    ana.taps("consent_accept")
    assert ConsentRecord.objects.filter(policy_version=draft, answer="accepted").count() == 1


def test_a_published_version_is_frozen(as_role, policy):
    compliance = as_role("Cumplimiento")
    page = compliance.get(f"/admin/consent/policyversion/{policy.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    response = compliance.post(
        f"/admin/consent/policyversion/{policy.pk}/change/",
        {
            "version": policy.version,
            "consent_text": "otro texto",
            "policy_url": policy.policy_url,
        },
    )
    assert response.status_code == 403
    response = compliance.post(
        "/admin/consent/policyversion/", {"action": "publish", "_selected_action": [policy.pk]}, follow=True
    )
    assert "ya está publicada" in response.content.decode()


# --- Data-rights requests -----------------------------------------------------------------------------


@pytest.fixture
def holder(db):
    return Contact.objects.create(wa_id="573001234567", last_inbound_at=timezone.now())


def test_queue_shows_business_days_left_and_overdue_in_red(as_role, holder):
    fresh = rights_request_open(contact=holder, kind="conocer")
    late = rights_request_open(contact=holder, kind="rectificar", now=timezone.now() - timedelta(days=40))
    html = as_role("Cumplimiento").get("/admin/consent/datarightsrequest/").content.decode()
    assert fresh.number in html and late.number in html
    assert "Vencida" in html and "#ba2121" in html
    assert html.count("Resolver</a>") == 2


def test_resolve_sends_the_answer_on_whatsapp(as_role, holder):
    rights_request = rights_request_open(contact=holder, kind="conocer")
    compliance = as_role("Cumplimiento")
    page = compliance.get(f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/").content.decode()
    assert "Resolver y enviar la respuesta" in page and 'name="erase"' not in page
    response = compliance.post(
        f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/",
        {"answer": "Tenemos tu nombre, cédula y teléfono."},
    )
    assert response.status_code == 302
    rights_request.refresh_from_db()
    assert rights_request.status == "resolved" and rights_request.resolved_by == compliance.user
    notice = OutboundMessage.objects.filter(contact=holder).latest("id")
    assert "Tenemos tu nombre, cédula y teléfono." in notice.preview

    # Resolving twice is refused with a clear message.
    response = compliance.post(f"/admin/consent/datarightsrequest/{rights_request.pk}/resolve/", {"answer": "otra"})
    assert "ya está cerrada" in response.content.decode()


def test_extend_only_once(as_role, holder):
    rights_request = rights_request_open(contact=holder, kind="actualizar")
    compliance = as_role("Cumplimiento")
    for _ in range(2):
        response = compliance.post(
            "/admin/consent/datarightsrequest/",
            {"action": "extend", "_selected_action": [rights_request.pk]},
            follow=True,
        )
    assert "no permite otra prórroga" in response.content.decode()
    rights_request.refresh_from_db()
    assert rights_request.extended and rights_request.due_date > rights_request.original_due_date


def test_requests_are_never_deleted_nor_added_in_the_admin(superuser_client, holder):
    rights_request = rights_request_open(contact=holder, kind="conocer")
    assert superuser_client.get("/admin/consent/datarightsrequest/add/").status_code == 403
    assert superuser_client.get(f"/admin/consent/datarightsrequest/{rights_request.pk}/delete/").status_code == 403
    assert DataRightsRequest.objects.count() == 1
