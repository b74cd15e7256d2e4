"""Advisors read only the chats of the tickets they hold, and never the identity answers a
customer typed in full: the ticket's chat page, its polling JSON and the message admin,
through the real admin with staff logged in with their TOTP."""

from pathlib import Path

import pytest
from django.utils import timezone

from conversations.messaging.replies import render
from conversations.models import Contact, InboundMessage, OutboundMessage
from escalations import privacy
from escalations.models import AuditEntry, Ticket
from tests.support import texts

pytestmark = pytest.mark.django_db

BOT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "bot"


class _Advisor:
    pk = 0

    def has_perm(self, perm):
        return False


class _Supervisor(_Advisor):
    def has_perm(self, perm):
        return True


# --- The rule, on text alone --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("1020304050", "•••••••050"),
        ("1.020.304.050", "•••••••050"),
        ("cédula: 1020 304 050", "cédula: •••••••050"),
        ("Mi cédula es 79456123 y quiero mi saldo", "Mi cédula es •••••123 y quiero mi saldo"),
        ("me llamo al 300 123 4567", "me llamo al •••••••567"),
        ("10/05/1979", "[fecha]"),
        ("10 de mayo de 1979", "[fecha]"),
        ("la expedí el 10/05/1979, gracias", "la expedí el [fecha], gracias"),
        ("nací el 2 de abril de 1961", "nací el [fecha]"),
        # Not identity data: amounts, credit numbers, short numbers, a payment date in a sentence.
        (
            "debo $ 8.250.000 del LIB-000123 y la SOL-2026-004211",
            "debo $ 8.250.000 del LIB-000123 y la SOL-2026-004211",
        ),
        ("te envío cedula_1020304050.pdf", "te envío cedula_•••••••050.pdf"),
        ("CC-1020304050", "CC-•••••••050"),
        ("pagué la cuota 27 el 1/11/2026 en el banco", "pagué la cuota 27 el 1/11/2026 en el banco"),
        ("hola, necesito ayuda", "hola, necesito ayuda"),
    ],
)
def test_what_looks_like_a_cedula_or_an_identity_date_is_masked_for_advisors(typed, shown):
    assert privacy.message_text_for(_Advisor(), typed, from_customer=True) == shown
    assert privacy.message_text_for(_Supervisor(), typed, from_customer=True) == typed


def test_answers_to_the_identity_questions_are_hidden_whatever_was_typed():
    advisor = _Advisor()
    assert privacy.message_text_for(advisor, "10 mayo 79", from_customer=True, question="issue_date") == (
        "[fecha de expedición]"
    )
    assert privacy.message_text_for(advisor, "no me acuerdo", from_customer=True, question="issue_date") == (
        "no me acuerdo"
    )
    assert privacy.message_text_for(advisor, "es 482913", from_customer=True, question="code") == "[código]"
    assert privacy.message_text_for(advisor, "12345", from_customer=True, question="cedula") == "••345"
    # What the bot already stored masked stays as it is.
    assert privacy.message_text_for(advisor, "••••••4050", from_customer=True, question="cedula") == "••••••4050"
    # The bot repeats a prospect's cédula in its summary; amounts stay.
    summary = "• Cédula: 1020304050\n• Cuota: $410.000"
    assert privacy.message_text_for(advisor, summary, from_customer=False) == "• Cédula: •••••••050\n• Cuota: $410.000"


def test_the_identity_questions_are_recognised_by_the_bots_copy_and_only_those():
    expected = {
        "identity/ask_cedula.txt": "cedula",
        "identity/cedula_unreadable.txt": "cedula",
        "identity/mismatch.txt": "cedula",
        "nuevo_credito/ask_cedula.txt": "cedula",
        "nuevo_credito/invalid_cedula.txt": "cedula",
        "identity/ask_issue_date.txt": "issue_date",
        "identity/date_unreadable.txt": "issue_date",
        "identity/code_sent.txt": "code",
        "identity/code_unreadable.txt": "code",
        "identity/code_wrong.txt": "code",
        "identity/code_expired.txt": "code",
        "identity/help_cedula.txt": "cedula",
        "identity/help_issue_date.txt": "issue_date",
        "identity/why_asked.txt": "issue_date",  # as written; sent at the cédula step it asks for the cédula
    }
    found = {}
    for path in BOT_TEMPLATES.rglob("*.txt"):
        question = privacy.identity_question(path.read_text(encoding="utf-8"))
        if question:
            found[str(path.relative_to(BOT_TEMPLATES))] = question
    assert found == expected
    # And as sent (rendered, with its variables).
    sent = render("identity/code_sent.txt", {"ending": "4567", "minutes": 5, "resent": True}).preview
    assert privacy.identity_question(sent) == "code"
    assert privacy.identity_question(render("identity/why_asked.txt", {"step": "cedula"}).preview) == "cedula"


# --- The message admin ----------------------------------------------------------------------------


def _chat(wa_id: str) -> tuple[Contact, InboundMessage, OutboundMessage]:
    contact = Contact.objects.create(wa_id=wa_id, last_inbound_at=timezone.now())
    inbound = InboundMessage.objects.create(
        wa_message_id=f"wamid.{wa_id}",
        contact=contact,
        type="text",
        text="hola, necesito ayuda",
        sent_at=timezone.now(),
    )
    outbound = OutboundMessage.objects.create(contact=contact, kind="text", preview="Con gusto te ayudo.")
    return contact, inbound, outbound


def test_an_advisor_lists_and_opens_only_the_messages_of_the_chats_they_hold(logged_in):
    mine, my_in, my_out = _chat("573000000001")
    _, other_in, other_out = _chat("573000000002")
    advisor = logged_in("Asesor")
    Ticket.objects.create(
        contact=mine, reason=Ticket.Reason.ASKED_HUMAN, status=Ticket.Status.TAKEN, assigned_to=advisor.staff.user
    )
    # An open ticket on the other chat is not enough: nobody holds it.
    Ticket.objects.create(contact=other_in.contact, reason=Ticket.Reason.ASKED_HUMAN)

    for model, own, others in (("inboundmessage", my_in, other_in), ("outboundmessage", my_out, other_out)):
        listing = advisor.get(f"/admin/conversations/{model}/").content.decode()
        assert f"/{model}/{own.pk}/change/" in listing and f"/{model}/{others.pk}/change/" not in listing
        assert advisor.get(f"/admin/conversations/{model}/{own.pk}/change/").status_code == 200
        assert advisor.get(f"/admin/conversations/{model}/{others.pk}/change/").status_code == 404

    # An advisor who holds nothing lists nothing.
    idle = logged_in("Asesor")
    assert (
        f"/inboundmessage/{my_in.pk}/change/" not in idle.get("/admin/conversations/inboundmessage/").content.decode()
    )
    assert idle.get(f"/admin/conversations/inboundmessage/{my_in.pk}/change/").status_code == 404

    # Supervisors and compliance read every chat.
    for role in ("Supervisor", "Cumplimiento"):
        reader = logged_in(role)
        assert reader.get(f"/admin/conversations/inboundmessage/{other_in.pk}/change/").status_code == 200
        listing = reader.get("/admin/conversations/outboundmessage/").content.decode()
        assert f"/outboundmessage/{my_out.pk}/change/" in listing and f"/outboundmessage/{other_out.pk}/" in listing


def test_listing_messages_is_written_to_the_audit_log(logged_in):
    _chat("573000000001")
    boss = logged_in("Supervisor")
    boss.get("/admin/conversations/inboundmessage/?status__exact=pending")
    entry = AuditEntry.objects.get(action="view_message_list")
    assert entry.user == boss.staff.user and entry.object_type == "conversations.inboundmessage"
    assert "1 en la lista" in entry.fields and "filtros: status__exact=pending" in entry.fields
    boss.get("/admin/conversations/outboundmessage/")
    assert AuditEntry.objects.filter(action="view_message_list", object_type="conversations.outboundmessage").exists()


# --- The ticket's chat page -------------------------------------------------------------------------


def test_an_advisor_reads_the_chat_only_of_a_ticket_they_hold(logged_in):
    contact, inbound, _ = _chat("573000000001")
    ticket = Ticket.objects.create(contact=contact, reason=Ticket.Reason.ASKED_HUMAN)
    laura, luis = logged_in("Asesor"), logged_in("Asesor")

    page = laura.get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    assert 'id="messages"' not in page and "solo la ve quien atiende el caso" in page
    assert laura.get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()["messages"] == []
    assert "mensajes" not in AuditEntry.objects.get(action="view_chat", user=laura.staff.user).fields

    laura.post(f"/admin/escalations/ticket/{ticket.pk}/take/")
    payload = laura.get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()
    assert inbound.text in [m["text"] for m in payload["messages"]]
    # Now someone else's: luis sees the case, not the conversation.
    assert luis.get(f"/admin/escalations/ticket/{ticket.pk}/chat/messages/").json()["messages"] == []
    assert (
        'id="messages"' in logged_in("Supervisor").get(f"/admin/escalations/ticket/{ticket.pk}/chat/").content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_identity_answers_never_reach_an_advisor_in_full(consented_chat, chat, logged_in, portfolio):
    # Ana validates her identity from her registered phone, then asks for an advisor.
    ana = consented_chat()
    assert "cédula" in texts(ana.says("saldo"))
    ana.says("1.020.304.050")
    ana.says("10/05/1979")
    ana.says("asesor")
    ticket = Ticket.objects.get(contact__wa_id=ana.wa_id)
    # Someone writes from another phone with Ana's cédula: a one-time code is asked.
    other = consented_chat("573005550000", "Otra")
    other.says("saldo")
    other.says("1020304050")
    assert "código" in texts(other.says("10 de mayo de 1979"))
    other.says("654321")
    other.says("asesor")
    other_ticket = Ticket.objects.get(contact__wa_id="573005550000")

    advisor = logged_in("Asesor")
    # (The bot's own examples happen to be Ana's data: "por ejemplo: 1020304050", "10/05/1979".)
    secrets_typed = ("1020304050", "1.020.304.050", "10/05/1979", "10 de mayo de 1979", "654321")
    for case, hidden in ((ticket, "[fecha de expedición]"), (other_ticket, "[código]")):
        advisor.post(f"/admin/escalations/ticket/{case.pk}/take/")
        payload = advisor.get(f"/admin/escalations/ticket/{case.pk}/chat/messages/").json()
        typed = "\n".join(m["text"] for m in payload["messages"] if m["direction"] == "in")
        assert hidden in typed and "[fecha de expedición]" in typed and "•••••••050" in typed
        assert not [secret for secret in secrets_typed if secret in typed], typed
        assert "1020304050" not in str(payload)

    # The same messages in the message admin.
    for message in InboundMessage.objects.filter(contact__wa_id__in=[ana.wa_id, "573005550000"]):
        page = advisor.get(f"/admin/conversations/inboundmessage/{message.pk}/change/").content.decode()
        assert not [secret for secret in secrets_typed if secret in page], message.text
