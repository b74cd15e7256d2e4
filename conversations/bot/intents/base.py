"""What the recogniser answers: one of INTENTS, with a confidence and the backend that decided."""

from __future__ import annotations

from dataclasses import dataclass

INTENTS: tuple[str, ...] = (
    "saldo",
    "estado_solicitud",
    "paz_y_salvo",
    "renovacion",
    "nuevo_credito",
    "asesor",
    "queja",
    "privacidad",
    "menu",
    "despedida",
    "desconocido",
)


@dataclass(frozen=True)
class IntentResult:
    intent: str  # one of INTENTS
    confidence: float  # 0..1
    backend: str  # "local" or "llm"
