"""What a flow decides to change outside the conversation, as data.

Flows stay pure: a step reads through selectors and adds replies and effects to its Turn,
in the order the customer should see them; the inbox worker applies the effects
(``conversations.bot.appliers``) under the customer's lock, and an effect that needs slow
work (rendering a PDF, storing it) leaves a placeholder in the outbox that is prepared
after the lock is released. An effect whose result the customer is told about (a radicado,
a certificate) names the copy template the result is said with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class Effect:
    """Base of every effect (a marker: the appliers are registered by type)."""


@dataclass(frozen=True)
class ConsentRecord(Effect):
    """The customer answered the data-processing authorisation (accepted or declined)."""

    policy_id: int
    text_shown: str
    answer: str
    answered_at: datetime | None


@dataclass(frozen=True)
class ConsentRevoke(Effect):
    """The customer revoked the authorisation; said with ``reply`` (context: request, due_date)."""

    text_shown: str
    answered_at: datetime
    customer_id: int | None
    reply: str = "privacy/revoked.txt"


@dataclass(frozen=True)
class RightsRequestOpen(Effect):
    """A Habeas Data request (conocer, actualizar, rectificar, suprimir) is filed."""

    kind: str
    detail: str
    customer_id: int | None
    reply: str = "privacy/received.txt"


@dataclass(frozen=True)
class RightsRequestComplete(Effect):
    """A reclamo waiting for information gets it from the holder."""

    request_id: int
    detail: str
    reply: str = "privacy/completed.txt"


@dataclass(frozen=True)
class ApplicationSubscribe(Effect):
    """Tell this chat when the application (by number: the core's, or a lead's) changes
    stage. ``customer_id`` None: the chat's own lead, followed without a validated identity."""

    number: str
    customer_id: int | None = None


@dataclass(frozen=True)
class ApplicationLeadCreate(Effect):
    """A completed "Nuevo crédito": an application in recepción for the prospect, with what
    they told and the documents they sent (ids), followed from this chat."""

    number: str
    cedula: str
    full_name: str
    details: dict


@dataclass(frozen=True)
class CodeSend(Effect):
    """A one-time code, as the approved authentication template, to the customer's registered phone."""

    customer_id: int
    code: str


@dataclass(frozen=True)
class PhoneRequest(Effect):
    """Ask a customer who writes without a visible number to share it, with Meta's
    REQUEST_CONTACT_INFO button (an approved template): the shared number proves the held factor."""


@dataclass(frozen=True)
class CertificateIssue(Effect):
    """The paz y salvo certificate for the customer's cancelled credits, sent as a document
    captioned with ``caption`` (context: code, url). Rendered after the lock."""

    customer_id: int
    caption: str = "paz_y_salvo/certificate.txt"


@dataclass(frozen=True)
class SurveyRate(Effect):
    survey_id: int
    rating: int


@dataclass(frozen=True)
class SurveyComment(Effect):
    survey_id: int
    comment: str


@dataclass(frozen=True)
class TicketRelease(Effect):
    """The customer chose to go back to the bot: the ticket an advisor held is closed quietly."""
