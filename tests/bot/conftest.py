"""Turn-level harness for the bot: a contact and its session, one message through
``engine.handle`` at a fixed moment, and readers for what came out.

The engine runs here as the inbox worker runs it, without the worker: no lock, no appliers,
no outbox. Every call checks that the engine wrote nothing to the database; afterwards the
harness saves the session, as the worker does, so the next message starts from what is stored.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.services import consent_record
from conversations.bot import effects, engine
from conversations.bot.flows import Incoming, Media
from conversations.messaging.models import Contact, ConversationSession
from conversations.messaging.replies import Reply, render
from credits.models import Customer
from proalto.colombia import BOGOTA

# A Thursday morning in Bogotá, after the demo portfolio's last application update.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=BOGOTA)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass(frozen=True)
class Demo:
    """A customer of the demo portfolio (credits/fixtures/README.md)."""

    wa_id: str
    cedula: str
    issued: date
    name: str

    @property
    def issued_typed(self) -> str:
        return self.issued.strftime("%d/%m/%Y")

    def customer(self) -> Customer:
        return Customer.objects.get(cedula=self.cedula)


# Where a flow that ended with "¿Hay algo más en lo que pueda ayudarte?" leaves the chat.
ASKED_ANYTHING_ELSE = ("menu", "more")
ANA = Demo("573001234567", "1020304050", date(1979, 5, 10), "Ana Lucía")  # one active credit, application in estudio
CARLOS = Demo("573009876543", "79456123", date(1973, 9, 20), "Carlos Alberto")  # everything paid
LUZ = Demo("573101112233", "43567890", date(1982, 1, 15), "Luz Marina")  # two active credits
JORGE = Demo("573152223344", "16789012", date(1976, 3, 5), "Jorge Eliécer")  # credit in arrears
DIANA = Demo("573204445566", "1032456789", date(2003, 7, 1), "Diana Patricia")  # no credits, application in aprobacion
ANDRES = Demo("573116667788", "1098765432", date(2008, 10, 20), "Andrés Felipe")  # no credits, no applications
GLORIA = Demo("573007778899", "51876543", date(1978, 2, 10), "Gloria Inés")  # eligible for renewal
HECTOR = Demo("573158889900", "94321567", date(1986, 8, 19), "Héctor Fabio")  # 3/72 paid: not eligible
STRANGER = "573005550000"  # a valid Colombian mobile nobody in the portfolio has


@dataclass
class Said:
    """What the engine decided for one message, and where the session ended up."""

    outcome: engine.Outcome
    session: ConversationSession  # as the worker stored it after this message

    @property
    def replies(self) -> list[Reply]:
        return [item for item in self.outcome.replies if isinstance(item, Reply)]

    @property
    def templates(self) -> list[str]:
        return [reply.template for reply in self.replies]

    @property
    def effects(self) -> list[effects.Effect]:
        return [item for item in self.outcome.replies if isinstance(item, effects.Effect)]

    def effects_of(self, kind: type) -> list:
        return [item for item in self.effects if isinstance(item, kind)]

    @property
    def sequence(self) -> list:
        """Replies (by template) and effects (as themselves), in the order the customer gets them."""
        return [item.template if isinstance(item, Reply) else item for item in self.outcome.replies]

    def context(self, template: str) -> dict:
        """The context of the one reply said with ``template``."""
        found = [reply.context for reply in self.replies if reply.template == template]
        assert len(found) == 1, f"{template} said {len(found)} times in {self.templates}"
        return found[0]

    @property
    def text(self) -> str:
        """The replies as the customer reads them (rendering also proves each template renders)."""
        return "\n".join(render(reply.template, reply.context).preview for reply in self.replies if reply.template)

    @property
    def options(self) -> dict[str, str]:
        """Every option (id → title) the replies offer."""
        return {
            option_id: title
            for reply in self.replies
            if reply.template
            for option_id, title in render(reply.template, reply.context).options
        }

    @property
    def at(self) -> tuple[str, str]:
        return self.session.flow, self.session.step

    @property
    def data(self) -> dict:
        return self.session.data

    @property
    def escalation(self):
        return self.outcome.escalation

    @property
    def resolved_flow(self) -> str | None:
        return self.outcome.resolved_flow


def database_writes(queries: list[dict]) -> list[str]:
    """The statements among ``queries`` (as CaptureQueriesContext records them) that change data."""
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]


class Chat:
    """One WhatsApp user talking to the engine, one message at a time, at ``now``."""

    _ids = itertools.count(1)

    def __init__(self, contact: Contact, session: ConversationSession, now: datetime):
        self.contact = contact
        self.session = session
        self.now = now
        self.offered: dict[str, str] = {}

    # --- the user's side --------------------------------------------------------------------
    def says(self, text: str, **kwargs) -> Said:
        return self.send(Incoming(**self._ids_now(), type="text", text=text), **kwargs)

    def taps(self, choice: str, **kwargs) -> Said:
        """A tapped reply button or list row; its title is the one offered, if it was."""
        return self.send(
            Incoming(**self._ids_now(), type="interactive", choice=choice, text=self.offered.get(choice, "")), **kwargs
        )

    def answers(self, answer: str, **kwargs) -> Said:
        """A typed answer, or a tap written as its id in brackets: ``"[notify_yes]"``."""
        if answer.startswith("[") and answer.endswith("]"):
            return self.taps(answer[1:-1], **kwargs)
        return self.says(answer, **kwargs)

    def sends_file(
        self,
        document_id: int | None = 101,
        *,
        mime_type: str = "application/pdf",
        filename: str = "desprendible.pdf",
        rejected: str = "",
        kind: str = "document",
        **kwargs,
    ) -> Said:
        media = Media(
            document_id=None if rejected else document_id, mime_type=mime_type, filename=filename, rejected=rejected
        )
        return self.send(Incoming(**self._ids_now(), type=kind, media=media), **kwargs)

    def sends(self, kind: str, *, advisor_holds_chat: bool = False, **fields) -> Said:
        """Any other message type (a sticker, a voice note, a file that was not prepared)."""
        return self.send(Incoming(**self._ids_now(), type=kind, **fields), advisor_holds_chat=advisor_holds_chat)

    def send(self, incoming: Incoming, *, advisor_holds_chat: bool = False) -> Said:
        with CaptureQueriesContext(connection) as captured:
            outcome = engine.handle(
                session=self.session,
                contact=self.contact,
                incoming=incoming,
                now=self.now,
                advisor_holds_chat=advisor_holds_chat,
            )
        writes = database_writes(captured.captured_queries)
        assert not writes, f"the engine wrote to the database: {writes}"
        # The worker's part: the session is touched and saved after the engine decided; the
        # next message starts from the stored row, and the Said keeps a snapshot of it.
        self.session.last_activity = self.now
        self.session.save()
        self.session = self._stored_session()
        said = Said(outcome=outcome, session=self._stored_session())
        self.offered.update(said.options)
        return said

    def _stored_session(self) -> ConversationSession:
        return ConversationSession.objects.select_related("validated_customer").get(pk=self.session.pk)

    def _ids_now(self) -> dict:
        number = next(self._ids)
        return {"message_id": number, "wa_message_id": f"wamid.unit.{number}", "sent_at": self.now}

    # --- setting the scene --------------------------------------------------------------------
    def later(self, **delta) -> Chat:
        self.now += timedelta(**delta)
        return self

    def at(self, flow: str, step: str, **data) -> Chat:
        """Put the session in the middle of a flow, as a previous message left it."""
        self.session.flow, self.session.step, self.session.data = flow, step, data
        self.session.last_activity = self.now
        self.session.save()
        return self

    def validated_as(self, customer: Customer, *, minutes: int = 10) -> Chat:
        self.session.validated_customer = customer
        self.session.validated_until = self.now + timedelta(minutes=minutes)
        self.session.save()
        return self

    def consents(self, policy, answer: str = "accepted") -> Chat:
        consent_record(
            contact=self.contact,
            policy=policy,
            text_shown=f"PTI {policy.version}",
            answer=answer,
            inbound_message_id=None,
            wa_message_id=f"wamid.setup.{uuid.uuid4().hex}",
            answered_at=self.now - timedelta(days=1),
        )
        return self


@pytest.fixture(autouse=True)
def _private_cache(private_cache):
    """Identity-validation counters and locks in a cache of this test's own (tests/conftest.py)."""


@pytest.fixture
def chat(db, policy):
    """Factory: ``chat(ANA.wa_id)`` is a contact who accepted the policy in force, with an empty
    session, at NOW; ``consented=False`` for one who never answered."""

    def make(wa_id: str = ANA.wa_id, name: str = "Ana Lucía", *, consented: bool = True, now: datetime = NOW) -> Chat:
        contact = Contact.objects.create(wa_id=wa_id, profile_name=name)
        session = ConversationSession.objects.create(contact=contact)
        conversation = Chat(contact, session, now)
        if consented:
            conversation.consents(policy)
        return conversation

    return make
