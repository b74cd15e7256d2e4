"""The satisfaction survey: a 1-5 rating then an optional comment, answered as effects; a
message that is not a rating means the customer moved on."""

from datetime import timedelta

import pytest

from conversations.bot import effects
from conversations.bot.flows.base import Incoming
from conversations.bot.flows.csat import OUT_OF_RANGE, parse_rating
from conversations.bot.models import CsatSurvey
from tests.bot.conftest import NOW


@pytest.fixture
def surveyed(chat):
    """Factory: a chat that was just asked the survey question (the chat waits at csat:rating)."""

    def make(*, asked_hours_ago: float = 0.1):
        ana = chat()
        asked_at = NOW - timedelta(hours=asked_hours_ago)
        survey = CsatSurvey.objects.create(
            contact=ana.contact, trigger="flow", flow="saldo", status="asked", due_at=asked_at, asked_at=asked_at
        )
        ana.at("csat", "rating", survey=survey.pk)
        return ana, survey

    return make


@pytest.mark.parametrize(
    "typed, rating",
    [
        ("4", 4),
        ("5 estrellas", 5),
        ("cuatro", 4),
        ("⭐⭐⭐", 3),
        ("1 de 5", 1),
        ("7", OUT_OF_RANGE),
        ("⭐" * 6, OUT_OF_RANGE),
        ("saldo", None),
        ("4 cosas que mejorar", None),
        ("", None),
    ],
)
def test_parse_rating_reads_what_people_type(typed, rating):
    assert parse_rating(Incoming(message_id=1, wa_message_id="w", type="text", text=typed)) == rating


def test_parse_rating_reads_a_tapped_row_and_nothing_else():
    def tapped(choice):
        return parse_rating(Incoming(message_id=1, wa_message_id="w", type="interactive", choice=choice))

    assert (tapped("csat_2"), tapped("csat_6"), tapped("csat_skip"), tapped("saldo")) == (2, None, None, None)


def test_a_tapped_rating_is_an_effect_then_the_comment_is_asked(surveyed):
    ana, survey = surveyed()

    said = ana.taps("csat_5")

    assert said.sequence == [effects.SurveyRate(survey_id=survey.pk, rating=5), "csat/ask_comment.txt"]
    assert said.at == ("csat", "comment") and said.data == {"survey": survey.pk}


def test_a_typed_rating_counts_as_a_rating_not_a_menu_number(surveyed):
    ana, survey = surveyed()

    said = ana.says("4")

    assert said.effects == [effects.SurveyRate(survey_id=survey.pk, rating=4)]
    assert said.at == ("csat", "comment")


def test_a_comment_is_an_effect_and_ends_without_more_offers(surveyed):
    ana, survey = surveyed()
    ana.says("4")

    said = ana.says("  Muy rápido, gracias  ")

    assert said.sequence == [
        effects.SurveyComment(survey_id=survey.pk, comment="Muy rápido, gracias"),
        "csat/thanks.txt",
    ]
    assert said.at == ("", "") and said.resolved_flow is None


@pytest.mark.parametrize("skip", ["omitir", "no gracias", "Nada.", "Sin comentarios"])
def test_the_comment_can_be_skipped(surveyed, skip):
    ana, _ = surveyed()
    ana.says("3")

    said = ana.says(skip)

    assert said.sequence == ["csat/thanks.txt"]
    assert said.at == ("", "")


def test_a_skip_typed_with_a_comma_is_not_stored_as_a_comment(surveyed):
    ana, _ = surveyed()
    ana.says("3")

    said = ana.says("No, gracias")

    assert said.sequence == ["csat/thanks.txt"]


def test_the_skip_button_skips_the_comment(surveyed):
    ana, _ = surveyed()
    ana.says("3")

    assert ana.taps("csat_skip").sequence == ["csat/thanks.txt"]


def test_menu_at_the_comment_step_is_the_menu_not_a_comment(surveyed):
    ana, _ = surveyed()
    ana.says("3")

    said = ana.says("menú")

    assert said.sequence == ["menu/main.txt"]
    assert said.at == ("menu", "choose")


def test_a_comment_must_be_text(surveyed):
    ana, _ = surveyed()
    ana.says("3")

    said = ana.taps("saldo")

    assert said.sequence == ["csat/need_comment_text.txt"]
    assert said.at == ("csat", "comment") and said.session.misunderstandings == 1


def test_a_number_out_of_range_is_asked_again(surveyed):
    ana, _ = surveyed()

    said = ana.says("10")

    assert said.sequence == ["csat/need_rating.txt"]
    assert said.at == ("csat", "rating") and said.session.misunderstandings == 1


def test_a_message_that_is_not_a_rating_is_read_fresh(surveyed, portfolio):
    ana, _ = surveyed()

    said = ana.says("quiero saber mi saldo")

    assert said.sequence == ["identity/ask_cedula.txt"]
    assert said.at == ("identidad", "cedula") and "survey" not in said.data


def test_an_expired_survey_is_closed(surveyed, settings):
    ana, _ = surveyed(asked_hours_ago=settings.CSAT_ANSWER_HOURS + 1)

    said = ana.says("5")

    assert said.sequence == ["csat/closed.txt"]
    assert said.at == ("", "")


def test_a_tap_on_an_older_question_while_idle_rates_it(surveyed):
    ana, survey = surveyed()
    ana.at("", "")

    said = ana.taps("csat_2")

    assert said.sequence == [effects.SurveyRate(survey_id=survey.pk, rating=2), "csat/ask_comment.txt"]


def test_skipping_an_older_question_just_thanks(surveyed):
    ana, _ = surveyed()
    ana.at("menu", "choose")

    said = ana.taps("csat_skip")

    assert said.sequence == ["csat/thanks.txt"]
    assert said.at == ("", "")
