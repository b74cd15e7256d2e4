"""Legal terms of Habeas Data requests in Colombian business days (Ley 1581 arts. 14-15)."""

from datetime import date

import pytest

from consent.models import DataRightsRequest
from consent.services import rights_due_date

CONSULTA, RECLAMO = DataRightsRequest.Category.CONSULTA, DataRightsRequest.Category.RECLAMO


def test_consulta_received_friday_4_december_skips_the_8th_holiday():
    # Mon 7, (Tue 8 Inmaculada Concepción), 9, 10, 11, 14..18, Mon 21 = 10 business days.
    assert rights_due_date(category=CONSULTA, received=date(2026, 12, 4)) == date(2026, 12, 21)


def test_reclamo_received_friday_4_december_skips_the_8th_and_christmas():
    # ... 21, 22, 23, 24, (Fri 25 Navidad), 28, 29 = 15 business days.
    assert rights_due_date(category=RECLAMO, received=date(2026, 12, 4)) == date(2026, 12, 29)


def test_counting_starts_the_day_after_receipt_even_on_a_weekend():
    # Received on Saturday: the first business day counted is Monday.
    assert rights_due_date(category=CONSULTA, received=date(2026, 11, 28)) == date(2026, 12, 14)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 27), date(2026, 4, 14)),  # Holy week: Thu 2 and Fri 3 April are holidays
        (date(2026, 6, 5), date(2026, 6, 23)),  # Corpus Christi (Mon 8) and Sagrado Corazón (Mon 15 June)
    ],
)
def test_consulta_terms_around_other_holidays(received, due):
    assert rights_due_date(category=CONSULTA, received=received) == due
