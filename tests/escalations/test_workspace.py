"""The advisors' inbox from the server's side: the queue's JSON, saved replies and their
placeholders, internal notes, the outcome on closing, search (audited), the team's load,
landing on the inbox, Spanish error pages and formats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conversations.messaging.models import InboundMessage, OutboundMessage
from escalations.models import AuditEntry, SavedReply, Ticket, TicketNote
from escalations.saved_replies import check_saved_reply_text, saved_reply_fill
from tests.escalations.conftest import totp_code
from tests.escalations.test_queue import _ticket

pytestmark = pytest.mark.django_db


def _inbound(ticket, text, minutes_ago=0):
    return InboundMessage.objects.create(
        wa_message_id=f"wamid.{ticket.pk}.{text[:10]}.{minutes_ago}",
        contact=ticket.contact,
        type="text",
        text=text,
        sent_at=timezone.now() - timedelta(minutes=minutes_ago),
        status=InboundMessage.Status.PROCESSED,
    )


def test_placeholders_are_checked_and_filled():
    check_saved_reply_text("Hola {nombre}, soy {asesor}; tu caso {caso}. Llaves: {{así}}")
    with pytest.raises(ValidationError, match=r"\{apellido\}"):
        check_saved_reply_text("Hola {nombre} {apellido}")
    with pytest.raises(ValidationError, match="llave sin cerrar"):
        check_saved_reply_text("Hola {nombre")
    values = {"nombre": "Ana", "asesor": "Laura", "caso": "#7"}
    assert (
        saved_reply_fill("Hola {nombre}, soy {asesor} ({caso}) {{x}}", values=values) == "Hola Ana, soy Laura (#7) {x}"
    )


def test_the_queue_shows_mine_and_unassigned_with_unread_and_sla(logged_in, settings):
    settings.TICKET_SLA_MINUTES = 30
    advisor = logged_in("Asesor")
    other = logged_in("Asesor")
    late = _ticket("573000000001", minutes_ago=40, priority=Ticket.Priority.HIGH)
    fresh = _ticket("573000000002", minutes_ago=2)
    mine = _ticket("573000000003", minutes_ago=20)
    theirs = _ticket("573000000004", minutes_ago=20)
    advisor.post(f"/admin/escalations/ticket/{mine.pk}/take/")
    other.post(f"/admin/escalations/ticket/{theirs.pk}/take/")
    _inbound(mine, "¿Hola?")
    _inbound(mine, "¿Sigues ahí?")

    data = advisor.get("/admin/escalations/ticket/inbox/queue/").json()
    assert [t["id"] for t in data["unassigned"]] == [late.pk, fresh.pk]  # most urgent, then oldest
    assert [t["id"] for t in data["mine"]] == [mine.pk] and data["others"] == []
    assert data["waiting"] == 2
    by_id = {t["id"]: t for t in data["unassigned"] + data["mine"]}
    assert by_id[late.pk]["sla"] == "late" and by_id[fresh.pk]["sla"] == "ok"
    assert by_id[mine.pk]["unread"] == 2 and by_id[mine.pk]["waiting"]
    assert "573000000001" not in str(data)  # phones masked in the queue
    # Opening the chat reads the messages.
    advisor.get(f"/admin/escalations/ticket/{mine.pk}/chat/")
    data = advisor.get("/admin/escalations/ticket/inbox/queue/").json()
    assert data["mine"][0]["unread"] == 0

    supervisor = logged_in("Supervisor")
    others = supervisor.get("/admin/escalations/ticket/inbox/queue/").json()["others"]
    assert {t["id"] for t in others} == {mine.pk, theirs.pk}


def test_advisors_land_on_the_inbox_and_compliance_on_the_index(staff):
    for role, landing in (("Asesor", "/admin/escalations/ticket/inbox/"), ("Cumplimiento", "/admin/")):
        member = staff(f"persona-{role.lower()}", role)
        response = Client().post(
            "/admin/login/",
            {"username": member.username, "password": member.password, "otp_token": totp_code(member.device)},
        )
        assert response.status_code == 302 and response["Location"] == landing, role
    # An explicit next= is kept.
    member = staff("otra-asesora", "Asesor")
    response = Client().post(
        "/admin/login/?next=/admin/metrics/",
        {"username": member.username, "password": member.password, "otp_token": totp_code(member.device)},
    )
    assert response["Location"] == "/admin/metrics/"


def test_view_site_leads_to_the_inbox(logged_in):
    html = logged_in("Asesor").get("/admin/escalations/ticket/inbox/").content.decode()
    assert 'href="/admin/escalations/ticket/inbox/">Ver el sitio' in html


def test_notes_are_private_audited_and_need_the_case(logged_in, consented_chat):
    ana = consented_chat()
    ana.says("asesor")
    ticket = Ticket.objects.get()
    advisor = logged_in("Asesor")
    assert advisor.post(f"/admin/escalations/ticket/{ticket.pk}/notes/", {"text": "hola"}).status_code == 403
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    ana.replies()
    empty = advisor.post(
        f"/admin/escalations/ticket/{ticket.pk}/notes/", {"text": "  "}, HTTP_ACCEPT="application/json"
    )
    assert empty.status_code == 400 and "Escribe la nota" in empty.json()["message"]
    ok = advisor.post(
        f"/admin/escalations/ticket/{ticket.pk}/notes/", {"text": "Cliente molesta"}, HTTP_ACCEPT="application/json"
    )
    assert ok.json()["ok"]
    assert ana.replies() == []  # never sent
    note = TicketNote.objects.get()
    assert note.text == "Cliente molesta" and note.author == advisor.staff.user
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ADD_NOTE, object_id=str(ticket.pk)).count() == 1
    items = logged_in("Supervisor").get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()["messages"]
    [shown] = [m for m in items if m["direction"] == "note"]
    assert shown["text"] == "Cliente molesta" and shown["sender_label"].startswith("Nota interna")
    # Compliance reads chats but does not write notes.
    assert (
        logged_in("Cumplimiento").post(f"/admin/escalations/ticket/{ticket.pk}/notes/", {"text": "x"}).status_code
        == 403
    )


def test_message_times_read_like_3_45_p_m(logged_in):
    ticket = _ticket("573000000001")
    _inbound(ticket, "hola")
    [item] = logged_in("Supervisor").get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()["messages"]
    assert item["time"].endswith(("a. m.", "p. m."))


def test_closed_cases_are_counted_by_outcome_on_the_metrics(logged_in):
    supervisor = logged_in("Supervisor")
    for wa_id, outcome in (("573000000001", "resuelto"), ("573000000002", "resuelto"), ("573000000003", "fraude")):
        ticket = _ticket(wa_id)
        supervisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
        supervisor.post(f"/admin/escalations/ticket/{ticket.pk}/close/", {"outcome": outcome})
    refused = _ticket("573000000004")
    supervisor.post(f"/admin/escalations/ticket/{refused.pk}/take/")
    page = supervisor.post(f"/admin/escalations/ticket/{refused.pk}/close/", {"outcome": "inventado"}, follow=True)
    assert "Elige la tipificación" in page.content.decode()
    refused.refresh_from_db()
    assert refused.status == Ticket.Status.TAKEN
    html = supervisor.get("/admin/metrics/").content.decode()
    table = html[html.index('id="tickets-by-outcome"') :]
    assert "<td>Resuelto</td><td>2</td>" in table and "<td>Fraude</td><td>1</td>" in table


def test_search_by_number_phone_name_and_cedula_is_audited(logged_in, portfolio):
    from credits.selectors import customer_by_phone

    ana = _ticket("573001234567", customer=customer_by_phone(phone="573001234567"))
    other = _ticket("573000000009")
    advisor = logged_in("Asesor")

    def found(query):
        html = advisor.get("/admin/escalations/ticket/search/", {"q": query}).content.decode()
        return {pk for pk in (ana.pk, other.pk) if f">#{pk}</a>" in html}

    assert found(f"#{other.pk}") == {other.pk}
    assert found("300 123 4567") == {ana.pk}
    assert found("ana gómez") == {ana.pk}
    assert found("1.020.304.050") == {ana.pk}
    assert found("nadie así") == set()
    searches = AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH_TICKETS, user=advisor.staff.user)
    assert searches.count() == 5
    [by_cedula] = [entry for entry in searches if "por cédula" in entry.fields]
    assert "1.020.304.050" not in str(by_cedula.fields)  # the advisor's search is logged masked


def test_the_team_load_is_for_supervisors(logged_in):
    advisor = logged_in("Asesor")
    advisor.staff.user.first_name, advisor.staff.user.last_name = "Laura", "Pérez"
    advisor.staff.user.save()
    ticket = _ticket("573000000001")
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    assert advisor.get("/admin/escalations/ticket/load/").status_code == 403
    html = logged_in("Supervisor").get("/admin/escalations/ticket/load/").content.decode()
    assert "Laura Pérez" in html and f"#{ticket.pk}</a>" in html
    # People by their full names in the queue too.
    assert "Laura Pérez" in logged_in("Supervisor").get("/admin/escalations/ticket/").content.decode()


def test_saved_replies_are_kept_by_supervisors_only(logged_in):
    assert logged_in("Asesor").get("/admin/escalations/savedreply/add/").status_code == 403
    assert logged_in("Asesor").get("/admin/escalations/savedreply/").status_code == 200
    supervisor = logged_in("Supervisor")
    response = supervisor.post(
        "/admin/escalations/savedreply/add/",
        {"shortcut": "saldo", "title": "Saldo", "text": "{nombre}, ya reviso tu saldo.", "active": "on"},
    )
    assert response.status_code == 302 and SavedReply.objects.get().updated_by == supervisor.staff.user


def test_the_chat_offers_the_saved_replies_filled_for_the_case(logged_in, consented_chat):
    SavedReply.objects.create(shortcut="hola", title="Hola", text="Hola {nombre}, soy {asesor}.")
    SavedReply.objects.create(shortcut="vieja", title="Vieja", text="No usar", active=False)
    ana = consented_chat()
    ana.says("asesor")
    ticket = Ticket.objects.get()
    advisor = logged_in("Asesor")
    advisor.staff.user.first_name = "Laura"
    advisor.staff.user.save()
    advisor.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    html = advisor.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    assert '"text": "Hola Ana, soy Laura."' in html and "No usar" not in html


def test_error_pages_are_in_spanish(client, settings):
    settings.DEBUG = False
    response = client.get("/no-existe/")
    assert response.status_code == 404 and "No encontramos esta página" in response.content.decode()


def test_admin_dates_are_lowercase_spanish_with_one_time_format(logged_in):
    from django.utils import formats

    moment = timezone.make_aware(timezone.datetime(2026, 11, 30, 15, 45))
    assert formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") == "30 de noviembre de 2026, 3:45 p. m."
    ticket = _ticket("573000000001")
    OutboundMessage.objects.create(
        contact=ticket.contact, sender="bot", kind="text", preview="hola", body={"type": "text"}
    )
    html = logged_in("Supervisor").get("/admin/conversations/outboundmessage/").content.decode()
    assert " de noviembre de " in html or " de diciembre de " in html or " de 20" in html
    assert "Noviembre" not in html and "a.m." not in html and "p.m." not in html


def test_the_customer_pane_lists_every_application_newest_first(logged_in, portfolio):
    from credits.selectors import customer_by_phone
    from tests.portfolio import demo_line, portfolio_write

    line = demo_line("1020304050")  # Ana: SOL-2026-0042 in estudio
    line["applications"].append(
        {"number": "SOL-2025-0007", "stage": "desembolso", "updated_at": "2025-03-02T10:00:00-05:00"}
    )
    portfolio_write(line)
    ticket = _ticket("573001234567", customer=customer_by_phone(phone="573001234567"))
    html = logged_in("Supervisor").get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    pane = html[html.index('id="customer-application"') :]
    assert "<h2>Solicitudes</h2>" in html
    assert pane.index("SOL-2026-0042") < pane.index("SOL-2025-0007")
    assert "Desembolso" in pane and "2 de marzo de 2025" in pane
