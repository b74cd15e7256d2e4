"""How compliance handles a data-rights request from the admin: resolve it (a written answer
sent on WhatsApp; for an accepted *suprimir*, the erasure of the person's conversational
data) or extend its legal term once.

Mixed into DataRightsRequestAdmin (consent/admin.py), whose get_urls mounts the resolve page.
Entry points only: they call consent/services.py and consent/erasure.py.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from consent.erasure import contact_personal_data_erase
from consent.models import DataRightsRequest
from consent.services import (
    RightsRequestError,
    rights_request_extend,
    rights_request_resolve,
)
from credits.selectors import customer_by_id
from escalations import privacy
from escalations.audit import AuditAction
from escalations.services import audit_record
from proalto.colombia import business_days_between
from proalto.http import client_ip

logger = logging.getLogger(__name__)

# What compliance reads when resolving fails: never a 500, and whether anything happened.
ERASE_FAILED = (
    "No se pudo completar la supresión por un error del sistema. No se borró ningún dato, la solicitud "
    "sigue abierta y no se envió la respuesta al titular. Inténtalo de nuevo y, si vuelve a fallar, "
    "avisa al equipo técnico."
)
RESOLVE_FAILED = (
    "No se pudo resolver la solicitud por un error del sistema. La solicitud sigue abierta y no se envió "
    "la respuesta al titular. Inténtalo de nuevo y, si vuelve a fallar, avisa al equipo técnico."
)
UNKNOWN = (
    "No se pudo resolver la solicitud por un error del sistema y no pudimos confirmar su estado. "
    "Revisa la solicitud antes de intentarlo de nuevo y avisa al equipo técnico."
)
AFTER_COMMIT_FAILED = (
    "{number} quedó resuelta, pero falló un paso posterior (el envío de la respuesta o el borrado de "
    "archivos). Avisa al equipo técnico para que lo revise."
)


class ResolveForm(forms.Form):
    answer = forms.CharField(
        label="Respuesta al titular",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Se envía al cliente por WhatsApp y queda como respuesta oficial de la solicitud.",
    )
    erase = forms.BooleanField(
        label="Se acepta la supresión: borrar sus conversaciones, documentos y datos recogidos por el bot",
        required=False,
        help_text="Se conservan la prueba de la autorización y la información de sus créditos, como exige la ley; "
        "la respuesta al cliente lo explicará.",
    )


def rights_request_person(user, rights_request: DataRightsRequest) -> dict:
    """Who made the request, as this user may see it: the customer's name and cédula (in full
    for roles with escalations.view_full_personal_data, such as Cumplimiento), or the WhatsApp
    name when the person was not validated."""
    customer = customer_by_id(customer_id=rights_request.customer_id)
    if customer is None:
        name = rights_request.contact.profile_name or "Sin nombre"
        return {"name": name, "cedula": "", "full": False, "validated": False}
    cedula, full = privacy.cedula_for(user, customer.cedula)
    return {"name": customer.full_name, "cedula": cedula, "full": full, "validated": True}


def person_label(person: dict) -> str:
    if not person["validated"]:
        return f"{person['name']} (sin validar identidad)"
    return f"{person['name']} · C.C. {person['cedula']}"


def audit_people_seen(request, *, object_id, full: bool) -> None:
    """Looking at who made data-rights requests is a look at personal data: written down."""
    audit_record(
        user=request.user,
        action=AuditAction.VIEW_CUSTOMER,
        object_type="consent.datarightsrequest",
        object_id=object_id,
        fields=["nombre del titular", "cédula completa" if full else "cédula enmascarada"],
        ip=client_ip(request),
    )


def business_days_left_label(rights_request: DataRightsRequest):
    """Business days to the legal deadline, in red once it is today or past; a dash when closed."""
    if not rights_request.is_open:
        return "—"
    left = business_days_between(timezone.localdate(), rights_request.due_date)
    if left < 0:
        return format_html('<strong style="color: #ba2121">Vencida ({} días hábiles)</strong>', -left)
    if left == 0:
        return format_html('<strong style="color: #ba2121">Vence hoy</strong>')
    return left


def _is_resolved(rights_request: DataRightsRequest) -> bool | None:
    """Whether the request is resolved in the database; None if even that cannot be read."""
    try:
        return DataRightsRequest.objects.filter(
            pk=rights_request.pk, status=DataRightsRequest.Status.RESOLVED
        ).exists()
    except Exception:
        logger.exception("could not read data-rights request %s", rights_request.number)
        return None


class RightsRequestHandling:
    """The resolve and extend actions and the resolve page, as methods of the
    DataRightsRequest ModelAdmin (they use its site's context and permission checks)."""

    @admin.action(description="Resolver (escribir la respuesta)", permissions=["change"])
    def resolve(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Selecciona una sola solicitud para resolverla.", messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:consent_datarightsrequest_resolve", args=[queryset.get().pk]))

    @admin.action(description="Prorrogar el término (una sola vez)", permissions=["change"])
    def extend(self, request, queryset):
        for rights_request in queryset:
            try:
                rights_request = rights_request_extend(request=rights_request, by=request.user)
            except RightsRequestError as exc:
                self.message_user(request, f"{rights_request.number}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{rights_request.number}: prorrogada hasta el {rights_request.due_date:%d/%m/%Y}; "
                    "se avisó al titular.",
                    messages.SUCCESS,
                )

    def resolve_view(self, request, pk: int):
        rights_request = get_object_or_404(DataRightsRequest.objects.select_related("contact"), pk=pk)
        if not self.has_change_permission(request, rights_request):
            raise PermissionDenied
        is_erasure = rights_request.kind == DataRightsRequest.Kind.SUPRIMIR
        form = ResolveForm(request.POST or None)
        if not is_erasure:
            del form.fields["erase"]
        if request.method == "POST" and form.is_valid():
            answer = form.cleaned_data["answer"].strip()
            erase = is_erasure and form.cleaned_data.get("erase")
            try:
                with transaction.atomic():
                    if erase:
                        contact_personal_data_erase(contact=rights_request.contact, by=request.user)
                        answer = f"{answer}\n\n{render_to_string('bot/erasure/answer.txt').strip()}"
                    rights_request_resolve(request=rights_request, answer=answer, by=request.user)
            except RightsRequestError as exc:
                form.add_error(None, str(exc))
            except Exception:
                logger.exception("resolving data-rights request %s failed", rights_request.number)
                resolved = _is_resolved(rights_request)
                if resolved:
                    # It committed; what failed ran after the commit (sending, deleting files).
                    self.message_user(
                        request, AFTER_COMMIT_FAILED.format(number=rights_request.number), messages.WARNING
                    )
                    return HttpResponseRedirect(reverse("admin:consent_datarightsrequest_changelist"))
                # The block is one transaction: nothing was erased, recorded or queued.
                form.add_error(None, (ERASE_FAILED if erase else RESOLVE_FAILED) if resolved is False else UNKNOWN)
            else:
                done = " y se suprimieron sus datos conversacionales" if erase else ""
                self.message_user(
                    request,
                    f"{rights_request.number} resuelta{done}; se envió la respuesta al titular.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:consent_datarightsrequest_changelist"))
        person = rights_request_person(request.user, rights_request)
        if request.method == "GET":
            audit_people_seen(request, object_id=rights_request.pk, full=person["full"])
        context = {
            **self.admin_site.each_context(request),
            "person": person,
            "title": f"Resolver {rights_request.number}",
            "opts": self.model._meta,
            "rights_request": rights_request,
            "form": form,
            "is_erasure": is_erasure,
            "business_days_left": business_days_left_label(rights_request),
        }
        return TemplateResponse(request, "admin/consent/datarightsrequest/resolve.html", context)
