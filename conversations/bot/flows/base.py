"""What a conversational flow is, and the Turn a flow's steps work with.

A flow is a class registered with ``@register``: its steps are methods. For a step
``ask_cedula``:

- ``enter_ask_cedula(turn)`` (optional) runs when the flow arrives at the step: it says
  what the step asks;
- ``on_ask_cedula(turn)`` runs with the user's answer: it validates it, says something,
  and moves on with ``turn.goto(...)``, ``turn.end()``, ``turn.call(...)`` or
  ``turn.escalate(...)``; staying on the same step (no transition) re-asks nothing.

Steps are pure: they read through selectors and never write or send anything
themselves. They add replies and effects (``conversations.bot.effects``) to the Turn, in
the order the customer should see them; the inbox worker applies the effects, stores the
replies and sends them after the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from conversations.bot.effects import Effect
from conversations.messaging.replies import Reply, render

MAIN_MENU = "menu/main.txt"  # its rows name the services


@dataclass
class Media:
    """A file the user sent, already downloaded, checked and stored by the engine."""

    document_id: int | None
    mime_type: str
    filename: str
    # Why it was refused, when it was: "type", "size" or "download".
    rejected: str = ""


@dataclass
class Incoming:
    message_id: int
    wa_message_id: str
    type: str
    text: str = ""
    choice: str = ""
    media: Media | None = None
    sent_at: datetime | None = None
    # Set by the engine when the text was read for an intent.
    intent: str | None = None
    # The phone Meta put in this webhook as the sender ("" when the user writes with a
    # username only), and a phone shared through Meta's contact request: both vouched for by
    # Meta, unlike a number the customer types.
    sender_phone: str = ""
    shared_phone: str = ""

    @property
    def is_unsupported(self) -> bool:
        if self.type == "contacts":
            return not self.shared_phone  # a contact card forwarded; a number shared on request is read
        return self.type not in ("text", "interactive", "button", "image", "document", "system")


@dataclass
class Escalation:
    reason: str
    priority: int | None = None
    details: dict = field(default_factory=dict)


class Turn:
    """One message's worth of work for a flow: what to say and where to go next."""

    def __init__(self, *, session, contact, incoming: Incoming | None, now: datetime, data: dict):
        self.session = session
        self.contact = contact
        self.incoming = incoming
        self.now = now
        self.data = data
        # What to say and what to change, in order: Reply and Effect items.
        self.replies: list[Reply | Effect] = []
        self.next: tuple[str, str] | None = None  # (flow, step) to enter
        self.ended = False
        self.escalation: Escalation | None = None
        self.understood = True
        self.returning = False
        self.forwarding = False  # the next step reads this same message (see forward)
        self.offer_more = True
        self.resolved = True

    # --- saying -------------------------------------------------------------------
    def say(self, template: str, **context) -> None:
        self.replies.append(Reply(template=template, context=context))

    def send_document(self, document_id: int, caption_template: str | None = None, **context) -> None:
        self.replies.append(Reply(template=caption_template, context=context, document_id=document_id))

    def effect(self, effect: Effect) -> None:
        """Ask the worker to change something outside the conversation, at this point of the answer."""
        self.replies.append(effect)

    def options(self, template: str, **context) -> list[tuple[str, str]]:
        """The (id, title) options a template offers, to match a typed answer against."""
        return render(template, context).options

    def service_title(self, flow_name: str | None) -> str:
        """A flow as the main menu names it ("Renovación"), or "lo anterior"."""
        return dict(self.options(MAIN_MENU, name="")).get(flow_name or "", "lo anterior")

    # --- moving -------------------------------------------------------------------
    def goto(self, step: str, flow: str | None = None) -> None:
        self.next = (flow or self.session.flow, step)

    def start(self, flow: str) -> None:
        self.data.clear()
        self.next = (flow, "start")

    def forward(self, flow: str, step: str = "start") -> None:
        """Hand this same message to another flow (a router): its step reads it too."""
        self.data.clear()
        self.next = (flow, step)
        self.forwarding = True

    def call(self, flow: str, *, return_step: str, return_flow: str | None = None) -> None:
        """Run another flow (e.g. identity validation); it comes back to return_step (of
        return_flow, by default this one)."""
        self.data["_return"] = [return_flow or self.session.flow, return_step]
        self.next = (flow, "start")

    def goto_validated(self, step: str, flow: str | None = None) -> None:
        """Go to ``step`` (of ``flow``, by default this one) with a validated customer: at
        once if the identity is already validated, otherwise through identity validation,
        which comes back to ``step`` in the same turn on success and ends the flow itself
        on failure."""
        if self.customer is None:
            self.call("identidad", return_step=step, return_flow=flow)
        else:
            self.goto(step, flow=flow)

    def finish_call(self) -> None:
        flow, step = self.data.pop("_return", [None, None])
        if flow is None:
            self.end()
            return
        self.returning = True
        self.next = (flow, step)

    def end(self, *, offer_more: bool = True, resolved: bool = True) -> None:
        """The flow is done: forget what it collected and (by default) offer more help.

        ``resolved`` says whether the user's request was answered by the bot (metrics).
        """
        self.ended = True
        self.offer_more = offer_more
        self.resolved = resolved

    def escalate(self, reason: str, *, priority: int | None = None, **details) -> None:
        self.escalation = Escalation(reason=reason, priority=priority, details=details)

    def not_understood(self) -> None:
        self.understood = False

    # --- customer -----------------------------------------------------------------
    @property
    def customer(self):
        """The validated customer, or None: every financial query is scoped to it."""
        session = self.session
        if session.validated_customer_id and session.validated_until and session.validated_until > self.now:
            return session.validated_customer
        return None


class Flow:
    name: str = ""
    # Intents (from conversations.bot.intents) that start this flow from the menu or free text.
    intents: tuple[str, ...] = ()
    # Whether the engine may start it with no accepted data-processing consent.
    needs_consent: bool = True
    # Tapped ids starting with this prefix reach the flow's ``on_choice`` step even when the
    # chat is elsewhere (e.g. a survey question answered later); empty: none.
    choice_prefix: str = ""
    # Steps whose answer is an identity secret (step -> "cedula", "issue_date" or "code"): the
    # worker stores the message masked, so no staff screen, transcript or export holds it.
    answer_steps: dict[str, str] = {}
    # Steps that take any text as their answer (a name, a city): the engine looks for fraud,
    # a complaint or a person asked for before the step stores the text.
    open_text_steps: tuple[str, ...] = ()
    # Each step that awaits an answer (an ``on_<step>`` method), as staff read it in Spanish
    # (the not-understood messages list); tests/bot/test_step_titles.py keeps it complete.
    step_titles: dict[str, str] = {}

    def enter_start(self, turn: Turn) -> None:  # pragma: no cover - every flow overrides
        raise NotImplementedError
