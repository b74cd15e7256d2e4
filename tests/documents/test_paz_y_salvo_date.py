"""A paz y salvo is dated the day it was issued in Colombia, on the paper and in its file name
(the clock is UTC: from 7 p. m. in Bogotá UTC is already on the next day)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from django.core.files.storage import default_storage
from pypdf import PdfReader

from credits.models import Customer
from documents.pdf import paz_y_salvo_issue

CARLOS = "79456123"  # every credit cancelled (credits/fixtures/README.md)


def test_a_certificate_issued_at_night_is_dated_that_day_in_colombia(portfolio):
    night = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)  # 30 November, 8:30 p. m. in Bogotá

    certificate = paz_y_salvo_issue(customer=Customer.objects.get(cedula=CARLOS), now=night)

    assert certificate.document.original_name == "paz-y-salvo-proalto-20261130.pdf"
    with default_storage.open(certificate.document.file.name) as handle:
        paper = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "30 de noviembre de 2026" in paper and "1 de diciembre" not in paper
