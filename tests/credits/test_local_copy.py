"""The local copy kept honest: every load records its cut-off, stages only move forward unless
the incoming row is dated after ours, and a stage staff set is not silently overwritten."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conversations.models import Contact, OutboundMessage
from credits.models import Application, ApplicationStageChange, PortfolioLoad
from credits.notifications import stage_changes_notify
from credits.portfolio import local_cutoff
from credits.services import application_lead_create, application_stage_set, application_subscribe, clients_import

from .conftest import customer_line

pytestmark = pytest.mark.django_db


def load(*lines, as_of=None):
    return clients_import(lines=[json.dumps(line) for line in lines], as_of=as_of)


def with_stage(stage: str, updated_at: str | None = None) -> dict:
    application = {"number": "SOL-2026-0042", "stage": stage}
    if updated_at:
        application["updated_at"] = updated_at
    return customer_line(applications=[application])


def test_an_import_records_when_its_data_were_taken():
    taken = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    load(customer_line(), as_of=taken)

    assert local_cutoff() == taken
    assert PortfolioLoad.objects.get().kind == "import"


def test_the_command_takes_the_cut_off_from_as_of_or_the_files_time(write_jsonl, tmp_path):
    path = write_jsonl(customer_line())
    call_command("import_clients", path, "--as-of", "2026-11-20T06:00:00-05:00", stdout=open(tmp_path / "out", "w"))
    assert local_cutoff() == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)

    call_command("import_clients", path, stdout=open(tmp_path / "out", "w"))
    assert abs(local_cutoff() - timezone.now()) < timedelta(minutes=1)  # the file was just written


def test_an_undated_line_never_moves_a_stage_back():
    load(with_stage("aprobacion", "2026-11-20T10:00:00-05:00"))

    result = load(with_stage("estudio"))

    assert Application.objects.get().stage == "aprobacion"
    assert result.stages_kept == 1 and not ApplicationStageChange.objects.exists()


def test_an_older_row_never_moves_a_stage_back_but_a_newer_dated_one_does():
    load(with_stage("aprobacion", "2026-11-20T10:00:00-05:00"))

    assert load(with_stage("estudio", "2026-11-19T10:00:00-05:00")).stages_kept == 1
    assert Application.objects.get().stage == "aprobacion"

    result = load(with_stage("estudio", "2026-11-21T10:00:00-05:00"))
    assert Application.objects.get().stage == "estudio" and result.stage_changes == 1


def test_a_stage_moves_forward_on_an_undated_line():
    load(with_stage("estudio", "2026-11-20T10:00:00-05:00"))

    assert load(with_stage("aprobacion")).stage_changes == 1
    assert Application.objects.get().stage == "aprobacion"


def test_a_stage_set_by_staff_is_kept_against_data_dated_before_the_edit(settings):
    settings.PORTFOLIO_SOURCE = "local"  # with the core as source, staff set no core stage
    load(with_stage("estudio", "2026-11-20T10:00:00-05:00"))
    application = Application.objects.get()
    edited = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    application_stage_set(application=application, stage="rechazada", now=edited)

    kept = load(with_stage("aprobacion", "2026-11-24T10:00:00-05:00"))
    assert Application.objects.get().stage == "rechazada" and kept.stages_kept == 1

    # The core decided again after the edit: it is the source of truth.
    moved = load(with_stage("aprobacion", "2026-11-26T10:00:00-05:00"))
    assert Application.objects.get().stage == "aprobacion" and moved.stage_changes == 1


def test_a_stage_moving_backwards_is_never_notified():
    load(with_stage("aprobacion", "2026-11-20T10:00:00-05:00"))
    application = Application.objects.get()
    contact = Contact.objects.create(wa_id="573001234567")
    application_subscribe(application=application, contact=contact)

    load(with_stage("estudio", "2026-11-21T10:00:00-05:00"))  # the core corrected it, explicitly

    assert stage_changes_notify(now=datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) == 0
    assert not OutboundMessage.objects.exists()
    assert ApplicationStageChange.objects.get().notified_at is not None  # handled, not pending


def test_a_lead_belongs_to_a_customer_only_from_their_registered_phone():
    load(customer_line())  # Ana: 1020304050, registered phone 573001234567
    now = timezone.now()
    stranger = Contact.objects.create(wa_id="573209990000")
    ana = Contact.objects.create(wa_id="573001234567")
    details = {"city": "Cali", "pagaduria": "FOPEP", "best_time": "tarde", "documents": []}

    typed = application_lead_create(
        number="WA-2026-AAAAAAAA", contact=stranger, cedula="1020304050", full_name="Ana G", details=details, now=now
    )
    own = application_lead_create(
        number="WA-2026-BBBBBBBB", contact=ana, cedula="1020304050", full_name="Ana G", details=details, now=now
    )

    assert typed.customer is None and typed.details["cedula"] == "1020304050"  # not in Ana's status
    assert own.customer.cedula == "1020304050" and own.stage == "recepcion" and own.origin == "whatsapp"


def test_the_local_copys_readings_keep_their_types_order_and_cut_off():
    """What a chat answer and an API lookup read from the copy (one statement each, written
    out in credits.portfolio): the same records on SQLite and PostgreSQL."""
    from decimal import Decimal

    from credits.portfolio import CreditRecord, LocalSource, local_customer

    taken = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    second = {**customer_line()["credits"][0], "number": "LIB-000001", "balance": "1200000.50", "status": "arrears"}
    older = {"number": "SOL-2025-0001", "stage": "desembolso", "updated_at": "2025-06-01T09:00:00-05:00"}
    line = customer_line(
        credits=[*customer_line()["credits"], second], applications=[older, *customer_line()["applications"]]
    )
    load(line, customer_line(cedula="99887766", phone="573109998877", credits=[], applications=[]), as_of=taken)
    source = LocalSource()

    credits = source.credits("1020304050")
    assert credits.as_of == taken
    assert [c.number for c in credits] == ["LIB-000001", "LIB-000123"]  # by number
    assert credits[0] == CreditRecord(
        number="LIB-000001",
        cedula="1020304050",
        pagaduria="Colpensiones",
        disbursed_amount=Decimal("15000000.00"),
        balance=Decimal("1200000.50"),
        installments_total=60,
        installments_paid=27,
        installment_amount=Decimal("410000.00"),
        next_deduction_date=datetime(2026, 12, 1).date(),
        status="arrears",
    )
    applications = source.applications("1020304050")
    assert applications.as_of == taken
    assert [(a.number, a.updated_at) for a in applications] == [  # the most recently updated first
        ("SOL-2026-0042", datetime(2026, 11, 20, 20, 4, tzinfo=UTC)),
        ("SOL-2025-0001", datetime(2025, 6, 1, 14, 0, tzinfo=UTC)),
    ]
    ana = local_customer("1020304050")
    assert (ana.full_name, ana.phone) == ("Ana Lucía Gómez Restrepo", "573001234567")
    assert (ana.cedula_issue_date, ana.birth_date) == (datetime(1979, 5, 10).date(), datetime(1961, 4, 2).date())
    assert local_customer("55555555") is None
    # Nothing for that cédula: empty, still with the copy's cut-off.
    assert source.credits("55555555") == () and source.credits("55555555").as_of == taken
    assert source.applications("99887766") == () and source.applications("99887766").as_of == taken
