"""Intent recogniser: normalisation, local backend, evaluation set, command, LLM backend."""

from __future__ import annotations

import logging
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rapidfuzz import fuzz

from conversations.bot.intents import (
    INTENTS,
    IntentResult,
    is_fraud,
    load_lexicon_rows,
    normalise,
    recognise,
)
from conversations.bot.intents.lexicon import canonical
from conversations.bot.intents.model import CORPUS_DIR
from conversations.bot.intents.normalisation import merge_key
from conversations.management.commands.evaluate_intents import read_labelled_tsv
from tests.support import OpenAIStandIn

EVAL_FILE = CORPUS_DIR / "intents_eval.tsv"
# Held-out set: written before the lexicon was read and never used to write lexicon
# phrases. It measures how the recogniser does on phrasings it has not seen.
HOLDOUT_FILE = CORPUS_DIR / "intents_holdout.tsv"


def read_eval() -> list[tuple[str, str]]:
    lines = EVAL_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "intent\tutterance"
    rows = []
    for line in lines[1:]:
        if line.strip():
            intent, utterance = line.split("\t")
            rows.append((intent, utterance))
    return rows


@pytest.fixture(autouse=True)
def local_backend(settings):
    settings.INTENT_BACKEND = "local"
    settings.OPENAI_API_KEY = ""


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("¡¡Holaaa!! xq no me han desembolsado??", "hola porque no me han desembolsado"),
        ("Cuánto DEBO", "cuanto debo"),
        ("q saldo tengo", "que saldo tengo"),
        ("kiero poner una keja", "quiero poner una queja"),
        ("kuanto debo", "cuanto debo"),
        ("qiero poner una qeja", "quiero poner una queja"),
        ("jajaja kkkkk", "jajaja jaja"),
        ("pq no me responden, tb quiero el paz y salvo", "porque no me responden tambien quiero el paz y salvo"),
        ("pazysalvo xfa", "paz y salvo por favor"),
        ("pasisalbo ya", "paz y salvo ya"),
        ("pz y salvo", "paz y salvo"),
        ("Chaooo, grax", "chao gracias"),
        ("me pasa con un asesor???   ", "me pasa con un asesor"),
        ("llamar al señor", "llamar al senor"),
        ("Ok", "ok"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


# --------------------------------------------------------------------------------------
# Local backend
# --------------------------------------------------------------------------------------

REPRESENTATIVE = {
    "saldo": ["cuanto debo de la libranza?", "me dice el saldo porfa", "cuantas cuotas me faltan x pagar"],
    "estado_solicitud": ["ya me aprobaron el credito?", "como va mi solicitud", "cuando me desembolsan la plata"],
    "paz_y_salvo": [
        "ya pagué todo y necesito el paz y salvo",
        "me expiden el paz y salvo",
        "certificado de que ya no debo nada",
    ],
    "renovacion": ["quiero un retanqueo", "se puede ampliar mi libranza?", "quiero renovar el credito"],
    "nuevo_credito": [
        "quiero sacar un prestamo",
        "que requisitos piden para el credito",
        "prestan a pensionados de colpensiones?",
    ],
    "asesor": ["hablar con un asesor", "necesito un agente", "me pasa con una persona", "ayuda humana"],
    "queja": ["quiero poner una queja", "me robaron", "no reconozco un descuento", "me descontaron de más", "reclamo"],
    "privacidad": ["politica de privacidad", "borren mis datos personales", "quiero revocar la autorizacion de datos"],
    "menu": ["hola", "buenas", "menu", "volver al inicio"],
    "despedida": ["gracias eso es todo", "chao", "muchas gracias sumerce"],
    "desconocido": ["que hora es", "asdfgh qwe", "vendo bicicleta"],
}


@pytest.mark.parametrize(
    "intent, text", [(intent, text) for intent, texts in REPRESENTATIVE.items() for text in texts]
)
def test_representative_phrases(intent, text):
    result = recognise(text)
    assert isinstance(result, IntentResult)
    assert (result.intent, result.backend) == (intent, "local")
    assert 0.0 <= result.confidence <= 1.0


def test_complaint_wins_over_other_intents():
    assert recognise("no reconozco un descuento de mi saldo").intent == "queja"
    assert recognise("ya pague todo y me siguen descontando de la pension").intent == "queja"
    assert recognise("el asesor me estafó").intent == "queja"


def test_request_wins_over_greeting_and_thanks():
    assert recognise("hola buenas tardes, cuanto debo?").intent == "saldo"
    assert recognise("gracias, y como va mi solicitud?").intent == "estado_solicitud"


def test_all_intents_are_exposed():
    assert set(INTENTS) == {
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
    }


def test_lexicon_covers_every_service_intent():
    intents = {intent for intent, _ in load_lexicon_rows()}
    assert intents == set(INTENTS) - {"desconocido"}


# Its speed (under 1 ms a call) is measured by bench/intents.py, not asserted here.


# --------------------------------------------------------------------------------------
# Evaluation set
# --------------------------------------------------------------------------------------


def test_eval_set_shape():
    rows = read_eval()
    # 390 lines until the lines with a lexicon phrase's content words were removed (issue 17).
    assert len(rows) >= 250
    counts = {intent: 0 for intent in INTENTS}
    for intent, _ in rows:
        assert intent in INTENTS
        counts[intent] += 1
    assert min(counts.values()) >= 10, counts


def test_eval_set_does_not_overlap_the_lexicon():
    lexicon = {normalise(phrase) for _, phrase in load_lexicon_rows()}
    overlapping = [u for _, u in read_eval() if normalise(u) in lexicon]
    assert overlapping == []


def test_eval_set_accuracy_gate():
    rows = read_eval()
    wrong = [(intent, recognise(u).intent, u) for intent, u in rows if recognise(u).intent != intent]
    accuracy = 1 - len(wrong) / len(rows)
    assert accuracy >= 0.95, wrong


# --------------------------------------------------------------------------------------
# Held-out set
# --------------------------------------------------------------------------------------


def read_holdout() -> list[tuple[str, str]]:
    assert HOLDOUT_FILE.read_text(encoding="utf-8").splitlines()[0] == "intent\tutterance"
    return read_labelled_tsv(HOLDOUT_FILE)


def test_holdout_set_shape():
    rows = read_holdout()
    assert len(rows) >= 220
    counts = {intent: 0 for intent in INTENTS}
    for intent, _ in rows:
        counts[intent] += 1
    assert min(counts.values()) >= 15, counts
    services = ("saldo", "estado_solicitud", "paz_y_salvo", "renovacion", "nuevo_credito")
    assert all(counts[i] >= 20 for i in (*services, "queja", "asesor")), counts


def test_holdout_does_not_duplicate_eval_or_lexicon():
    lexicon = {normalise(phrase) for _, phrase in load_lexicon_rows()}
    evaluation = {normalise(u) for _, u in read_eval()}
    seen: set[str] = set()
    duplicates = []
    for _, utterance in read_holdout():
        key = normalise(utterance)
        if key in lexicon or key in evaluation or key in seen:
            duplicates.append(utterance)
        seen.add(key)
    assert duplicates == []


def test_lexicon_has_no_near_copy_of_a_holdout_line():
    """No lexicon phrase may be (nearly) a holdout sentence: the holdout must stay unseen.

    rapidfuzz's token_set_ratio is 100 whenever one token set contains the other, so a
    key phrase such as "paz y salvo" inside a longer holdout sentence would count as a
    copy although matching such sub-phrases is exactly how the lexicon works. A pair
    is therefore a near-copy when token_set_ratio >= 90 AND the two texts have
    comparable sizes (the smaller token set has at least 75% of the larger's tokens).
    """
    phrases = [normalise(phrase) for _, phrase in load_lexicon_rows()]
    lines = [normalise(u) for _, u in read_holdout()]
    near_copies = []
    for phrase in phrases:
        a = set(phrase.split())
        for line in lines:
            b = set(line.split())
            if min(len(a), len(b)) / max(len(a), len(b)) < 0.75:
                continue
            score = fuzz.token_set_ratio(phrase, line, score_cutoff=90)
            if score:
                near_copies.append((phrase, line, score))
    assert near_copies == []


def test_near_copy_check_catches_a_copied_line():
    # The guard above must not be vacuous: a slightly edited holdout line is caught.
    line = normalise(read_holdout()[0][1])
    edited = " ".join(line.split()[:-1]) if len(line.split()) > 3 else line + " porfa"
    assert fuzz.token_set_ratio(edited, line) >= 90
    a, b = set(edited.split()), set(line.split())
    assert min(len(a), len(b)) / max(len(a), len(b)) >= 0.75


def _command_accuracy(path: Path) -> float:
    out = StringIO()
    call_command("evaluate_intents", str(path), "--min-accuracy", "0.95", stdout=out)
    match = re.search(r"Overall accuracy: (\d+)/(\d+)", out.getvalue())
    assert match, out.getvalue()
    return int(match.group(1)) / int(match.group(2))


def test_holdout_accuracy_gate():
    # Same code path as `manage.py evaluate_intents intents_holdout.tsv --min-accuracy 0.95`:
    # the command raises CommandError below the minimum.
    assert _command_accuracy(HOLDOUT_FILE) >= 0.95


# --------------------------------------------------------------------------------------
# Generic rules added for unseen phrasings
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, intent",
    [
        # A service the customer says they do not want does not decide the intent.
        ("no quiero retanqueo, solo el saldo", "saldo"),
        ("no necesito un asesor, deme el paz y salvo", "paz_y_salvo"),
        ("no quiero un credito nuevo, como va mi solicitud", "estado_solicitud"),
        # ...but negations that carry the meaning are kept.
        ("no reconozco ese descuento", "queja"),
        ("no me han desembolsado", "estado_solicitud"),
        # Diminutives.
        ("necesito un creditico", "nuevo_credito"),
        # Tense: past = already done, infinitive/present = asking.
        ("como solicito un prestamo", "nuevo_credito"),
        ("ya me aprobaron?", "estado_solicitud"),
        # A question about the loan the customer already has is not a new credit.
        ("soy docente y quiero saber cuanto debo del credito que tengo", "saldo"),
    ],
)
def test_generic_rules(text, intent):
    assert recognise(text).intent == intent


def test_verb_forms_share_a_token_only_within_a_tense():
    assert merge_key("descuentan") == merge_key("descuento")
    assert merge_key("aprobaron") == merge_key("aprobado")
    assert merge_key("solicitar") != merge_key("solicite")
    assert merge_key("terminar") != merge_key("termine")


# --------------------------------------------------------------------------------------
# Management command
# --------------------------------------------------------------------------------------


def test_command_prints_report():
    out = StringIO()
    call_command("evaluate_intents", str(EVAL_FILE), "--min-accuracy", "0.95", stdout=out)
    text = out.getvalue()
    assert "Overall accuracy:" in text
    assert "saldo" in text and "queja" in text


def test_command_reports_confusions_and_min_accuracy(tmp_path):
    path = tmp_path / "bad_labels.tsv"
    path.write_text("intent\tutterance\nsaldo\thola\nsaldo\tcuanto debo\n", encoding="utf-8")
    out = StringIO()
    call_command("evaluate_intents", str(path), stdout=out)  # low accuracy alone is not an error
    text = out.getvalue()
    assert "Overall accuracy: 1/2 (50.0%)" in text
    assert "saldo -> menu: 1" in text and "'hola'" in text
    with pytest.raises(CommandError, match="below the minimum"):
        call_command("evaluate_intents", str(path), "--min-accuracy", "0.95", stdout=StringIO())


def test_command_malformed_line(tmp_path):
    path = tmp_path / "malformed.tsv"
    path.write_text("intent\tutterance\nsaldo\tcuanto debo\nsin tabulador aqui\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3"):
        call_command("evaluate_intents", str(path), stdout=StringIO())


def test_command_unknown_intent(tmp_path):
    path = tmp_path / "unknown.tsv"
    path.write_text("intent\tutterance\nbalance\tcuanto debo\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("evaluate_intents", str(path), stdout=StringIO())


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        call_command("evaluate_intents", str(tmp_path / "nope.tsv"), stdout=StringIO())


# --------------------------------------------------------------------------------------
# LLM backend against an OpenAI-compatible stand-in on loopback
# --------------------------------------------------------------------------------------


@pytest.fixture
def fake_openai(settings):
    fake = OpenAIStandIn()
    settings.INTENT_BACKEND = "llm"
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake.url
    settings.OPENAI_MODEL = "test-model"
    settings.OPENAI_TIMEOUT_SECONDS = 2
    yield fake
    fake.close()


def test_llm_backend_uses_the_answer(fake_openai):
    fake_openai.answer = "asesor"
    # The local recogniser would say "saldo": the LLM's answer must be the one used.
    result = recognise("cuanto debo")
    assert result == IntentResult("asesor", result.confidence, "llm")
    (request,) = fake_openai.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer test-key"
    body = request["body"]
    assert body["model"] == "test-model"
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system"
    assert all(intent in body["messages"][0]["content"] for intent in INTENTS)
    assert body["messages"][-1] == {"role": "user", "content": "cuanto debo"}


def test_llm_http_error_falls_back_to_local(fake_openai, caplog):
    fake_openai.mode = "error"
    with caplog.at_level(logging.WARNING, logger="conversations.bot.intents"):
        result = recognise("mi cedula 80123456 y quiero saber cuanto debo")
    assert (result.intent, result.backend) == ("saldo", "local")
    assert "HTTP 500" in caplog.text
    assert "80123456" not in caplog.text and "cuanto debo" not in caplog.text


def test_llm_timeout_falls_back_to_local(fake_openai, settings, caplog):
    fake_openai.delay = 1.0
    settings.OPENAI_TIMEOUT_SECONDS = 0.2
    with caplog.at_level(logging.WARNING, logger="conversations.bot.intents"):
        result = recognise("necesito el paz y salvo")
    # The answer would have come after 1 s; the client gave up at 0.2 s and used the local one.
    assert len(fake_openai.requests) == 1
    assert (result.intent, result.backend) == ("paz_y_salvo", "local")
    assert "timeout" in caplog.text
    assert "paz y salvo" not in caplog.text


def test_llm_invalid_intent_falls_back_to_local(fake_openai, caplog):
    fake_openai.answer = "transferencia"
    with caplog.at_level(logging.WARNING, logger="conversations.bot.intents"):
        result = recognise("quiero hablar con un asesor")
    assert (result.intent, result.backend) == ("asesor", "local")
    assert "not a known intent" in caplog.text


def test_llm_unreachable_falls_back_to_local(fake_openai, settings):
    fake_openai.server.shutdown()
    fake_openai.server.server_close()
    result = recognise("quiero un retanqueo")
    assert (result.intent, result.backend) == ("renovacion", "local")


def test_llm_backend_needs_a_key(fake_openai, settings):
    settings.OPENAI_API_KEY = ""
    result = recognise("quiero un retanqueo")
    assert (result.intent, result.backend) == ("renovacion", "local")
    assert fake_openai.requests == []


# --------------------------------------------------------------------------------------
# Second held-out set (round 2) and concept rules
# --------------------------------------------------------------------------------------

HOLDOUT2_FILE = CORPUS_DIR / "intents_holdout2.tsv"


def test_holdout2_does_not_duplicate_the_lexicon():
    lexicon = {normalise(phrase) for _, phrase in load_lexicon_rows()}
    rows = read_labelled_tsv(HOLDOUT2_FILE)
    assert len(rows) >= 160
    assert [u for _, u in rows if normalise(u) in lexicon] == []


def test_holdout2_accuracy_gate():
    """Gate on intents_holdout2.tsv (two sets, A and B, written before the code was read).

    NOT an unseen measure: these lines were scored and their failures studied while the
    round-2 concept rules and lexicon phrases were written (tuning set). Lines that
    normalise equal to a lexicon phrase or to an eval/holdout line were removed. The
    unseen figure of round 2 came from a third set scored once, after tuning.
    """
    assert _command_accuracy(HOLDOUT2_FILE) >= 0.95


@pytest.mark.parametrize(
    "text, intent",
    [
        # Deductions continuing after payoff, unknown or excessive charges -> complaint.
        ("ya cancele hace rato y este mes otra vez me descontaron", "queja"),
        ("en el desprendible figura una libranza que nunca pedi", "queja"),
        ("me cobran un valor que no corresponde", "queja"),
        # ...but a payoff certificate asked for to stop the deduction is paz y salvo,
        # and questions about the next deduction are balance questions.
        ("ya termine de pagar, necesito el paz y salvo para que me quiten el descuento", "paz_y_salvo"),
        ("hasta cuando me van a descontar", "saldo"),
        # Someone asks for money in ProAlto's name -> complaint (fraud).
        ("una muchacha dice que es de proalto y me pide consignar para aprobarme", "queja"),
        ("me piden un pago por adelantado para el prestamo, es real?", "queja"),
        # adeudar = deber; saldar = pagar; certificacion = certificado.
        ("cuanto adeudo a la fecha", "saldo"),
        ("ya salde el prestamo y requiero la certificacion", "paz_y_salvo"),
        # How personal data is treated.
        ("que hacen ustedes con mi informacion personal", "privacidad"),
        # What an advisor said is a report, not a request for an advisor.
        ("el asesor me dijo que me giraban el lunes y no ha llegado nada", "estado_solicitud"),
        # Age questions are about new credit; more money on the current loan is renewal.
        ("le prestan a alguien de 85 anos", "nuevo_credito"),
        ("tengo un prestamo vigente con ustedes y necesito otro poco de dinero", "renovacion"),
        ("no tengo credito con ustedes y quiero uno", "nuevo_credito"),
        # Generic words alone do not decide ("como hago ..." is not a loan request).
        ("como hago un pastel", "desconocido"),
        ("va a hacer sol", "desconocido"),
        # Everyday words are never typo-corrected into another meaning.
        ("me dijo que estaba todo bien con el desembolso", "estado_solicitud"),
    ],
)
def test_concept_rules(text, intent):
    assert recognise(text).intent == intent


# --------------------------------------------------------------------------------------
# Round 3 (dev set 2026-11-30): privacy by data field and action, fraud by what was done
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, intent",
    [
        # A data field + what the holder wants done with it is a Habeas Data request...
        ("mi nuevo correo es pepe@gmail.com", "privacidad"),
        ("el telefono que tienen ya no es mio, anoten este", "privacidad"),
        ("me cambie de casa, la direccion nueva es calle 10", "privacidad"),
        ("borren mi celular de su lista", "privacidad"),
        ("quien les paso mi contacto", "privacidad"),
        ("no quiero que me vuelvan a llamar", "privacidad"),
        # ...but a contact detail next to a service is that service,
        ("me pueden llamar a mi celular", "asesor"),
        ("mi nombre es juan y quiero saber cuanto debo", "saldo"),
        ("el numero de radicado de mi solicitud", "estado_solicitud"),
        ("no me han enviado el paz y salvo", "paz_y_salvo"),
        # and an authorisation of a charge is about the charge.
        ("me cobraron el seguro dos veces", "queja"),
        # Wrong, stale or unwanted data and contact, in other words than the phrases'.
        ("el correo que les di esta malo", "privacidad"),
        ("ya no uso ese correo", "privacidad"),
        ("mi cedula esta mal registrada", "privacidad"),
        ("como hago para que me borren del sistema", "privacidad"),
        ("yo no les he dado autorizacion para escribirme", "privacidad"),
        ("me llegan mensajes que no pedi", "privacidad"),
        ("como me desuscribo", "privacidad"),
        ("como saco la cedula digital", "desconocido"),
        ("ahora tengo un celular distinto", "privacidad"),
        ("el correo que registre ya no es el mismo", "privacidad"),
        ("saquenme de sus listas por favor", "privacidad"),
        ("me mandan copia del consentimiento que di", "privacidad"),
        ("stop", "privacidad"),
        ("tengo un numero nuevo de cuenta", "desconocido"),
        ("por que me escriben ustedes a mi?", "privacidad"),
        ("ya tengo otro celular", "privacidad"),
        ("solicito mi derecho de rectificacion", "privacidad"),
        ("ese telefono es de mi hermano, no es mio", "privacidad"),
    ],
)
def test_privacy_by_data_field(text, intent):
    assert recognise(text).intent == intent


@pytest.mark.parametrize(
    "text, intent",
    [
        # Two swapped neighbours are one typo.
        ("cuanto es mi sadlo", "saldo"),
        # Still owing (not "ya no debo") is a balance; how much, in other words, too.
        ("que debo?", "saldo"),
        ("cual es el valor que adeudo", "saldo"),
        ("ya no debo nada", "paz_y_salvo"),
        # An application's stage, papers handed in, an answer promised, the wait for money.
        ("en que fase esta mi credito", "estado_solicitud"),
        ("ya entregue la documentacion, que sigue", "estado_solicitud"),
        ("me aseguraron que me llamaban el martes y nada", "estado_solicitud"),
        ("cuanto falta para que me consignen", "estado_solicitud"),
        ("cuanto falta para terminar de pagar", "saldo"),
        # Progress on the current loan + more money, or more money on it, is a renewal.
        ("ya pague 10 cuotas, me dan mas plata?", "renovacion"),
        ("pueden darme mas dinero encima de mi prestamo", "renovacion"),
        ("puedo renovar si voy en la cuota 20", "renovacion"),
        # A judged service is a complaint; "what can you do" is the menu.
        ("su atencion es malisima", "queja"),
        ("que servicios ofrecen", "menu"),
        # A charge nobody explained is a complaint.
        ("me descontaron un seguro que nunca me explicaron", "queja"),
        # The certificate, however its first word came out.
        ("pz y salvo", "paz_y_salvo"),
        ("pas y salbo por fa", "paz_y_salvo"),
        # Who may borrow is a new-credit question, not a request for a person.
        ("prestan a personas independientes?", "nuevo_credito"),
        # Closing talk after an interjection; "pedir" alone asks for nothing.
        ("listo, eso era todo", "despedida"),
        ("voy a pedir un domicilio", "desconocido"),
        # "que pasa" asks what is going on; it transfers to nobody.
        ("ya van dos semanas con el estudio, que pasa?", "estado_solicitud"),
        ("me pasa con un asesor", "asesor"),
        ("bueno, hablamos mas tarde", "despedida"),
        ("mi celular ahora es otro", "privacidad"),
        ("me opongo a que tengan mi informacion", "privacidad"),
        ("les pido abstenerse de seguir llamandome", "privacidad"),
        ("quiero radicar un reclamo por habeas data", "privacidad"),
        # How an advisor treated the customer is a complaint; asking for one is not.
        ("el asesor me atendio pesimo", "queja"),
        ("estoy decepcionado, paseme con un asesor", "asesor"),
        # A complaint the customer says they are not making does not decide the intent.
        ("no es un reclamo, solo quiero saber si ya me desembolsaron", "estado_solicitud"),
        ("no me han resuelto la queja", "queja"),
        # Nearly done paying and borrowing again is a renewal.
        ("ya casi acabo de pagar, me pueden prestar otra vez?", "renovacion"),
        # Thanks padded with words no phrase knows is still a closing.
        ("le agradezco infinitamente la paciencia", "despedida"),
        # A fraud report decides the complaint whatever else is said.
        ("me hackearon el correo y pidieron un credito", "queja"),
        # A raised instalment nobody announced is a complaint.
        ("me aumentaron el descuento sin previo aviso", "queja"),
        # Goodbye wishes and "quedo atenta" close, even with a greeting word in them.
        ("bueno, que pasen buena tarde", "despedida"),
        ("hasta mañana entonces", "despedida"),
        ("listo, quedo atenta", "despedida"),
        ("quedo pendiente del desembolso", "estado_solicitud"),
        # More money added to the loan; the money or an answer on its way.
        ("se le puede agregar dinero a mi libranza?", "renovacion"),
        ("cuando van a consignar lo del credito", "estado_solicitud"),
        ("hay alguna respuesta de lo del prestamo?", "estado_solicitud"),
        # The certificate and what it is for, even when the purpose sounds like a claim.
        ("necesito la constancia para reclamar mis cesantias", "paz_y_salvo"),
        ("que se puede hacer por este medio?", "menu"),
        # A charge changed without notice, an advisor who misinformed, a step nobody called about.
        ("me subieron el interes sin informarme", "queja"),
        ("la asesora me informo mal y ahora pago mas", "queja"),
        ("no me han contactado para firmar el credito", "estado_solicitud"),
        ("ya mande los soportes que me pidieron, que sigue?", "estado_solicitud"),
    ],
)
def test_round3_concepts(text, intent):
    assert recognise(text).intent == intent


# --------------------------------------------------------------------------------------
# Dev set 2026-11-30 (round 3): a tuning set, gated against regressions
# --------------------------------------------------------------------------------------

DEV_FILE = CORPUS_DIR / "intents_dev_2026-11-30.tsv"
DEV_FRAUD_FILE = CORPUS_DIR / "intents_dev_2026-11-30_fraud.txt"


def test_dev_set_shape():
    rows = read_labelled_tsv(DEV_FILE)
    assert len(rows) >= 250
    counts = {intent: sum(1 for i, _ in rows if i == intent) for intent in INTENTS}
    assert min(counts.values()) >= 20, counts


def _assert_set_gate(path: Path, overall: float, per_class_min: float) -> None:
    """The set's overall accuracy (by the command) and every class's accuracy."""
    assert _command_accuracy(path) >= overall
    per_class: dict[str, list[bool]] = {}
    for intent, text in read_labelled_tsv(path):
        per_class.setdefault(intent, []).append(recognise(text).intent == intent)
    low = {i: sum(v) / len(v) for i, v in per_class.items() if sum(v) / len(v) < per_class_min}
    assert low == {}


def _assert_fraud_recall_and_precision(path: Path, fraud_path: Path, missed: int = 0) -> None:
    """Every fraud line but ``missed`` is a complaint classified fraud; no other complaint of
    the set is."""
    fraud = [line for line in fraud_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    complaints = [u for intent, u in read_labelled_tsv(path) if intent == "queja"]
    assert len(fraud) >= 10 and set(fraud) <= set(complaints)
    assert len([u for u in fraud if not (recognise(u).intent == "queja" and is_fraud(u))]) <= missed
    assert [u for u in complaints if u not in fraud and is_fraud(u)] == []


def test_dev_set_accuracy_gate():
    """Written before round 3 changed the recogniser (91.2 % then), then tuned on: a
    regression gate, not a measure of unseen messages. No class may fall below 90 %."""
    _assert_set_gate(DEV_FILE, 0.97, 0.90)


def test_dev_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(DEV_FILE, DEV_FRAUD_FILE)


def test_speed_gates_change_no_answer(monkeypatch):
    """The word-beginning gates in concepts.py only skip patterns that cannot match: every
    gate holds beginnings of at most four letters (what the gate sees), and the answers on
    every labelled line are the same with the gates open."""
    from conversations.bot.intents import concepts

    gates = [v for k, v in vars(concepts).items() if k.endswith(("_STARTS", "_PREFIXES"))]
    assert len(gates) >= 5 and all(1 <= len(start) <= 4 for gate in gates for start in gate)
    texts = [normalise(u) for name in ("intents_eval.tsv", "intents_holdout.tsv", "intents_holdout2.tsv",
             DEV_FILE.name, DEV2_FILE.name, BLIND2_FILE.name, DEV3_FILE.name, BLIND3_FILE.name,
             BLIND4_FILE.name, DEV4_FILE.name, BLIND5_FILE.name)
             for _, u in read_labelled_tsv(CORPUS_DIR / name)]  # fmt: skip
    texts += [normalise(t) for t, _, _ in ROUND4_LINES + ROUND5_LINES + ROUND6_LINES + ROUND7_LINES]

    def answers():
        return [
            (concepts.concept_intent(t), concepts.is_fraud(t), concepts.concept_after_lexicon(None, t)) for t in texts
        ]

    gated = answers()
    monkeypatch.setattr(concepts, "_may", lambda norm, starts: True)
    monkeypatch.setattr(concepts, "_mentions", lambda norm, hints: True)
    assert answers() == gated


# --------------------------------------------------------------------------------------
# Round 4 (issue 15): dev set 2 and the consumed blind set 2, gated against regressions
# --------------------------------------------------------------------------------------

DEV2_FILE = CORPUS_DIR / "intents_dev2_2026-11-30.tsv"
DEV2_FRAUD_FILE = CORPUS_DIR / "intents_dev2_2026-11-30_fraud.txt"
BLIND2_FILE = CORPUS_DIR / "intents_blind2_2026-11-30.tsv"
BLIND2_FRAUD_FILE = CORPUS_DIR / "intents_blind2_2026-11-30_fraud.txt"


def test_dev2_set_shape():
    rows = read_labelled_tsv(DEV2_FILE)
    assert len(rows) >= 190
    counts = {intent: sum(1 for i, _ in rows if i == intent) for intent in INTENTS}
    assert min(counts.values()) >= 15, counts


def test_dev2_set_accuracy_gate():
    """Written and committed before round 4 changed the recogniser (85.5 % then, fraud recall
    9/16), then tuned on: a regression gate only."""
    _assert_set_gate(DEV2_FILE, 0.97, 0.90)


def test_dev2_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(DEV2_FILE, DEV2_FRAUD_FILE)


def test_blind2_set_accuracy_gate():
    """Blind set 2 was scored once after round 3 (92.3 %, fraud recall 12/16) and is a tuning
    set since: issue 15's bar (>= 98 %, no class under 93 %) as a regression gate only."""
    _assert_set_gate(BLIND2_FILE, 0.98, 0.93)


def test_blind2_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(BLIND2_FILE, BLIND2_FRAUD_FILE)


# Each kind of round 4 in words no set uses: (text, intent, fraud).
ROUND4_LINES = [
    # Fraud told as a story: a relative's loan nobody asked for, a fake page or profile, an
    # amount asked "para desembolsar", a copy of an ID, "como si fuera de proalto".
    ("a mi tia le salio un prestamo de ustedes que ella jamas pidio", "queja", True),
    ("a mi hijo le hicieron un credito y el nunca firmo nada", "queja", True),
    ("un muchacho que se hacia llamar asesor me cobro 150 mil para el desembolso", "queja", True),
    ("hay un perfil falso de proalto en facebook que esta cobrando por los creditos", "queja", True),
    ("le consigne 400 mil a una supuesta asesora y nunca me llego el credito", "queja", True),
    ("alguien me escribio como si fuera de proalto pidiendo mis claves del banco", "queja", True),
    ("mi firma en el pagare es falsa", "queja", True),
    ("me mandaron un link falso de proalto y puse mis datos de la tarjeta", "queja", True),
    ("un tal asesor me pidio 500 mil para sacar el credito", "queja", True),
    (
        "una senora me llamo diciendo que era de proalto y que para desembolsarme tenia que consignarle 250 mil",
        "queja",
        True,
    ),
    ("me llego un mensaje que me aprobaron un credito pero que debia pagar el seguro primero", "queja", True),
    ("me aparecen dos creditos y yo solo pedi uno", "queja", True),
    ("a mi papa le llego un descuento de un credito que el no conoce", "queja", True),
    ("me mandaron un link de proalto para actualizar datos y me vaciaron la cuenta", "queja", True),
    ("alguien se esta haciendo pasar por asesor de ustedes en facebook", "queja", True),
    ("el que me atendio me dijo que le consignara a su cuenta personal", "queja", True),
    ("hay una persona usando mi cedula para pedir prestamos", "queja", True),
    ("el banco me dice que tengo una libranza de ustedes y nunca la he tramitado", "queja", True),
    ("me escribio un asesor de proalto pidiendome foto de mi cedula y la clave del banco", "queja", True),
    ("pague 300 mil a un asesor que me prometio el credito y no volvio a contestar", "queja", True),
    ("mi tio recibio una llamada de proalto pidiendo datos de la tarjeta para desembolsar", "queja", True),
    ("hay un credito registrado a mi nombre en datacredito que yo no hice con ustedes", "queja", True),
    ("una persona que dijo ser de ustedes me quito 500 mil", "queja", True),
    ("mi esposo tiene un descuento de proalto pero el nunca ha pedido nada con ustedes", "queja", True),
    ("nunca firme ningun pagare y ahora me cobran", "queja", True),
    ("la supuesta asesora me dijo que le girara la plata a su nequi", "queja", True),
    ("un senor en la calle me ofrecio un credito de proalto si le daba 100 mil", "queja", True),
    ("me dijeron por telefono que era de proalto y que me consignaban hoy si les mandaba el codigo", "queja", True),
    # ...and ordinary complaints stay ordinary.
    ("me pidieron la clave para entrar a la app de ustedes y no me deja entrar, pesimo", "queja", False),
    ("la cuota me la subieron sin explicacion", "queja", False),
    ("estoy cansado de que me llamen a cobrar si estoy al dia", "queja", False),
    ("me pidieron 2 millones de ingresos para aprobar y no los gano, que injusticia", "queja", False),
    ("me cobraron intereses de mora sin razon", "queja", False),
    ("el asesor me prometio una tasa y me cobraron otra", "queja", False),
    ("me descontaron la cuota aunque ya la habia pagado por pse", "queja", False),
    ("me cobraron un seguro que no autorice", "queja", False),
    ("el descuento llego mas alto y nadie me informo", "queja", False),
    # Renewal as refinancing, or the current loan's amount raised.
    ("necesito un credito nuevo que cancele el que tengo", "renovacion", False),
    ("quiero que me den un credito nuevo y que con ese paguen lo que debo", "renovacion", False),
    ("quisiera subir el monto de mi libranza", "renovacion", False),
    ("pague la cuota del credito actual y quiero saber mi saldo nuevo", "saldo", False),
    ("me desembolsan hoy si les mando el codigo de verificacion?", "estado_solicitud", False),
    ("estoy pagando un credito y quiero que me presten mas", "renovacion", False),
    ("puedo pedir otro credito sin haber terminado el actual?", "renovacion", False),
    # A sum wanted is a new loan; a payout awaited, or no news since applying, is an
    # application's status.
    ("hace un mes radique y no se nada", "estado_solicitud", False),
    ("volvi a enviar los papeles, ya los recibieron?", "estado_solicitud", False),
    ("ya me llamaron para firmar?", "estado_solicitud", False),
    ("cuanto debo del credito que me dieron el mes pasado", "saldo", False),
    ("necesito 15 millones, que requisitos piden", "nuevo_credito", False),
    ("yo nunca he sacado credito con ustedes, que necesito", "nuevo_credito", False),
    ("pedi 10 millones hace una semana, en que va", "estado_solicitud", False),
    ("cuanto falta para el desembolso", "estado_solicitud", False),
    # Another provider's business, with a service word in it.
    ("cual es el saldo de mi cuenta de ahorros en el banco", "desconocido", False),
    ("como actualizo el plan de mi celular", "desconocido", False),
    ("quiero renovar la licencia de conduccion", "desconocido", False),
    ("como renuevo mi cedula", "desconocido", False),
    ("necesito un certificado de estudios", "desconocido", False),
    ("necesito el certificado de afiliacion a la caja de compensacion", "desconocido", False),
    ("cuanto es el saldo de la tarjeta de credito del almacen", "desconocido", False),
    ("quiero actualizar mis datos en el sisben", "desconocido", False),
    ("necesito el paz y salvo de la administracion del conjunto", "desconocido", False),
    ("quisiera saber el saldo de mis cesantias", "desconocido", False),
    ("retirenme de sus listas de contacto", "privacidad", False),
    ("me pasas el telefono de una pizzeria", "desconocido", False),
    ("me pasas la letra de esa cancion", "desconocido", False),
    ("me pasa el saldo porfa", "saldo", False),
    ("necesito plata para la matricula del colegio", "nuevo_credito", False),
    ("actualicen mi celular que me cambie de claro a movistar", "privacidad", False),
    # Lost, or starting over; who to talk to; done with thanks.
    ("regresame al inicio porfa", "menu", False),
    ("me perdi, empecemos otra vez", "menu", False),
    ("quiero volver a empezar el tramite del credito", "renovacion", False),
    ("con quien hablo sobre un problema con mi credito", "asesor", False),
    ("ya termine, muchas gracias", "despedida", False),
    ("ya termine de pagar gracias", "paz_y_salvo", False),
    # An option's name typed short.
    ("quiero saber el sado", "saldo", False),
    ("mennu", "menu", False),
    ("kkkk", "desconocido", False),
    # A document saying the loan is settled.
    ("me envian una carta que diga que el credito quedo cancelado", "paz_y_salvo", False),
    ("necesito que me digan que el credito ya esta cancelado", "paz_y_salvo", False),
    ("necesito que me certifiquen que estoy libre de deudas", "paz_y_salvo", False),
]


@pytest.mark.parametrize("text, intent, fraud", ROUND4_LINES)
def test_round4_kinds(text, intent, fraud):
    assert recognise(text).intent == intent
    assert is_fraud(text) is fraud


def test_short_words_are_corrected_only_towards_an_option_name():
    """A short word is "saldo" with a letter dropped ("sado"), a menu option; "creo" is not
    "correo", "moto" is not "monto"."""
    assert canonical("sado") == canonical("saldo")
    assert canonical("creo") is None and canonical("moto") is None


# --------------------------------------------------------------------------------------
# Round 5 (issue 15): dev set 3 and the consumed blind set 3, gated against regressions
# --------------------------------------------------------------------------------------

DEV3_FILE = CORPUS_DIR / "intents_dev3_2026-11-30.tsv"
DEV3_FRAUD_FILE = CORPUS_DIR / "intents_dev3_2026-11-30_fraud.txt"
BLIND3_FILE = CORPUS_DIR / "intents_blind3_2026-11-30.tsv"
BLIND3_FRAUD_FILE = CORPUS_DIR / "intents_blind3_2026-11-30_fraud.txt"


def test_dev3_set_shape():
    """Written before round 5 changed the recogniser: >= 15 lines a class, >= 25 fraud
    stories, every one a complaint of the set."""
    rows = read_labelled_tsv(DEV3_FILE)
    assert len(rows) >= 200
    counts = {intent: sum(1 for i, _ in rows if i == intent) for intent in INTENTS}
    assert min(counts.values()) >= 15, counts
    fraud = [line for line in DEV3_FRAUD_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(fraud) >= 25 and set(fraud) <= {u for i, u in rows if i == "queja"}


def test_dev3_set_accuracy_gate():
    """Written and committed before round 5 changed the recogniser (86.9 % then, fraud recall
    23/28), then tuned on: a regression gate only."""
    _assert_set_gate(DEV3_FILE, 0.97, 0.90)


def test_dev3_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(DEV3_FILE, DEV3_FRAUD_FILE)


def test_blind3_set_accuracy_gate():
    """Blind set 3 was scored once after round 4 (96.9 %, fraud recall 12/15) and is a tuning
    set since: issue 15's bar (>= 98 %, no class under 93 %) as a regression gate only."""
    _assert_set_gate(BLIND3_FILE, 0.98, 0.93)


def test_blind3_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(BLIND3_FILE, BLIND3_FRAUD_FILE)


# Each kind of round 5 in words no set uses: (text, intent, fraud).
ROUND5_LINES = [
    # Personal data or papers used to get a loan, in either order; a fake page, form or
    # message (or a link "para actualizar la informacion", or a code handed over) after which
    # a loan or deductions appeared.
    ("una persona esta pidiendo creditos con mis datos personales", "queja", True),
    ("alguien saco un credito usando mis datos, yo no fui", "queja", True),
    ("con la copia de mi cedula hicieron un credito", "queja", True),
    ("alguien uso mis papeles para endeudarme con ustedes", "queja", True),
    ("me sacaron un credito con mi huella sin permiso", "queja", True),
    ("alguien tiene mis datos y pidio un prestamo en mi nombre", "queja", True),
    ("ingrese mis datos en una pagina que parecia de ustedes y ahora me estan descontando", "queja", True),
    ("entre a un link que me mandaron para actualizar la informacion y luego me aparecio una libranza", "queja", True),
    ("me pidieron actualizar mis datos por un correo raro y despues me empezaron a descontar", "queja", True),
    ("llene unos datos en un link de facebook y ahora tengo una libranza con ustedes", "queja", True),
    ("me yamaron de proalto pa q les diera el codigo q me llego y despues me descontaron un credito", "queja", True),
    ("me pidieron el codigo que me llego por mensaje y despues apareci con una deuda", "queja", True),
    ("me llego un mensaje falso de proalto pidiendome la clave", "queja", True),
    # Posing as ProAlto (also "supuestamente de proalto", "un asesor falso") and asking for a
    # payment, a deposit or a transfer; told to pay or paid, and it was a lie; charged, and
    # the person vanished.
    ("me llamo un señor de parte de proalto, dijo que consignara 500 mil para el seguro, era mentira", "queja", True),
    ("me contactaron en nombre de proalto pidiendome un pago para el desembolso y no era verdad", "queja", True),
    ("me llamaron para que consignara 300 mil para el credito y todo era mentira", "queja", True),
    ("un funcionario falso me pidio plata para agilizar", "queja", True),
    ("un señor me cobro por tramitarme el credito con ustedes y nunca lo volvi a ver", "queja", True),
    ("me toco pagarle a un intermediario para que me aprobaran y ahora no aparece", "queja", True),
    ("me hicieron transferir plata a una cuenta que no era de ustedes", "queja", True),
    ("un asesor de ustedes me pidio mi clave de nequi", "queja", True),
    # ...and ordinary complaints stay ordinary ("esto es un robo" judges a price).
    ("me dijeron que no cobraban seguro y era mentira", "queja", False),
    ("esto es un robo, me subieron la cuota", "queja", False),
    ("el asesor me dijo una cosa y resulto otra, me cobran mas", "queja", False),
    ("me cobraron la cuota antes de tiempo", "queja", False),
    # Since dev set 5 joined the model's training (round 8): money taken for a "study" and no
    # loan given reads as a possible advance-fee scam, an urgent ticket; ProAlto charges nothing
    # before a loan (the rules already flag "me pidieron consignar para el estudio").
    ("me cobraron 50 mil por el estudio del credito y nunca me lo aprobaron", "queja", True),
    ("me desembolsaron menos de lo acordado, eso no fue lo que firme", "queja", False),
    ("el asesor me dijo mentiras sobre la tasa", "queja", False),
    ("llevo semanas esperando el paz y salvo, esto es una burla", "queja", False),
    ("me llego publicidad de un credito que no pedi, como me salgo de esa lista", "privacidad", False),
    # A service ProAlto does not offer, asked of ProAlto, is unknown (not the menu, not a
    # loan); so is a lawyer, a job, a phone's signal.
    ("hacen giros a otros paises?", "desconocido", False),
    ("me pueden enviar plata desde españa?", "desconocido", False),
    ("manejan seguros de vida", "desconocido", False),
    ("me pueden dar una tarjeta de credito", "desconocido", False),
    ("puedo comprar dolares con ustedes", "desconocido", False),
    ("ofrecen cdts?", "desconocido", False),
    ("cambian cheques?", "desconocido", False),
    ("hacen creditos hipotecarios para vivienda?", "desconocido", False),
    ("conocen un buen abogado de familia", "desconocido", False),
    ("quiero trabajar con ustedes como asesor", "desconocido", False),
    ("el celular no tiene senal", "desconocido", False),
    ("el credito tiene seguro de vida incluido?", "nuevo_credito", False),
    # What can be done here is the menu.
    ("que puedo averiguar por aqui", "menu", False),
    ("que preguntas te puedo hacer", "menu", False),
    ("que otra cosa puedo consultar", "menu", False),
    ("en que me puedes colaborar", "menu", False),
    ("como funciona esto", "menu", False),
    ("que puedo hacer para saber mi saldo", "saldo", False),
    # Money sent (or papers received) for an application is its status.
    ("el credito ya fue girado?", "estado_solicitud", False),
    ("la plata del credito ya esta en mi cuenta?", "estado_solicitud", False),
    ("ya consignaron?", "estado_solicitud", False),
    ("ya recibieron mis documentos?", "estado_solicitud", False),
    ("ya mande todo, cuando me dicen algo", "estado_solicitud", False),
    ("como es el tramite para un prestamo", "nuevo_credito", False),
    # An advert or an offer and a request to take it is a new credit.
    ("vi una publicidad de proalto, quiero un credito", "nuevo_credito", False),
    ("me salio un preaprobado, como lo reclamo", "nuevo_credito", False),
    ("vi la publicidad de ustedes en la radio, q nesecito pa un prestamo", "nuevo_credito", False),
    ("me llega publicidad de ustedes todos los dias, no quiero mas", "privacidad", False),
    ("me llegan mensajes de ustedes sin haberlos pedido", "privacidad", False),
    # More on top of what is owed, or borrowing again near the end, is a renewal.
    ("me pueden prestar mas sobre lo que debo", "renovacion", False),
    ("quiero otro prestamo encima del que tengo", "renovacion", False),
    ("quiero juntar mi deuda con un nuevo prestamo", "renovacion", False),
    ("me queda poco por pagar, puedo sacar otro", "renovacion", False),
    ("ya pague casi todo, puedo pedir otro", "renovacion", False),
    ("quiero volver a sacar sin terminar de pagar", "renovacion", False),
    ("cuanto debo sobre mi credito", "saldo", False),
    ("cuanto me cobran si pago todo antes", "saldo", False),
    # Closing talk, a certificate of a loan paid off, a change of address.
    ("bueno eso era todo, buenas noches", "despedida", False),
    ("me voy, buena tarde", "despedida", False),
    ("necesito una carta donde diga que pague el credito completo", "paz_y_salvo", False),
    ("ya no vivo en esa direccion", "privacidad", False),
    ("gracias, buena noche", "despedida", False),
    ("mil gracias, que tenga feliz tarde", "despedida", False),
    # The same kinds said otherwise: the data used in the passive or leaked, "dizque" or "se
    # presento como" for posing, "y que pagara", a price judged a scam (not fraud).
    ("mis datos fueron usados para sacar un credito", "queja", True),
    ("mi informacion personal fue utilizada para sacar un credito", "queja", True),
    ("se filtraron mis datos y ahora tengo una deuda con ustedes", "queja", True),
    ("un man que dizque era de proalto me pidio 300 mil", "queja", True),
    ("se presento como asesor de proalto y me pidio una consignacion", "queja", True),
    ("me llamaron de un numero desconocido diciendo que eran de proalto y que pagara el estudio", "queja", True),
    ("esto es una estafa, me cobran intereses altisimos", "queja", False),
    ("me siento estafado con la tasa que me cobran", "queja", False),
    ("el asesor nunca me devolvio la llamada", "queja", False),
    ("dejen de yamarme", "privacidad", False),
    ("tienen servicio de giros?", "desconocido", False),
    ("hacen envios de plata?", "desconocido", False),
    ("puedo pagar servicios publicos por aqui?", "desconocido", False),
    ("me hacen el giro del credito hoy?", "estado_solicitud", False),
    ("ya me cayo la plata?", "estado_solicitud", False),
    ("cuando me hacen la consignacion del prestamo", "estado_solicitud", False),
    ("cuando me responden lo del credito", "estado_solicitud", False),
    ("me falta algun papel para que me aprueben?", "estado_solicitud", False),
    ("cuanto tiempo demora aprobar un credito nuevo", "nuevo_credito", False),
    ("no quiero un credito nuevo, como va mi solicitud", "estado_solicitud", False),
    ("que me puedes decir", "menu", False),
    ("que temas manejas", "menu", False),
    ("que tipo de consultas puedo hacer", "menu", False),
    ("me llego la oferta del credito preaprobado, quiero aceptarla", "nuevo_credito", False),
    ("me pueden prestar lo que ya he pagado?", "renovacion", False),
    ("me falta un año de pagar y necesito mas plata, se puede?", "renovacion", False),
    ("me interesa volver a sacar credito con ustedes, todavia estoy pagando", "renovacion", False),
    ("ya me falta poco, quiero otro", "renovacion", False),
    # Told the loan is approved and to pay first, a fake transfer, a password "para
    # depositarme", a loan never "tomado", "sin haber pedido nada", "me timaron".
    (
        "me llamo alguien de proalto diciendo que tenia un credito aprobado y que debia consignar el 10 por ciento",
        "queja",
        True,
    ),
    ("me hicieron una transferencia falsa y me pidieron devolver plata", "queja", True),
    ("me pidieron la clave de mi cuenta para depositarme el prestamo", "queja", True),
    ("me dicen que debo un credito que jamas tome", "queja", True),
    ("me estan descontando de la pension sin yo haber pedido nada", "queja", True),
    ("me timaron con un credito falso de proalto", "queja", True),
    ("alguien esta haciendo prestamos con mi nombre", "queja", True),
    ("me pidieron foto de la cedula por whatsapp y despues me salio un prestamo", "queja", True),
    ("no me han devuelto el saldo a favor", "queja", False),
    # ...and the customer's own application with an ID is no theft.
    ("puedo sacar un credito solo con mi cedula?", "nuevo_credito", False),
    ("me aprobaron el credito, tengo que pagar la primera cuota cuando?", "estado_solicitud", False),
    # Data given on a channel or obtained by someone, then a loan; "para que hiciera un deposito".
    ("alguien consiguio mis datos y pidio plata prestada en proalto", "queja", True),
    ("abri un link que decia proalto, llene todo y a la semana tenia un credito encima", "queja", True),
    ("me llego un correo de proalto para verificar mi cuenta, le di clic y ahora tengo descuentos", "queja", True),
    ("le pase mis datos a un asesor por whatsapp y ahora aparezco con dos creditos", "queja", True),
    ("hay un prestamo a mi nombre y yo nunca di mis datos", "queja", True),
    ("me llamaron de parte de proalto para que hiciera un deposito de garantia, todo era mentira", "queja", True),
    # Complaints without a complaint word: a payment not applied, a credit bureau report, the
    # app down, an aggressive collector, a refusal "sin ninguna explicacion".
    ("no me han aplicado el pago que hice hace una semana", "queja", False),
    ("me reportaron en centrales de riesgo y estoy al dia", "queja", False),
    ("la app no funciona y no puedo pagar", "queja", False),
    ("la app de bancolombia esta caida?", "desconocido", False),
    ("me estan llamando a cobrar de forma agresiva", "queja", False),
    ("me negaron el credito sin ninguna explicacion y me cobraron el estudio", "queja", False),
    # The balance so far; an application under way; a payout or a department; renewal words.
    ("cuantos meses me quedan de credito", "saldo", False),
    ("cuanto me han descontado hasta ahora", "saldo", False),
    ("en que quedo lo de mi credito", "estado_solicitud", False),
    ("mi credito sigue en tramite?", "estado_solicitud", False),
    ("me llamaron para verificar datos, eso quiere decir que ya me aprobaron?", "estado_solicitud", False),
    ("ya hicieron el giro?", "estado_solicitud", False),
    ("quiero hablar con el area juridica", "asesor", False),
    ("tengo un prestamo vigente, puedo pedir otro desembolso?", "renovacion", False),
    ("quiero otro credito encima del actual", "renovacion", False),
    ("puedo hacer una recompra de mi credito?", "renovacion", False),
    ("quiero otro credito aparte del que tengo", "nuevo_credito", False),
    # The menu, bare help, a broken phone line; stop calls; a field "no es el mio".
    ("que cosas haces?", "menu", False),
    ("ayudame", "menu", False),
    ("necesito informacion", "menu", False),
    ("vi la publicidad, me explican el credito?", "nuevo_credito", False),
    ("no quiero mas llamadas de proalto", "privacidad", False),
    ("el correo que tienen no es el mio", "privacidad", False),
    ("estan usando mis fotos y mi cedula en un perfil falso de proalto", "queja", True),
    ("me llego un mensaje que decia que mi cuenta en proalto estaba bloqueada y que diera mi clave", "queja", True),
    ("tengo descuentos de una entidad que no conozco, dicen que es proalto", "queja", True),
    ("me pidieron la clave para entrar a la app de ustedes y no me deja entrar, pesimo", "queja", False),
    ("necesito que me contacten urgente", "asesor", False),
    ("puedo pedir un nuevo credito si aun debo en el actual?", "renovacion", False),
    ("ya me pasaron la plata del credito?", "estado_solicitud", False),
    ("la plata ya esta disponible?", "estado_solicitud", False),
    ("ya puedo retirar la plata del credito?", "estado_solicitud", False),
    ("me transfirieron?", "estado_solicitud", False),
    ("me transfieren con un asesor", "asesor", False),
    ("cuanto pago este mes", "saldo", False),
    ("cuanto cobran por una consulta medica", "desconocido", False),
    ("me pueden dar mas plata con la misma cuota", "renovacion", False),
    # A fake page, link or loan reported is fraud before anything is lost; money taken "con un
    # cuento"; "se hace llamar proalto"; a payment to "su nequi personal"; never a client.
    ("me mandaron un link para firmar el credito y resulto ser una pagina falsa", "queja", True),
    ("me quitaron plata con un cuento de un credito de proalto", "queja", True),
    ("un perfil de facebook que se hace llamar proalto me cobro la asesoria", "queja", True),
    ("un asesor me pidio que le consignara la comision a su nequi personal", "queja", True),
    ("me estan descontando una libranza y nunca he sido cliente de ustedes", "queja", True),
    ("me engañaron con un falso credito de proalto, les pague el estudio", "queja", True),
    ("me quitaron plata de la nomina sin avisar", "queja", False),
    ("me llego un correo falso de proalto", "queja", True),
    ("una persona me dijo que trabajaba en proalto y que le diera 200 mil para que salga el credito", "queja", True),
    # Since round 8 (the trained model): someone on the phone asking for the customer's cédula
    # "for the advisor" reads as a possible scam, an urgent ticket (a person either way).
    ("me llamaron y me dijeron que le diera la cedula al asesor para el credito", "queja", True),
    ("la plata del prestamo a que cuenta la consignaron?", "estado_solicitud", False),
    ("para que me sirve este whatsapp?", "menu", False),
    ("hacen prestamos hipotecarios?", "desconocido", False),
    ("se valieron de mi informacion personal para endeudarme con un credito", "queja", True),
    ("mis datos fueron robados y con ellos sacaron un prestamo en su entidad", "queja", True),
    ("ingrese a una pagina identica a la de proalto y luego me aparecio un credito", "queja", True),
    ("puedo pagar mi tarjeta de credito de otro banco aqui?", "desconocido", False),
]


@pytest.mark.parametrize("text, intent, fraud", ROUND5_LINES)
def test_round5_kinds(text, intent, fraud):
    assert recognise(text).intent == intent
    assert is_fraud(text) is fraud


BLIND4_FILE = CORPUS_DIR / "intents_blind4_2026-11-30.tsv"
BLIND4_FRAUD_FILE = CORPUS_DIR / "intents_blind4_2026-11-30_fraud.txt"


def test_blind4_set_accuracy_gate():
    """Blind set 4 was scored once before and once after round 5 (98.3 % both times, fraud recall
    15/16) and is a tuning set since (round 6 tuned on its misses): issue 15's bar (>= 98 %, no
    class under 93 %) as a regression gate only."""
    _assert_set_gate(BLIND4_FILE, 0.98, 0.93)


def test_blind4_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(BLIND4_FILE, BLIND4_FRAUD_FILE)


# --------------------------------------------------------------------------------------
# Round 6 (issue 15): dev set 4 and the consumed blind set 4, gated against regressions
# --------------------------------------------------------------------------------------

DEV4_FILE = CORPUS_DIR / "intents_dev4_2026-11-30.tsv"
DEV4_FRAUD_FILE = CORPUS_DIR / "intents_dev4_2026-11-30_fraud.txt"


def test_dev4_set_shape():
    """Written before round 6 changed the recogniser, without reading it: >= 300 lines, >= 20 a
    class, >= 20 fraud stories, every one a complaint of the set."""
    rows = read_labelled_tsv(DEV4_FILE)
    assert len(rows) >= 300
    counts = {intent: sum(1 for i, _ in rows if i == intent) for intent in INTENTS}
    assert min(counts.values()) >= 20, counts
    fraud = [line for line in DEV4_FRAUD_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(fraud) >= 20 and set(fraud) <= {u for i, u in rows if i == "queja"}


def test_dev4_set_accuracy_gate():
    """Written and committed before round 6 changed the recogniser (89.5 % then, fraud recall 24/30), then
    tuned on: a regression gate only."""
    _assert_set_gate(DEV4_FILE, 0.97, 0.90)


def test_dev4_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(DEV4_FILE, DEV4_FRAUD_FILE)


# Each kind of round 6 in words no set uses: (text, intent, fraud).
ROUND6_LINES = [
    # Privacy needs personal data as the object: a verb of the customer's own ("escribir",
    # "cambiar", "llamar") or of the loan in passing is something else.
    ("no puedo escribir mucho, me llaman?", "asesor", False),
    ("me da pena pero no se escribir, alguien me puede llamar", "asesor", False),
    ("mi cuota sigue igual?", "saldo", False),
    ("la cuota cambia cada año o es fija?", "saldo", False),
    ("mi cuota es la misma del año pasado?", "saldo", False),
    ("ya les mande mis datos, que sigue?", "estado_solicitud", False),
    ("llene el formulario con mis datos, cuando me responden", "estado_solicitud", False),
    ("como cambio la clave de mi correo de gmail", "desconocido", False),
    ("como actualizo whatsapp", "desconocido", False),
    ("cambie de numero, el nuevo es 3001234567", "privacidad", False),
    ("mi numero ya no es este, actualicelo", "privacidad", False),
    ("por favor no llamen a mis referencias", "privacidad", False),
    ("no quiero recibir llamadas de cobranza a mi familia, quiten ese numero", "privacidad", False),
    ("no me vuelvan a llamar por favor", "privacidad", False),
    # Taken back to a place in the chat, lost for what to write, a wrong option, a bare greeting:
    # the menu (a refund, "devuelvanme la plata", stays a complaint).
    ("llevame a las opciones", "menu", False),
    ("me devuelves al menu principal?", "menu", False),
    ("regresame al paso anterior", "menu", False),
    ("devuelvase", "menu", False),
    ("me equivoque de opcion", "menu", False),
    ("no sé qué hacer", "menu", False),
    ("no se que poner, ayuda", "menu", False),
    ("no entiendo nada, muestrame las opciones", "menu", False),
    ("no entiendo como funciona esto, que opciones hay", "menu", False),
    ("y ahora que hago", "menu", False),
    ("que mas pues", "menu", False),
    ("como estan", "menu", False),
    ("devuélvanme la plata que me descontaron de más", "queja", False),
    # A deduction, charge or debit never authorised, asked for or recognised, on the payslip, the
    # pension or the account: fraud. An add-on or a wrong amount of the customer's own loan is an
    # ordinary complaint.
    ("en mi colilla aparece un descuento de ustedes que yo nunca autorice", "queja", True),
    ("me estan cobrando algo que nunca solicite", "queja", True),
    ("me descuentan de la pension un dinero que yo no autorice", "queja", True),
    ("me aparecio un cobro en el desprendible que yo no pedi", "queja", True),
    ("en el extracto de mi cuenta aparece un debito automatico de proalto que no conozco", "queja", True),
    ("tengo un descuento que desconozco en la colilla", "queja", True),
    ("cobraron de mi cuenta de ahorros un valor que jamas autorice a proalto", "queja", True),
    ("aparezco con una deuda con proalto pero yo nunca he sido cliente", "queja", True),
    ("la nomina me trae un descuento de proalto y yo nunca hice ningun credito", "queja", True),
    ("me quieren cobrar una deuda que no es mia", "queja", True),
    ("me hicieron firmar un pagare en blanco", "queja", True),
    ("el seguro del credito no lo autorice y me lo estan cobrando", "queja", False),
    ("no reconozco el valor que me descontaron este mes, es mas alto", "queja", False),
    ("el descuento de la nomina vino con un valor que yo no autorice", "queja", False),
    ("me estan descontando un seguro que jamas pedi", "queja", False),
    ("me descontaron dos veces la cuota de este mes", "queja", False),
    ("no tengo credito con ustedes, quiero uno", "nuevo_credito", False),
    # Scams told in other words: an offer out of the blue or on a social network with money
    # asked, a loan "if you deposit", the data and the ID photo asked by someone posing as
    # ProAlto, a bank app's password, a fee paid to a stranger who vanished.
    ("me ofrecieron un credito por facebook y me pidieron plata para el seguro", "queja", True),
    ("me llamaron de un numero raro diciendo que eran de proalto y que me aprobaban si consignaba", "queja", True),
    ("un tipo por whatsapp me dijo que era de proalto y me pidio mis datos y la foto de la cedula", "queja", True),
    ("me llamaron a ofrecerme un credito y me pidieron la clave de la app del banco", "queja", True),
    ("pague el estudio de credito a una persona y desaparecio", "queja", True),
    # Complaints without a complaint word: terms changed without notice, a cost never explained,
    # collection calls while never behind, a payment not showing, calls never answered, fed up.
    ("cambiaron la fecha de pago sin avisarme", "queja", False),
    ("el asesor nunca me dijo que la tasa era tan alta", "queja", False),
    ("me estan llamando a cobrar y nunca me he atrasado", "queja", False),
    ("pague por pse y no me aparece el pago", "queja", False),
    ("nunca me contestan el telefono", "queja", False),
    ("ya estoy cansado de que me llamen a cobrar", "queja", False),
    ("nunca me llego el dinero del credito y ya me estan descontando", "queja", False),
    # Lent again, or on the loan the customer has: a renewal; the balance asked first, its purpose
    # after: the balance; a loan "que no sale": its status; rung: an advisor; another
    # institution's number: not ours.
    ("me pueden prestar otra vez?", "renovacion", False),
    ("ya voy en la cuota 20, me pueden hacer otro", "renovacion", False),
    ("me hace falta plata, puedo pedir sobre mi credito", "renovacion", False),
    ("cuanto debo? es para saber si renuevo", "saldo", False),
    ("necesito saber mi deuda para sacar un credito en otro banco", "saldo", False),
    ("cuanto seria el total si pago todo de una", "saldo", False),
    ("que pasa con mi prestamo que no sale", "estado_solicitud", False),
    ("ya tienen mis papeles, me avisan?", "estado_solicitud", False),
    ("me pueden marcar?", "asesor", False),
    ("cual es el numero de la policia", "desconocido", False),
    ("cual es el telefono del banco agrario", "desconocido", False),
    # Kinds found on dev set 4's misses, in other words: how much is left asked outright (also
    # typed "cuato"), until when, a balance named by a customer who says who they are; papers
    # handed in, reviewed or missing; paid off "sin deudas"; more on "ese mismo" loan, a renewal
    # an advisor offered, a loan raised "por un monto mayor", a buy-back with money left; lending
    # or a borrowing capacity asked about, other lenders' debts bought, applying; an advisor asked
    # with a preference; a double deduction, arrears though paid, charged for a loan denied, a
    # refund awaited, told one figure and given another; phishing by name, ProAlto's logo used, a
    # ghost loan, data taken and money borrowed; help with the chat; other authorities' papers, a
    # pension fund's business, chain messages.
    ("cuato me falta para acabar de pagar", "saldo", False),
    ("hasta cuando me van a descontar la libranza", "saldo", False),
    ("soy pensionada de casur, me pueden decir el saldo de mi prestamo", "saldo", False),
    ("mi hermano tiene credito con ustedes, cuanto le falta?", "saldo", False),
    ("mi esposo tiene un credito con ustedes, cuanto debe?", "saldo", False),
    ("ya les entregue la colilla y el certificado laboral, ya lo revisaron?", "estado_solicitud", False),
    ("me falta algo para que aprueben mi credito?", "estado_solicitud", False),
    ("le mande los papeles a la asesora por correo, le llegaron?", "estado_solicitud", False),
    ("necesito la constancia de que quede sin deudas con proalto", "paz_y_salvo", False),
    ("tengo un credito con ustedes y quisiera que me presten mas sobre ese mismo", "renovacion", False),
    ("me interesa la renovacion que me ofrecio la asesora", "renovacion", False),
    ("quiero que suban mi credito actual por un monto mayor", "renovacion", False),
    ("se puede hacer recompra y que me quede algo", "renovacion", False),
    ("mi cuñada me conto que ustedes prestan a pensionados, como funciona", "nuevo_credito", False),
    ("en la colilla me sale capacidad de 400 mil, cuanto me prestarian", "nuevo_credito", False),
    ("ustedes hacen compra de cartera de la cooperativa?", "nuevo_credito", False),
    ("quiero hacer una solicitud de credito", "nuevo_credito", False),
    ("prefiero que un asesor me llame, con el celular no me entiendo", "asesor", False),
    ("en el desprendible salen tres descuentos de ustedes, eso esta mal", "queja", False),
    ("la pagaduria pago a tiempo y me cobraron intereses de mora", "queja", False),
    ("me cobraron el estudio y me lo negaron, no es justo", "queja", False),
    ("hace un mes pedi el reembolso y nada", "queja", False),
    ("me ofrecieron una cuota y en el contrato aparece otra", "queja", False),
    ("me dijeron que el desembolso era completo y me llego menos plata", "queja", False),
    ("me llego una llamada rara pidiendo el codigo de verificacion, eso es fraude?", "queja", True),
    ("hay gente usando el logo de proalto para pedir consignaciones", "queja", True),
    ("me descuentan un prestamo fantasma", "queja", True),
    ("una vecina se llevo mis papeles y pidio plata prestada a mi nombre", "queja", True),
    ("un señor que dijo ser asesor de proalto se llevo mis papeles y mi plata", "queja", True),
    ("a mi mama la engañaron diciendole que era de proalto y le pidieron 500 mil", "queja", True),
    ("me enviaron un link para actualizar datos y despues me robaron", "queja", True),
    ("un supuesto abogado de proalto me esta cobrando una deuda que no tengo", "queja", True),
    ("tengo una deuda que no tengo como pagar", "saldo", False),
    ("les prohibo que me sigan llamando", "privacidad", False),
    (
        "muy buenas tardes, mi nombre es luz marina, quisiera saber cuanto me queda pendiente de la libranza",
        "saldo",
        False,
    ),
    ("necesito que me expliquen como funciona este chat", "menu", False),
    ("y ahora que pongo?", "menu", False),
    ("no se usar esto, me repite desde el principio", "menu", False),
    ("gracias ya termine aca", "despedida", False),
    ("donde saco los antecedentes judiciales", "desconocido", False),
    ("a que numero llamo en porvenir para el traslado", "desconocido", False),
    ("cuando pagan la pension en fopep", "desconocido", False),
    ("reenvia este mensaje a 10 contactos y tendras suerte", "desconocido", False),
    # A struggle next to a service asked for in full is the service; a change of advisor with a
    # reason, sarcastic thanks, being treated badly, charged though a payment was made first are
    # complaints; a loan larger than asked is fraud; thanks for a matter resolved closes; a
    # greeting with the customer's name is the menu, a greeting and other talk is not.
    ("quisiera ver el saldo, no entiendo bien esto", "saldo", False),
    ("que opciones de pago tengo para ponerme al dia", "saldo", False),
    ("quiero cambiar de asesor porque no me responde", "queja", False),
    ("gracias por nada, nadie resuelve", "queja", False),
    ("el dia que fui a la oficina me trataron muy feo", "queja", False),
    ("me descontaron la cuota completa aunque ya habia hecho un abono extraordinario", "queja", False),
    ("me dicen que tengo un credito de 8 millones pero yo solo pedi 3", "queja", True),
    ("quiero saber si ustedes venden la informacion de los clientes", "privacidad", False),
    ("gracias, ya me resolvieron", "despedida", False),
    ("listo, entonces quedo pendiente, gracias", "despedida", False),
    ("quiero hablar con mi hijo", "desconocido", False),
    ("hola, soy gloria ines", "menu", False),
    ("hola mija como esta, ya almorzo?", "desconocido", False),
    ("buenos dias, vendo tamales a domicilio", "desconocido", False),
    # Someone posing as ProAlto who made off with an ID, a loan "que nunca recibi", a one-time code
    # relayed to someone who got in touch (not for the customer's own signing); a cost never
    # mentioned, a rise "sin que me avisaran", feeling robbed by the price are ordinary
    # complaints; a phone stolen is nobody's business here.
    ("un hombre se presento como funcionario de proalto y se llevo mi cedula original", "queja", True),
    ("me estan cobrando un prestamo que nunca recibi", "queja", True),
    ("me llamaron y me pidieron el codigo que me llego al celular", "queja", True),
    ("la asesora me pidio el codigo que me llego para firmar, se lo doy?", "asesor", False),
    ("me descontaron un seguro que el asesor nunca me menciono", "queja", False),
    ("la cuota me subio sin que me avisaran", "queja", False),
    ("me siento robada con esos intereses", "queja", False),
    ("me robaron el celular", "desconocido", False),
    # "llamame" asks for a call; what was paid last month is the balance; "hoy mismo" is no "mismo
    # credito"; when the loan comes out is its status.
    ("llamame por favor", "asesor", False),
    ("cuanto pague el mes pasado", "saldo", False),
    ("cuanto vale cancelar el credito hoy mismo", "saldo", False),
    ("cuando sale mi prestamo", "estado_solicitud", False),
    # Another provider's product named with a word of ProAlto's (a credit card, a building's fee, a
    # housing loan of the Fondo Nacional del Ahorro, a cooperative's loan), a thing lent: not ours.
    ("me prestas tu cargador", "desconocido", False),
    ("la cuota de administracion del conjunto cuanto es", "desconocido", False),
    ("quiero un credito de vivienda con el fondo nacional del ahorro", "desconocido", False),
    ("el banco me nego la tarjeta de credito", "desconocido", False),
    ("necesito un prestamo de la cooperativa de mi trabajo, como lo pido alla", "desconocido", False),
    # A misspelt word the rules read is read as the word (same sound, or one letter off a long word
    # away from its end): fraud stays fraud with typos; "a pedido" is "ha pedido".
    ("me estan descontando un credto que nunca solicite", "queja", True),
    ("en el desprendivle aparece un descuento que no autorise", "queja", True),
    ("me isieron un credito con mi cedula sin permiso", "queja", True),
    ("un señor dijo q era de proalto y me pidio consinar 300 mil", "queja", True),
    ("mi mama nunca a pedido un credito y le estan descontando", "queja", True),
    ("ya me aprovaron el credito?", "estado_solicitud", False),
    # English chat words; a certificate that no loan is left; whether anything is still owed;
    # applied already and asking how long.
    ("thank you", "despedida", False),
    ("help", "menu", False),
    ("quisiera un certificado de que ya no tengo credito con ustedes", "paz_y_salvo", False),
    ("necesito demostrar que estoy libre de deudas con proalto", "paz_y_salvo", False),
    ("ya termine de pagar o todavia debo algo?", "saldo", False),
    ("me falta una cuota o ya termine?", "saldo", False),
    ("ya radique, cuanto tiempo tengo que esperar", "estado_solicitud", False),
    ("gracias, y mi credito para cuando?", "estado_solicitud", False),
    # A mood with a person asked for is the advisor; with a grievance named, a complaint.
    ("estoy muy molesto, quiero hablar con un asesor ya", "asesor", False),
    ("estoy molesto, me descontaron dos veces, paseme un asesor", "queja", False),
    # A promise about the money not kept is the status; a diminutive loan, borrowing again after
    # paying a while, a renewal; a lack of seriousness, a complaint; "ole que mas" greets.
    (
        "señorita el muchacho me dijo que la plata me llegaba el viernes y hoy es lunes y nada",
        "estado_solicitud",
        False,
    ),
    ("yo tengo un prestamito con ustedes y necesito otro poquito mas", "renovacion", False),
    ("mire yo ya llevo rato pagando y quisiera que me volvieran a prestar", "renovacion", False),
    ("que falta de seriedad ya es la tercera vez que llamo", "queja", False),
    ("ole que mas", "menu", False),
    # Data used to advertise, or a credit bureau consulted without authorisation, is privacy, not
    # fraud; relatives or neighbours called to collect is a complaint.
    ("usaron mis datos sin autorizacion para enviarme publicidad", "privacidad", False),
    ("yo no autorice que me consultaran en centrales de riesgo", "privacidad", False),
    ("llaman a mis vecinos a cobrarme, eso es humillante", "queja", False),
    ("con mis datos alguien pidio un prestamo", "queja", True),
    # Complaints without a complaint word: interest above the legal limit, a statement that does
    # not add up, the payment platform down, a fine not understood, slowness, hung up on,
    # shouted at, forced, signed unexplained, not satisfied, a denial without a reason, a
    # refund promised and never made, indignation after a wait.
    ("me estan cobrando intereses por encima de lo legal", "queja", False),
    ("el extracto no coincide con lo que me han descontado", "queja", False),
    ("la plataforma para pagar no sirve", "queja", False),
    ("me pusieron una multa que no entiendo", "queja", False),
    ("la atencion por este chat es muy lenta", "queja", False),
    ("me colgaron la llamada", "queja", False),
    ("la asesora me grito", "queja", False),
    ("me obligaron a tomar un seguro", "queja", False),
    ("me hicieron firmar sin explicarme nada", "queja", False),
    ("no estoy conforme con la respuesta que me dieron", "queja", False),
    ("me negaron la renovacion sin explicacion", "queja", False),
    ("me prometieron devolverme la plata y nunca lo hicieron", "queja", False),
    ("hace 3 semanas pedi el certificado y no me lo han mandado, que pasa con ustedes", "queja", False),
    # A refusal, the runaround, signed what was not explained, charged for what is not used or
    # was refused, an absurd wait.
    ("la señorita de la oficina no me quiso atender", "queja", False),
    ("cada vez que llamo me dicen una cosa distinta", "queja", False),
    ("me mandaron a la oficina y alla me dijeron que era por aca", "queja", False),
    ("el asesor me hizo firmar algo que no me explico", "queja", False),
    ("me estan cobrando por un servicio que no uso", "queja", False),
    ("no me quieren devolver lo que pague de mas", "queja", False),
    ("le dije al asesor que no queria seguro y me lo pusieron igual", "queja", False),
    ("no me han querido dar el paz y salvo aunque ya pague", "queja", False),
    ("el tiempo de espera es absurdo", "queja", False),
    # A consequence suffered, a paper never sent, a price judged too high against what was offered,
    # calls to work that caused trouble, treated grudgingly; signed at the notary and asking what is
    # missing is the application's status.
    ("el desembolso llego tarde y me toco pagar intereses", "queja", False),
    ("me toco ir tres veces a la oficina para lo mismo", "queja", False),
    ("nunca me enviaron el contrato firmado", "queja", False),
    ("no me explicaron bien las condiciones y ahora me sale mas caro", "queja", False),
    ("estoy pagando intereses muy altos, no es lo que me ofrecieron", "queja", False),
    ("me estan llamando al trabajo y mi jefe se molesto", "queja", False),
    ("me atendieron de mala gana", "queja", False),
    ("esto no es serio", "queja", False),
    ("ya firme en la notaria, falta algo?", "estado_solicitud", False),
    ("me llamaron para firmar, tengo que ir a la notaria?", "estado_solicitud", False),
    ("buenas tardes, me toca pagar la cuota hoy?", "saldo", False),
    # A department to talk to whatever it is named after; starting again; a tradesman wanted.
    ("quiero hablar con el area de credito", "asesor", False),
    ("me sale mal todo, empecemos otra vez", "menu", False),
    ("necesito plomero urgente", "desconocido", False),
    # Fraud in other words: a share or a tip asked for the payout, money paid to the advisor
    # himself, a password asked after a link, a signature on a paper never signed, a loan made to
    # someone else with the customer's ID.
    ("un asesor me dijo que para el desembolso le diera el 5 por ciento", "queja", True),
    ("el asesor me pidio que le pagara a el directamente la primera cuota", "queja", True),
    ("me exigieron una propina para sacar el credito mas rapido", "queja", True),
    ("me mandaron un sms con un link para reclamar un prestamo aprobado y me pidieron mis claves", "queja", True),
    ("mi firma aparece en un documento que nunca firme", "queja", True),
    ("ustedes le prestaron plata a alguien con mi cedula", "queja", True),
    (
        "me llamaron a ofrecer un credito y me pidieron la foto de la cedula por los dos lados y una selfie",
        "queja",
        True,
    ),
    ("me hicieron una libranza sin mi firma", "queja", True),
    ("el asesor se quedo con la plata del desembolso", "queja", True),
    ("me ofrecieron un prestamo por instagram pero primero tenia que pagar el seguro", "queja", True),
    ("ustedes se quedaron con mi saldo a favor y no me lo devuelven", "queja", False),
    ("me dijeron que si no pagaba 100 mil no me salia el credito", "queja", True),
    ("pague a un intermediario para que me ayudara con el credito y nunca volvio", "queja", True),
    ("se metieron a mi cuenta y sacaron un credito", "queja", True),
    ("el asesor nunca volvio a llamarme", "queja", False),
    (
        "me llego un whatsapp de un numero que no es el de ustedes pidiendo mis datos para un credito preaprobado",
        "queja",
        True,
    ),
    ("un supuesto empleado me cito en un centro comercial y le entregue 200 mil", "queja", True),
    ("estan usando fotos de la oficina de proalto para engañar gente", "queja", True),
    ("me prestaron plata a nombre de ustedes y ahora me piden el triple", "queja", True),
    ("me quitaron la cedula y la usaron para prestamos", "queja", True),
    ("una mujer me dijo que si le mandaba el codigo me consignaban hoy", "queja", True),
    ("vi una pagina en internet igualita a la de ustedes que pide pagos", "queja", True),
    ("alguien con mi cedula fotocopiada saco plata con ustedes", "queja", True),
    ("me hicieron un prestamo y la plata se la dieron a otra persona", "queja", True),
    ("el desembolso de mi credito lo consignaron en una cuenta que no es mia", "queja", True),
    ("me estan descontando un credito que tramito un asesor sin mi autorizacion", "queja", True),
    ("denuncio a un asesor que cobra por aprobar creditos", "queja", True),
    ("me ofrecieron comprar mi cartera si les daba mis claves", "queja", True),
    ("me contactaron por telegram diciendo ser proalto", "queja", True),
    ("mi cuenta de nequi la vaciaron despues de una llamada de proalto", "queja", True),
    ("me enviaron un mensaje para actualizar datos de proalto y era falso", "queja", True),
    ("me cobraron por un credito que nunca me llego", "queja", True),
    ("hay un credito que figura a mi nombre y yo estaba fuera del pais", "queja", True),
    ("la firma del pagare no coincide con la mia", "queja", True),
    ("me cobraron por sacar el paz y salvo, eso no es justo", "queja", False),
    ("que requisitos piden para sacar un credito", "nuevo_credito", False),
    ("me descuentan por nomina y por la cuenta al mismo tiempo", "queja", False),
    ("el paz y salvo que me mandaron tiene errores", "queja", False),
    ("no me dejaron hacer un abono a capital", "queja", False),
    ("me puede informar el total adeudado", "saldo", False),
    ("me confirman si ya consignaron", "estado_solicitud", False),
    ("en que parte del proceso esta mi credito", "estado_solicitud", False),
    ("me dijeron que estaba en visado, que significa", "estado_solicitud", False),
    # Erasing asked after the data is named; "una cuota mas baja" is no "dar de baja"; a rate
    # promised and another charged; called again and again.
    ("mi hija les dio mi numero sin permiso, borrenlo", "privacidad", False),
    ("me pueden refinanciar con una cuota mas baja y algo de plata extra", "renovacion", False),
    ("me prometieron una tasa del 1.5 y me estan cobrando 2", "queja", False),
    ("me han llamado 10 veces hoy para cobrarme", "queja", False),
    # An application someone helped to fill in is under way; what was paid lent again; a call
    # asked of the person who attended before; moved, and asking to update it.
    ("mi hija me ayudo a llenar la solicitud por internet el lunes, ya la vieron?", "estado_solicitud", False),
    ("me pueden prestar lo que ya les pague?", "renovacion", False),
    ("por favor que me llame la señorita que me atendio la vez pasada", "asesor", False),
    ("me cambie de ciudad, ahora vivo en cali, actualicen eso", "privacidad", False),
    ("me llamaron de un numero privado amenazandome", "queja", False),
    ("pedi un abono a capital y lo aplicaron a intereses", "queja", False),
    ("me aprobaron un credito hace un año, ya puedo pedir mas?", "renovacion", False),
    ("mi abuelo tiene 85 años y le hicieron un credito con ustedes, el ni sabe leer", "queja", True),
    ("alguien firmo por mi un pagare con ustedes", "queja", True),
    ("aparece un descuento de ustedes en mi pension y yo ni los conozco", "queja", True),
    ("me llamo un supuesto funcionario para que le diera el codigo de verificacion", "queja", True),
    ("en mi colilla aparece proalto y no se por que", "queja", True),
    ("yo no sabia que tenia un credito con ustedes hasta que me llego el descuento", "queja", True),
    ("una señora se presento en mi casa como de proalto y se llevo mis documentos", "queja", True),
    ("me sacaron un prestamo", "queja", True),
    ("asesor falso", "queja", True),
    ("libranza fraudulenta", "queja", True),
    ("una app que se llama proalto me pidio acceso a mis contactos y fotos", "queja", True),
    ("alguien hizo un credito con mi correo y mi celular", "queja", True),
    ("me aparece un embargo por un credito de ustedes que jamas tuve", "queja", True),
    ("cuantos dias faltan para que me den respuesta", "estado_solicitud", False),
    ("requiero el certificado para cerrar el descuento en la pagaduria, ya pague todo", "paz_y_salvo", False),
    ("listo, cualquier cosa vuelvo a escribir", "despedida", False),
    ("me podrian prestar su carro", "desconocido", False),
    ("en cuanto estoy con ustedes", "saldo", False),
    ("como voy con la deuda", "saldo", False),
    ("ya esta mi plata?", "estado_solicitud", False),
    ("exijo una explicacion del descuento", "queja", False),
    # Chased while up to date, in arrears though paid, a penalty for paying early, papers that
    # disagree, a day lost, nobody attending, a paper with the name wrong, called all day.
    ("tengo la cuota al dia y me llaman como si debiera", "queja", False),
    ("ya pague y aun aparezco en mora", "queja", False),
    ("me estan cobrando una penalidad por pagar antes", "queja", False),
    ("el extracto dice una cosa y el desprendible otra", "queja", False),
    ("me hicieron perder el dia en la oficina para nada", "queja", False),
    ("el bot no me entiende y nadie me atiende", "queja", False),
    ("me enviaron el paz y salvo con el nombre mal escrito", "queja", False),
    ("me llaman desde numeros diferentes todo el dia", "queja", False),
]


@pytest.mark.parametrize("text, intent, fraud", ROUND6_LINES)
def test_round6_kinds(text, intent, fraud):
    assert recognise(text).intent == intent
    assert is_fraud(text) is fraud


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("credto", "credito"),
        ("libransa", "libranza"),
        ("isieron", "hicieron"),
        ("desprendivle", "desprendible"),
        ("cuamto debo", "cuanto debo"),
        ("nunca a pedido", "nunca ha pedido"),
        # Other forms of a rule word, and everyday words near one, are left as written.
        ("consignan", "consignan"),
        ("asesoria", "asesoria"),
        ("prestados", "prestados"),
        ("transferi", "transferi"),
        ("dieron", "dieron"),
        ("estoy perdido", "estoy perdido"),
        ("cuando", "cuando"),
        ("cuento", "cuento"),
        ("documento", "documento"),
    ],
)
def test_misspelt_rule_words_are_read_as_the_word(raw, expected):
    assert normalise(raw) == expected


# --------------------------------------------------------------------------------------
# Round 7 (issue 15): the consumed blind set 5, and kinds in words no set uses
# --------------------------------------------------------------------------------------

BLIND5_FILE = CORPUS_DIR / "intents_blind5_2026-11-30.tsv"
BLIND5_FRAUD_FILE = CORPUS_DIR / "intents_blind5_2026-11-30_fraud.txt"


def test_blind5_set_accuracy_gate():
    """Blind set 5 was scored once before and once after round 6 (95.6 % then 97.6 %, fraud recall
    20/24 then 23/24) and is a tuning set since (round 7 tuned on its misses' kinds): issue 15's
    bar (>= 98 %, no class under 93 %) as a regression gate only."""
    _assert_set_gate(BLIND5_FILE, 0.98, 0.93)


def test_blind5_set_fraud_recall_and_precision():
    _assert_fraud_recall_and_precision(BLIND5_FILE, BLIND5_FRAUD_FILE)


# Each kind of round 7 in words no set uses: (text, intent, fraud).
ROUND7_LINES = [
    # A top-up on the loan being paid ("refuerzo", "excedente", "ampliacion", "adicion", extended),
    # in any order: a renewal (a surplus refunded or charged is not one).
    ("necesito una ampliacion del credito que tengo", "renovacion", False),
    ("se puede hacer una adicion a mi prestamo?", "renovacion", False),
    ("quiero un refuerzo para mi libranza", "renovacion", False),
    ("me pueden reforzar el credito?", "renovacion", False),
    ("me pueden extender el credito y darme algo de plata", "renovacion", False),
    ("me interesa un refuercito al prestamo", "renovacion", False),
    ("me pueden dar un refuerso al prestamo", "renovacion", False),
    ("quiero extender mi libranza para recibir mas dinero", "renovacion", False),
    ("quiero alargar mi credito y que me den una platica", "renovacion", False),
    ("es posible una ampliacion de cupo sobre la libranza que tengo", "renovacion", False),
    ("quiero extender el plazo de mi credito", "renovacion", False),
    ("me aumentaron la cuota de mi credito sin avisar", "queja", False),
    # Someone to ring the customer, whatever else is said ("urgente", a loan word): an advisor;
    # calls stopped stay privacy.
    ("alguien que me llame por favor", "asesor", False),
    ("que me llamen urgente por lo del credito", "asesor", False),
    ("me pueden llamar? es urgente lo del prestamo", "asesor", False),
    ("me marca un asesor porfa", "asesor", False),
    ("necesito que alguien me contacte hoy mismo, tengo dudas del credito", "asesor", False),
    ("por favor que me llame una persona, no entiendo", "asesor", False),
    ("no quiero que me llamen mas", "privacidad", False),
    ("no autorizo que me llamen", "privacidad", False),
    ("por fa me contactan urgente", "asesor", False),
    ("por favor no me llamen mas", "privacidad", False),
    # The last payment made or deducted and a certificate asked: the paz y salvo; when or how much
    # the last instalment is: the balance.
    ("ya pague la ultima cuota, me mandan la constancia?", "paz_y_salvo", False),
    ("hice el ultimo abono, necesito el certificado de que no debo", "paz_y_salvo", False),
    ("ya se descontó la ultima cuota, como obtengo la carta de cancelacion", "paz_y_salvo", False),
    ("la ultima cuota ya la pague, necesito la carta", "paz_y_salvo", False),
    ("me descontaron la ultima cuota, como saco el paz y salvo", "paz_y_salvo", False),
    ("hice el ultimo pago y me siguen descontando", "queja", False),
    ("cuando me descuentan la ultima cuota", "saldo", False),
    ("de cuanto es la ultima cuota", "saldo", False),
    # Chased for payment (calls, collections, a credit-bureau report) while up to date, in any
    # words: a complaint; catching up is the balance.
    ("me tienen reportado en datacredito y tengo todo al dia", "queja", False),
    ("me llaman de cobranza pero yo pago puntual", "queja", False),
    ("siempre he pagado a tiempo y me siguen llamando a cobrar", "queja", False),
    ("me estan cobrando como si debiera y voy al dia con las cuotas", "queja", False),
    ("llamadas de cobranza todos los dias estando al corriente", "queja", False),
    ("ya me reportaron y voy al dia con los pagos", "queja", False),
    ("cuanto debo para ponerme al dia", "saldo", False),
    ("me siguen llamando de cobranza a pesar de estar al dia", "queja", False),
    ("estoy al dia?", "saldo", False),
    ("quiero saber si estoy al dia con las cuotas", "saldo", False),
    # A loan offered through any channel or go-between with money asked first: fraud. The
    # customer's own arrears paid before a renewal, a study fee charged by ProAlto, a fee asked
    # about: not fraud.
    ("por facebook me ofrecieron un prestamo de proalto pero tenia que consignar 200 mil antes", "queja", True),
    ("un gestor me dijo que me sacaba el credito con proalto si le pagaba una comision", "queja", True),
    ("un tramitador me cobra 300 mil por adelantado para que me aprueben la libranza", "queja", True),
    ("me escribieron por instagram que tengo un credito aprobado y debo pagar el seguro primero", "queja", True),
    ("me llego un sms de un prestamo preaprobado y me piden un anticipo", "queja", True),
    (
        "vi en tiktok un anuncio de creditos proalto sin estudio, me pidieron el pago del estudio por nequi",
        "queja",
        True,
    ),
    ("una señora me ofrecio un credito con ustedes y me pidio un deposito previo", "queja", True),
    (
        "me contactaron por whatsapp, credito aprobado sin centrales, solo falta que transfiera los honorarios",
        "queja",
        True,
    ),
    ("en un grupo de facebook ofrecen prestamos de proalto cobrando por adelantado", "queja", True),
    ("me ofrecieron plata prestada a nombre de proalto pero primero debia mandar 150 mil", "queja", True),
    ("me ofrecieron por telefono un credito de proalto y me pidieron consignar el 5% de comision", "queja", True),
    (
        "me llamaron para ofrecerme renovar el credito pero primero tengo que pagar las cuotas atrasadas",
        "renovacion",
        False,
    ),
    ("me cobraron el estudio del credito y me lo negaron", "queja", False),
    ("cuanto cobran de comision por el credito?", "nuevo_credito", False),
    ("vi una publicidad de ustedes en facebook, como pido el credito?", "nuevo_credito", False),
    ("me dijeron que eran de proalto y que para soltar la plata tenia que pagar un seguro", "queja", True),
    ("un muchacho en la calle ofrece creditos de proalto, cobra 50 mil por el formulario", "queja", True),
    ("un señor dice que trabaja con ustedes y me consigue el credito si le doy el 10%", "queja", True),
    (
        "me mandaron un mensaje de texto que mi credito fue aprobado y que pague el estudio a una cuenta",
        "queja",
        True,
    ),
    ("una pagina de proalto me aprobo el credito pero debo depositar 200 mil de garantia", "queja", True),
    (
        "en tiktok hay un perfil que ofrece libranzas de proalto y cobra el 5 por ciento antes del desembolso",
        "queja",
        True,
    ),
    (
        "me dijeron que si no consigno hoy pierdo el credito aprobado, me llamaron de un numero desconocido",
        "queja",
        True,
    ),
    ("un gestor me esta cobrando la afiliacion para sacarme el prestamo con ustedes", "queja", True),
    ("me ofrecieron por mensaje un credito preaprobado de proalto a cambio de un pago inicial", "queja", True),
    ("me dijeron por whatsapp que para el credito debia comprar un seguro con ellos primero", "queja", True),
    ("consigne 200 mil a un asesor de proalto por facebook y nunca me dieron el prestamo", "queja", True),
    ("un cobrador vino a mi casa y me pidio que le pagara en efectivo la cuota", "queja", True),
    ("me pidieron el desprendible de nomina para el estudio del credito por whatsapp", "estado_solicitud", False),
    ("cuanto vale el estudio del credito", "nuevo_credito", False),
    ("hay que pagar estudio de credito?", "nuevo_credito", False),
    # A government subsidy or payment is not ProAlto's; a loan asked by someone who receives one is.
    ("cuando pagan el ingreso solidario", "desconocido", False),
    ("me salio la devolucion del iva?", "desconocido", False),
    ("como me inscribo a colombia mayor", "desconocido", False),
    ("ya llego el subsidio?", "desconocido", False),
    ("sabe si pagaron renta ciudadana", "desconocido", False),
    ("donde cobro el bono de jovenes en accion", "desconocido", False),
    ("recibo el subsidio de colombia mayor, me prestan?", "nuevo_credito", False),
    ("el bono navideño de la empresa cuando lo pagan", "desconocido", False),
    ("cuando pagan la prima", "desconocido", False),
    ("cuando pagan el adulto mayor", "desconocido", False),
    ("el ingreso solidario ya lo consignaron?", "desconocido", False),
]


@pytest.mark.parametrize("text, intent, fraud", ROUND7_LINES)
def test_round7_kinds(text, intent, fraud):
    assert recognise(text).intent == intent
    assert is_fraud(text) is fraud


BLIND6_FILE = Path(__file__).with_name("intents_blind6_2026-11-30.tsv")
BLIND6_FRAUD_FILE = Path(__file__).with_name("intents_blind6_2026-11-30_fraud.txt")


def test_blind6_set_holds_what_it_scored():
    """Blind set 6, written without reading the recogniser and frozen before round 7, scored
    268/283 (94.7 %) before it and 270/283 (95.4 %; desconocido 22/25 the lowest class; fraud
    recall 21/22) after. Round 8 then chose the model's thresholds on it (with every tuning set
    left out of the training in turn), so it is a development set since: 280/283 (98.9 %;
    desconocido 23/25 the lowest; fraud recall 21/22). It stays out of the model's training; a
    regression gate at what it scores."""
    _assert_set_gate(BLIND6_FILE, 0.989, 0.92)
    fraud = [line for line in BLIND6_FRAUD_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    caught = [u for u in fraud if recognise(u).intent == "queja" and is_fraud(u)]
    assert len(caught) >= 21
    complaints = [u for intent, u in read_labelled_tsv(BLIND6_FILE) if intent == "queja"]
    # One ordinary complaint is flagged as fraud ("información falsa sobre la tasa"): no more.
    assert len([u for u in complaints if u not in fraud and is_fraud(u)]) <= 1


BLIND7_FILE = Path(__file__).with_name("intents_blind7_2026-11-30.tsv")
BLIND7_FRAUD_FILE = Path(__file__).with_name("intents_blind7_2026-11-30_fraud.txt")


def test_blind7_set_holds_what_it_scored():
    """Blind set 7, written without reading the recogniser and frozen before round 8 (the
    trained model), scored 304/319 (95.3 %; menu 22/25 the lowest class; fraud recall 25/28)
    before it and 310/319 (97.2 %; menu 23/25 the lowest; fraud recall 26/28; no ordinary
    complaint flagged) after. With dev set 5 in the training since: 311/319 (97.5 %), fraud
    27/28. The issue's bar is not met on it; a regression gate at those figures. Never tuned on,
    never trained on."""
    _assert_set_gate(BLIND7_FILE, 0.974, 0.92)
    _assert_fraud_recall_and_precision(BLIND7_FILE, BLIND7_FRAUD_FILE, missed=1)  # 27 of its 28


BLIND8_FILE = Path(__file__).with_name("intents_blind8_2026-11-30.tsv")
BLIND8_FRAUD_FILE = Path(__file__).with_name("intents_blind8_2026-11-30_fraud.txt")


def test_blind8_set_holds_what_it_scored():
    """Blind set 8, written without reading the recogniser and frozen before dev set 5 (645
    lines written the same way) joined the model's training, scored 310/318 (97.5 %;
    desconocido 29/34 = 85.3 % the lowest; fraud recall 27/27) before and 312/318 (98.1 %;
    desconocido 31/34 = 91.2 %; fraud 27/27; no ordinary complaint flagged) after. The overall
    figure and fraud recall meet the issue's bar, desconocido does not. With dev set 6 in the
    training since (round 8c, blind set 9 measures it): 315/318 (99.1 %; paz_y_salvo 24/25 = 96 %
    the lowest; fraud 27/27), the whole bar. A regression gate at those figures."""
    _assert_set_gate(BLIND8_FILE, 0.990, 0.96)
    _assert_fraud_recall_and_precision(BLIND8_FILE, BLIND8_FRAUD_FILE)


BLIND9_FILE = Path(__file__).with_name("intents_blind9_2026-11-30.tsv")
BLIND9_FRAUD_FILE = Path(__file__).with_name("intents_blind9_2026-11-30_fraud.txt")


def test_blind9_set_holds_what_it_scored():
    """Blind set 9, written without reading the recogniser and frozen before dev set 6 (725
    lines written the same way, 166 of them desconocido) joined the model's training, scored
    322/329 (97.9 %; desconocido 34/37 = 91.9 % the lowest; fraud recall 26/27) before and
    322/329 (97.9 %; queja 51/54 = 94.4 % the lowest; fraud 26/27; no ordinary complaint
    flagged) after. Every class is above 93 %; the overall figure and fraud recall are just
    short of the issue's bar. A regression gate at those figures."""
    _assert_set_gate(BLIND9_FILE, 0.978, 0.94)
    _assert_fraud_recall_and_precision(BLIND9_FILE, BLIND9_FRAUD_FILE, missed=1)  # 26 of its 27


BLIND10_FILE = Path(__file__).with_name("intents_blind10_2026-11-30.tsv")
BLIND10_FRAUD_FILE = Path(__file__).with_name("intents_blind10_2026-11-30_fraud.txt")


def test_blind10_set_holds_what_it_scored():
    """Blind set 10, written without reading the recogniser after the last change of round 8
    (nothing was changed after it), scored once on that code: 312/314 (99.4 %; paz_y_salvo
    24/25 = 96 % the lowest; fraud recall 26/26; no ordinary complaint flagged): the issue's
    whole bar. A regression gate at those figures; never tuned or trained on."""
    _assert_set_gate(BLIND10_FILE, 0.993, 0.96)
    _assert_fraud_recall_and_precision(BLIND10_FILE, BLIND10_FRAUD_FILE)


BLIND11_FILE = Path(__file__).with_name("intents_blind11_2026-11-30.tsv")
BLIND11_FRAUD_FILE = Path(__file__).with_name("intents_blind11_2026-11-30_fraud.txt")


def test_blind11_set_holds_what_it_scored():
    """Blind set 11, written like set 10 after the last change of round 8 and scored once on
    that code: 306/308 (99.4 %; desconocido 31/32 = 96.9 % the lowest; fraud recall 27/27; no
    ordinary complaint flagged). A regression gate at those figures; never tuned or trained on."""
    _assert_set_gate(BLIND11_FILE, 0.993, 0.96)
    _assert_fraud_recall_and_precision(BLIND11_FILE, BLIND11_FRAUD_FILE)
