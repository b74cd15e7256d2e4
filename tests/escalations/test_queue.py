"""The ticket queue and the chat page, from the advisor's side (test client, real admin),
and the customer's side where it shows (the stand-in)."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conversations.messaging.replies import render
from conversations.models import Contact, OutboundMessage
from escalations.chat import age_label
from escalations.models import AuditEntry, Ticket
from escalations.selectors import ticket_queue_position
from escalations.services import ticket_open
from proalto.colombia import BOGOTA
from tests.support import texts


def _ticket(wa_id, *, priority=Ticket.Priority.NORMAL, minutes_ago=0, status=Ticket.Status.OPEN, **fields):
    contact, _ = Contact.objects.get_or_create(wa_id=wa_id, defaults={"last_inbound_at": timezone.now()})
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return Ticket.objects.create(
        contact=contact,
        reason=Ticket.Reason.ASKED_HUMAN,
        priority=priority,
        status=status,
        created_at=at,
        last_activity_at=at,
        **fields,
    )


def test_age_label_reads_like_a_person_would_say_it():
    assert age_label(timedelta(seconds=20)) == "hace menos de 1 min"
    assert age_label(timedelta(minutes=12, seconds=40)) == "hace 12 min"
    assert age_label(timedelta(hours=2, minutes=5)) == "hace 2 h 5 min"
    assert age_label(timedelta(hours=3)) == "hace 3 h"
    assert age_label(timedelta(days=2, hours=1)) == "hace 2 d"


@pytest.mark.django_db
def test_out_of_hours_the_opening_time_is_written_as_the_bot_writes_times(settings):
    settings.ADVISOR_HOURS_WEEKDAY = "14:30-18:00"
    settings.ADVISOR_HOURS_SATURDAY = ""
    contact = Contact.objects.create(wa_id="573000000009")
    monday_morning = datetime(2026, 12, 7, 9, 0, tzinfo=BOGOTA)
    _, reply = ticket_open(contact=contact, reason=Ticket.Reason.ASKED_HUMAN, now=monday_morning)
    assert "a partir de las 2:30 p. m. de hoy" in render(reply.template, reply.context).preview


@pytest.mark.django_db
def test_queue_lists_urgent_first_then_oldest_and_flags_stale_ones(logged_in, settings):
    settings.TICKET_STALE_MINUTES = 15
    normal_old = _ticket("573000000001", minutes_ago=40)
    normal_new = _ticket("573000000002", minutes_ago=2)
    urgent = _ticket("573000000003", priority=Ticket.Priority.URGENT, minutes_ago=1)
    closed = _ticket("573000000004", status=Ticket.Status.CLOSED)
    advisor = logged_in("Asesor")
    page = advisor.get("/admin/escalations/ticket/").content.decode()
    order = [page.index(f">#{t.pk}<") for t in (urgent, normal_old, normal_new)]
    assert order == sorted(order)
    assert f">#{closed.pk}<" not in page  # the working queue hides closed tickets
    assert page.count('ticket-stale"') == 1 and "hace 40 min" in page
    assert "Casos en espera" in page
    # Personal data in the list is masked.
    assert "573000000001" not in page and "57•••••0001" in page

    overdue = advisor.get("/admin/escalations/ticket/?vencido=si").content.decode()
    assert f">#{normal_old.pk}<" in overdue and f">#{urgent.pk}<" not in overdue
    assert f">#{closed.pk}<" in advisor.get("/admin/escalations/ticket/?estado=closed").content.decode()


@pytest.mark.django_db
def test_take_assigns_it_to_me_and_assigned_to_me_filter(logged_in):
    ticket = _ticket("573000000001")
    advisor = logged_in("Asesor")
    response = advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    assert response.status_code == 302 and response["Location"].endswith(f"/{ticket.pk}/chat/")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.TAKEN and ticket.assigned_to == advisor.staff.user
    mine = advisor.get("/admin/escalations/ticket/?asignado=yo").content.decode()
    assert f">#{ticket.pk}<" in mine
    assert AuditEntry.objects.filter(action="take_ticket", object_id=str(ticket.pk)).exists()


@pytest.mark.django_db
def test_an_advisor_cannot_take_a_ticket_another_advisor_holds(logged_in):
    ticket = _ticket("573000000001")
    laura, luis = logged_in("Asesor"), logged_in("Asesor")
    laura.post(f"/admin/escalations/ticket/{ticket.pk}/take/")

    response = luis.post(f"/admin/escalations/ticket/{ticket.pk}/take/", follow=True)
    ticket.refresh_from_db()
    assert ticket.assigned_to == laura.staff.user
    page = response.content.decode()
    assert f"El caso #{ticket.pk} ya lo atiende {laura.staff.username}" in page
    assert "Solo un supervisor puede reasignarlo" in page
    assert not AuditEntry.objects.filter(action="take_ticket", user=luis.staff.user).exists()
    # Nor through the queue's action, and the chat page offers no "Tomar".
    luis.post("/admin/escalations/ticket/", {"action": "take_selected", "_selected_action": [ticket.pk]})
    ticket.refresh_from_db()
    assert ticket.assigned_to == laura.staff.user
    assert 'id="take-button"' not in luis.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    # Taking it again is harmless for whoever holds it.
    assert laura.post(f"/admin/escalations/ticket/{ticket.pk}/take/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.assigned_to == laura.staff.user

    # A supervisor may: it is a reassignment, recorded as one.
    boss = logged_in("Supervisor")
    assert 'id="take-button"' in boss.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    boss.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    ticket.refresh_from_db()
    assert ticket.assigned_to == boss.staff.user
    assert ticket.details["reassigned"][-1]["from"] == laura.staff.user.pk

    # A closed ticket is taken by nobody.
    ticket.status = Ticket.Status.CLOSED
    ticket.save()
    response = boss.post(f"/admin/escalations/ticket/{ticket.pk}/take/", follow=True)
    assert f"El caso #{ticket.pk} ya está cerrado." in response.content.decode()


@pytest.mark.django_db
def test_compliance_cannot_take_and_supervisor_reassigns(logged_in, staff):
    ticket = _ticket("573000000001")
    compliance = logged_in("Cumplimiento")
    assert compliance.post(f"/admin/escalations/ticket/{ticket.pk}/take/").status_code == 403
    luis = staff("luis", "Asesor")
    boss = logged_in("Supervisor")
    data = {"action": "reassign_selected", "_selected_action": [ticket.pk]}
    assert "Reasignar" in boss.post("/admin/escalations/ticket/", data).content.decode()
    response = boss.post("/admin/escalations/ticket/", {**data, "assignee": luis.user.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assigned_to == luis.user and ticket.status == Ticket.Status.TAKEN
    # An advisor has no reassign action.
    advisor = logged_in("Asesor")
    page = advisor.get("/admin/escalations/ticket/").content.decode()
    assert "reassign_selected" not in page and "take_selected" in page


@pytest.mark.django_db
def test_opening_the_chat_is_audited_with_what_was_seen(logged_in, portfolio):
    from credits.models import Customer

    customer = Customer.objects.get(cedula="1020304050")
    ticket = _ticket("573001234567", customer=customer)
    advisor = logged_in("Asesor")
    page = advisor.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    assert "•••••••050" in page and "1020304050" not in page  # advisors see the cédula masked
    assert "573001234567" not in page  # and the phone, until they hold the ticket
    entry = AuditEntry.objects.get(action="view_chat")
    assert entry.user == advisor.staff.user and entry.object_id == str(ticket.pk) and entry.ip == "127.0.0.1"
    assert "cédula enmascarada" in entry.fields and "teléfono enmascarado" in entry.fields

    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    page = advisor.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    assert "573001234567" in page
    supervisor = logged_in("Supervisor")
    assert "1020304050" in supervisor.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()

    # A customer's page, too.
    advisor.get(f"/admin/credits/customer/{customer.pk}/change/")
    viewed = AuditEntry.objects.get(action="view_customer")
    assert viewed.object_id == str(customer.pk) and "cédula enmascarada" in viewed.fields


@pytest.mark.django_db
def test_audit_log_is_read_only_for_everyone(logged_in):
    boss = logged_in("Supervisor")
    ticket = _ticket("573000000001")
    boss.get(f"/admin/escalations/ticket/{ticket.pk}/chat/")
    entry = AuditEntry.objects.get()
    assert boss.get("/admin/escalations/auditentry/").status_code == 200
    assert boss.get("/admin/escalations/auditentry/add/").status_code == 403
    assert boss.post(f"/admin/escalations/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    page = boss.get(f"/admin/escalations/auditentry/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    with pytest.raises(ValueError):
        entry.save()


@pytest.mark.django_db
def test_messages_are_read_only_in_the_admin_and_failed_ones_filterable(logged_in):
    from conversations.models import InboundMessage

    contact = Contact.objects.create(wa_id="573000000001")
    message = InboundMessage.objects.create(
        wa_message_id="wamid.1",
        contact=contact,
        type="text",
        text="hola",
        sent_at=timezone.now(),
        status="failed",
        last_error="boom",
    )
    boss = logged_in("Supervisor")
    assert "boom" in boss.get("/admin/conversations/inboundmessage/?status__exact=failed").content.decode()
    page = boss.get(f"/admin/conversations/inboundmessage/{message.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert boss.post(f"/admin/conversations/inboundmessage/{message.pk}/change/", {"text": "otra"}).status_code == 403
    assert AuditEntry.objects.filter(action="view_message", object_id=str(message.pk)).exists()


@pytest.mark.django_db
def test_saving_an_application_stage_records_the_change(logged_in, portfolio, settings):
    from credits.models import Application, ApplicationStageChange

    settings.PORTFOLIO_SOURCE = "local"  # the core, when it is the source, owns the stage
    application = Application.objects.get(number="SOL-2026-0042")
    boss = logged_in("Supervisor")
    response = boss.post(
        f"/admin/credits/application/{application.pk}/change/",
        {
            "stage": "aprobacion",
            "stage_changes-TOTAL_FORMS": "0",
            "stage_changes-INITIAL_FORMS": "0",
            "stage_changes-MIN_NUM_FORMS": "0",
            "stage_changes-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.stage == "aprobacion"
    change = ApplicationStageChange.objects.get(application=application, to_stage="aprobacion")
    assert change.from_stage == "estudio"
    advisor = logged_in("Asesor")
    assert (
        advisor.post(f"/admin/credits/application/{application.pk}/change/", {"stage": "desembolso"}).status_code
        == 403
    )


# --- With the customer on WhatsApp (live server + stand-in) -------------------------------------


def _to_advisor(user):
    return texts(user.says("asesor"))


@pytest.mark.django_db(transaction=True)
def test_the_customer_is_told_their_place_in_the_queue(consented_chat, settings):
    settings.TICKET_NOTIFY_EMAILS = ["asesores@proalto.test"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first = consented_chat("573001234567", "Ana")
    assert "Eres el siguiente en la fila" in _to_advisor(first)
    second = consented_chat("573009876543", "Carlos")
    assert "Tienes el turno 2 en la fila" in _to_advisor(second)
    # Advisors got an email per new ticket, without personal data.
    assert len(mail.outbox) == 2
    assert "Caso #" in mail.outbox[0].subject and "/chat/" in mail.outbox[0].body
    assert "573001234567" not in mail.outbox[0].body and "Ana" not in mail.outbox[0].body
    ticket = Ticket.objects.get(contact__wa_id="573009876543")
    assert ticket_queue_position(ticket=ticket) == 2


@pytest.mark.django_db(transaction=True)
def test_advisor_replies_and_attaches_a_pdf_from_the_chat_page(consented_chat, logged_in, standin):
    ana = consented_chat()
    _to_advisor(ana)
    ticket = Ticket.objects.get()
    advisor = logged_in("Asesor")
    refused = advisor.post(
        f"/admin/escalations/ticket/{ticket.pk}/chat/send/", {"text": "Hola"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400 and "Toma el ticket" in refused.json()["message"]

    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    sent = advisor.post(
        f"/admin/escalations/ticket/{ticket.pk}/chat/send/",
        {"text": "Hola Ana, soy Laura."},
        HTTP_ACCEPT="application/json",
    )
    assert sent.json()["ok"]
    assert "Hola Ana, soy Laura." in texts(ana.replies())

    from io import BytesIO

    from tests.e2e.sample_files import pdf_bytes

    pdf = BytesIO(pdf_bytes())  # a real PDF: attachments are parsed, not just sniffed
    pdf.name = "extracto.pdf"
    advisor.post(
        f"/admin/escalations/ticket/{ticket.pk}/chat/send/",
        {"text": "Tu extracto", "file": pdf},
        HTTP_ACCEPT="application/json",
    )
    document_message = ana.replies()[-1]
    assert document_message["payload"]["type"] == "document"
    assert document_message["payload"]["document"]["filename"] == "extracto.pdf"
    fake = BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "virus.pdf"
    bad = advisor.post(
        f"/admin/escalations/ticket/{ticket.pk}/chat/send/", {"file": fake}, HTTP_ACCEPT="application/json"
    )
    assert "PDF, JPG o PNG" in bad.json()["message"]

    outbound = OutboundMessage.objects.filter(sender="advisor")
    assert outbound.count() == 2 and all(m.staff_user == advisor.staff.user for m in outbound)
    # The chat JSON shows the conversation; the advisor's document downloads through the audited view.
    payload = advisor.get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()
    assert [m["text"] for m in payload["messages"] if m["sender"] == "advisor"] == [
        "Hola Ana, soy Laura.",
        "Tu extracto",
    ]
    download = payload["messages"][-1]["document"]["url"]
    response = advisor.get(download)
    if response.status_code == 302:  # on S3 the view hands out a short-lived signed URL
        import requests

        assert "X-Amz-Expires=" in response["Location"]
        content = requests.get(response["Location"], timeout=10).content
    else:
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="download_document").count() == 1
    # Another advisor (not holding the ticket) cannot download it.
    assert logged_in("Asesor").get(download).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_outside_the_24_hour_window_the_page_offers_the_template(consented_chat, logged_in, settings):
    settings.WHATSAPP_REENGAGEMENT_TEMPLATE = "proalto_retomar_conversacion"
    ana = consented_chat()
    _to_advisor(ana)
    ticket = Ticket.objects.get()
    Contact.objects.filter(pk=ticket.contact_id).update(last_inbound_at=timezone.now() - timedelta(hours=25))
    advisor = logged_in("Asesor")
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    page = advisor.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    assert "Pasaron más de 24 horas" in page and "reengage-button" in page and 'id="reply-form"' not in page
    refused = advisor.post(
        f"/admin/escalations/ticket/{ticket.pk}/chat/send/", {"text": "Hola"}, HTTP_ACCEPT="application/json"
    )
    assert refused.json()["window_closed"]
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/chat/reengage/")
    sent = ana.replies()[-1]["payload"]
    assert sent["type"] == "template" and sent["template"]["name"] == "proalto_retomar_conversacion"
    assert OutboundMessage.objects.filter(sender="advisor", kind="template").exists()


@pytest.mark.django_db(transaction=True)
def test_closing_gives_the_chat_back_to_the_bot(consented_chat, logged_in):
    ana = consented_chat()
    _to_advisor(ana)
    ticket = Ticket.objects.get()
    advisor = logged_in("Asesor")
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    assert ana.says("¿Hola? ¿alguien?") == []  # the bot is quiet while an advisor holds the chat
    # Closing asks for the outcome (tipificación): without one nothing happens.
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/close/")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.TAKEN and ana.replies() == []
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/close/", {"outcome": "resuelto"})
    assert "terminó" in texts(ana.replies())
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.outcome == Ticket.Outcome.RESOLVED
    assert ana.says("menú")  # the bot answers again
