"""POST /api/v1/events/: changes ProAlto's systems push, applied once each.

An event is kept by its id: a repeated id changes nothing and is answered 200 with what
the first delivery did. Applied through credits.services.portfolio_event_apply, the same
writes as an import or a sync (so a stage change notifies subscribers at once); with the
core as source, judged against the core and refreshing the local copy from it. An event
older than the latest one applied to the same subject (an application, a credit, a
customer's contact) is recorded and ignored: data never move backwards. An event about a
customer or credit the bot does not have yet, or a core that cannot answer, is not
recorded: the same id may be sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from credits.services import EVENT_STALE, portfolio_event_apply

from .models import ApiEvent

# A core that cannot answer (PortfolioUnavailable): 503, nothing recorded, retry after a breaker's pause.
CORE_DOWN = "nucleo_no_disponible"
CORE_DOWN_TEXT = (
    "El sistema central de ProAlto no respondió; no se registró el evento. Envíelo de nuevo en unos segundos."
)


def core_retry_after() -> str:
    """Seconds to Retry-After: the breaker's pause, when the core is asked again."""
    return str(settings.CORE_BREAKER_SECONDS)


RESULT_WORDS = {
    ApiEvent.Outcome.APPLIED: "aplicado",
    ApiEvent.Outcome.UNCHANGED: "sin_cambios",
    ApiEvent.Outcome.STALE: "ignorado_por_antiguo",
    ApiEvent.Outcome.AWAITING_CORE: "en_espera_del_nucleo",
}


@dataclass
class Received:
    repeated: bool
    outcome: str


def event_subject(kind: str, data: dict) -> str:
    if kind == "solicitud.etapa":
        return f"solicitud:{data['numero']}"
    if kind in ("credito.pago", "credito.estado"):
        return f"credito:{data['numero']}:{kind}"
    return f"cliente:{data['cedula']}:contacto"


def event_receive(*, event_id: str, kind: str, occurred_at: datetime, data: dict, client) -> Received:
    """Apply a new event or recognise a repeated one. Raises PortfolioEventError when the
    event names what the bot does not have, PortfolioUnavailable when the core cannot
    answer (nothing written either way)."""
    known = ApiEvent.objects.filter(event_id=event_id).values_list("outcome", flat=True).first()
    if known is not None:
        return Received(repeated=True, outcome=known)
    subject = event_subject(kind, data)
    try:
        with transaction.atomic():
            newer = (
                ApiEvent.objects.select_for_update()
                .filter(subject=subject, occurred_at__gt=occurred_at)
                .exclude(outcome=ApiEvent.Outcome.STALE)
                .exists()
            )
            outcome = EVENT_STALE if newer else portfolio_event_apply(kind=kind, data=data, occurred_at=occurred_at)
            ApiEvent.objects.create(
                event_id=event_id,
                kind=kind,
                occurred_at=occurred_at,
                subject=subject,
                data=_stored(data),
                outcome=outcome,
                client=client,
            )
    except IntegrityError:  # the same id delivered twice at once: the other one stands
        known = ApiEvent.objects.filter(event_id=event_id).values_list("outcome", flat=True).first()
        return Received(repeated=True, outcome=known or ApiEvent.Outcome.UNCHANGED)
    return Received(repeated=False, outcome=outcome)


def _stored(data: dict) -> dict:
    return {key: str(value) if value is not None else None for key, value in data.items()}
