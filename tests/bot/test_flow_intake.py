"""The steps the request flows share (flows/intake.py): yes/no answers, the advisor offer and
documents received in the chat. Pure functions over a Turn: no database."""

import pytest

from conversations.bot.flows import Incoming, Media, Turn
from conversations.bot.flows.intake import advisor_offer_answer, document_receive, max_upload_mb, words, yes_no
from tests.bot.conftest import NOW


def typed(text: str) -> Incoming:
    return Incoming(message_id=1, wa_message_id="w", type="text", text=text)


def tapped(choice: str) -> Incoming:
    return Incoming(message_id=1, wa_message_id="w", type="interactive", choice=choice, text="Título")


def file(document_id: int | None = 7, rejected: str = "") -> Incoming:
    media = Media(document_id=document_id, mime_type="application/pdf", filename="d.pdf", rejected=rejected)
    return Incoming(message_id=1, wa_message_id="w", type="document", media=media)


def turn_for(incoming: Incoming, **data) -> Turn:
    return Turn(session=None, contact=None, incoming=incoming, now=NOW, data=data)


def said(turn: Turn) -> list[tuple[str, dict]]:
    return [(reply.template, reply.context) for reply in turn.replies]


def test_words_are_the_typed_text_plain():
    assert words(typed("  ¡Sí,   CLARO! ")) == "si claro"
    assert words(tapped("notify_yes")) == ""


@pytest.mark.parametrize(
    "incoming, answer",
    [
        (typed("sí"), True),
        (typed("Si señor"), True),
        (typed("dale"), True),
        (typed("1"), True),
        (typed("OK"), True),
        (typed("no"), False),
        (typed("No, gracias"), False),
        (typed("ahora no"), False),
        (typed("2"), False),
        (typed("no sé"), None),
        (typed("No estoy seguro"), None),
        (typed("tal vez"), None),
        (typed(""), None),
        (tapped("notify_yes"), True),
        (tapped("notify_no"), False),
        (tapped("saldo"), None),
    ],
)
def test_yes_no_reads_taps_and_typed_answers(incoming, answer):
    assert yes_no(incoming, yes=("notify_yes",), no=("notify_no",)) is answer


def test_a_tap_is_never_read_as_its_title():
    assert yes_no(Incoming(message_id=1, wa_message_id="w", type="interactive", choice="other", text="sí")) is None


def test_yes_to_the_advisor_offer_goes_to_the_advisor():
    turn = turn_for(typed("sí, por favor"))

    advisor_offer_answer(turn, no="x_no", again="x/again.txt", declined="x/declined.txt")

    assert turn.next == ("asesor", "start") and turn.replies == [] and not turn.ended


def test_no_to_the_advisor_offer_ends_with_the_declined_words():
    turn = turn_for(tapped("x_no"))

    advisor_offer_answer(turn, no="x_no", again="x/again.txt", declined="x/declined.txt")

    assert said(turn) == [("x/declined.txt", {})]
    assert turn.ended and turn.next is None


def test_an_unclear_answer_to_the_advisor_offer_asks_again():
    turn = turn_for(typed("¿cuánto cuesta?"))

    advisor_offer_answer(turn, no="x_no", again="x/again.txt")

    assert said(turn) == [("x/again.txt", {})]
    assert not turn.understood and not turn.ended and turn.next is None


@pytest.mark.parametrize("limit, shown", [(10 * 1024 * 1024, "10"), (512 * 1024, "0,5"), (1024, "0,1")])
def test_the_upload_limit_is_written_as_people_read_it(settings, limit, shown):
    settings.DOCUMENT_MAX_BYTES = limit

    assert max_upload_mb() == shown


def test_a_received_document_is_kept_once_and_counted():
    turn = turn_for(file(7), documents=[])

    assert document_receive(turn, copy="renovacion", minimum=2) == ""
    turn.incoming = file(7)  # Meta redelivered the same file
    assert document_receive(turn, copy="renovacion", minimum=2) == ""

    assert turn.data["documents"] == [7]
    assert said(turn) == [("renovacion/document_received.txt", {"count": 1, "missing": 1, "allow_later": False})] * 2


@pytest.mark.parametrize("reason", ["type", "size", "download"])
def test_a_refused_file_is_explained_and_not_kept(settings, reason):
    settings.DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    turn = turn_for(file(None, rejected=reason))

    assert document_receive(turn, copy="nuevo_credito", minimum=1) == ""

    assert turn.data["documents"] == []
    assert said(turn) == [(f"documents/rejected_{reason}.txt", {"max_mb": "10"})]


def test_a_file_that_was_not_stored_counts_as_a_failed_download():
    turn = turn_for(file(None))

    document_receive(turn, copy="nuevo_credito", minimum=1)

    assert said(turn)[0][0] == "documents/rejected_download.txt"


@pytest.mark.parametrize("incoming", [typed("listo"), typed("Ya los envié"), tapped("docs_done")])
def test_done_with_enough_documents_is_done(incoming):
    turn = turn_for(incoming, documents=[7, 8])

    assert document_receive(turn, copy="renovacion", minimum=2) == "done"
    assert turn.replies == [] and turn.understood


def test_done_with_too_few_documents_says_what_is_missing():
    turn = turn_for(typed("listo"), documents=[7])

    assert document_receive(turn, copy="renovacion", minimum=2) == ""
    assert said(turn) == [("renovacion/documents_missing.txt", {"count": 1, "missing": 1, "allow_later": False})]
    assert turn.understood


@pytest.mark.parametrize("incoming", [typed("después"), typed("más tarde"), tapped("docs_later")])
def test_later_is_an_answer_only_where_it_is_allowed(incoming):
    allowed = turn_for(incoming)
    assert document_receive(allowed, copy="nuevo_credito", minimum=1, allow_later=True) == "later"

    refused = turn_for(incoming)
    assert document_receive(refused, copy="renovacion", minimum=2) == ""
    assert said(refused) == [("renovacion/documents_reminder.txt", {"count": 0, "missing": 2, "allow_later": False})]
    assert not refused.understood


def test_anything_else_while_documents_are_expected_is_a_reminder():
    turn = turn_for(typed("¿cuánto me prestan?"), documents=[7])

    assert document_receive(turn, copy="nuevo_credito", minimum=1, allow_later=True) == ""
    assert said(turn) == [("nuevo_credito/documents_reminder.txt", {"count": 1, "missing": 0, "allow_later": True})]
    assert not turn.understood
