"""The API in the back office (Spanish): client keys, which a Supervisor creates (the key is
shown once), revokes or lets expire; the calls' audit, the events received and the CRM
deliveries, read-only."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from proalto.admin import ReadOnlyAdminMixin
from proalto.colombia import BOGOTA, format_date_long, format_time

from .access import rate_valid
from .models import ApiCall, ApiEvent, ClientKey, LeadDelivery, Scope

# The library's own key model is not used (ClientKey is ours, with scopes): no page for it.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class ClientKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="Permisos", choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = ClientKey
        fields = ["name", "scopes", "rate", "expiry_date", "revoked"]
        labels = {"name": "Nombre", "expiry_date": "Vence", "revoked": "Revocada"}
        help_texts = {
            "name": "El sistema cliente (ManyChat, núcleo de ProAlto, CRM…).",
            "expiry_date": "Después de esta fecha la clave deja de funcionar.",
            "revoked": "Una clave revocada deja de funcionar y no se puede reactivar.",
        }

    def clean_rate(self):
        rate = self.cleaned_data.get("rate", "").strip()
        if rate and not rate_valid(rate):
            raise forms.ValidationError("Use un límite como 120/min, 10/s, 1000/h o 10000/d.")
        return rate


@admin.register(ClientKey)
class ClientKeyAdmin(admin.ModelAdmin):
    form = ClientKeyForm
    list_display = ("name", "prefix", "scopes_list", "created", "expiry_date", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix")

    @admin.display(description="Permisos")
    def scopes_list(self, obj):
        return ", ".join(obj.scopes or [])

    def get_readonly_fields(self, request, obj=None):
        fields = ("prefix", "created")
        if obj is not None and obj.revoked:
            fields += ("name", "scopes", "rate", "expiry_date", "revoked")
        return fields

    def get_fields(self, request, obj=None):
        fields = ["name", "scopes", "rate", "expiry_date", "revoked"]
        return fields if obj is None else ["prefix", "created", *fields]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        key = ClientKey.objects.assign_key(obj)
        obj.save()
        messages.warning(
            request,
            f"La clave de «{obj.name}» es: {key} — Guárdela ahora en un lugar seguro: no se volverá a mostrar.",
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit keeps pointing to the key


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ("at", "client_name", "method", "endpoint", "status", "outcome", "summary")
    list_filter = ("status", "outcome", "endpoint")
    search_fields = ("client_name", "outcome")
    date_hierarchy = "at"


@admin.register(ApiEvent)
class ApiEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "kind", "occurred_at", "outcome", "client", "received_at")
    list_filter = ("kind", "outcome")
    search_fields = ("event_id",)
    exclude = ("data",)  # the cédula and phone the event carried stay out of the screens


@admin.register(LeadDelivery)
class LeadDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("lead", "status", "attempts", "last_error", "next_attempt", "created", "delivered")
    list_filter = ("status",)

    @admin.display(description="Próximo intento", ordering="next_attempt_at")
    def next_attempt(self, obj):
        return _compact(obj.next_attempt_at)

    @admin.display(description="Creado", ordering="created_at")
    def created(self, obj):
        return _compact(obj.created_at)

    @admin.display(description="Entregado", ordering="delivered_at")
    def delivered(self, obj):
        return _compact(obj.delivered_at)


def _compact(moment) -> str:
    """A moment as the wide list has room for: "hoy, 8:22 a. m." or "1 de diciembre de 2026, 8:22 a. m."."""
    if moment is None:
        return "-"
    local = moment.astimezone(BOGOTA)
    day = "hoy" if local.date() == timezone.now().astimezone(BOGOTA).date() else format_date_long(local.date())
    return f"{day}, {format_time(local)}"
