"""Issue 15: a Supervisor edits the renewal rules in the admin; every change is a new
version (who, when, why) and the bot's offer uses the version in force."""

from decimal import Decimal

import pytest

from credits.models import RenewalRuleSet
from escalations.models import AuditEntry
from tests.support import texts

URL = "/admin/credits/renewalruleset/"
GLORIA = ("573007778899", "51876543", "10/02/1978")  # demo customer 7: renewal eligible
NEW_RULES = {
    "min_paid_share": "0.4",
    "amount_factor": "1.5",
    "max_amount": "50000000",
    "monthly_rate": "0.015",
    "term_months": "60",
    "reason": "Campaña de diciembre",
}


pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def test_the_add_form_starts_from_the_rules_in_force(logged_in, settings):
    settings.RENEWAL_MONTHLY_RATE = 0.018
    page = logged_in("Supervisor").get(URL + "add/")
    assert page.status_code == 200
    assert 'value="0,018' in page.content.decode()  # as Colombian staff write it (not a number input's 0.018)


def test_decimals_are_typed_with_a_comma_or_a_point(logged_in):
    supervisor = logged_in("Supervisor")
    assert (
        supervisor.post(URL + "add/", NEW_RULES | {"min_paid_share": "0,45", "monthly_rate": "0,016"}).status_code
        == 302
    )
    assert supervisor.post(URL + "add/", NEW_RULES | {"min_paid_share": "0.55"}).status_code == 302
    first, second = RenewalRuleSet.objects.order_by("pk")
    assert (first.min_paid_share, first.monthly_rate, second.min_paid_share) == (
        Decimal("0.45"),
        Decimal("0.016"),
        Decimal("0.55"),
    )
    refused = supervisor.post(URL + "add/", NEW_RULES | {"min_paid_share": "1,5"})
    assert refused.status_code == 200 and RenewalRuleSet.objects.count() == 2
    assert "menor o igual a 1" in refused.content.decode()


def test_a_supervisor_publishes_a_version_and_the_offer_uses_it(logged_in, consented_chat, portfolio):
    supervisor = logged_in("Supervisor", "marcela")
    response = supervisor.post(URL + "add/", NEW_RULES)
    assert response.status_code == 302, response.content.decode()[:1500]
    version = RenewalRuleSet.objects.get()
    assert (version.created_by_name, version.reason, version.term_months) == ("marcela", "Campaña de diciembre", 60)

    phone, cedula, issued = GLORIA
    gloria = consented_chat(phone, "Gloria")
    gloria.says("quiero renovar mi crédito")
    gloria.says(cedula)
    body = texts(gloria.says(issued))
    assert "Plazo: 60 meses" in body and "(1,5 % mes vencida)" in body
    assert "$30.000.000" in body  # 20.000.000 disbursed x 1.5


def test_versions_are_never_edited_or_deleted_and_advisors_cannot_publish(logged_in):
    supervisor = logged_in("Supervisor")
    supervisor.post(URL + "add/", NEW_RULES)
    version = RenewalRuleSet.objects.get()
    supervisor.post(f"{URL}{version.pk}/change/", NEW_RULES | {"term_months": "12"})
    supervisor.post(f"{URL}{version.pk}/delete/", {"post": "yes"})
    version.refresh_from_db()
    assert version.term_months == 60 and RenewalRuleSet.objects.count() == 1
    assert logged_in("Asesor").post(URL + "add/", NEW_RULES).status_code == 403
    assert RenewalRuleSet.objects.count() == 1


def test_bad_values_are_refused_with_a_clear_message(logged_in):
    response = logged_in("Supervisor").post(URL + "add/", NEW_RULES | {"min_paid_share": "1.5", "reason": ""})
    assert response.status_code == 200 and RenewalRuleSet.objects.count() == 0
    assert "errorlist" in response.content.decode()


def test_each_change_is_in_the_audit_log_with_who_what_changed_and_why(logged_in, settings):
    settings.RENEWAL_MIN_PAID_SHARE, settings.RENEWAL_AMOUNT_FACTOR = 0.5, 1.2
    settings.RENEWAL_MAX_AMOUNT, settings.RENEWAL_MONTHLY_RATE, settings.RENEWAL_TERM_MONTHS = 60_000_000, 0.018, 72
    supervisor = logged_in("Supervisor", "marcela")
    assert supervisor.post(URL + "add/", NEW_RULES, REMOTE_ADDR="10.1.2.3").status_code == 302
    first = RenewalRuleSet.objects.get()

    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE_RENEWAL_RULES)
    assert (entry.username, entry.user, entry.object_type, entry.object_id) == (
        "marcela",
        supervisor.staff.user,
        "credits.renewalruleset",
        str(first.pk),
    )
    assert entry.at == first.created_at or abs((entry.at - first.created_at).total_seconds()) < 5
    # Old (the settings in force until now) -> new, in Colombian formats, and why.
    assert entry.fields == [
        "porción mínima pagada: 50 % → 40 %",
        "multiplicador del monto: 1,2 → 1,5",
        "monto máximo: $60.000.000 → $50.000.000",
        "tasa mes vencida: 1,8 % → 1,5 %",
        "plazo máximo: 72 meses → 60 meses",
        "motivo: Campaña de diciembre",
    ]

    # The next change is measured against the version in force, and only what changed is listed.
    supervisor.post(URL + "add/", NEW_RULES | {"monthly_rate": "0.0165", "reason": "Ajuste de tasa"})
    latest = AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE_RENEWAL_RULES).order_by("-at", "-pk").first()
    assert latest.fields == ["tasa mes vencida: 1,5 % → 1,65 %", "motivo: Ajuste de tasa"]

    # Compliance reads it in the audit log, in Spanish.
    page = logged_in("Cumplimiento").get("/admin/escalations/auditentry/").content.decode()
    assert "Cambió las reglas de renovación" in page and "tasa mes vencida: 1,5 % → 1,65 %" in page


@pytest.mark.parametrize("role", ["Asesor", "Cumplimiento"])
def test_only_a_supervisor_can_add_a_version_and_a_refusal_leaves_no_trace(logged_in, role):
    assert logged_in(role).post(URL + "add/", NEW_RULES).status_code == 403
    assert not RenewalRuleSet.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE_RENEWAL_RULES).exists()


def test_a_refused_version_writes_no_audit_entry(logged_in):
    logged_in("Supervisor").post(URL + "add/", NEW_RULES | {"term_months": "500"})
    assert not RenewalRuleSet.objects.exists() and not AuditEntry.objects.exists()


def test_the_list_shows_the_values_in_colombian_formats(logged_in):
    supervisor = logged_in("Supervisor")
    supervisor.post(URL + "add/", NEW_RULES)
    page = supervisor.get(URL).content.decode()
    for shown in ("40 %", "1,5", "$50.000.000", "1,5 %", "60 meses", "Campaña de diciembre"):
        assert shown in page, shown
