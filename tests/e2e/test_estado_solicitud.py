"""Estado de solicitud: the applicant (and only the applicant) sees the stage of their latest
application in words, may ask to be notified, and is notified when a re-import changes the
stage: a text inside Meta's 24-hour window, the approved template outside it, within the
hours Ley 2300 de 2023 allows and at most once a day."""

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from conversations.models import Contact, OutboundMessage
from credits.models import Application, ApplicationStageChange, ApplicationSubscription
from credits.notifications import stage_changes_notify
from credits.services import clients_import
from proalto.colombia import BOGOTA
from tests.credits.conftest import customer_line
from tests.portfolio import demo_line, portfolio_write, study_moved_recently
from tests.support import texts

ANA_PHONE = "573001234567"  # customer 1: SOL-2026-0042 in estudio
DIANA_PHONE = "573204445566"  # customer 5: SOL-2026-0057 in aprobacion
ANDRES_PHONE = "573116667788"  # customer 6: no applications
STRANGER_PHONE = "573209990000"


@pytest.fixture
def portfolio(portfolio):
    """The demo's application in estudio moved an hour ago: within the 48 hours the stage
    promises (an older one is told it is taking longer, tests/e2e/test_stage_overdue.py)."""
    study_moved_recently()
    return portfolio


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def ask_status(user, cedula: str, issued: str) -> str:
    """The user asks for their application status and validates with the registered phone."""
    assert "cédula" in texts(user.says("¿en qué va mi solicitud de crédito?"))
    user.says(cedula)
    return texts(user.says(issued))


def ana_asks(consented_chat):
    ana = consented_chat(ANA_PHONE, "Ana Lucía")
    return ana, ask_status(ana, "1020304050", "10/05/1979")


def otp_code(standin, wa_id: str) -> str:
    template = next(m["payload"]["template"] for m in standin.sent_to(wa_id) if m["payload"]["type"] == "template")
    return next(c for c in template["components"] if c["type"] == "body")["parameters"][0]["text"]


STAGE_WORDS = {
    "recepcion": "etapa de *recepción*",
    "estudio": "recibirás una respuesta en las próximas 48 horas",
    "aprobacion": "El desembolso suele hacerse en 3 a 5 días hábiles",
    "desembolso": "el dinero llegará a tu cuenta en 1 a 2 días hábiles",
    "rechazada": "no fue aprobada en esta ocasión",
}


@pytest.mark.parametrize("stage", list(STAGE_WORDS))
def test_each_stage_is_told_in_words_to_the_applicant(consented_chat, portfolio, stage):
    line = demo_line("1020304050")
    moved = (timezone.now() - timedelta(minutes=30)).isoformat()  # within the 48 hours estudio promises
    line["applications"] = [{"number": "SOL-2026-0042", "stage": stage, "updated_at": moved}]
    portfolio_write(line)  # dated after the stored stage: it may move back
    ana, body = ana_asks(consented_chat)
    assert "Confirmé tu identidad" in body
    assert "SOL-2026-0042" in body and STAGE_WORDS[stage] in body
    offered = set(ana.offered())
    if stage in ("recepcion", "estudio", "aprobacion"):
        assert offered == {"notify_yes", "notify_no"}
    elif stage == "rechazada":
        assert offered == {"asesor", "status_no"}
        assert "asesor" in body
    else:
        assert offered == {"menu", "despedida"}  # the flow ended
        assert body.endswith("¿Hay algo más en lo que pueda ayudarte?")


def test_estudio_then_subscribe_by_tapping(consented_chat, portfolio):
    ana, body = ana_asks(consented_chat)
    assert "Tu solicitud de crédito *SOL-2026-0042* está en etapa de *estudio*" in body
    body = texts(ana.taps("notify_yes"))
    assert "Te avisaré por este chat" in body
    subscription = ApplicationSubscription.objects.get()
    assert subscription.application.number == "SOL-2026-0042"
    assert subscription.contact.wa_id == ANA_PHONE and subscription.active
    # Asking again: already subscribed, no second offer.
    body = ask_again(ana)
    assert "Ya tienes activo el aviso" in body


def ask_again(user) -> str:
    return texts(user.says("estado de mi solicitud"))  # still validated: no questions


def test_typed_answers_instead_of_taps(consented_chat, portfolio):
    ana, _ = ana_asks(consented_chat)
    assert "No te entendí" in texts(ana.says("mmm quizás"))
    assert "Te avisaré" in texts(ana.says("Sí, por favor"))
    assert ApplicationSubscription.objects.filter(active=True).count() == 1


def test_declining_the_notification(consented_chat, portfolio):
    ana, _ = ana_asks(consented_chat)
    assert "no te enviaré avisos" in texts(ana.says("no"))
    assert not ApplicationSubscription.objects.exists()


def test_latest_application_of_the_customer(consented_chat, portfolio):
    diana = consented_chat(DIANA_PHONE, "Diana")
    body = ask_status(diana, "1032456789", "01/07/2003")
    assert "SOL-2026-0057" in body and "aprobación" in body
    assert "SOL-2025-0311" not in body  # the older, rejected one


def test_customer_without_applications(consented_chat, portfolio):
    andres = consented_chat(ANDRES_PHONE, "Andrés")
    body = ask_status(andres, "1098765432", "20/10/2008")
    assert "No encontré solicitudes de crédito a tu nombre" in body
    assert set(andres.offered()) == {"menu", "despedida"}  # nothing to be notified about


def test_another_number_must_pass_the_code_sent_to_the_applicant(consented_chat, portfolio, standin):
    stranger = consented_chat(STRANGER_PHONE, "Ana")
    body = ask_status(stranger, "1020304050", "10/05/1979")
    assert "celular que tienes registrado" in body and "4567" not in body
    assert "SOL-2026-0042" not in body and "estudio" not in body
    assert "SOL-2026-0042" not in texts(
        stranger.says("123456" if otp_code(standin, ANA_PHONE) != "123456" else "654321")
    )
    body = texts(stranger.says(otp_code(standin, ANA_PHONE)))
    assert "SOL-2026-0042" in body and "48 horas" in body


# --- Notifications ------------------------------------------------------------------------


def reimport_ana(stage: str):
    line = customer_line(applications=[{"number": "SOL-2026-0042", "stage": stage}])
    return clients_import(lines=[json.dumps(line)])


# Ley 2300 de 2023: proactive messages Monday to Friday 7:00-19:00, Saturday 8:00-15:00, never on
# Sundays or holidays. Each moment is Bogotá time; 11 January 2027 is a holiday (Reyes). None: at once.
@pytest.mark.parametrize(
    "moment, sent_at",
    [
        pytest.param(datetime(2027, 1, 16, 9, 30, tzinfo=BOGOTA), None, id="saturday-09:30"),
        pytest.param(datetime(2027, 1, 11, 23, 0, tzinfo=BOGOTA), datetime(2027, 1, 12, 7, 0), id="holiday-23:00"),
        pytest.param(datetime(2027, 1, 12, 6, 59, tzinfo=BOGOTA), datetime(2027, 1, 12, 7, 0), id="weekday-06:59"),
        pytest.param(datetime(2027, 1, 12, 7, 59, tzinfo=BOGOTA), None, id="weekday-07:59"),
        pytest.param(datetime(2027, 1, 12, 18, 58, tzinfo=BOGOTA), None, id="weekday-18:58"),
        pytest.param(datetime(2027, 1, 12, 19, 1, tzinfo=BOGOTA), datetime(2027, 1, 13, 7, 0), id="weekday-19:01"),
    ],
    indirect=["moment"],
)
def test_reimport_notifies_the_subscriber(moment, consented_chat, portfolio, standin, sent_at):
    ana, _ = ana_asks(consented_chat)
    ana.taps("notify_yes")
    ana.replies()

    result = reimport_ana("aprobacion")  # the task runs after commit (eagerly in tests)

    assert result.stage_changes == 1
    change = ApplicationStageChange.objects.get()
    assert change.notified_at is not None
    notice = OutboundMessage.objects.get(contact__wa_id=ANA_PHONE, sender="system")
    assert notice.body["type"] == "text"  # she wrote minutes (at most 8 hours) before: inside the window
    assert "SOL-2026-0042" in notice.preview and "aprobación" in notice.preview
    if sent_at is None:
        assert abs((notice.not_before - moment).total_seconds()) < 60
        assert notice.status == "sent"
        assert "SOL-2026-0042" in texts(ana.replies())
    else:
        assert notice.not_before == sent_at.replace(tzinfo=BOGOTA)
        assert notice.status == "queued" and ana.replies() == []

    # Importing the same file again is no news.
    assert reimport_ana("aprobacion").stage_changes == 0
    assert OutboundMessage.objects.filter(contact__wa_id=ANA_PHONE, sender="system").count() == 1


A_TUESDAY_IN_THE_PAST = datetime(2025, 3, 4, 10, 0, tzinfo=BOGOTA)  # not a holiday


def subscribed_ana(*, last_inbound_at) -> ApplicationSubscription:
    contact = Contact.objects.create(wa_id=ANA_PHONE, profile_name="Ana Lucía", last_inbound_at=last_inbound_at)
    application = Application.objects.get(number="SOL-2026-0042")
    return ApplicationSubscription.objects.create(application=application, contact=contact)


def record_change(number: str, to_stage: str, at: datetime) -> ApplicationStageChange:
    application = Application.objects.get(number=number)
    change = ApplicationStageChange.objects.create(
        application=application, from_stage=application.stage, to_stage=to_stage, changed_at=at
    )
    Application.objects.filter(pk=application.pk).update(stage=to_stage, updated_at=at)
    return change


def test_inside_the_window_a_text_message(portfolio, standin, meta):
    now = A_TUESDAY_IN_THE_PAST
    subscribed_ana(last_inbound_at=now - timedelta(hours=2))
    record_change("SOL-2026-0042", "aprobacion", now)

    assert stage_changes_notify(now=now) == 1

    sent = standin.sent_to(ANA_PHONE)
    assert [m["payload"]["type"] for m in sent] == ["text"]
    body = sent[0]["payload"]["text"]["body"]
    assert body.startswith("Hola, Ana 👋") and "*SOL-2026-0042*" in body and "aprobación" in body


def test_outside_the_window_the_approved_template(portfolio, standin, meta, settings):
    now = A_TUESDAY_IN_THE_PAST
    subscribed_ana(last_inbound_at=now - timedelta(hours=30))
    record_change("SOL-2026-0042", "aprobacion", now)

    stage_changes_notify(now=now)

    sent = standin.sent_to(ANA_PHONE)
    assert [m["payload"]["type"] for m in sent] == ["template"]
    template = sent[0]["payload"]["template"]
    assert template["name"] == settings.WHATSAPP_NOTIFY_TEMPLATE
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params == ["Ana", "SOL-2026-0042", "aprobada"]


# A Tuesday that is not a holiday, nor is the Wednesday after it; the tests below run on it.
TUESDAY = date(2027, 1, 12)


@pytest.mark.parametrize("moment", [datetime(2027, 1, 12, 21, 0, tzinfo=BOGOTA)], indirect=True)
def test_a_change_at_nine_pm_waits_until_seven_am_next_day(moment, portfolio, standin, meta):
    tuesday = TUESDAY
    now = datetime.combine(tuesday, time(21, 0), tzinfo=BOGOTA)
    subscribed_ana(last_inbound_at=now - timedelta(hours=1))
    record_change("SOL-2026-0042", "aprobacion", now)

    stage_changes_notify(now=now)

    notice = OutboundMessage.objects.get(contact__wa_id=ANA_PHONE)
    assert notice.not_before == datetime.combine(tuesday + timedelta(days=1), time(7, 0), tzinfo=BOGOTA)
    assert notice.status == "queued" and notice.sender == "system"
    assert notice.body["type"] == "text"  # 10 hours later the window is still open
    assert standin.sent_to(ANA_PHONE) == []  # not before 7:00


@pytest.mark.parametrize("moment", [datetime(2027, 1, 12, 9, 0, tzinfo=BOGOTA)], indirect=True)
def test_at_most_one_proactive_message_per_day(moment, portfolio, standin, meta):
    tuesday = TUESDAY
    morning = datetime.combine(tuesday, time(9, 0), tzinfo=BOGOTA)
    subscription = subscribed_ana(last_inbound_at=morning - timedelta(hours=3))
    record_change("SOL-2026-0042", "aprobacion", morning)
    stage_changes_notify(now=morning)

    afternoon = morning + timedelta(hours=5)
    record_change("SOL-2026-0042", "desembolso", afternoon)
    stage_changes_notify(now=afternoon)

    first, second = OutboundMessage.objects.filter(contact__wa_id=ANA_PHONE).order_by("pk")
    assert first.not_before == morning
    assert second.not_before == datetime.combine(tuesday + timedelta(days=1), time(7, 0), tzinfo=BOGOTA)
    assert "desembolso" in second.preview
    # 25 hours after her last message the window is closed: the template goes.
    assert second.body["type"] == "template"
    subscription.refresh_from_db()
    assert not subscription.active  # desembolso is final: no more notices


def test_running_twice_notifies_once(portfolio, standin, meta):
    now = A_TUESDAY_IN_THE_PAST
    subscribed_ana(last_inbound_at=now - timedelta(hours=1))
    record_change("SOL-2026-0042", "aprobacion", now)

    assert stage_changes_notify(now=now) == 1
    assert stage_changes_notify(now=now) == 0
    assert len(standin.sent_to(ANA_PHONE)) == 1
