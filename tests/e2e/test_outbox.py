"""The outbox: replies go out in order; a scheduled proactive message holds nothing back."""

import json
import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from conversations.messaging import whatsapp
from conversations.messaging.outbox import (
    PREPARING,
    SENDING,
    contact_outbox_flush,
    outbound_queue,
    placeholder_queue,
    reply_queue,
    secret_queue,
)
from conversations.messaging.replies import render
from conversations.messaging.sweep import pending_sweep
from conversations.models import Contact, OutboundMessage
from credits.models import Customer
from documents.models import Document
from tests.support import texts


def test_a_scheduled_notice_does_not_hold_back_replies(consented_chat, standin):
    ana = consented_chat()
    contact = Contact.objects.get(wa_id=ana.wa_id)
    later = timezone.now() + timedelta(hours=8)
    outbound_queue(
        contact=contact,
        body=whatsapp.text_body("Aviso programado"),
        preview="Aviso programado",
        sender="system",
        not_before=later,
    )

    replies = ana.says("hola")
    assert "¿En qué te puedo ayudar?" in texts(replies)  # the menu (greeted once per session)
    assert "Aviso programado" not in texts(replies)
    notice = OutboundMessage.objects.get(preview="Aviso programado")
    assert notice.status == OutboundMessage.Status.QUEUED and notice.not_before == later


def test_the_sweep_requeues_a_dead_workers_claim_but_not_a_notice_being_sent_now(consented_chat, standin):
    """A claim is judged by its own age: a notice queued hours ago for its allowed time and
    claimed a moment ago is being sent, and must not be queued (and sent) a second time."""

    ana, bob = consented_chat("573001111111", "Ana"), consented_chat("573002222222", "Bob")
    hours_ago, now = timezone.now() - timedelta(hours=3), timezone.now()

    def claimed(user, text, at):
        return OutboundMessage.objects.create(
            contact=Contact.objects.get(wa_id=user.wa_id),
            body=whatsapp.text_body(text),
            preview=text,
            kind="text",
            sender="system",
            created_at=hours_ago,
            status=SENDING,
            attempts=1,
            claimed_at=at,
        )

    being_sent = claimed(ana, "Aviso en camino", now)
    abandoned = claimed(bob, "Aviso abandonado", now - timedelta(minutes=5))
    ana.replies(), bob.replies()  # drain

    pending_sweep()

    being_sent.refresh_from_db()
    assert being_sent.status == SENDING
    assert ana.replies() == []
    abandoned.refresh_from_db()
    assert abandoned.status == OutboundMessage.Status.SENT
    assert texts(bob.replies()) == "Aviso abandonado"


def test_a_certificate_a_dead_worker_left_half_prepared_is_prepared_by_the_sweep(consented_chat, portfolio, standin):
    """A placeholder whose preparation was claimed by a worker that died is prepared by the
    sweep once the claim is stale; the reply queued behind it goes out after it."""
    carlos = consented_chat("573009876543", "Carlos")  # everything paid (demo portfolio)
    contact = Contact.objects.get(wa_id=carlos.wa_id)
    customer_id = Customer.objects.get(cedula="79456123").pk
    placeholder = placeholder_queue(
        contact=contact,
        message=None,
        preparation={"kind": "paz_y_salvo", "customer_id": customer_id, "caption": "paz_y_salvo/certificate.txt"},
    )
    reply_queue(contact=contact, message=None, rendered=render("menu/anything_else.txt"))
    long_ago = timezone.now() - timedelta(minutes=10)
    OutboundMessage.objects.filter(pk=placeholder.pk).update(created_at=long_ago, claimed_at=long_ago, attempts=1)
    carlos.replies()  # drain

    pending_sweep(older_than_seconds=0)

    sent = carlos.replies()
    assert [m["payload"]["type"] for m in sent] == ["document", "interactive"]
    assert "paz y salvo" in texts(sent[:1]).lower()
    placeholder.refresh_from_db()
    assert placeholder.status == OutboundMessage.Status.SENT and placeholder.document_id is not None
    assert not OutboundMessage.objects.filter(status=PREPARING).exists()


def test_one_bad_message_is_failed_after_its_attempts_and_the_next_replies_go_out(consented_chat, standin, settings):
    """Audit finding 15: an error that is neither Meta's nor the network's (here a document
    whose file is gone) used to leave the message 'sending' and every later reply behind it."""
    settings.MESSAGE_MAX_ATTEMPTS = 2
    ana = consented_chat()
    contact = Contact.objects.get(wa_id=ana.wa_id)
    ana.replies()
    # A document whose file is gone from storage: the error is ours, not Meta's nor the network's.
    missing = Document.objects.create(
        kind="advisor",
        file="documents/no-existe.pdf",
        original_name="extracto.pdf",
        mime_type="application/pdf",
        size=10,
        sha256="0" * 64,
        contact=contact,
    )
    broken = OutboundMessage.objects.create(
        contact=contact,
        kind="document",
        preview="extracto.pdf",
        document=missing,
        body={"type": "document", "document": {"filename": "extracto.pdf"}},
    )
    outbound_queue(contact=contact, body=whatsapp.text_body("Sigue aquí"), preview="Sigue aquí", sender="system")

    for _ in range(settings.MESSAGE_MAX_ATTEMPTS):
        contact_outbox_flush(contact_id=contact.pk)

    broken.refresh_from_db()
    assert broken.status == OutboundMessage.Status.FAILED and broken.attempts == 2
    assert "Sigue aquí" in texts(ana.replies())


def test_the_sweep_fails_a_claim_that_keeps_dying_instead_of_queueing_it_forever(consented_chat, settings):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    ana = consented_chat()
    long_ago = timezone.now() - timedelta(minutes=10)
    stuck = OutboundMessage.objects.create(
        contact=Contact.objects.get(wa_id=ana.wa_id),
        kind="text",
        preview="x",
        body=whatsapp.text_body("x"),
        status=SENDING,
        attempts=3,
        claimed_at=long_ago,
        created_at=long_ago,
    )
    pending_sweep()
    stuck.refresh_from_db()
    assert stuck.status == OutboundMessage.Status.FAILED


def test_a_one_time_code_is_never_stored_in_the_outbound_row(consented_chat, standin, settings):
    """Audit finding 10: the code is masked in the row while it is queued; only the request
    to Meta carries it, and once sent it is not kept anywhere."""
    ana = consented_chat()
    contact = Contact.objects.get(wa_id=ana.wa_id)
    ana.replies()
    body = whatsapp.template_body(
        settings.WHATSAPP_OTP_TEMPLATE, language="es", body_params=["482913"], url_button_param="482913"
    )
    with transaction.atomic():  # sent only after commit: the queued row can be read first
        out = secret_queue(
            contact=contact, body=body, secret="482913", ttl_seconds=300, preview="[código]", sender="system"
        )
        queued = OutboundMessage.objects.get(pk=out.pk)
        assert queued.status == OutboundMessage.Status.QUEUED and "482913" not in json.dumps(queued.body)
        assert "••••••" in json.dumps(queued.body, ensure_ascii=False)

    [sent] = [m for m in ana.replies() if m["type"] == "template"]
    assert sent["payload"]["template"]["components"][0]["parameters"][0]["text"] == "482913"
    out.refresh_from_db()
    assert out.status == OutboundMessage.Status.SENT and "482913" not in json.dumps(out.body)
    assert re.search(r"\d{6}", json.dumps(out.body)) is None
