"""Issue 15's fixed conversations, played in the sandbox chat (/sandbox/) in headless Chromium
and photographed after each one (``manage.py screenshots --walkthrough``).

The site is served from this process, as proalto/wsgi.py serves it in the sandbox (Django
with the Cloud API stand-in at /sandbox/graph) with tasks run inline, so one scene can
happen at a chosen hour: the farewell at 1 a. m. Each scene waits for what the person must
read and fails, naming the scene and the text, when it does not appear; a failed scene is
photographed too, so the PNG shows what was read instead.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.db import connections
from django.urls import reverse
from django.utils import timezone

from conversations.dev.sandbox import STANDIN_PREFIX
from conversations.dev.standin import mount_standin
from conversations.messaging import whatsapp
from proalto.colombia import BOGOTA

WAIT_MS = 20000
# Demo customers (credits/fixtures/README.md): validated by the number they write from.
ANA = ("573001234567", "1020304050", "10/05/1979", "Ana")  # one credit, not yet renewable
GLORIA = ("573007778899", "51876543", "10/02/1978", "Gloria")  # renewal eligible


class SceneFailed(Exception):
    pass


@dataclass(frozen=True)
class Scene:
    name: str
    play: Callable  # (Chat) -> None
    # Bogotá hour the scene happens at (the clock moved for it), or None: now.
    at_hour: int | None = None


@contextmanager
def sandbox_in_process() -> Iterator[tuple[str, object]]:
    """The sandbox site on a free loopback port of this process; yields its base URL and the
    stand-in's state (what the bot sent)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings

    # An in-memory SQLite database (the test run's) is shared with the server thread.
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    mounted = {}

    def handler(django_app):
        app = StaticFilesHandler(django_app)
        if shared:
            app = _one_at_a_time(app, relays=(reverse("sandbox:send"), reverse("sandbox:status")))
        mounted["app"] = mount_standin(app, prefix=STANDIN_PREFIX)
        return mounted["app"]

    thread = LiveServerThread("127.0.0.1", handler, connections_override=shared, port=0)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    url = f"http://127.0.0.1:{thread.port}"
    # The stand-in was mounted with the configured token, which the bot's client sends too.
    overrides = override_settings(
        SITE_URL=url,
        WHATSAPP_API_BASE_URL=url + STANDIN_PREFIX,
        WHATSAPP_RETRY_BACKOFF_SECONDS=0.01,
        # Messages answered inline by the server thread: no worker needed, and the clock of
        # this process (moved for the night scene) is the bot's.
        CELERY_TASK_ALWAYS_EAGER=True,
    )
    overrides.enable()
    whatsapp.reset_client()
    try:
        yield url, mounted["app"].standin_state
    finally:
        whatsapp.get_client().http.close()
        whatsapp.reset_client()
        overrides.disable()
        thread.terminate()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
            t.name.endswith("(process_request_thread)") for t in threading.enumerate()
        ):
            time.sleep(0.05)
        for conn in shared.values():
            conn.dec_thread_sharing()


def _one_at_a_time(app, *, relays: tuple[str, ...]):
    """Django's requests one after another: every request thread of the server uses the one
    shared connection, and two transactions on it at once interleave (the page posts the
    statuses of the bot's last replies while the person's next message is being answered:
    "cannot start a transaction within a transaction", TransactionManagementError). The
    `relays` (the page's send and status) only post a webhook to this same server and wait
    for it, so they run outside the lock: holding it there would deadlock."""
    lock = threading.Lock()

    def application(environ, start_response):
        if environ.get("PATH_INFO", "") in relays:
            return app(environ, start_response)
        with lock:
            # The whole body is produced, and the response closed (Django's request_finished),
            # under the lock: a streamed body reads the database too.
            result = app(environ, start_response)
            try:
                return list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()

    return application


class Chat:
    """The sandbox page as one WhatsApp user."""

    def __init__(self, page, url: str, scene: str):
        self.page, self.url, self.scene = page, url, scene

    def open(self, wa_id: str, name: str) -> Chat:
        self.page.goto(f"{self.url}/sandbox/")
        self.page.fill("#wa-id", wa_id)
        self.page.fill("#profile-name", name)
        self.page.get_by_role("button", name="Usar este número").click()
        # The page showed the default number's chat first: wait until it shows this one's.
        self.page.wait_for_function("(wa) => document.getElementById('chat-who').innerText.includes(wa)", arg=wa_id)
        self.page.wait_for_timeout(1000)  # its history, if any, read from the stand-in
        return self

    def say(self, text: str, *, then: str | None = None) -> None:
        seen = self._bot_count()
        self.page.fill("#text", text)
        self.page.press("#text", "Enter")
        self.wait_for(then, after=seen)

    def tap(self, title: str, *, then: str | None = None) -> None:
        seen = self._bot_count()
        self.page.get_by_role("button", name=title, exact=True).last.click()
        self.wait_for(then, after=seen)

    def wait_for(self, text: str | None, *, after: int | None = None) -> None:
        """Until a bot message after the first ``after`` ones contains ``text``."""
        after = self._bot_count() if after is None else after
        script = (
            "([after, text]) => Array.from(document.querySelectorAll('.row[data-who=\"bot\"]'))"
            ".slice(after).some(row => !text || row.innerText.includes(text))"
        )
        try:
            self.page.wait_for_function(script, arg=[after, text or ""], timeout=WAIT_MS)
        except Exception as exc:  # Playwright's TimeoutError: the scene did not go as scripted
            raise SceneFailed(f"{self.scene}: the bot did not say {text!r}") from exc
        self.page.wait_for_timeout(400)  # the rest of a multi-message answer

    def shows(self, text: str) -> bool:
        return text in self.page.locator("#messages").inner_text()

    def consent_if_asked(self) -> None:
        """A demo customer may have consented in an earlier run: "Acepto" only when asked."""
        last = self.page.locator('.row[data-who="bot"]').last
        if "¿Nos autorizas" in last.inner_text():  # an old question in the history does not count
            self.tap("Acepto")

    def identity_if_asked(self, cedula: str, issued: str, *, then: str) -> None:
        """Within ten minutes of an earlier run the identity is still validated."""
        if self.shows("número de cédula") and not self.shows(then):
            self.say(cedula, then="expedición")
            self.say(issued, then=then)

    def _bot_count(self) -> int:
        return self.page.locator('.row[data-who="bot"]').count()


def fresh_number() -> str:
    """A Colombian mobile nobody in the portfolio has, new on every run."""
    return f"57320{secrets.randbelow(10**7):07d}"


# --- the scenes -----------------------------------------------------------------------------------


def person_at_identity_validation(chat: Chat) -> None:
    phone, cedula, _, name = ANA
    chat.open(phone, name).say("saldo")
    chat.consent_if_asked()
    # Within ten minutes of an earlier run Ana is still validated, and no cédula is asked.
    chat.wait_for("número de cédula", after=0)
    chat.say(cedula, then="expedición")
    chat.say("hablar con un asesor", then="te comunico con un asesor")


def change_of_topic_at_a_yes_no_question(chat: Chat) -> None:
    phone, cedula, issued, name = ANA
    chat.open(phone, name).say("paz y salvo")
    chat.consent_if_asked()
    chat.identity_if_asked(cedula, issued, then="detalle de tu saldo")
    chat.wait_for("detalle de tu saldo", after=0)
    chat.say("renobar credito", then="renovar")


def first_request_kept_through_consent(chat: Chat) -> None:
    chat.open(fresh_number(), "Camila").say("necesito el paz y salvo", then="autorización")
    chat.tap("No acepto", then="respetamos tu decisión")
    chat.tap("Revisar de nuevo", then="autorización")
    chat.tap("Acepto", then="sigamos con lo que me pediste")
    chat.wait_for("número de cédula", after=0)


def consented_newcomer(chat: Chat, name: str) -> Chat:
    """Someone who is not a customer, past the consent question, at the menu."""
    chat.open(fresh_number(), name).say("hola", then="autorización")
    chat.tap("Acepto", then="Ver opciones")
    return chat


def typo_sldo(chat: Chat) -> None:
    consented_newcomer(chat, "Jhon").say("sldo", then="número de cédula")


def renewal_offer(chat: Chat) -> None:
    phone, cedula, issued, name = GLORIA
    chat.open(phone, name).say("quiero renovar mi crédito")
    chat.consent_if_asked()
    chat.identity_if_asked(cedula, issued, then="efectiva anual")
    chat.wait_for("sujeta a estudio", after=0)


def new_credit_closing(chat: Chat) -> None:
    consented_newcomer(chat, "Marta").say("quiero un crédito", then="Requisitos")
    chat.say("los envío después", then="nombre completo")
    chat.say("Marta Lucía Pérez", then="cédula")
    chat.say("52123456", then="ciudad")
    chat.say("Medellín", then="pagaduría")
    chat.say("colpenciones", then="cómo prefieres que te contacte")
    chat.tap("Por este chat", then="¿Envío tu solicitud a un asesor?")
    chat.tap("Sí, enviar", then="te escribirá por este chat")


def farewell_at_night(chat: Chat) -> None:
    consented_newcomer(chat, "Andrés").say("eso es todo, gracias", then="Que descanses")


def no_after_anything_else(chat: Chat) -> None:
    consented_newcomer(chat, "Rosa").say("quiero leer la política de privacidad", then="¿Hay algo más")
    chat.say("no", then="¡Con gusto!")


def help_with_the_issue_date(chat: Chat) -> None:
    consented_newcomer(chat, "Luis").say("saldo", then="número de cédula")
    chat.say("52123456", then="expedición")
    chat.say("no me acuerdo de la fecha de expedición", then="Fecha y lugar de expedición")


def change_of_mind_at_the_cedula_step(chat: Chat) -> None:
    consented_newcomer(chat, "Nelly").say("saldo", then="número de cédula")
    chat.say("me equivoqué, mejor quiero el paz y salvo", then="pasemos a Paz y salvo")


def details_while_a_case_waits(chat: Chat) -> None:
    consented_newcomer(chat, "Óscar").say("quiero hablar con un asesor", then="Tu caso es el")
    chat.say("es por el crédito LIB-000201", then="Anotado")
    chat.say("ok", then="sigue en espera")


def acknowledgements_are_not_escalated(chat: Chat) -> None:
    consented_newcomer(chat, "Yuli").say("jajaja", then="¿En qué te puedo ayudar?")
    chat.say("👍", then="¿En qué te puedo ayudar?")


def question_about_the_renewal_offer(chat: Chat) -> None:
    phone, cedula, issued, name = GLORIA
    chat.open(phone, name).say("menú")  # after scene 5 Gloria is still at the offer: start it afresh
    chat.consent_if_asked()
    chat.say("quiero renovar mi crédito")
    chat.identity_if_asked(cedula, issued, then="efectiva anual")
    chat.wait_for("sujeta a estudio", after=0)
    chat.say("y la cuota cuánto me quedaría?", then="Tu cuota mensual aproximada sería")


def no_acepto_in_the_privacy_menu(chat: Chat) -> None:
    chat.open(fresh_number(), "Sandra").say("qué hacen con mis datos personales?", then="Habeas Data")
    chat.say("no acepto", then="respetamos tu decisión")


def first_request_kept_through_menu_after_no(chat: Chat) -> None:
    chat.open(fresh_number(), "Wilson").say("necesito el paz y salvo", then="autorización")
    chat.tap("No acepto", then="respetamos tu decisión")
    chat.say("menú", then="¿Nos autorizas")
    chat.tap("Acepto", then="sigamos con lo que me pediste")


SCENES = (
    Scene("1_asesor_en_validacion", person_at_identity_validation),
    Scene("2_cambio_de_tema_pregunta_si_no", change_of_topic_at_a_yes_no_question),
    Scene("3_solicitud_guardada_tras_no_y_acepto", first_request_kept_through_consent),
    Scene("4_error_de_tipeo_sldo", typo_sldo),
    Scene("5_oferta_de_renovacion", renewal_offer),
    Scene("6_cierre_nuevo_credito", new_credit_closing),
    Scene("7_despedida_de_noche", farewell_at_night, at_hour=1),
    Scene("8_no_tras_algo_mas", no_after_anything_else),
    Scene("9_ayuda_fecha_de_expedicion", help_with_the_issue_date),
    Scene("10_cambio_de_opinion_en_la_cedula", change_of_mind_at_the_cedula_step),
    Scene("11_detalles_mientras_espera_asesor", details_while_a_case_waits),
    Scene("12_ok_y_emoji_sin_escalar", acknowledgements_are_not_escalated),
    Scene("13_pregunta_sobre_la_oferta", question_about_the_renewal_offer),
    Scene("14_no_acepto_en_privacidad", no_acepto_in_the_privacy_menu),
    Scene("15_solicitud_guardada_tras_no_y_menu", first_request_kept_through_menu_after_no),
)


def next_at_hour(hour: int, now: datetime) -> datetime:
    """The next time it is ``hour``:05 in Bogotá (in the future: the policy in force stays so)."""
    local = now.astimezone(BOGOTA)
    moment = local.replace(hour=hour, minute=5, second=0, microsecond=0)
    return moment if moment > local else moment + timedelta(days=1)


def walk(browser, url: str, out_dir: Path, viewports: list[tuple[str, dict]], write) -> list[str]:
    """Play every scene in a new tab and save ``<scene>-<size>.png``; returns the failures."""
    out_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    for scene in SCENES:
        page = browser.new_page(viewport=viewports[0][1], locale="es-CO")
        page.set_default_timeout(WAIT_MS)
        try:
            with _clock(scene) as moment:
                if moment is not None:
                    # The page's own clock too: the customer's messages are stamped by the browser.
                    page.clock.set_fixed_time(moment)
                try:
                    scene.play(Chat(page, url, scene.name))
                except SceneFailed as exc:
                    failures.append(str(exc))
                for size, viewport in viewports:
                    page.set_viewport_size(viewport)
                    page.wait_for_timeout(300)
                    target = out_dir / f"{scene.name}-{size}.png"
                    page.screenshot(path=str(target))
                    write(str(target))
        finally:
            page.close()
    return failures


@contextmanager
def _clock(scene: Scene):
    """The clock of this process (the bot's) at the scene's hour; yields that moment, or None."""
    if scene.at_hour is None:
        yield None
        return
    import time_machine  # a dev requirement, like Playwright: the command is sandbox-only

    moment = next_at_hour(scene.at_hour, timezone.now())
    with time_machine.travel(moment, tick=True):
        yield moment
