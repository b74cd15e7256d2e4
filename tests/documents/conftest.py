"""Fixtures of the documents tests: a private cache per test (identity checks count attempts
in it), what storage holds, and a customer at the step of a chat that asks for documents."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.support import texts

GLORIA = ("573007778899", "51876543", "10/02/1978")  # eligible for renewal (credits/fixtures/README.md)


@pytest.fixture(autouse=True)
def _private_cache(private_cache):
    """Every test of the package has a cache of its own (tests/conftest.py)."""


@pytest.fixture
def gloria_sending_documents(consented_chat, portfolio):
    """Gloria, validated, has accepted her renewal offer: the bot waits for her desprendibles."""
    phone, cedula, issued = GLORIA
    gloria = consented_chat(phone, "Gloria")
    gloria.says("quiero renovar mi crédito")
    gloria.says(cedula)
    gloria.says(issued)
    assert "desprendibles de pago" in texts(gloria.taps("renew_yes"))
    return gloria


@pytest.fixture
def stored_files():
    """Reads the names in this month's documents folder. The storage may be shared (S3 in the
    services run): tests compare before and after, never count."""

    def read() -> set[str]:
        try:
            return set(default_storage.listdir(f"documents/{timezone.now():%Y/%m}")[1])
        except FileNotFoundError:  # no such folder yet (S3 has no folders: an empty listing)
            return set()

    return read
