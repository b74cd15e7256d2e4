"""A staff session idle for longer than STAFF_SESSION_IDLE_MINUTES is logged out; the pages'
background polling (chat messages, the waiting-tickets badge) does not keep it alive."""

import time

import pytest
from django.urls import reverse

from escalations.middleware import LAST_ACTIVITY

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
    assert advisor.get(poll).status_code == 302  # an unattended screen gets logged out
