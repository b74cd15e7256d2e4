import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credits.importer import ImportFileError
from credits.models import Application, ApplicationStageChange, Credit, Customer
from credits.services import clients_import

from .conftest import DEMO_PORTFOLIO, customer_line

pytestmark = pytest.mark.django_db


def run(path: str) -> str:
    out = StringIO()
    call_command("import_clients", path, stdout=out)
    return out.getvalue()


def second_customer(**overrides) -> dict:
    fields = {
        "cedula": "79456123",
        "full_name": "Carlos Alberto Martínez Ospina",
        "phone": "573009876543",
        "credits": [],
        "applications": [],
    }
    return customer_line(**{**fields, **overrides})


def test_import_creates_customers_credits_and_applications(write_jsonl):
    output = run(write_jsonl(customer_line(), second_customer()))

    customer = Customer.objects.get(cedula="1020304050")
    assert customer.full_name == "Ana Lucía Gómez Restrepo"
    assert customer.phone == "573001234567"
    assert customer.birth_date == date(1961, 4, 2)
    assert customer.cedula_issue_date == date(1979, 5, 10)
    credit = customer.credits.get()
    assert credit.number == "LIB-000123"
    assert credit.balance == Decimal("8250000.00")
    assert credit.installments_paid == 27
    assert credit.next_deduction_date == date(2026, 12, 1)
    assert credit.status == Credit.Status.ACTIVE
    application = customer.applications.get()
    assert application.stage == Application.Stage.ESTUDIO
    assert application.updated_at.isoformat() == "2026-11-20T20:04:00+00:00"
    assert Customer.objects.count() == 2
    # A new application is not a stage change.
    assert not ApplicationStageChange.objects.exists()
    assert "2 created" in output


def test_summary_prints_no_personal_data(write_jsonl):
    output = run(write_jsonl(customer_line()))
    for secret in ("1020304050", "573001234567", "Ana", "Gómez"):
        assert secret not in output


def test_reimport_updates_in_place_and_keeps_missing_children(write_jsonl):
    run(write_jsonl(customer_line()))
    customer_pk = Customer.objects.get().pk
    credit_pk = Credit.objects.get().pk

    updated = customer_line(
        full_name="Ana Lucía Gómez de Torres",
        phone="+57 310 111 2233",
        credits=[
            {**customer_line()["credits"][0], "balance": "7840000.00", "installments_paid": 28},
            {
                "number": "LIB-000999",
                "pagaduria": "FOPEP",
                "disbursed_amount": "3000000",
                "balance": "3000000",
                "installments_total": 24,
                "installments_paid": 0,
                "installment_amount": "150000",
                "status": "active",
            },
        ],
        applications=[],  # SOL-2026-0042 not in this export: left as it is
    )
    output = run(write_jsonl(updated))

    customer = Customer.objects.get()
    assert customer.pk == customer_pk
    assert customer.full_name == "Ana Lucía Gómez de Torres"
    assert customer.phone == "573101112233"
    credit = Credit.objects.get(number="LIB-000123")
    assert credit.pk == credit_pk
    assert credit.balance == Decimal("7840000.00")
    assert credit.installments_paid == 28
    assert Credit.objects.get(number="LIB-000999").next_deduction_date is None
    assert Application.objects.filter(number="SOL-2026-0042", stage="estudio").exists()
    assert "1 updated" in output


def test_reimport_of_identical_file_changes_nothing(write_jsonl):
    path = write_jsonl(customer_line())
    run(path)
    result = clients_import(lines=open(path, encoding="utf-8"))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert (result.credits_updated, result.applications_updated, result.stage_changes) == (0, 0, 0)


def test_missing_optional_customer_keys_keep_stored_values(write_jsonl):
    run(write_jsonl(customer_line()))
    line = customer_line()
    del line["birth_date"]
    line["cedula_issue_date"] = None
    run(write_jsonl(line))
    customer = Customer.objects.get()
    assert customer.birth_date == date(1961, 4, 2)
    assert customer.cedula_issue_date is None


def test_stage_change_on_reimport_is_recorded(write_jsonl):
    run(write_jsonl(customer_line()))
    moved = customer_line(
        applications=[{"number": "SOL-2026-0042", "stage": "aprobación", "updated_at": "2026-11-24T09:00:00-05:00"}]
    )
    output = run(write_jsonl(moved))

    change = ApplicationStageChange.objects.get()
    assert change.application.number == "SOL-2026-0042"
    assert (change.from_stage, change.to_stage) == ("estudio", "aprobacion")
    assert change.notified_at is None
    assert change.changed_at.isoformat() == "2026-11-24T14:00:00+00:00"
    assert Application.objects.get().stage == "aprobacion"
    assert "1 stage changes" in output

    # Same stage again: no new event.
    run(write_jsonl(moved))
    assert ApplicationStageChange.objects.count() == 1


def test_accented_and_capitalised_enums_are_normalised(write_jsonl):
    line = customer_line(
        applications=[
            {"number": "SOL-1", "stage": "Recepción"},
            {"number": "SOL-2", "stage": "APROBACIÓN"},
        ]
    )
    line["credits"][0]["status"] = "Arrears"
    run(write_jsonl(line))
    assert set(Application.objects.values_list("stage", flat=True)) == {"recepcion", "aprobacion"}
    assert Credit.objects.get().status == "arrears"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("+57 300 123 4567", "573001234567"),
        ("3001234567", "573001234567"),
        ("573001234567", "573001234567"),
        ("+573209998877", "573209998877"),
        ("(315) 222-3344", "573152223344"),
    ],
)
def test_phone_is_normalised_to_e164_digits(write_jsonl, raw, expected):
    run(write_jsonl(customer_line(phone=raw)))
    assert Customer.objects.get().phone == expected


def _credit(**overrides):
    return [{**customer_line()["credits"][0], **overrides}]


@pytest.mark.parametrize(
    "bad, reason",
    [
        ({"cedula": "12ab5"}, "cedula"),
        ({"cedula": "1234"}, "cedula"),
        ({"cedula": "12345678901"}, "cedula"),
        ({"phone": "6012345678"}, "phone"),  # Bogotá landline
        ({"phone": "+1 202 555 0100"}, "phone"),
        ({"phone": "300123"}, "phone"),
        ({"birth_date": "02/04/1961"}, "birth_date"),
        ({"cedula_issue_date": "2026-02-30"}, "cedula_issue_date"),
        ({"cedula_issue_date": "1950-01-01"}, "before birth_date"),
        ({"full_name": "  "}, "full_name"),
        ({"credits": _credit(balance="-1")}, "balance"),
        ({"credits": _credit(disbursed_amount="abc")}, "disbursed_amount"),
        ({"credits": _credit(installment_amount="10.001")}, "installment_amount"),
        ({"credits": _credit(installments_paid=61)}, "installments_paid"),
        ({"credits": _credit(installments_total="60")}, "installments_total"),
        ({"credits": _credit(status="castigado")}, "status"),
        ({"credits": _credit(next_deduction_date="mañana")}, "next_deduction_date"),
        ({"credits": _credit(number="LIB-000123") + _credit(number="LIB-000123")}, "twice"),
        ({"applications": [{"number": "SOL-1", "stage": "firmada"}]}, "stage"),
        ({"applications": [{"number": "SOL-1", "stage": "estudio", "updated_at": "ayer"}]}, "updated_at"),
        ({"applications": [{"stage": "estudio"}]}, "number"),
        ({"credits": "LIB-000123"}, "credits must be a list"),
        ({"email": "x@example.com"}, "unknown key"),
    ],
)
def test_invalid_line_names_line_and_reason_and_imports_nothing(write_jsonl, bad, reason):
    path = write_jsonl(second_customer(), customer_line(**bad))
    with pytest.raises(CommandError, match=r"line 2: .*" + reason):
        run(path)
    assert not Customer.objects.exists()
    assert not Credit.objects.exists()


def test_missing_required_key(write_jsonl):
    line = customer_line()
    del line["phone"]
    with pytest.raises(CommandError, match="line 1: missing required key.*phone"):
        run(write_jsonl(line))


def test_missing_credit_key(write_jsonl):
    line = customer_line()
    del line["credits"][0]["balance"]
    with pytest.raises(CommandError, match=r"line 1: credits\[0\]: missing required key.*balance"):
        run(write_jsonl(line))


def test_bad_last_line_writes_nothing_even_over_existing_data(write_jsonl):
    run(write_jsonl(customer_line()))
    path = write_jsonl(
        customer_line(full_name="Changed Name", applications=[{"number": "SOL-2026-0042", "stage": "desembolso"}]),
        second_customer(),
        "{not json",
    )
    with pytest.raises(CommandError, match="line 3: invalid JSON"):
        run(path)
    assert Customer.objects.count() == 1
    assert Customer.objects.get().full_name == "Ana Lucía Gómez Restrepo"
    assert Application.objects.get().stage == "estudio"
    assert not ApplicationStageChange.objects.exists()


def test_error_messages_do_not_echo_personal_data(write_jsonl):
    with pytest.raises(CommandError) as excinfo:
        run(write_jsonl(customer_line(phone="6019998877")))
    assert "6019998877" not in str(excinfo.value)


def test_duplicated_cedula_in_file(write_jsonl):
    path = write_jsonl(
        customer_line(), second_customer(), customer_line(phone="3101112233", credits=[], applications=[])
    )
    with pytest.raises(CommandError, match=r"line 3: duplicated cedula \(already on line 1\)"):
        run(path)
    assert not Customer.objects.exists()


def test_credit_number_on_two_customers_in_file(write_jsonl):
    path = write_jsonl(customer_line(), second_customer(credits=customer_line()["credits"]))
    with pytest.raises(CommandError, match="line 2: credit LIB-000123 is also on line 1"):
        run(path)


def test_credit_of_another_existing_customer_is_rejected(write_jsonl):
    run(write_jsonl(customer_line()))
    with pytest.raises(CommandError, match="line 1: credit LIB-000123 belongs to another customer"):
        run(write_jsonl(second_customer(credits=customer_line()["credits"])))
    assert Customer.objects.count() == 1  # the second customer's creation was rolled back


def test_blank_lines_are_skipped_but_counted(write_jsonl):
    path = write_jsonl(customer_line(), "", "   ", "[]")
    with pytest.raises(CommandError, match="line 4: each line must be a JSON object"):
        run(path)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "nope.jsonl"))


def test_service_raises_import_file_error():
    with pytest.raises(ImportFileError) as excinfo:
        clients_import(lines=[json.dumps(customer_line()), json.dumps(customer_line(cedula="x"))])
    assert excinfo.value.line_no == 2
    assert "cedula" in excinfo.value.message


def test_demo_portfolio_imports_and_covers_the_scenarios():
    result = clients_import(lines=DEMO_PORTFOLIO.read_text(encoding="utf-8").splitlines())
    assert result.created == 8

    def credits_of(phone):
        return list(Customer.objects.get(phone=phone).credits.all())

    sandbox = credits_of("573001234567")
    assert [c.status for c in sandbox] == ["active"]
    paid = credits_of("573009876543")
    assert paid and all(c.status == "paid" and c.balance == 0 for c in paid)

    customers = list(Customer.objects.prefetch_related("credits", "applications"))
    assert any(sum(c.status == "active" for c in x.credits.all()) == 2 for x in customers)
    assert any(c.status == "arrears" for x in customers for c in x.credits.all())
    stages = {a.stage for x in customers for a in x.applications.all()}
    assert {"estudio", "aprobacion"} <= stages
    assert any(not x.credits.exists() and not x.applications.exists() for x in customers)

    def credit_rows(phone):
        return [(c.number, c.status, c.installments_paid, c.installments_total) for c in credits_of(phone)]

    # Gloria is eligible for renewal (50 of 84 paid, over half, no arrears); Héctor is not (3 of 72).
    assert credit_rows("573007778899") == [("LIB-000150", "active", 50, 84)]
    assert credit_rows("573158889900") == [("LIB-000402", "active", 3, 72)]
    assert credit_rows("573152223344") == [("LIB-000310", "arrears", 20, 60)]
    for x in customers:
        adult = date(x.birth_date.year + 18, x.birth_date.month, x.birth_date.day)
        assert x.cedula_issue_date >= adult, x.full_name
    assert len({x.phone for x in customers}) == 8
