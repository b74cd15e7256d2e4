"""The dashboard's arithmetic, on crafted data: percentiles, SLA, resolution, CSAT, consents."""

import re
from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from consent.models import ConsentRecord
from conversations.bot import metrics
from conversations.bot.admin_metrics import bar_chart
from conversations.models import Contact, CsatSurvey, InboundMessage, OutboundMessage, ResolvedRequest
from escalations.models import Ticket
from proalto.colombia import BOGOTA

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=BOGOTA)


# --- pure helpers ---------------------------------------------------------------------------------


def test_percentile_interpolates_between_ranks():
    assert metrics.percentile([], 50) is None
    assert metrics.percentile([7], 90) == 7
    assert metrics.percentile([1, 2, 3, 4], 50) == 2.5
    assert metrics.percentile(range(1, 11), 90) == pytest.approx(9.1)
    assert metrics.percentile([10, 1, 5], 50) == 5  # order does not matter


@pytest.mark.parametrize(
    "taken_after, status, waited, expected",
    [
        (timedelta(minutes=29), "taken", None, "within"),
        (timedelta(minutes=30), "closed", None, "within"),
        (timedelta(minutes=31), "taken", None, "over"),
        (None, "open", timedelta(minutes=10), "waiting"),
        (None, "open", timedelta(minutes=45), "over"),
        (None, "closed", timedelta(minutes=45), "untaken"),
    ],
)
def test_sla_state(taken_after, status, waited, expected):
    created = NOW - (waited or timedelta(hours=2))
    taken = created + taken_after if taken_after else None
    assert metrics.sla_state(created_at=created, taken_at=taken, status=status, now=NOW, sla_minutes=30) == expected


def test_ratings_summary():
    summary = metrics.ratings_summary([5, 4, 4, 1, None])
    assert summary["count"] == 4
    assert summary["average"] == 3.5
    assert summary["distribution"] == [(1, 1), (2, 0), (3, 0), (4, 2), (5, 1)]
    assert summary["satisfied_share"] == 0.75
    assert metrics.ratings_summary([])["average"] is None


def test_period_is_bogota_days_including_today():
    period = metrics.period_last_days(now=NOW, days=30)
    assert len(period.days) == 30
    assert period.days[-1] == NOW.date()
    assert period.since == datetime(2026, 10, 22, 0, 0, tzinfo=BOGOTA)
    # 22:00 in Bogotá on the 20th is already the 21st in UTC, but still the 20th here.
    assert metrics.local_day(datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)) == NOW.date()


def test_bar_chart_stacks_and_scales():
    days = metrics.period_last_days(now=NOW, days=3).days
    chart = bar_chart(title="t", days=days, series=[("a", "#000", [1, 0, 3]), ("b", "#fff", [1, None, 1])], height=100)
    assert chart.max_value == 4 and not chart.empty
    assert len(chart.bars) == 4  # zero and None draw nothing
    first_day = [bar for bar in chart.bars if bar["x"] < chart.width / 3]
    assert sum(bar["h"] for bar in first_day) == pytest.approx((100 - 16 - 22) * 2 / 4, abs=0.2)
    assert bar_chart(title="t", days=days, series=[("a", "#000", [0, 0, 0])]).empty


# --- selectors on crafted rows ----------------------------------------------------------------------


@pytest.fixture
def contact(db):
    return Contact.objects.create(wa_id="573001234567", profile_name="Ana")


def _inbound(contact, received_at, n):
    return InboundMessage.objects.create(
        wa_message_id=f"wamid.{n}",
        contact=contact,
        type="text",
        text="hola",
        sent_at=received_at,
        received_at=received_at,
    )


def test_first_response_median_and_p90(contact):
    base = NOW - timedelta(days=1)
    for n, seconds in enumerate([1, 2, 3, 4, 100]):
        message = _inbound(contact, base + timedelta(minutes=n), n)
        # Two replies: only the first one counts.
        for extra in (0, 50):
            OutboundMessage.objects.create(
                contact=contact,
                in_reply_to=message,
                kind="text",
                sent_at=message.received_at + timedelta(seconds=seconds + extra),
            )
    _inbound(contact, base, 99)  # never answered: not counted
    old = _inbound(contact, NOW - timedelta(days=40), 98)
    OutboundMessage.objects.create(
        contact=contact, in_reply_to=old, kind="text", sent_at=old.received_at + timedelta(seconds=500)
    )

    result = metrics.first_response(period=metrics.period_last_days(now=NOW))
    assert result["count"] == 5
    assert result["median"] == 3
    assert result["p90"] == pytest.approx(61.6)
    yesterday = [d for d in result["daily"] if d["day"] == base.date()][0]
    assert yesterday["median"] == 3


def test_resolution_rate_and_escalations_by_reason(contact):
    period = metrics.period_last_days(now=NOW)
    for _ in range(3):
        ResolvedRequest.objects.create(contact=contact, flow="saldo", resolved_at=NOW - timedelta(hours=2))
    ResolvedRequest.objects.create(contact=contact, flow="saldo", resolved_at=NOW - timedelta(days=45))
    Ticket.objects.create(contact=contact, reason="complaint", created_at=NOW - timedelta(hours=1))
    Ticket.objects.create(contact=contact, reason="asked_human", created_at=NOW - timedelta(days=3), status="closed")
    Ticket.objects.create(contact=contact, reason="complaint", created_at=NOW - timedelta(days=2), status="closed")

    result = metrics.resolution(period=period)
    assert (result["bot"], result["escalated"], result["rate"]) == (3, 3, 0.5)
    today = result["daily"][-1]
    assert (today["bot"], today["escalated"]) == (3, 1)

    reasons = metrics.escalations_by_reason(period=period)
    assert [(r["reason"], r["count"]) for r in reasons] == [("complaint", 2), ("asked_human", 1)]
    assert reasons[0]["label"] == "Queja o reclamo"


def test_tickets_by_state_and_sla(contact):
    period = metrics.period_last_days(now=NOW)
    created = NOW - timedelta(hours=3)
    Ticket.objects.create(
        contact=contact,
        reason="complaint",
        status="closed",
        created_at=created,
        taken_at=created + timedelta(minutes=10),
    )
    Ticket.objects.create(
        contact=contact,
        reason="complaint",
        status="taken",
        created_at=created,
        taken_at=created + timedelta(minutes=50),
    )
    Ticket.objects.create(contact=contact, reason="complaint", status="open", created_at=NOW - timedelta(minutes=5))
    Ticket.objects.create(contact=contact, reason="complaint", status="open", created_at=NOW - timedelta(minutes=40))
    Ticket.objects.create(contact=contact, reason="complaint", status="closed", created_at=created)

    result = metrics.tickets_sla(period=period, now=NOW, sla_minutes=30)
    assert {r["status"]: r["count"] for r in result["by_status"]} == {"open": 2, "taken": 1, "closed": 2}
    assert (result["within"], result["over"], result["waiting"], result["untaken"]) == (1, 2, 1, 1)
    assert result["within_rate"] == 0.333
    assert result["median_take_minutes"] == 30


def test_consents_and_csat(contact, policy):
    period = metrics.period_last_days(now=NOW)
    for answer in ("accepted", "accepted", "declined", "revoked"):
        ConsentRecord.objects.create(
            contact=contact,
            wa_id=contact.wa_id,
            policy_version=policy,
            text_shown="x",
            answer=answer,
            wa_message_id="w",
            answered_at=NOW,
            recorded_at=NOW - timedelta(hours=1),
        )
    for rating, trigger in ((5, "flow"), (4, "flow"), (2, "ticket"), (None, "flow")):
        CsatSurvey.objects.create(
            contact=contact,
            trigger=trigger,
            due_at=NOW,
            asked_at=NOW - timedelta(hours=2),
            rating=rating,
            status="answered" if rating else "asked",
            answered_at=NOW - timedelta(hours=1) if rating else None,
        )

    consent = metrics.consents(period=period)
    assert (consent["accepted"], consent["declined"], consent["revoked"]) == (2, 1, 1)
    assert consent["acceptance_rate"] == 0.667
    assert consent["daily"][-1]["accepted"] == 2

    result = metrics.csat(period=period)
    assert (result["count"], result["asked"], result["average"]) == (3, 4, 3.67)
    assert result["response_rate"] == 0.75
    assert result["by_trigger"] == {"flow": 4.5, "ticket": 2.0}
    assert result["daily"][-1] == {"day": NOW.date(), "average": 3.67, "count": 3}


def test_dashboard_assembles_everything_with_no_data(db):
    data = metrics.dashboard(now=NOW)
    assert data["resolution"]["rate"] is None
    assert data["first_response"]["median"] is None
    assert data["csat"]["average"] is None
    assert len(data["consents"]["daily"]) == 30


# --- the dashboard page ---------------------------------------------------------------------------


def _seed_month(contact, now):
    """A few days of activity, so every chart has bars."""
    from escalations.models import Ticket

    for days_ago in (0, 1, 3, 8):
        day = now - timedelta(days=days_ago, hours=1)
        ResolvedRequest.objects.create(contact=contact, flow="saldo", resolved_at=day)
        Ticket.objects.create(
            contact=contact, reason="complaint", created_at=day, status="closed", taken_at=day + timedelta(minutes=5)
        )
        message = _inbound(contact, day, days_ago)
        OutboundMessage.objects.create(
            contact=contact, in_reply_to=message, kind="text", sent_at=day + timedelta(seconds=2 + days_ago)
        )
        CsatSurvey.objects.create(
            contact=contact,
            trigger="flow",
            due_at=day,
            asked_at=day,
            answered_at=day,
            rating=5 - days_ago % 3,
            status="answered",
        )


@pytest.fixture
def staff_client(db):
    import io
    import secrets

    from django.core.management import call_command

    from escalations.management.commands.create_staff import staff_create
    from tests.consent.test_admin_compliance import _verified_client

    call_command("setup_roles", stdout=io.StringIO())

    def make(role):
        device = staff_create(
            username=f"{role.lower()}-{secrets.token_hex(3)}", role=role, password=f"Clave-{secrets.token_hex(8)}"
        )
        return _verified_client(device.user)

    return make


def test_dashboard_page_for_supervisors_and_compliance_only(staff_client, contact, policy):
    from django.test import Client
    from django.utils import timezone as django_tz

    _seed_month(contact, django_tz.now())
    page = staff_client("Supervisor").get("/admin/metrics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="chart"') == 4
    assert 'class="bar"' in html
    assert not re.search(r' (x|y|width|height)="\d+,\d', html)  # SVG needs "12.5", never the Colombian "12,5"
    assert "Resolución automática" in html and "50 %" in html  # 4 by the bot, 4 escalated
    assert "Queja o reclamo" in html
    assert 'id="metrics-link"' in html
    assert staff_client("Cumplimiento").get("/admin/metrics/").status_code == 200
    assert staff_client("Asesor").get("/admin/metrics/").status_code == 403
    assert 'id="metrics-link"' not in staff_client("Asesor").get("/admin/").content.decode()
    assert Client().get("/admin/metrics/").status_code == 302  # to the login page


@pytest.mark.browser
def test_dashboard_charts_render_in_chromium(staff_client, contact, policy, live_server, tmp_path):
    from django.conf import settings as django_settings
    from django.utils import timezone as django_tz
    from playwright.sync_api import sync_playwright

    _seed_month(contact, django_tz.now())
    client = staff_client("Supervisor")
    session_id = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context()
            context.add_cookies(
                [{"name": django_settings.SESSION_COOKIE_NAME, "value": session_id, "url": live_server.url}]
            )
            page = context.new_page()
            requests_outside = []
            page.on(
                "request", lambda r: requests_outside.append(r.url) if not r.url.startswith(live_server.url) else None
            )
            page.goto(f"{live_server.url}/admin/metrics/")
            assert page.title().startswith("Métricas de atención")
            charts = page.locator("svg.chart")
            assert charts.count() == 4
            for i in range(4):
                box = charts.nth(i).bounding_box()
                assert box and box["width"] > 300 and box["height"] > 60
            bars = page.locator("svg.chart rect.bar")
            assert bars.count() >= 12
            bar_box = bars.first.bounding_box()
            assert bar_box and bar_box["height"] >= 1
            assert page.locator("#card-csat .value").inner_text().endswith("/ 5")
            assert requests_outside == []  # no CDN, nothing from the internet
            page.screenshot(path=str(tmp_path / "metrics.png"), full_page=True)
        finally:
            browser.close()


def test_the_dashboard_warns_of_a_graph_api_version_about_to_be_retired(staff_client, settings):
    """The deploy check's warning, where staff look every day (in Spanish, with the date)."""
    assert "graph-version-alert" not in staff_client("Supervisor").get("/admin/metrics/").content.decode()
    settings.WHATSAPP_API_VERSION = "v19.0"  # retired on 21 May 2026
    page = staff_client("Supervisor").get("/admin/metrics/").content.decode()
    assert "graph-version-alert" in page and "fue retirada por Meta el 21 de mayo de 2026" in page


def test_the_dashboard_says_when_sends_are_held_by_the_circuit_breaker(staff_client, settings):
    """Staff see that Meta throttles the number or refuses the token, since when (Bogotá
    time), and how many messages wait; the notice goes when the circuit closes."""
    from conversations.messaging import breaker

    number = settings.WHATSAPP_PHONE_NUMBER_ID
    # The whole scene at one moment: the circuit's state expires 24 h after it opened (in the
    # embedded pass's cache, at that instant of the wall clock), so a trip dated apart from
    # the reading would be gone by the time the dashboard is read a day later.
    with time_machine.travel(datetime(2026, 11, 30, 20, 5, tzinfo=timezone.utc), tick=True):
        assert "circuit-alert" not in staff_client("Supervisor").get("/admin/metrics/").content.decode()
        breaker.circuit_trip(number, reason=breaker.TOKEN, code=190)
        contact = Contact.objects.create(wa_id="573001230001")
        for text in ("uno", "dos"):
            OutboundMessage.objects.create(contact=contact, kind="text", preview=text, body={"type": "text"})
        page = staff_client("Supervisor").get("/admin/metrics/").content.decode()
        assert "Meta rechaza el token de acceso de WhatsApp desde las 3:05 p. m." in page
        assert "2 mensajes en espera" in page
        breaker.circuit_close(number)
        assert "circuit-alert" not in staff_client("Supervisor").get("/admin/metrics/").content.decode()


def test_dashboard_says_where_customer_data_come_from(staff_client, policy, settings):
    settings.PORTFOLIO_SOURCE = "local"
    from tests.portfolio import demo_lines, portfolio_write

    portfolio_write(*demo_lines())
    html = staff_client("Supervisor").get("/admin/metrics/").content.decode()
    assert 'id="portfolio-source"' in html and "Datos de clientes: copia local." in html
    assert "Copia local con corte al " in html
