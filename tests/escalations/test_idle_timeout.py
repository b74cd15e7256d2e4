"""A staff session idle for longer than STAFF_SESSION_IDLE_MINUTES is logged out; the pages'
background polling (chat messages, the waiting-tickets badge) does not keep it alive."""

import time

import pytest
from django.urls import reverse

from escalations.middleware import LAST_ACTIVITY
from tests.escalations.test_live_chat_browser import browser_page  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/escalations/ticket/"


def idle_for(client, minutes: float) -> None:
    session = client.session
    session[LAST_ACTIVITY] = int(time.time() - minutes * 60)
    session.save()


def test_an_idle_session_is_logged_out(logged_in):
    advisor = logged_in("Asesor")
    assert advisor.get(QUEUE).status_code == 200
    idle_for(advisor, 31)
    response = advisor.get(QUEUE, follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "sin actividad" in response.content.decode()
    assert advisor.get(QUEUE).status_code == 302  # for good: a new login is needed


def test_activity_keeps_the_session(logged_in, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    advisor = logged_in("Asesor")
    idle_for(advisor, 29)
    assert advisor.get(QUEUE).status_code == 200
    assert time.time() - advisor.session[LAST_ACTIVITY] < 5
    idle_for(advisor, 29)
    assert advisor.get(QUEUE).status_code == 200


def test_background_polling_is_not_activity(logged_in):
    advisor = logged_in("Asesor")
    poll = reverse("admin:escalations_ticket_waiting")
    idle_for(advisor, 29)
    assert advisor.get(poll).status_code == 200
    assert time.time() - advisor.session[LAST_ACTIVITY] > 28 * 60  # the poll did not count
    idle_for(advisor, 31)
    assert advisor.get(poll).status_code == 401  # an unattended screen gets logged out (the page reloads)
    assert advisor.get(QUEUE).status_code == 302


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_open_chat_page_leaves_the_customers_data_when_the_session_ends(browser_page, live_server, staff):  # noqa: F811
    from django.contrib.sessions.backends.db import SessionStore

    from escalations.models import Ticket
    from tests.escalations.conftest import totp_code
    from tests.escalations.test_queue import _ticket

    page = browser_page
    ticket = _ticket("573000000001", status=Ticket.Status.OPEN)
    laura = staff("laura", "Supervisor")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/escalations/ticket/{ticket.pk}/chat/")
    page.fill("#id_username", "laura")
    page.fill("#id_password", laura.password)
    page.fill("#id_otp_token", totp_code(laura.device))
    page.click("input[type=submit]")
    page.wait_for_selector("#chat-page")
    # Nobody touches the page; its poll keeps running. The session's last activity ages.
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    session[LAST_ACTIVITY] = int(time.time() - 31 * 60)
    session.save()
    page.wait_for_url("**/admin/login/**", timeout=10_000)
    assert "sin actividad" in page.inner_text("body")


def test_two_polls_racing_at_the_timeout_still_say_why(logged_in):
    """The chat page and the inbox badge poll at the same moment, both with the old cookie: the
    second answer clears the session cookie the first one set, yet the next page says why."""
    advisor = logged_in("Asesor")
    idle_for(advisor, 31)
    stale = advisor.cookies["sessionid"].value
    assert advisor.get(reverse("admin:escalations_ticket_waiting")).status_code == 401
    advisor.cookies["sessionid"] = stale  # the second poll left before the first came back
    assert advisor.get(reverse("admin:escalations_ticket_waiting")).status_code in (302, 401)
    response = advisor.get(QUEUE, follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "sin actividad" in response.content.decode()
    # Said once: the page after that does not repeat it.
    assert "sin actividad" not in advisor.get(response.redirect_chain[-1][0]).content.decode()
