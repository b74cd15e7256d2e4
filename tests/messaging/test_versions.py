"""The Graph API version: Meta's retirement dates and the deploy check that warns ahead."""

from datetime import date

from django.core.management import call_command
from django.core.management.base import SystemCheckError

from conversations.messaging.versions import retirement_date, version_problem


def test_a_version_retires_two_years_after_the_next_one_is_released():
    assert retirement_date("v21.0") == date(2027, 1, 21)  # Meta's own date for v21.0
    assert retirement_date("v24.0") == date(2028, 2, 18)


def test_the_default_version_is_current(settings):
    assert version_problem(settings.WHATSAPP_API_VERSION, today=date(2026, 11, 30)) is None


def test_a_version_retiring_within_60_days_is_reported_with_its_date():
    assert version_problem("v21.0", today=date(2026, 11, 30)) == (
        "Graph API version v21.0 is retired on 2027-01-21, in 52 days."
    )
    assert "in 60 days" in version_problem("v21.0", today=date(2026, 11, 22))  # 60 days ahead: reported
    assert version_problem("v21.0", today=date(2026, 11, 21)) is None
    assert "was retired on 2027-01-21" in version_problem("v21.0", today=date(2027, 1, 21))
    assert "not a known version" in version_problem("v99.0", today=date(2026, 11, 30))


def test_check_deploy_reports_an_expiring_version(settings, capsys):
    settings.WHATSAPP_API_VERSION = "v19.0"
    try:
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "compatibility")
    except SystemCheckError as error:
        assert "proalto.W101" in str(error) and "v19.0 was retired on 2026-05-21" in str(error)
    else:
        raise AssertionError("check --deploy did not report the retired version")
