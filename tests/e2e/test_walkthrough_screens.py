"""Issue 15's fixed conversations walked through in the sandbox chat, in headless Chromium,
at 1366x768 and 1920x1080. Each walk-through asserts what the person reads; the PNGs go to
$WALKTHROUGH_SCREENSHOTS (e.g. var/screenshots) when set, else to the test's tmp dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from escalations.models import Ticket
from tests.e2e import test_sandbox_browser as sandbox_browser
from tests.e2e.test_sandbox_browser import consent_given, identity_given, open_chat, say

# The sandbox page in Chromium and the site behind it: the sandbox browser tests' fixtures.
page = sandbox_browser.page
sandbox_site = sandbox_browser.sandbox_site

SIZES = ((1366, 768), (1920, 1080))
GLORIA = ("573007778899", "51876543", "10/02/1978")  # demo customer 7: renewal eligible
ANA = ("573001234567", "1020304050", "10/05/1979")  # demo customer 1


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("WALKTHROUGH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> None:
        for width, height in SIZES:
            tab.set_viewport_size({"width": width, "height": height})
            tab.wait_for_timeout(300)
            tab.screenshot(path=str(folder / f"issue15_{name}_{width}x{height}.png"))

    return take


def waits_for(tab, text: str) -> None:
    tab.wait_for_function(f"() => document.body.innerText.includes({text!r})")


@pytest.mark.browser
def test_first_request_survives_consent_and_a_change_of_topic_is_confirmed(page, sandbox_site, portfolio, shots):
    url, _ = sandbox_site
    phone, cedula, issued = GLORIA
    open_chat(page, url, phone, "Gloria")
    say(page, "quiero renovar mi crédito")
    page.get_by_role("button", name="Acepto", exact=True).click()
    waits_for(page, "sigamos con lo que me pediste")
    identity_given(page, cedula, issued)
    waits_for(page, "efectiva anual")
    shots(page, "1_consent_then_renewal_offer")
    say(page, "mejor necesito el pas y salvo")
    waits_for(page, "¿Quieres dejar *Renovación*".replace("*", ""))
    shots(page, "2_change_of_topic_confirmed")


@pytest.mark.browser
def test_a_person_asked_for_at_the_date_step(page, sandbox_site, portfolio, shots):
    url, _ = sandbox_site
    open_chat(page, url, ANA[0], "Ana")
    consent_given(page)
    say(page, "sldo")
    waits_for(page, "número de cédula")
    say(page, ANA[1])
    waits_for(page, "expedición")
    say(page, "quiero hablar con un asesor")
    waits_for(page, "Con gusto te comunico con un asesor")
    assert Ticket.objects.get().reason == Ticket.Reason.ASKED_HUMAN
    shots(page, "3_person_at_the_date_step")


@pytest.mark.browser
def test_hints_greeting_once_and_closing(page, sandbox_site, shots):
    url, _ = sandbox_site
    open_chat(page, url, "573009990011", "Camilo")
    consent_given(page)
    say(page, "xyzzy plugh")
    waits_for(page, "no te entendí")
    say(page, "menú")
    page.wait_for_function("() => document.querySelectorAll('.list-open').length >= 2")
    say(page, "eso es todo")
    waits_for(page, "¡Con gusto!")
    shots(page, "4_hint_menu_once_and_closing")
