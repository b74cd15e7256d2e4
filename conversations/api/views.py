"""The /api/v1/ endpoints: thin entry points that parse, call one service and shape the
answer (access.ApiView does the key, the scope, the rate and the audit)."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from credits.selectors import PortfolioUnavailable
from credits.services import PortfolioEventError
from documents.downloads import download_response
from documents.selectors import document_for_download
from proalto.http import client_ip
from proalto.masking import mask_cedula

from . import serializers as s
from .access import ApiView
from .events import CORE_DOWN, CORE_DOWN_TEXT, RESULT_WORDS, core_retry_after, event_receive
from .leads import leads_list
from .links import document_from_token
from .lookup import lookup_answer
from .models import ApiCall, Scope

ERRORS = {
    400: OpenApiResponse(description="Datos inválidos: un mensaje por campo, en español."),
    401: OpenApiResponse(description="Falta la clave (Authorization: Api-Key <clave>) o no es válida."),
    403: OpenApiResponse(description="La clave no tiene el permiso (scope) de este servicio."),
    429: OpenApiResponse(
        description="Límite de solicitudes del cliente; el encabezado Retry-After dice cuándo volver."
    ),
}


class LookupView(ApiView):
    scope = Scope.LOOKUP

    @extend_schema(
        summary="Consulta de un cliente (ManyChat External Request)",
        description=(
            "Valida la identidad como el bot (cédula, fecha de expedición y celular registrado; los mismos "
            "contadores y bloqueos) y responde saldo, estado de solicitud o paz y salvo. Todo fallo de "
            "identidad responde el mismo cuerpo 200 con `error: validacion_fallida`; un bloqueo, `bloqueado`. "
            "`texto` es la respuesta del bot, lista para mostrar."
        ),
        request=s.LookupRequest,
        responses={200: s.LookupAnswer, **ERRORS},
        examples=[
            OpenApiExample(
                "Saldo",
                request_only=True,
                value={
                    "cedula": "1020304050",
                    "fecha_expedicion": "1979-05-10",
                    "whatsapp": "573001234567",
                    "consulta": "saldo",
                },
            )
        ],
    )
    def post(self, request):
        form = s.LookupRequest(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        answer = lookup_answer(
            cedula=data["cedula"],
            issued=data["fecha_expedicion"],
            phone=data["whatsapp"],
            consulta=data["consulta"],
            now=timezone.now(),
        )
        self.audit_summary, self.audit_outcome = answer.summary, answer.outcome
        return Response(answer.body)


class EventsView(ApiView):
    scope = Scope.EVENTS

    @extend_schema(
        summary="Un cambio en los sistemas de ProAlto",
        description=(
            "Tipos: `solicitud.etapa`, `credito.pago`, `credito.estado`, `cliente.contacto`. 202 cuando se "
            "acepta; el mismo `id` otra vez responde 200 y no cambia nada. Un evento más antiguo que lo ya "
            "aplicado se ignora. Un cambio de etapa avisa a los suscritos por WhatsApp. Una solicitud que el "
            "bot no tiene, de un cliente que sí tiene, se crea. 400 solo para cuerpos mal formados."
        ),
        request=s.EventRequest,
        responses={
            202: s.EventAnswer,
            200: OpenApiResponse(s.EventAnswer, description="Id ya recibido: no cambia nada."),
            **ERRORS,
            422: OpenApiResponse(
                s.EventRefusal,
                description=(
                    "Bien formado, pero el bot aún no tiene el cliente o el crédito (`cliente_desconocido`, "
                    "`credito_desconocido`), o la solicitud es de otro cliente (`de_otro_cliente`). No se "
                    "registra nada: envíe el mismo evento después de la próxima sincronización."
                ),
            ),
            503: OpenApiResponse(
                s.EventRefusal,
                description=(
                    "Con el sistema central como fuente: no respondió (`nucleo_no_disponible`). No se registra "
                    "nada; reintente después de Retry-After."
                ),
            ),
        },
        examples=[
            OpenApiExample(
                "Etapa de una solicitud",
                request_only=True,
                value={
                    "id": "evt-000123",
                    "tipo": "solicitud.etapa",
                    "ocurrido": "2026-11-30T10:00:00-05:00",
                    "datos": {"numero": "SOL-2026-0042", "cedula": "1020304050", "etapa": "aprobacion"},
                },
            )
        ],
    )
    def post(self, request):
        form = s.EventRequest(data=request.data)
        form.is_valid(raise_exception=True)
        event = form.validated_data
        self.audit_summary = f"evento {event['id'][:60]} {event['tipo']}"
        if "cedula" in event["datos"]:
            self.audit_summary += f", cédula {mask_cedula(event['datos']['cedula'])}"
        try:
            received = event_receive(
                event_id=event["id"],
                kind=event["tipo"],
                occurred_at=event["ocurrido"],
                data=event["datos"],
                client=request.auth,
            )
        except PortfolioEventError as exc:  # well formed, but ahead of the bot's data: send it again later
            self.audit_outcome = exc.code
            body = {"ok": False, "error": exc.code, "texto": exc.message}
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        except PortfolioUnavailable:
            self.audit_outcome = CORE_DOWN
            body = {"ok": False, "error": CORE_DOWN, "texto": CORE_DOWN_TEXT}
            return Response(
                body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": core_retry_after()}
            )
        result = RESULT_WORDS.get(received.outcome, received.outcome)
        self.audit_outcome = "repetido" if received.repeated else result
        body = {"ok": True, "id": event["id"], "repetido": received.repeated, "resultado": result}
        return Response(body, status=status.HTTP_200_OK if received.repeated else status.HTTP_202_ACCEPTED)


class LeadsPagination(PageNumberPagination):
    page_size = 50
    page_query_param = "pagina"
    page_size_query_param = "tamano"
    max_page_size = 200


class LeadsView(ApiView):
    scope = Scope.LEADS

    @extend_schema(
        summary="Solicitudes de crédito nuevo y de renovación, para el CRM",
        description=(
            "Desde `desde`, las más antiguas primero, paginadas (`pagina`, `tamano`); los documentos con "
            "enlaces firmados que vencen en API_LINK_EXPIRY_SECONDS."
        ),
        parameters=[s.LeadsQuery],
        responses={200: s.Lead(many=True), **ERRORS},
    )
    def get(self, request):
        form = s.LeadsQuery(data=request.query_params)
        form.is_valid(raise_exception=True)
        leads = leads_list(since=form.validated_data["desde"])
        paginator = LeadsPagination()
        page = paginator.paginate_queryset(leads, request, view=self)
        self.audit_summary = f"{len(page)} solicitudes desde {form.validated_data['desde'].isoformat()}"
        return paginator.get_paginated_response(page)


def document_download(request, token: str):
    """A document through a signed link from the API (the link is the credential)."""
    document_id = document_from_token(token)
    document = document_for_download(document_id=document_id) if document_id else None
    ApiCall.objects.create(
        method=request.method,
        endpoint="/api/v1/documentos/",
        status=200 if document else 404,
        outcome="ok" if document else "enlace_invalido",
        summary=f"documento {document_id}" if document_id else "",
        ip=client_ip(request),
    )
    if document is None or not document.file:
        return JsonResponse({"detail": "El enlace no es válido o ya venció."}, status=404)
    return download_response(document)
