"""Staff login throttling on django-axes (escalations/login.py): a capped lock, a wrong
second-factor code counts, the client address from the trusted proxy's header, and parallel
wrong logins never get more guesses than the limit."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from tests.escalations.conftest import totp_code

pytestmark = pytest.mark.django_db

WRONG = {"password": "mala-clave-123", "otp_token": "123456"}


def fail(client, username="ana"):
    return client.post("/admin/login/", {"username": username, **WRONG})


def counted(**filters) -> int:
    return AccessAttempt.objects.filter(**filters).aggregate(n=Sum("failures_since_start"))["n"] or 0


def test_a_wrong_code_after_the_right_password_counts(staff):
    ana = staff("ana", "Asesor")
    client = Client()
    wrong_code = "000000" if totp_code(ana.device) != "000000" else "111111"
    for _ in range(5):
        response = ana.login(client, code=wrong_code)
    assert response.status_code == 429
    assert counted(username="ana") == 5
    assert "Demasiados intentos fallidos" in ana.login(client).content.decode()


def test_asking_for_the_code_is_not_a_failure(staff):
    ana = staff("ana", "Asesor")
    client = Client()
    for _ in range(6):
        response = client.post("/admin/login/", {"username": "ana", "password": ana.password, "otp_token": ""})
        assert "Escribe el código de 6 dígitos" in response.content.decode()
    assert counted() == 0
    assert ana.login(client).status_code == 302


def test_the_lock_ends_on_time_however_often_someone_keeps_trying(staff, monkeypatch):
    # One attempt every few minutes used to restart the lock: a username locked for ever.
    ana = staff("ana", "Asesor")
    client = Client()
    for _ in range(5):
        fail(client)
    clock = {"shift": timedelta(0)}
    real_now = timezone.now
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: real_now() + clock["shift"])  # the clock axes reads

    for minutes in (5, 10, 14):
        clock["shift"] = timedelta(minutes=minutes)
        assert fail(client).status_code == 429
    assert ana.login(client).status_code == 429
    assert counted(username="ana") == 5  # attempts while locked were not counted

    clock["shift"] = timedelta(minutes=15, seconds=5)
    assert ana.login(client).status_code == 302


def test_behind_the_proxy_each_client_has_its_own_address(staff, settings):
    settings.STAFF_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.STAFF_LOGIN_MAX_FAILURES_PER_IP = 3
    ana = staff("ana", "Asesor")
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for name in ("x1", "x2", "x3"):
        fail(attacker, name)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    # Writing another address in front of the one the proxy appends changes nothing.
    spoofing = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66")
    assert ana.login(spoofing).status_code == 429
    # A colleague behind the same proxy is not locked out by the attacker's address.
    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert ana.login(colleague).status_code == 302


def test_a_successful_login_does_not_forgive_the_address(staff, settings):
    # An insider's own valid login must not reset the count of an address guessing at others.
    settings.STAFF_LOGIN_MAX_FAILURES_PER_IP = 4
    mallory, ana = staff("mallory", "Asesor"), staff("ana", "Asesor")
    client = Client()
    for name in ("x1", "x2", "x3"):
        fail(client, name)
    assert mallory.login(client).status_code == 302
    client.logout()
    fail(client, "x4")
    assert ana.login(client).status_code == 429


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="parallel logins need PostgreSQL's concurrent connections (make test-services)",
)
def test_parallel_wrong_logins_get_no_more_guesses_than_the_limit(staff, settings, monkeypatch):
    settings.STAFF_LOGIN_MAX_FAILURES = 3
    staff("ana", "Asesor")
    checked = []
    check = ModelBackend.authenticate

    def slow_check(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        time.sleep(0.2)  # a real password hash takes this long: the window parallel requests share
        return check(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow_check)
    start = threading.Barrier(10)
    statuses = []

    def guess(number):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{number}")  # a botnet: one address each
            start.wait()
            statuses.append(fail(client).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 10
    assert len(checked) == 3  # the password was checked as often as the limit allows, not once per request
    assert counted(username="ana") == 3
    assert statuses.count(429) == 8  # the third failure locks; the seven after it are refused unchecked
