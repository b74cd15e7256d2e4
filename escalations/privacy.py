"""What personal data a staff member sees in full, and where the client IP comes from.

The rule (also in README "Back office"):
- cédula: masked for advisors; full for Supervisor and Cumplimiento
  (permission escalations.view_full_personal_data);
- phone / wa_id and money amounts of a case: full for those roles, and for an advisor only
  on a ticket they hold (they may need to read it to the customer or call back); masked
  everywhere else;
- chats (messages, both directions): an advisor reads only the chats of the tickets they
  hold; roles with escalations.view_all_chats read any;
- what a customer typed: for advisors, anything that looks like a cédula is masked and the
  answers to the identity questions (cédula, issue date, one-time code) are never shown,
  whatever the bot stored (message_text_for);
- documents: an advisor downloads only the documents of a chat whose ticket they hold;
  roles with escalations.view_all_documents download any.
Every view that shows any of these writes an AuditEntry (escalations.services.audit_record).
"""

from __future__ import annotations

import re

from escalations.models import Ticket
from proalto.colombia import MONTHS_ES
from proalto.masking import mask_amount, mask_cedula, mask_phone
from proalto.text import fold

FULL_DATA = "escalations.view_full_personal_data"
ALL_DOCUMENTS = "escalations.view_all_documents"
ALL_CHATS = "escalations.view_all_chats"

# What advisors read instead of an identity answer.
HIDDEN_ISSUE_DATE = "[fecha de expedición]"
HIDDEN_CODE = "[código]"
HIDDEN_DATE = "[fecha]"


def sees_full_data(user) -> bool:
    return user.has_perm(FULL_DATA)


def holds_ticket(user, ticket) -> bool:
    return ticket is not None and ticket.status == Ticket.Status.TAKEN and ticket.assigned_to_id == user.pk


def reads_all_chats(user) -> bool:
    return user.has_perm(ALL_CHATS)


def reads_chat(user, ticket) -> bool:
    """Whether the conversation of this ticket's chat may be shown to this user."""
    return reads_all_chats(user) or holds_ticket(user, ticket)


def contacts_readable(user):
    """The contacts whose messages this user may read: None for all of them."""
    if reads_all_chats(user):
        return None
    return Ticket.objects.filter(status=Ticket.Status.TAKEN, assigned_to=user).values("contact")


def phone_for(user, value: str, *, ticket=None) -> tuple[str, bool]:
    """The phone as this user may see it, and whether it is shown in full."""
    if sees_full_data(user) or holds_ticket(user, ticket):
        return value, True
    return mask_phone(value), False


def cedula_for(user, value: str) -> tuple[str, bool]:
    if sees_full_data(user):
        return value, True
    if "•" in (value or ""):  # already masked where it was stored
        return value, False
    return mask_cedula(value), False


def amount_for(user, value: str, *, ticket=None) -> tuple[str, bool]:
    """A money amount of a case (balance, offer): like the phone, in full on a held ticket."""
    if sees_full_data(user) or holds_ticket(user, ticket):
        return value, True
    return mask_amount(value), False


def can_download(user, document) -> bool:
    if not user.has_perm("documents.view_document"):
        return False
    if user.has_perm(ALL_DOCUMENTS):
        return True
    held = Ticket.objects.filter(status=Ticket.Status.TAKEN, assigned_to=user)
    if document.ticket_id and held.filter(pk=document.ticket_id).exists():
        return True
    return bool(document.contact_id) and held.filter(contact_id=document.contact_id).exists()


# --- What people typed ------------------------------------------------------------------------
#
# The bot stores identity answers masked (conversations/bot), but older rows, bursts typed
# before a question and answers given to the wrong question are not: every staff screen
# passes message text through message_text_for, which works on the text alone.

# Six or more digits in a row, a single space or dot allowed between them ("1.020.304.050",
# "1020 304 050"), not inside a word ("cedula_1020304050.pdf" is masked, "abc123456" is not).
_DIGIT_RUN = re.compile(r"(?<![^\W_])\d(?:[ .]?\d)*(?![^\W_])")
# Not cédulas: amounts ("$ 17.400.000") and ProAlto's own numbers ("LIB-000123", "SOL-2026-0042").
_NOT_A_CEDULA_BEFORE = re.compile(r"(?:\$\s*|\b[A-Z]{3}-(?:\d+-)?)$")
_CEDULA_MIN_DIGITS = 6
# Within the cédula question a shorter number is an answer too (parse_cedula reads 5 digits).
_ANSWER_MIN_DIGITS = 5

_MONTH = "|".join(
    [*MONTHS_ES, *(name[:3] for name in MONTHS_ES), "setiembre", "sept", "set"],
)
_DATE = re.compile(
    rf"""\b(?:
        \d{{1,2}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{2,4}}          # 10/05/1979, 10-05-79
      | \d{{4}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}            # 1979-05-10
      | \d{{1,2}}\s*(?:de\s+)?(?:{_MONTH})\.?\s*(?:de(?:l)?\s+)?\d{{2,4}}  # 10 de mayo de 1979
      | (?:{_MONTH})\.?\s+\d{{1,2}}\s*(?:de(?:l)?\s+)?\d{{2,4}}    # mayo 10 de 1979
    )\b""",
    re.VERBOSE,
)
_MONTH_WORD = re.compile(rf"\b(?:{_MONTH})\b")
# A date right after these words is a birth or issue date, whatever the question was.
_IDENTITY_DATE_CUE = re.compile(r"(?:exped|naci)\w*\W+(?:\w+\W+){0,3}$")

# The bot's questions whose answer is an identity secret, recognised by their copy
# (templates/bot/identity/*, templates/bot/nuevo_credito/ask_cedula.txt, invalid_cedula.txt),
# folded and without WhatsApp's *bold* marks. tests/escalations check every template.
IDENTITY_QUESTIONS = {
    "issue_date": ("fecha de expedicion", "entender esa fecha"),
    "code": ("te envie un codigo", "el codigo tiene", "ese codigo"),
    "cedula": (
        "escribeme tu numero de cedula",
        "leer ese numero de cedula",
        "cual es tu numero de cedula",
        "no parece una cedula",
    ),
}


def identity_question(bot_text: str) -> str | None:
    """Which identity answer the bot asked for in this text ("cedula", "issue_date", "code")."""
    plain = fold((bot_text or "").replace("*", ""))
    for question, cues in IDENTITY_QUESTIONS.items():
        if any(cue in plain for cue in cues):
            return question
    return None


def _mask_numbers(text: str, *, min_digits: int) -> str:
    def replace(match: re.Match) -> str:
        run = match.group(0)
        if sum(ch.isdigit() for ch in run) < min_digits or _NOT_A_CEDULA_BEFORE.search(text[: match.start()]):
            return run
        return mask_cedula(run)

    return _DIGIT_RUN.sub(replace, text)


def _hide_identity_dates(text: str) -> str:
    """A message that is only a date, or a date said to be a birth or issue date, is hidden."""
    plain = fold(text)
    if len(plain) == len(text):  # positions agree (no accents decomposed into two characters)
        for match in reversed(list(_DATE.finditer(plain))):
            alone = not (plain[: match.start()] + plain[match.end() :]).strip(" .,;:!?¡¿")
            if alone or _IDENTITY_DATE_CUE.search(plain[: match.start()]):
                text = text[: match.start()] + HIDDEN_DATE + text[match.end() :]
        return text
    return HIDDEN_DATE if _DATE.fullmatch(plain.strip(" .,;:!?¡¿")) else text


def message_text_for(user, text: str, *, from_customer: bool, question: str | None = None) -> str:
    """A message's text as this user may read it.

    ``question`` is identity_question() of what the bot last asked the customer: the answer
    to the issue-date or code question is replaced by a label, the answer to the cédula
    question masked like the side panel's cédula. Anything else that looks like a cédula is
    masked, in both directions (the bot repeats the cédula in summaries).
    """
    if not text or sees_full_data(user):
        return text
    if from_customer:
        plain = fold(text)
        if question == "issue_date" and (re.search(r"\d", text) or _MONTH_WORD.search(plain)):
            return HIDDEN_ISSUE_DATE
        if question == "code" and re.search(r"\d", text):
            return HIDDEN_CODE
        if question == "cedula":
            text = _mask_numbers(text, min_digits=_ANSWER_MIN_DIGITS)
        text = _hide_identity_dates(text)
    return _mask_numbers(text, min_digits=_CEDULA_MIN_DIGITS)
