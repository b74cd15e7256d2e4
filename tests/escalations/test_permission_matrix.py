"""Who may do what in the back office, endpoint by endpoint: the ticket chat endpoints as
the advisor holding the ticket, another advisor, Cumplimiento and Supervisor; every admin
list and add page by role, and the change and delete pages where a role may edit; logged in
through the real admin with TOTP."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conversations.models import Contact, InboundMessage, OutboundMessage, UnrecognisedMessage
from documents.models import Document
from escalations.models import AuditEntry, Ticket

pytestmark = pytest.mark.django_db

ROLES = ("holder", "other advisor", "Cumplimiento", "Supervisor")
CHAT_ENDPOINTS = [
    ("get", "chat/"),
    ("get", "chat/messages/"),
    ("post", "chat/send/"),
    ("post", "chat/reengage/"),
    ("post", "take/"),
    ("post", "close/"),
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Dozens of logins: the production hasher's cost is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk(logged_in, standin):
    """Laura (Asesor) holds a ticket whose customer wrote an hour ago; a client per role."""
    laura = logged_in("Asesor")
    clients = {
        "holder": laura,
        "other advisor": logged_in("Asesor"),
        "Cumplimiento": logged_in("Cumplimiento"),
        "Supervisor": logged_in("Supervisor"),
    }
    contact = Contact.objects.create(wa_id="573001112233", last_inbound_at=timezone.now())
    InboundMessage.objects.create(
        wa_message_id="wamid.matrix", contact=contact, type="text", text="necesito ayuda", sent_at=timezone.now()
    )
    ticket = Ticket.objects.create(
        contact=contact, reason=Ticket.Reason.ASKED_HUMAN, status=Ticket.Status.TAKEN, assigned_to=laura.staff.user
    )
    return clients, ticket, laura.staff.user


def chat_url(ticket, suffix: str) -> str:
    return f"/admin/escalations/ticket/{ticket.pk}/{suffix}"


def post_json(client, url: str, data=None):
    return client.post(url, data or {}, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize(
    "who, status, sees_messages",
    [
        ("holder", 200, True),
        ("other advisor", 200, False),  # the case, not the conversation
        ("Cumplimiento", 200, True),
        ("Supervisor", 200, True),
    ],
)
def test_chat_page_and_messages(desk, who, status, sees_messages):
    clients, ticket, _ = desk
    client = clients[who]
    page = client.get(chat_url(ticket, "chat/"))
    assert page.status_code == status
    assert ('id="messages"' in page.content.decode()) is sees_messages
    messages = client.get(chat_url(ticket, "chat/messages/"))
    assert messages.status_code == status
    texts = [m["text"] for m in messages.json()["messages"]]
    assert texts == (["necesito ayuda"] if sees_messages else [])
    assert AuditEntry.objects.filter(action="view_chat", user=client.staff.user, object_id=str(ticket.pk)).exists()


@pytest.mark.parametrize(
    "who, status, answer",
    [
        ("holder", 200, {"ok": True, "message": "Mensaje en camino.", "window_closed": False}),
        (
            "other advisor",
            400,
            {"ok": False, "message": "Toma el ticket antes de escribirle al cliente.", "window_closed": False},
        ),
        ("Cumplimiento", 403, None),  # read-only
        (
            "Supervisor",
            400,
            {"ok": False, "message": "Toma el ticket antes de escribirle al cliente.", "window_closed": False},
        ),
    ],
)
def test_send(desk, who, status, answer):
    clients, ticket, _ = desk
    response = post_json(clients[who], chat_url(ticket, "chat/send/"), {"text": "Hola, soy de ProAlto."})
    assert response.status_code == status
    if answer is not None:
        assert response.json() == answer
    sent = AuditEntry.objects.filter(action="send_message", object_id=str(ticket.pk))
    assert list(sent.values_list("user", flat=True)) == ([clients[who].staff.user.pk] if status == 200 else [])


REENGAGED = "Enviamos la plantilla aprobada; cuando el cliente responda podrás escribirle."


@pytest.mark.parametrize(
    "who, status, answer",
    [
        ("holder", 200, {"ok": True, "message": REENGAGED, "window_closed": False}),
        (
            "other advisor",
            400,
            {"ok": False, "message": "Toma el ticket antes de escribirle al cliente.", "window_closed": False},
        ),
        ("Cumplimiento", 403, None),
        (
            "Supervisor",
            400,
            {"ok": False, "message": "Toma el ticket antes de escribirle al cliente.", "window_closed": False},
        ),
    ],
)
def test_reengage(desk, who, status, answer):
    clients, ticket, _ = desk
    response = post_json(clients[who], chat_url(ticket, "chat/reengage/"))
    assert response.status_code == status
    if answer is not None:
        assert response.json() == answer


@pytest.mark.parametrize(
    "who, status, location, holder_after",
    [
        ("holder", 302, "chat", "holder"),  # already hers: nothing changes
        ("other advisor", 302, "list", "holder"),  # refused with a message: someone holds it
        ("Cumplimiento", 403, None, "holder"),
        ("Supervisor", 302, "chat", "Supervisor"),  # a supervisor may take a case over
    ],
)
def test_take(desk, who, status, location, holder_after):
    clients, ticket, _ = desk
    response = clients[who].post(chat_url(ticket, "take/"))
    assert response.status_code == status
    if location is not None:
        expected = chat_url(ticket, "chat/") if location == "chat" else "/admin/escalations/ticket/"
        assert response["Location"] == expected
    ticket.refresh_from_db()
    assert ticket.assigned_to == clients[holder_after].staff.user
    assert ticket.status == Ticket.Status.TAKEN


@pytest.mark.parametrize(
    "who, status, closed",
    [
        ("holder", 302, True),
        ("other advisor", 403, False),
        ("Cumplimiento", 403, False),
        ("Supervisor", 302, True),
    ],
)
def test_close(desk, who, status, closed):
    clients, ticket, _ = desk
    response = clients[who].post(chat_url(ticket, "close/"), {"outcome": Ticket.Outcome.RESOLVED})
    assert response.status_code == status
    ticket.refresh_from_db()
    assert (ticket.status == Ticket.Status.CLOSED) is closed
    assert ticket.outcome == (Ticket.Outcome.RESOLVED if closed else "")


@pytest.mark.parametrize("who", ROLES)
def test_waiting_count_for_every_role(desk, who):
    clients, ticket, _ = desk
    Ticket.objects.create(contact=Contact.objects.create(wa_id="573009990001"), reason=Ticket.Reason.ASKED_HUMAN)
    response = clients[who].get("/admin/escalations/ticket/waiting/")
    assert (response.status_code, response.json()) == (200, {"waiting": 1})


@pytest.mark.parametrize("who", ROLES)
def test_a_ticket_that_does_not_exist_is_404_for_every_endpoint(desk, who):
    clients, _, _ = desk
    client = clients[who]
    statuses = {
        suffix: getattr(client, method)(f"/admin/escalations/ticket/987654/{suffix}").status_code
        for method, suffix in CHAT_ENDPOINTS
    }
    assert statuses == dict.fromkeys(statuses, 404)


@pytest.mark.parametrize(
    "method, suffix", [("get", "chat/messages/"), ("post", "chat/send/"), ("post", "close/"), ("get", "waiting/")]
)
def test_logged_out_is_sent_to_the_login_page(client, method, suffix, db):
    url = f"/admin/escalations/ticket/{'' if suffix == 'waiting/' else '1/'}{suffix}"
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# Every admin list and add page, by role: (list, add) status codes.
ADMIN_PAGES = {
    "api.apicall": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (200, 403)},
    "api.apievent": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (200, 403)},
    "api.clientkey": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (200, 200)},
    "api.leaddelivery": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (200, 403)},
    "auth.group": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (403, 403)},
    "auth.user": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (403, 403)},
    "axes.accessattempt": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (403, 403)},
    "axes.accessfailurelog": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (403, 403)},
    "axes.accesslog": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (403, 403)},
    "consent.consentrecord": {"Asesor": (403, 403), "Cumplimiento": (200, 403), "Supervisor": (403, 403)},
    "consent.datarightsrequest": {"Asesor": (403, 403), "Cumplimiento": (200, 403), "Supervisor": (403, 403)},
    "consent.policyversion": {"Asesor": (403, 403), "Cumplimiento": (200, 200), "Supervisor": (403, 403)},
    "conversations.contact": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "conversations.inboundmessage": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "conversations.outboundmessage": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "conversations.unrecognisedmessage": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (200, 403)},
    "credits.application": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "credits.credit": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "credits.customer": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "credits.renewalruleset": {"Asesor": (403, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 200)},
    "documents.document": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "escalations.auditentry": {"Asesor": (403, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "escalations.savedreply": {"Asesor": (200, 403), "Cumplimiento": (403, 403), "Supervisor": (200, 200)},
    "escalations.ticket": {"Asesor": (200, 403), "Cumplimiento": (200, 403), "Supervisor": (200, 403)},
    "otp_totp.totpdevice": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (403, 403)},
}
OTHER_PAGES = {"/admin/": (200, 200, 200), "/admin/metrics/": (403, 200, 200)}


def test_every_admin_page_is_in_the_table():
    """A newly registered model needs its row: nobody decides its access by accident."""
    assert sorted(m._meta.label_lower for m in admin.site._registry) == sorted(ADMIN_PAGES)


@pytest.mark.parametrize("role", ["Asesor", "Cumplimiento", "Supervisor"])
def test_every_admin_list_and_add_page_by_role(logged_in, role):
    client = logged_in(role)
    seen = {}
    for label in ADMIN_PAGES:
        app, model = label.split(".")
        listing = client.get(reverse(f"admin:{app}_{model}_changelist")).status_code
        add = client.get(reverse(f"admin:{app}_{model}_add")).status_code
        seen[label] = (listing, add)
    assert seen == {label: pages[role] for label, pages in ADMIN_PAGES.items()}
    column = ("Asesor", "Cumplimiento", "Supervisor").index(role)
    assert {url: client.get(url).status_code for url in OTHER_PAGES} == {
        url: codes[column] for url, codes in OTHER_PAGES.items()
    }


# Change and delete pages of one row, by role: (change, delete) status codes. A supervisor labels a
# message the bot did not understand (its intent, nothing else); nobody deletes one.
CHANGE_PAGES = {
    "conversations.unrecognisedmessage": {"Asesor": (403, 403), "Cumplimiento": (403, 403), "Supervisor": (200, 403)},
}


@pytest.mark.parametrize("role", ["Asesor", "Cumplimiento", "Supervisor"])
def test_change_and_delete_pages_by_role(logged_in, role):
    client = logged_in(role)
    rows = {"conversations.unrecognisedmessage": UnrecognisedMessage.objects.create(text="xyz", flow="menu")}
    seen = {}
    for label, row in rows.items():
        app, model = label.split(".")
        change = client.get(reverse(f"admin:{app}_{model}_change", args=[row.pk])).status_code
        delete = client.get(reverse(f"admin:{app}_{model}_delete", args=[row.pk])).status_code
        seen[label] = (change, delete)
    assert seen == {label: pages[role] for label, pages in CHANGE_PAGES.items()}


def test_an_oversized_attachment_is_refused_and_nothing_is_sent(desk, settings):
    clients, ticket, _ = desk
    settings.DOCUMENT_MAX_BYTES = 1000
    big = SimpleUploadedFile("extracto.pdf", b"%PDF-1.4\n" + b"0" * 1200, content_type="application/pdf")
    response = post_json(
        clients["holder"], chat_url(ticket, "chat/send/"), {"text": "Te envío el extracto", "file": big}
    )
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "message": "El archivo supera el tamaño permitido.",
        "window_closed": False,
    }
    assert not OutboundMessage.objects.filter(contact=ticket.contact).exists()
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="send_message").exists()


def test_staff_without_a_role_gets_403_everywhere(desk, staff, client):
    _, ticket, _ = desk
    member = staff("sin-rol", "Asesor")
    member.user.groups.clear()
    assert member.login(client).status_code == 302
    statuses = {
        suffix: getattr(client, method)(chat_url(ticket, suffix)).status_code for method, suffix in CHAT_ENDPOINTS
    }
    statuses["waiting/"] = client.get("/admin/escalations/ticket/waiting/").status_code
    assert statuses == dict.fromkeys(statuses, 403)
