"""Issue 15: messages the bot did not understand are kept masked for supervisors, who read
them in the admin to improve the lexicon; advisors do not see the list; identity answers
are never kept."""

from conversations.models import UnrecognisedMessage
from proalto.masking import mask_free_text
from tests.support import texts

URL = "/admin/conversations/unrecognisedmessage/"


def test_a_message_not_understood_is_kept_masked(consented_chat):
    ana = consented_chat()
    assert "no te entendí" in texts(ana.says("xyzzy mi cel 3001234567 y correo ana@example.com"))
    kept = UnrecognisedMessage.objects.get()
    assert kept.text == "xyzzy mi cel ••• y correo •••@•••"
    assert kept.flow == "menu"


def test_understood_messages_and_identity_answers_are_not_kept(consented_chat):
    ana = consented_chat()
    ana.says("saldo")  # understood
    ana.says("no tengo la cédula a la mano")  # not a cédula: a secret-answer step, never kept
    assert UnrecognisedMessage.objects.count() == 0


def test_supervisors_read_the_list_advisors_do_not(consented_chat, logged_in):
    consented_chat().says("qwerty plugh 1020304050")
    supervisor = logged_in("Supervisor")
    page = supervisor.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "qwerty plugh •••" in body and "1020304050" not in body
    assert "Menú principal (menu)" in body  # where it was said, named in Spanish
    assert "Mensajes no entendidos" in body or "mensajes no entendidos" in body
    assert logged_in("Asesor").get(URL).status_code == 403


def test_the_list_names_the_step_in_spanish(logged_in):
    UnrecognisedMessage.objects.create(text="la vaina esa", flow="nuevo_credito", step="best_time")
    UnrecognisedMessage.objects.create(text="otra cosa", flow="", step="")
    body = logged_in("Supervisor").get(URL).content.decode()
    assert "Elige la mejor hora para llamarle (best_time)" in body
    supervisor = logged_in("Supervisor")
    filtered = supervisor.get(URL, {"flow": "nuevo_credito"}).content.decode()
    assert "la vaina esa" in filtered and "otra cosa" not in filtered
    assert "Sin flujo" in filtered  # the filter's choices, by name


def test_free_text_masking():
    assert mask_free_text("mi cédula es 1.020.304.050, nací el 10/05/1979") == "mi cédula es •••, nací el •••"
    assert mask_free_text("quiero el paz y salvo") == "quiero el paz y salvo"
