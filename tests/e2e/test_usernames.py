"""Customers who adopted a WhatsApp username (Meta, 2026): webhooks carry their business-scoped
user ID (BSUID) and often no phone. They are stored, answered by BSUID, validated with the code
sent to their registered phone, kept as one contact when the phone shows up, and a change of
number ends their validated identity."""

from __future__ import annotations

import io
import os
import threading
import time
from datetime import datetime

import pytest
from django.core.management import call_command

from conversations.messaging.ingest import NUMBER_CHANGE_NOTICE
from conversations.messaging.webhook import parse
from conversations.models import Contact, ConversationSession, InboundMessage, OutboundMessage
from credits.models import Application
from credits.services import application_stage_set, application_subscribe
from proalto.colombia import BOGOTA
from tests.support import WhatsAppUser, fixture, texts

ANA_PHONE, ANA_CEDULA, ANA_ISSUED = "573001234567", "1020304050", "10/05/1979"
ANA_BSUID = "CO.13491208655302741918"


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


@pytest.fixture
def ana_username(consented_chat):
    """Ana writes with her username: Meta withholds her phone from the webhooks."""
    return consented_chat(ANA_PHONE, "Ana Lucía", bsuid=ANA_BSUID, username="analu.gomez", phone_visible=False)


def _code_sent_to_registered_phone(standin) -> str:
    [otp] = [
        m
        for m in standin.sent_to(ANA_PHONE)
        if m["type"] == "template" and m["payload"]["template"]["name"] == "proalto_codigo_verificacion"
    ]
    assert otp["addressed_by"] == "to"  # an authentication template never goes to a BSUID
    return otp["payload"]["template"]["components"][0]["parameters"][0]["text"]


# --- Parsing Meta's payloads --------------------------------------------------------------------


def test_the_documented_payloads_parse():
    only = parse(fixture("bsuid_only")).messages[0]
    assert (only.sender.wa_id, only.sender.bsuid, only.sender.username) == ("", ANA_BSUID, "analu.gomez")
    both = parse(fixture("bsuid_with_phone")).messages[0]
    assert (both.sender.wa_id, both.sender.bsuid) == (ANA_PHONE, ANA_BSUID)
    assert both.sender.parent_bsuid == "CO.ENT.11815799212886844830"
    [status] = parse(fixture("status_bsuid")).statuses
    assert status.status == "delivered"
    change = parse(fixture("user_changed_number")).messages[0].number_change
    assert (change.wa_id, change.bsuid) == ("573005550000", "CO.55501208655302749999")
    assert parse(fixture("contact_request")).messages[0].shared_phone == ANA_PHONE


def test_a_message_with_neither_phone_nor_bsuid_is_refused(meta):
    payload = fixture("bsuid_only")
    del payload["entry"][0]["changes"][0]["value"]["messages"][0]["from_user_id"]
    response = meta.post(payload)
    assert response.status_code == 400
    assert not InboundMessage.objects.exists() and not Contact.objects.exists()


def test_a_status_addressed_to_a_bsuid_is_accepted(meta):
    assert meta.post(fixture("status_bsuid")).status_code == 200


# --- A username customer, end to end -------------------------------------------------------------


def test_a_username_customer_consents_validates_with_the_code_and_gets_the_balance(ana_username, portfolio, standin):
    ana = ana_username
    contact = Contact.objects.get(bsuid=ANA_BSUID)
    assert contact.wa_id is None and contact.username == "analu.gomez"
    # The consent proof records the identifier the answer came from.
    assert contact.consents.get().wa_id == ANA_BSUID

    assert "cédula" in texts(ana.says("quiero saber mi saldo"))
    replies = ana.says(ANA_CEDULA)
    replies = ana.says(ANA_ISSUED)
    # No phone in the webhook: the held factor is the code sent to the registered phone, and
    # the customer is offered to share their number instead.
    assert "celular que tienes registrado" in texts(replies) and "Compartir número" in texts(replies)
    [share] = [m for m in replies if m["type"] == "template" and m["addressed_by"] == "recipient"]
    assert share["to"] == ANA_BSUID and share["payload"]["template"]["name"] == "proalto_compartir_numero"

    replies = ana.says(_code_sent_to_registered_phone(standin))
    assert "$8.250.000" in texts(replies)
    assert {m["to"] for m in replies} == {ANA_BSUID}  # answered by BSUID
    # The code went to the registered phone's own chat: nothing proves it is this account.
    assert Contact.objects.get(wa_id=ANA_PHONE).bsuid is None


def test_sharing_the_number_on_request_validates_the_username_customer(ana_username, portfolio, standin):
    ana = ana_username
    ana.says("saldo")
    ana.says(ANA_CEDULA)
    ana.says(ANA_ISSUED)

    replies = ana.sends("contact_request")
    assert "$8.250.000" in texts(replies)
    assert Contact.objects.get(bsuid=ANA_BSUID).wa_id == ANA_PHONE  # Meta vouched for it: kept


def test_a_typed_or_forwarded_number_is_never_proof(ana_username, portfolio, standin):
    ana = ana_username
    ana.says("saldo")
    ana.says(ANA_CEDULA)
    ana.says(ANA_ISSUED)

    # A contact card the customer forwards (no contact-request origin) proves nothing.
    replies = ana.sends("contact_request", origin="other")
    assert "$8.250.000" not in texts(replies)
    assert ConversationSession.objects.get(contact__bsuid=ANA_BSUID).validated_customer is None
    assert Contact.objects.get(bsuid=ANA_BSUID).wa_id is None


def test_the_same_customer_later_arriving_with_the_phone_stays_one_contact(ana_username, chat, standin):
    ana_username.says("hola")
    ana_with_phone = chat(ANA_PHONE, "Ana Lucía", bsuid=ANA_BSUID, username="analu.gomez")

    ana_with_phone.says("menú")

    [contact] = Contact.objects.all()
    assert (contact.wa_id, contact.bsuid) == (ANA_PHONE, ANA_BSUID)
    assert InboundMessage.objects.filter(contact=contact).count() == InboundMessage.objects.count()
    # From now on the bot writes to the phone, as Meta recommends.
    last = OutboundMessage.objects.filter(contact=contact).latest("id")
    assert standin.sent_to(ANA_PHONE)[-1]["id"] == last.wa_message_id


@pytest.mark.services
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="a real race needs PostgreSQL (the embedded test database serialises writers): make test-services",
)
def test_two_simultaneous_first_messages_create_one_contact(chat, policy):
    users = [chat(None, "Nueva", bsuid="CO.77701208655302741918", phone_visible=False) for _ in range(6)]
    barrier = threading.Barrier(len(users))
    errors = []

    def first_message(user):
        try:
            barrier.wait(5)
            user._send("text", text={"body": "hola"})
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=first_message, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Contact.objects.filter(bsuid="CO.77701208655302741918").count() == 1
    assert InboundMessage.objects.count() == len(users)


def test_a_change_of_number_ends_the_validated_identity(consented_chat, meta, portfolio, standin):
    ana = consented_chat(ANA_PHONE, "Ana Lucía", bsuid=ANA_BSUID)
    ana.says("saldo")
    ana.says(ANA_CEDULA)
    assert "$8.250.000" in texts(ana.says(ANA_ISSUED))  # writing from the registered phone
    session = ConversationSession.objects.get(contact__bsuid=ANA_BSUID)
    assert session.validated_customer is not None

    change = fixture("user_changed_number")
    change["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(int(time.time()))
    assert meta.post(change).status_code == 200
    assert ana.replies() == []  # a system notice gets no answer

    contact = Contact.objects.get(pk=session.contact_id)
    assert (contact.wa_id, contact.bsuid) == ("573005550000", "CO.55501208655302749999")
    # What an advisor holding the chat reads in its transcript.
    assert contact.inbound.get(type="system").text == NUMBER_CHANGE_NOTICE
    assert contact.identity_changed_at is not None
    moved = WhatsAppUser(meta, standin, "573005550000", "Ana Lucía", bsuid="CO.55501208655302749999")
    replies = moved.says("saldo")
    assert "cédula" in texts(replies)  # asked again: the identity ended with the change
    session.refresh_from_db()
    assert session.validated_customer is None


@pytest.mark.parametrize("moment", [datetime(2027, 1, 12, 10, 0, tzinfo=BOGOTA)], indirect=True)  # Ley 2300 hours
def test_a_stage_notice_reaches_a_username_customer_by_bsuid(moment, ana_username, portfolio, standin, settings):
    """Subscriptions work without a visible phone: the notice is addressed by recipient."""
    settings.PORTFOLIO_SOURCE = "local"  # staff set the stage (with the core as source, it owns it)
    application = Application.objects.get(number="SOL-2026-0042")
    application_subscribe(application=application, contact=Contact.objects.get(bsuid=ANA_BSUID))
    ana_username.replies()
    application_stage_set(application=application, stage="aprobacion")  # notified after commit, at once
    [notice] = ana_username.replies()
    assert notice["to"] == ANA_BSUID and notice["addressed_by"] == "recipient"
    assert "SOL-2026-0042" in texts([notice])


def test_staff_find_and_see_a_username_customer_masked_by_role(ana_username, django_user_model, settings):
    """The admin lists a customer without a phone by username and masked BSUID, finds them by
    either, and shows the BSUID in full only to the roles that see full personal data."""
    from django.contrib.auth.models import Group
    from django.test import Client

    settings.STAFF_OTP_REQUIRED = False  # the second factor is tested in tests/escalations
    call_command("setup_roles", stdout=io.StringIO())  # a transactional test's database starts empty
    contact = Contact.objects.get(bsuid=ANA_BSUID)
    clients = {}
    for role in ("Asesor", "Supervisor"):
        user = django_user_model.objects.create_user(f"{role.lower()}.bsuid", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        clients[role] = Client()
        clients[role].force_login(user)

    supervisor = clients["Supervisor"]
    listing = supervisor.get("/admin/conversations/contact/", {"q": "analu"}).content.decode()
    assert "analu.gomez" in listing and "CO.•••1918" in listing and ANA_BSUID not in listing
    assert "analu.gomez" in supervisor.get("/admin/conversations/contact/", {"q": ANA_BSUID}).content.decode()
    assert ANA_BSUID in supervisor.get(f"/admin/conversations/contact/{contact.pk}/change/").content.decode()

    advisor = clients["Asesor"]  # holds no ticket of Ana's: never the full identifier
    for url in ("/admin/conversations/contact/", f"/admin/conversations/contact/{contact.pk}/change/"):
        assert ANA_BSUID not in advisor.get(url, {"q": "analu"}).content.decode()


def test_a_consent_proof_given_by_bsuid_is_masked_as_one_for_staff():
    from proalto.masking import mask_identifier

    assert mask_identifier(ANA_BSUID) == "CO.•••1918"
    assert mask_identifier(ANA_PHONE) == "57•••••4567"
