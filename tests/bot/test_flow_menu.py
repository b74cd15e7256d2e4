"""The main menu: greets by the profile's first name, and routes a tapped row, its number or
free text to a flow; says goodbye; says when it did not understand."""

import pytest

MENU = "menu/main.txt"
ROWS = ["saldo", "estado_solicitud", "paz_y_salvo", "renovacion", "nuevo_credito", "asesor", "privacidad"]


def test_a_greeting_shows_the_menu_by_first_name(chat):
    said = chat(name="Ana Lucía Gómez").says("hola")

    assert said.sequence == [MENU]
    assert said.context(MENU) == {"name": "Ana", "greet": True}
    assert list(said.options) == ROWS
    assert said.at == ("menu", "choose")


def test_a_contact_without_a_profile_name_is_greeted_plainly(chat):
    assert chat(name="").says("buenas tardes").context(MENU) == {"name": "", "greet": True}


@pytest.mark.parametrize(
    "row, first_reply, at",
    [
        ("saldo", "identity/ask_cedula.txt", ("identidad", "cedula")),
        ("estado_solicitud", "identity/ask_cedula.txt", ("identidad", "cedula")),
        ("paz_y_salvo", "identity/ask_cedula.txt", ("identidad", "cedula")),
        ("renovacion", "identity/ask_cedula.txt", ("identidad", "cedula")),
        ("nuevo_credito", "nuevo_credito/requirements.txt", ("nuevo_credito", "documents")),
        ("privacidad", "privacy/menu.txt", ("privacidad", "choose")),
    ],
)
def test_a_tapped_row_starts_its_flow(chat, row, first_reply, at):
    ana = chat()
    ana.says("hola")

    said = ana.taps(row)

    assert said.sequence == [first_reply]
    assert said.at == at


def test_the_identity_question_remembers_which_service_asked(chat):
    ana = chat()
    ana.says("hola")

    assert ana.taps("paz_y_salvo").data == {"_return": ["paz_y_salvo", "check"]}


@pytest.mark.parametrize(
    "typed, flow",
    [("1", "identidad"), ("opción 5", "nuevo_credito"), ("#7", "privacidad"), (" 3. ", "identidad")],
)
def test_a_typed_number_picks_that_row(chat, typed, flow):
    ana = chat()
    ana.says("hola")

    said = ana.says(typed)

    assert said.session.flow == flow


def test_a_number_out_of_the_menu_is_not_understood(chat):
    ana = chat()
    ana.says("hola")

    said = ana.says("8")

    assert said.sequence == ["menu/not_understood.txt"]
    assert said.at == ("menu", "choose") and said.session.misunderstandings == 1


@pytest.mark.parametrize(
    "typed, flow",
    [
        ("quiero saber mi saldo", "identidad"),
        ("cuánto debo", "identidad"),
        ("necesito mi paz y salvo", "identidad"),
        ("renovar mi crédito", "identidad"),
        ("quiero un crédito nuevo", "nuevo_credito"),
    ],
)
def test_free_text_picks_the_flow_of_its_intent(chat, typed, flow):
    said = chat().says(typed)

    assert said.session.flow == flow


def test_free_text_is_handed_to_the_flow_it_picks(chat):
    """The flow reads the same message: "política de privacidad" shows the policy at once,
    from an idle chat as from the menu."""
    said = chat().says("política de privacidad")

    assert said.sequence == ["privacy/policy.txt", "menu/anything_else.txt"]


def test_free_text_picks_the_same_flow_from_the_menu(chat):
    ana = chat()
    ana.says("hola")

    said = ana.says("estado de mi solicitud")

    assert said.sequence == ["identity/ask_cedula.txt"]
    assert said.data == {"_return": ["estado_solicitud", "show"]}


@pytest.mark.parametrize("goodbye", ["chao", "gracias, adiós", "[despedida]"])
def test_goodbye_ends_without_offering_more(chat, goodbye):
    said = chat().answers(goodbye)

    assert said.sequence == ["menu/goodbye.txt"]
    assert said.at == ("", "") and said.resolved_flow == "menu"


def test_a_greeting_at_the_menu_shows_it_again(chat):
    ana = chat()
    ana.says("hola")

    said = ana.says("buenas tardes")

    assert said.sequence == [MENU] and said.at == ("menu", "choose")


def test_text_that_names_nothing_is_not_understood(chat):
    said = chat().says("el perro come pan")

    assert said.sequence == ["menu/not_understood.txt"]
    assert said.at == ("menu", "choose") and said.session.misunderstandings == 1


def test_a_stale_tap_from_a_finished_flow_is_not_understood(chat):
    said = chat().taps("notify_yes")

    assert said.sequence == ["menu/not_understood.txt"]
