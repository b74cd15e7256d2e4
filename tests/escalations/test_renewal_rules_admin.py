"""Issue 15: a Supervisor edits the renewal rules in the admin; every change is a new
version (who, when, why) and the bot's offer uses the version in force."""

import uuid

import pytest

from credits.models import RenewalRuleSet
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


@pytest.fixture(autouse=True)
def private_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"rules-{uuid.uuid4()}"}
    }


def test_the_add_form_starts_from_the_rules_in_force(logged_in, settings):
    settings.RENEWAL_MONTHLY_RATE = 0.018
    page = logged_in("Supervisor").get(URL + "add/")
    assert page.status_code == 200
    assert 'value="0.018' in page.content.decode()


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
