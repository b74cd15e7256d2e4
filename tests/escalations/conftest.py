"""Back-office fixtures: staff accounts with a role and a TOTP device, and logging in
through the real admin login form (password + the current TOTP code)."""

from __future__ import annotations

import secrets

import pytest
from django.core.management import call_command
from django_otp.oath import totp

from escalations.management.commands.create_staff import staff_create


@pytest.fixture(autouse=True)
def _local_cache(settings):
    # Login throttling counts in the cache: each test starts from zero.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": secrets.token_hex(4)}
    }


def totp_code(device, *, steps_ahead: int = 0) -> str:
    """The code a TOTP app shows now (steps_ahead=1: the next one, for a second login)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead)
    return f"{code:0{device.digits}d}"


class Staff:
    def __init__(self, user, password, device):
        self.user, self.password, self.device = user, password, device
        self.username = user.username

    def login(self, client, *, code: str | None = None):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": self.username, "password": self.password, "otp_token": code or totp_code(self.device)},
        )


@pytest.fixture
def roles(db):
    call_command("setup_roles", stdout=open("/dev/null", "w"))


@pytest.fixture
def staff(roles):
    """Factory: staff("ana", "Asesor") creates the account with its TOTP device."""

    def make(username: str, role: str) -> Staff:
        password = f"Clave-segura-{secrets.token_hex(4)}"
        device = staff_create(username=username, role=role, password=password)
        device.user.refresh_from_db()
        return Staff(device.user, password, device)

    return make


@pytest.fixture
def logged_in(staff, client):
    """Factory: a Django test client logged in (with TOTP) as a new user of the role."""

    def make(role: str, username: str | None = None):
        from django.test import Client

        member = staff(username or f"{role.lower()}-{secrets.token_hex(3)}", role)
        browser = Client()
        response = member.login(browser)
        assert response.status_code == 302, response.content.decode()[:2000]
        browser.staff = member
        return browser

    return make
