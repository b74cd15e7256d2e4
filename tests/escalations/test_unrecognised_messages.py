"""Issue 15: messages the bot did not understand are kept masked for supervisors, who read
them in the admin to improve the lexicon; advisors do not see the list; identity answers
are never kept."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from conversations.bot.intents import INTENTS
from conversations.bot.services import unrecognised_message_label
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


# Labelling (what each message meant) and the corpus download, through the real admin.


def change_url(message) -> str:
    return f"{URL}{message.pk}/change/"


def test_a_supervisor_labels_a_message_and_clears_it(logged_in):
    message = UnrecognisedMessage.objects.create(text="cuanto me falta pa terminar", flow="menu", step="")
    supervisor = logged_in("Supervisor")
    form = supervisor.get(change_url(message)).content.decode()
    assert "cuanto me falta pa terminar" in form and "Menú principal (menu)" in form
    assert 'name="intent"' in form and 'name="text"' not in form and 'name="flow"' not in form
    assert "Nada de lo anterior" in form and "Privacidad / datos personales" in form

    before = timezone.now()
    response = supervisor.post(change_url(message), {"intent": "saldo"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.intent == "saldo" and message.labelled_by == supervisor.staff.user
    assert before <= message.labelled_at <= timezone.now()
    assert message.text == "cuanto me falta pa terminar" and message.flow == "menu"  # nothing else changes
    listing = supervisor.get(URL).content.decode()
    assert "Intención" in listing and "Saldo" in listing

    supervisor.post(change_url(message), {"intent": ""})
    message.refresh_from_db()
    assert (message.intent, message.labelled_by, message.labelled_at) == ("", None, None)


def test_an_unknown_intent_is_refused_and_nothing_is_written(logged_in):
    message = UnrecognisedMessage.objects.create(text="mmm", flow="menu", step="")
    response = logged_in("Supervisor").post(change_url(message), {"intent": "prestamo"})
    assert response.status_code == 200 and "Escoja una opción válida" in response.content.decode()
    message.refresh_from_db()
    assert (message.intent, message.labelled_by, message.labelled_at) == ("", None, None)
    with pytest.raises(ValueError):
        unrecognised_message_label(message=message, intent="prestamo", user=None)


def test_labelling_the_same_intent_again_keeps_who_gave_it(logged_in):
    message = UnrecognisedMessage.objects.create(text="el papel ese de que ya pague", flow="", step="")
    first, second = logged_in("Supervisor"), logged_in("Supervisor")
    first.post(change_url(message), {"intent": "paz_y_salvo"})
    message.refresh_from_db()
    given_by, given_at = message.labelled_by, message.labelled_at
    second.post(change_url(message), {"intent": "paz_y_salvo"})
    message.refresh_from_db()
    assert (message.labelled_by, message.labelled_at) == (given_by, given_at)
    second.post(change_url(message), {"intent": "renovacion"})
    message.refresh_from_db()
    assert message.labelled_by == second.staff.user and message.intent == "renovacion"


@pytest.mark.parametrize("role", ["Asesor", "Cumplimiento"])
def test_other_roles_cannot_open_or_label(logged_in, role):
    message = UnrecognisedMessage.objects.create(text="xyz", flow="menu", step="")
    client = logged_in(role)
    assert client.get(change_url(message)).status_code == 403
    assert client.post(change_url(message), {"intent": "saldo"}).status_code == 403
    message.refresh_from_db()
    assert message.intent == ""


def test_nobody_adds_or_deletes_them(logged_in):
    message = UnrecognisedMessage.objects.create(text="xyz", flow="menu", step="")
    supervisor = logged_in("Supervisor")
    assert supervisor.get(f"{URL}add/").status_code == 403
    assert supervisor.get(f"{URL}{message.pk}/delete/").status_code == 403
    listing = supervisor.get(URL).content.decode()
    assert "delete_selected" not in listing and "Descargar etiquetados para el corpus (TSV)" in listing
    supervisor.post(URL, {"action": "delete_selected", "_selected_action": [message.pk]})  # not an action here
    assert UnrecognisedMessage.objects.filter(pk=message.pk).exists()


def test_the_list_filters_by_labelled_and_by_intent(logged_in):
    UnrecognisedMessage.objects.create(text="mensaje etiquetado", intent="queja")
    UnrecognisedMessage.objects.create(text="mensaje sin etiqueta")
    supervisor = logged_in("Supervisor")
    labelled = supervisor.get(URL, {"etiquetado": "si"}).content.decode()
    assert "mensaje etiquetado" in labelled and "mensaje sin etiqueta" not in labelled
    assert "Etiquetado" in labelled or "etiquetado" in labelled
    assert "<h1>Mensajes no entendidos</h1>" in labelled and "Escoja" not in labelled
    unlabelled = supervisor.get(URL, {"etiquetado": "no"}).content.decode()
    assert "mensaje sin etiqueta" in unlabelled and "mensaje etiquetado" not in unlabelled
    by_intent = supervisor.get(URL, {"intent__exact": "queja"}).content.decode()
    assert "mensaje etiquetado" in by_intent and "mensaje sin etiqueta" not in by_intent
    assert "Queja o reclamo" in by_intent


def download(client, messages):
    return client.post(
        URL, {"action": "download_corpus_lines", "_selected_action": [m.pk for m in messages]}, follow=False
    )


def test_the_labelled_messages_download_as_corpus_lines(logged_in, consented_chat):
    consented_chat().says("plugh mi cédula 1020304050")  # kept masked by the bot itself
    said = UnrecognisedMessage.objects.get()
    said.intent = "privacidad"
    said.save()
    now = timezone.now()
    made = [
        UnrecognisedMessage.objects.create(text="ke ai de mi plata", intent="saldo", created_at=now),
        UnrecognisedMessage.objects.create(text="sin etiqueta", created_at=now + timedelta(seconds=1)),
        UnrecognisedMessage.objects.create(
            text="quiero\thablar con\nalguien\r\nya", intent="asesor", created_at=now + timedelta(seconds=2)
        ),
        UnrecognisedMessage.objects.create(text="ke ai de mi plata", intent="saldo", created_at=now + timedelta(3)),
        UnrecognisedMessage.objects.create(text="ke ai de mi plata", intent="queja", created_at=now + timedelta(4)),
        UnrecognisedMessage.objects.create(text="otra sin etiqueta", created_at=now + timedelta(5)),
    ]
    supervisor = logged_in("Supervisor")
    response = download(supervisor, [said, *made])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    filename = f"no_entendidos_etiquetados_{timezone.localdate():%Y-%m-%d}.tsv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.decode("utf-8") == (
        "intent\tutterance\n"
        "privacidad\tplugh mi cédula •••\n"
        "saldo\tke ai de mi plata\n"
        "asesor\tquiero hablar con alguien ya\n"
        "queja\tke ai de mi plata\n"
    )
    assert "1020304050" not in response.content.decode("utf-8")
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Se omitieron 2 mensaje(s) sin etiquetar; el archivo tiene 4 línea(s)."]


def test_no_labelled_message_selected_gives_a_warning_and_no_file(logged_in):
    messages = [UnrecognisedMessage.objects.create(text=f"nada {n}") for n in range(2)]
    response = logged_in("Supervisor").post(
        URL, {"action": "download_corpus_lines", "_selected_action": [m.pk for m in messages]}, follow=True
    )
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert "Ninguno de los mensajes seleccionados está etiquetado" in response.content.decode()
    assert "No se generó ningún archivo." in response.content.decode()


def test_the_staff_labels_are_the_recognisers_intents():
    assert tuple(UnrecognisedMessage.Intent.values) == INTENTS
