"""Stage changes recorded by the admin's service, and when a proactive notice may go out."""

import json
from datetime import date, datetime, time

import pytest

from conversations.models import Contact, OutboundMessage
from credits.models import Application, ApplicationStageChange, ApplicationSubscription, Customer
from credits.notifications import proactive_send_time, stage_changes_enqueue
from credits.services import application_stage_set, application_subscribe, clients_import
from proalto.colombia import BOGOTA
from tests.credits.conftest import customer_line


@pytest.fixture(autouse=True)
def _local_source(settings):
    """Staff set stages of the local copy here (with the core as source the core owns them)."""
    settings.PORTFOLIO_SOURCE = "local"


@pytest.fixture
def application(db):
    customer = Customer.objects.create(cedula="1020304050", full_name="Ana Lucía Gómez", phone="573001234567")
    return Application.objects.create(customer=customer, number="SOL-1", stage="estudio")


@pytest.fixture
def contact(db):
    return Contact.objects.create(wa_id="573001234567")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BOGOTA)


def test_stage_set_records_the_change_and_notifies_after_commit(application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        change = application_stage_set(application=application, stage="aprobacion")
    assert (change.from_stage, change.to_stage, change.notified_at) == ("estudio", "aprobacion", None)
    application.refresh_from_db()
    assert application.stage == "aprobacion" and application.updated_at == change.changed_at
    assert callbacks == [stage_changes_enqueue]


def test_stage_set_to_the_same_stage_records_nothing(application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert application_stage_set(application=application, stage="estudio") is None
    assert not ApplicationStageChange.objects.exists() and callbacks == []


def test_stage_set_refuses_unknown_stages(application):
    with pytest.raises(ValueError):
        application_stage_set(application=application, stage="aprobado")


def test_subscribing_twice_keeps_one_subscription(application, contact):
    first = application_subscribe(application=application, contact=contact)
    ApplicationSubscription.objects.filter(pk=first.pk).update(active=False)
    second = application_subscribe(application=application, contact=contact)
    assert second.pk == first.pk and second.active
    assert ApplicationSubscription.objects.count() == 1


@pytest.mark.parametrize(
    "now, expected",
    [
        (at(date(2025, 3, 4), 10), at(date(2025, 3, 4), 10)),  # Tuesday, open
        (at(date(2025, 3, 4), 6, 30), at(date(2025, 3, 4), 7)),  # before 7:00
        (at(date(2025, 3, 4), 19), at(date(2025, 3, 5), 7)),  # 19:00 is closed
        (at(date(2025, 3, 8), 16), at(date(2025, 3, 10), 7)),  # Saturday after 15:00 -> Monday
        (at(date(2025, 3, 9), 10), at(date(2025, 3, 10), 7)),  # Sunday
        (at(date(2025, 3, 22), 16), at(date(2025, 3, 25), 7)),  # Saturday afternoon; Monday 24 is San José
    ],
)
def test_send_time_respects_ley_2300_hours(contact, now, expected):
    assert proactive_send_time(contact=contact, now=now) == expected


def test_one_proactive_message_per_day(contact):
    OutboundMessage.objects.create(contact=contact, sender="system", kind="text", not_before=at(date(2025, 3, 4), 8))
    assert proactive_send_time(contact=contact, now=at(date(2025, 3, 4), 10)) == at(date(2025, 3, 5), 7)
    # A failed one does not use the day up; replies to the user (no not_before) never do.
    OutboundMessage.objects.all().update(status="failed")
    OutboundMessage.objects.create(contact=contact, kind="text")
    assert proactive_send_time(contact=contact, now=at(date(2025, 3, 4), 10)) == at(date(2025, 3, 4), 10)


def test_the_day_after_a_busy_saturday_is_monday(contact):
    OutboundMessage.objects.create(contact=contact, sender="system", kind="text", not_before=at(date(2025, 3, 8), 9))
    assert proactive_send_time(contact=contact, now=at(date(2025, 3, 8), 11)) == at(date(2025, 3, 10), 7)


def test_reimport_enqueues_only_when_a_stage_changed(db, django_capture_on_commit_callbacks):
    line = json.dumps(customer_line())
    with django_capture_on_commit_callbacks() as callbacks:
        clients_import(lines=[line])
    assert callbacks == []  # a new application is no change
    moved = json.dumps(customer_line(applications=[{"number": "SOL-2026-0042", "stage": "aprobacion"}]))
    with django_capture_on_commit_callbacks() as callbacks:
        assert clients_import(lines=[moved]).stage_changes == 1
    assert callbacks == [stage_changes_enqueue]
