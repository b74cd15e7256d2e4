"""Who gets into the back office and what each role may open: second factor, throttling,
least-privilege roles."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.escalations.conftest import totp_code

pytestmark = pytest.mark.django_db


def test_login_needs_the_totp_code(staff):
    ana = staff("ana", "Asesor")
    client = Client()
    response = client.post("/admin/login/", {"username": "ana", "password": ana.password, "otp_token": ""})
    assert response.status_code == 200
    assert "Escribe el código de 6 dígitos" in response.content.decode()
    response = client.post(
        "/admin/login/",
        {
            "username": "ana",
            "password": ana.password,
            "otp_token": "000000" if totp_code(ana.device) != "000000" else "111111",
        },
    )
    assert "El código no es válido" in response.content.decode()
    ana.device.refresh_from_db()
    ana.device.throttle_reset()  # django-otp slows down guesses after a wrong code
    assert ana.login(client).status_code == 302
    assert client.get("/admin/escalations/ticket/").status_code == 200


def test_staff_without_a_confirmed_device_cannot_use_the_admin(staff):
    ana = staff("ana", "Asesor")
    TOTPDevice.objects.filter(user=ana.user).delete()
    client = Client()
    response = client.post("/admin/login/", {"username": "ana", "password": ana.password, "otp_token": "123456"})
    assert response.status_code == 200
    # Even a session logged in by password alone is treated as not staff.
    client.force_login(ana.user)
    assert client.get("/admin/escalations/ticket/").status_code == 302


def test_without_otp_required_the_password_is_enough(staff, settings):
    settings.STAFF_OTP_REQUIRED = False
    ana = staff("ana", "Asesor")
    client = Client()
    assert client.post("/admin/login/", {"username": "ana", "password": ana.password}).status_code == 302
    assert client.get("/admin/escalations/ticket/").status_code == 200


def test_five_failures_lock_the_username_for_fifteen_minutes(staff):
    ana = staff("ana", "Asesor")
    client = Client()
    wrong = {"username": "ana", "password": "mala-clave-123", "otp_token": "123456"}
    for _ in range(4):
        assert "Demasiados intentos" not in client.post("/admin/login/", wrong).content.decode()
    # The fifth failure locks, and the page says so at once.
    assert client.post("/admin/login/", wrong).status_code == 429
    # Now even the right password and code are refused, with a clear message.
    response = ana.login(client)
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert "15 minutos" in response.content.decode()


def test_failures_from_one_ip_lock_every_username(staff, settings):
    settings.STAFF_LOGIN_MAX_FAILURES_PER_IP = 3
    ana = staff("ana", "Asesor")
    client = Client()
    for name in ("x1", "x2", "x3"):
        client.post("/admin/login/", {"username": name, "password": "mala-clave-123", "otp_token": "123456"})
    assert "Demasiados intentos fallidos" in ana.login(client).content.decode()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert ana.login(other).status_code == 302


def test_a_successful_login_clears_the_username_count(staff):
    ana = staff("ana", "Asesor")
    client = Client()
    for _ in range(4):
        client.post("/admin/login/", {"username": "ana", "password": "mala-clave-123", "otp_token": "1"})
    assert ana.login(client).status_code == 302
    client.logout()
    for _ in range(4):
        client.post("/admin/login/", {"username": "ana", "password": "mala-clave-123", "otp_token": "1"})
    assert ana.login(client, code=totp_code(ana.device, steps_ahead=1)).status_code == 302


def test_an_advisor_cannot_open_consents_nor_the_audit_log(logged_in):
    advisor = logged_in("Asesor")
    assert advisor.get("/admin/consent/consentrecord/").status_code == 403
    assert advisor.get("/admin/escalations/auditentry/").status_code == 403
    assert advisor.get("/admin/escalations/ticket/").status_code == 200


def test_compliance_reads_consents_but_cannot_change_them(logged_in, policy):
    from django.utils import timezone

    from consent.models import ConsentRecord
    from conversations.models import Contact

    compliance = logged_in("Cumplimiento")
    contact = Contact.objects.create(wa_id="573001234567")
    record = ConsentRecord.objects.create(
        contact=contact,
        wa_id=contact.wa_id,
        policy_version=policy,
        text_shown="t",
        answer="accepted",
        wa_message_id="wamid.x",
        answered_at=timezone.now(),
    )
    assert compliance.get("/admin/consent/consentrecord/").status_code == 200
    assert compliance.get("/admin/escalations/auditentry/").status_code == 200
    page = compliance.get(f"/admin/consent/consentrecord/{record.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    user = compliance.staff.user
    assert not user.has_perm("consent.change_consentrecord")
    assert not user.has_perm("consent.delete_consentrecord")
    assert not user.has_perm("escalations.take_ticket")
    assert compliance.post(f"/admin/consent/consentrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403


def test_supervisor_has_advisor_rights_plus_assignment_and_metrics(staff):
    boss = staff("jefa", "Supervisor").user
    assert boss.has_perm("escalations.take_ticket")
    assert boss.has_perm("escalations.assign_ticket")
    assert boss.has_perm("escalations.view_metrics")
    assert not boss.has_perm("consent.view_consentrecord")


def test_setup_roles_is_idempotent_and_removes_hand_granted_permissions(roles):
    from django.contrib.auth.models import Group, Permission

    advisors = Group.objects.get(name="Asesor")
    advisors.permissions.add(Permission.objects.get(codename="delete_ticket"))
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    codenames = set(Group.objects.get(name="Asesor").permissions.values_list("codename", flat=True))
    assert "delete_ticket" not in codenames
    assert {"view_ticket", "take_ticket"} <= codenames
    assert Group.objects.filter(name__in=["Asesor", "Cumplimiento", "Supervisor"]).count() == 3


def test_create_staff_prints_the_secret_and_refuses_duplicates(roles, capsys):
    from django.core.management.base import CommandError

    call_command("create_staff", "maria", "--role", "Asesor", "--password", "Una-clave-larga-2026")
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out and "Clave TOTP" in out
    assert TOTPDevice.objects.get(user__username="maria").confirmed
    with pytest.raises(CommandError):
        call_command("create_staff", "maria", "--role", "Asesor", "--password", "Una-clave-larga-2026")
    with pytest.raises(CommandError, match="Contraseña"):
        call_command("create_staff", "pedro", "--role", "Asesor", "--password", "corta")
