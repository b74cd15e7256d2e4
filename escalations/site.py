"""ProAlto's admin site (the back office): staff need a confirmed TOTP device, failed logins
are throttled, and every page shows the count of tickets waiting.

Installed as the default site by escalations.apps.ProAltoAdminConfig (in INSTALLED_APPS in
place of django.contrib.admin), so every `admin.site.register` lands here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from escalations.selectors import tickets_waiting_count
from proalto.http import client_ip

LOCKED_MESSAGE = (
    "Demasiados intentos fallidos. Por seguridad, el acceso quedó bloqueado {minutes} minutos; "
    "vuelve a intentarlo más tarde o pide ayuda a tu supervisor."
)


def _keys(username: str, ip: str | None) -> list[tuple[str, int]]:
    keys = [(f"staff-login:user:{username.strip().lower()}", settings.STAFF_LOGIN_MAX_FAILURES)]
    if ip:
        keys.append((f"staff-login:ip:{ip}", settings.STAFF_LOGIN_MAX_FAILURES_PER_IP))
    return keys


def login_locked(*, username: str, ip: str | None) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(username, ip))


def login_failure_record(*, username: str, ip: str | None) -> None:
    # Each failure restarts the window, so the lock lasts STAFF_LOGIN_LOCK_MINUTES after the last one.
    for key, _limit in _keys(username, ip):
        cache.set(key, (cache.get(key) or 0) + 1, timeout=settings.STAFF_LOGIN_LOCK_MINUTES * 60)


def login_failures_clear(*, username: str) -> None:
    cache.delete(_keys(username, None)[0][0])


class ThrottledLoginMixin:
    """Refuse to even check credentials while the username or the IP is locked."""

    def clean(self):
        username = self.data.get("username", "")
        ip = client_ip(self.request) if self.request is not None else None
        if login_locked(username=username, ip=ip):
            raise ValidationError(LOCKED_MESSAGE.format(minutes=settings.STAFF_LOGIN_LOCK_MINUTES), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            # The first step of the form (asking for the code) is not a failed guess.
            if getattr(exc, "code", None) != "token_required":
                login_failure_record(username=username, ip=ip)
            raise
        login_failures_clear(username=username)
        return cleaned


class StaffLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class StaffOTPLoginForm(ThrottledLoginMixin, OTPAdminAuthenticationForm):
    otp_error_messages = dict(
        OTPAdminAuthenticationForm.otp_error_messages,
        token_required="Escribe el código de 6 dígitos de tu app autenticadora.",
        invalid_token="El código no es válido o ya se usó. Revisa la hora de tu teléfono y usa el código actual.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = "Código de verificación"
        self.fields["otp_token"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric", maxlength="6")


class ProAltoAdminSite(OTPAdminSite):
    site_header = "ProAlto · Back office"
    site_title = "ProAlto back office"
    index_title = "Atención a clientes"
    login_template = "admin/proalto_login.html"

    # OTPAdminSite would name itself "otpadmin"; as the default site it answers to "admin:...".
    def __init__(self, name: str = "admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return StaffOTPLoginForm if settings.STAFF_OTP_REQUIRED else StaffLoginForm

    def has_permission(self, request):
        if settings.STAFF_OTP_REQUIRED:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def each_context(self, request):
        context = super().each_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_active and user.is_staff and user.has_perm("escalations.view_ticket"):
            context["tickets_waiting"] = tickets_waiting_count()
        return context
