"""ProAlto's admin site (the back office): staff need a confirmed TOTP device, failed logins
are throttled (django-axes, escalations/login.py), advisors land on their inbox, and every
page shows the count of tickets waiting (and, to compliance, of data-rights requests needing
attention).

Installed as the default site by escalations.apps.ProAltoAdminConfig (in INSTALLED_APPS in
place of django.contrib.admin), so every `admin.site.register` lands here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from consent.selectors import rights_requests_attention_count
from escalations.login import login_guesses_serialize
from escalations.selectors import tickets_waiting_count
from proalto.http import client_ip


class ThrottledLoginMixin:
    """One guess at a time per username and address, and every failed step is a guess.

    Axes (the first authentication backend) refuses to check the password while the username
    or the address is locked, and counts a wrong password. This form also counts a step that
    fails after the right password (a wrong or missing second-factor code, an account that may
    not use the admin), but not the first step that only asks for the code.
    """

    def clean(self):
        username = self.data.get("username", "")
        error = None
        with transaction.atomic():
            login_guesses_serialize(username=username, ip=client_ip(self.request))
            try:
                cleaned = super().clean()
            except ValidationError as exc:
                error = exc
                if self.user_cache is not None and getattr(exc, "code", None) != "token_required":
                    user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
        # Raised after the commit: the failure just counted must outlive the refusal.
        if error is not None:
            raise error
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
    # The app list beside every page costs 300 px a 1366 px laptop needs for the lists: the
    # index, the breadcrumbs and the header links (Bandeja, Métricas, badges) lead everywhere.
    enable_nav_sidebar = False

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

    def login(self, request, extra_context=None):
        """Advisors land on their inbox after logging in, not on the app index."""
        response = super().login(request, extra_context)
        user = request.user
        index = reverse("admin:index", current_app=self.name)
        asked = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
        if (
            request.method == "POST"
            and isinstance(response, HttpResponseRedirect)
            and asked in (None, "", index)
            and user.is_authenticated
        ):
            if user.has_perm("escalations.take_ticket"):
                return HttpResponseRedirect(reverse("admin:escalations_ticket_inbox", current_app=self.name))
            return HttpResponseRedirect(index)
        return response

    def each_context(self, request):
        context = super().each_context(request)
        user = getattr(request, "user", None)
        staff = user is not None and user.is_active and user.is_staff
        # "Ver el sitio" leads to the inbox (the public site is WhatsApp), or is not shown.
        context["site_url"] = None
        if staff and user.has_perm("escalations.view_ticket"):
            context["tickets_waiting"] = tickets_waiting_count()
            context["site_url"] = reverse("admin:escalations_ticket_inbox", current_app=self.name)
        if staff and user.has_perm("consent.change_datarightsrequest"):
            # Compliance's badge: data-rights requests not started yet or due within 2 business days.
            context["rights_attention"] = rights_requests_attention_count(today=timezone.localdate())
        return context
