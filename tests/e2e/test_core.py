"""ProAlto's core as the source (PORTFOLIO_SOURCE=core): a second real PostgreSQL database
created from the shipped DDL, read by a login role with SELECT only (scripts/services.py).

The bot cannot write to it; data changed in the core between two turns show at once; a
core that is down, or slower than CORE_STATEMENT_TIMEOUT_MS, gets the customer a clear
message and an advisor offered within 3 s, and the breaker then stops asking it.
"""

from __future__ import annotations

import io
import os
import socket
import time
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connections

from credits import core
from credits.models import Application, Credit, PortfolioLoad
from credits.selectors import PortfolioUnavailable, customer_by_cedula, customer_credits
from credits.services import application_stage_set, portfolio_sync
from escalations.management.commands.create_staff import staff_create
from tests.consent.test_admin_compliance import _verified_client
from tests.portfolio import core_admin, core_write, demo_line
from tests.support import texts

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        "PROALTO_TEST_CORE_ADMIN_URL" not in os.environ or os.environ.get("PORTFOLIO_SOURCE") != "core",
        reason="needs the core database of the services run (scripts/test-services services)",
    ),
]

ANA_PHONE = "573001234567"
ANA_CEDULA = "1020304050"
UNAVAILABLE = "no puedo consultar tu información en este momento"
SQL = Path(__file__).resolve().parents[2] / "credits" / "sql"


@pytest.fixture(autouse=True)
def _fresh_connection():
    """Every test starts with a closed breaker and opens its own connection to the core."""
    core.core_connection_reset()
    yield
    core.core_connection_reset()


def validated_ana(consented_chat):
    ana = consented_chat(ANA_PHONE)
    ana.says("saldo")
    ana.says(ANA_CEDULA)
    body = texts(ana.says("10/05/1979"))
    assert "$8.250.000" in body and "corte" not in body  # live: no cut-off stated
    return ana


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there


def test_the_bots_role_cannot_write_to_the_core(db):
    url = os.environ["CORE_DATABASE_URL"]
    assert "proalto_bot_reader@" in url
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM proalto_bot.customers").fetchone() == (0,)
        for statement in (
            "INSERT INTO proalto_bot.customers (cedula, full_name, phone) VALUES ('12345', 'X Y', '573001112233')",
            "UPDATE proalto_bot.credits SET balance = 0",
            "DELETE FROM proalto_bot.applications",
            "CREATE TABLE proalto_bot.intruder (id int)",
            "CREATE TABLE public.intruder (id int)",
        ):
            with pytest.raises(psycopg.errors.Error) as refused:
                conn.execute("SET default_transaction_read_only = off")  # even with read-only off...
                conn.execute(statement)
            assert isinstance(refused.value, psycopg.errors.InsufficientPrivilege), statement
    # And the bot's own path opens every transaction read-only.
    with pytest.raises(PortfolioUnavailable):
        core.core_query("UPDATE proalto_bot.credits SET balance = 0 RETURNING number")


def test_a_change_in_the_core_between_two_turns_shows_at_once(consented_chat, portfolio):
    ana = validated_ana(consented_chat)
    line = demo_line(ANA_CEDULA)
    line["credits"][0]["balance"] = "7840000.00"
    core_write(line)  # no sync: only the core changed

    body = texts(ana.says("saldo"))

    assert "$7.840.000" in body and "$8.250.000" not in body
    assert Credit.objects.get(number="LIB-000123").balance == 8250000  # the local copy is behind


@pytest.mark.parametrize("how", ["down", "slow"])
def test_a_core_down_or_slow_gets_a_clear_message_and_an_advisor_within_3_s(consented_chat, portfolio, how, settings):
    ana = validated_ana(consented_chat)
    lock = None
    if how == "down":
        config = connections.settings["core"]
        original = config["PORT"]
        config["PORT"] = str(dead_port())
        core.core_connection_reset()
        with core_admin() as admin:  # the server goes away: open connections die too
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'proalto_bot_reader'"
            )
    else:
        lock = core_admin()
        lock.execute("BEGIN")
        lock.execute("LOCK TABLE proalto_bot.credits IN ACCESS EXCLUSIVE MODE")  # every read waits
    try:
        started = time.monotonic()
        replies = ana.says("saldo")
        elapsed = time.monotonic() - started
    finally:
        if lock is not None:
            lock.execute("ROLLBACK")
            lock.close()
        else:
            config["PORT"] = original
            core.core_connection_reset()

    assert elapsed < 3, f"answered after {elapsed:.1f} s"
    body = texts(replies)
    assert UNAVAILABLE in body and "$8.250.000" not in body  # nothing from the local copy
    assert "asesor" in ana.offered()
    assert "Hablar con asesor" in ana.offered().values()
    health = core.core_health()
    assert health["state"] in ("failing", "open") and health["last_error"]


def test_staff_see_the_cores_health_on_the_metrics_page(db):
    call_command("setup_roles", stdout=io.StringIO())
    device = staff_create(username="jefe-core", role="Supervisor", password="Clave-core-2026-x")
    customer_by_cedula(cedula=ANA_CEDULA)  # one successful query
    html = _verified_client(device.user).get("/admin/metrics/").content.decode()
    assert "sistema central de ProAlto, en vivo" in html and "Sistema central: responde" in html


def test_the_breaker_stops_asking_a_core_that_keeps_failing(db, settings):
    settings.CORE_BREAKER_FAILURES = 2
    settings.CORE_STATEMENT_TIMEOUT_MS = 300
    lock = core_admin()
    lock.execute("BEGIN")
    lock.execute("LOCK TABLE proalto_bot.customers IN ACCESS EXCLUSIVE MODE")
    try:
        for _ in range(2):  # each waits the statement timeout
            with pytest.raises(PortfolioUnavailable):
                customer_by_cedula(cedula=ANA_CEDULA)
        started = time.monotonic()
        with pytest.raises(PortfolioUnavailable, match="breaker"):
            customer_by_cedula(cedula=ANA_CEDULA)
        assert time.monotonic() - started < 0.1  # not asked at all
        assert core.core_health()["state"] == "open"
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    core.core_breaker_reset()
    assert customer_by_cedula(cedula=ANA_CEDULA) is None  # the core answers again (it is empty)


def test_failures_open_the_breaker_only_in_a_row(db, settings):
    """An answered query clears the failures counted before it; one that failed inside its
    transaction (refused, timed out) leaves a connection the next query can use."""
    settings.CORE_BREAKER_FAILURES = 2
    settings.CORE_STATEMENT_TIMEOUT_MS = 300
    core.core_breaker_reset()
    for _ in range(3):
        with pytest.raises(PortfolioUnavailable):
            core.core_query("UPDATE proalto_bot.credits SET balance = 0 RETURNING number")  # read-only
        assert core.core_health()["state"] == "failing"
        assert core.core_query("SELECT count(*) AS n FROM proalto_bot.customers") == [{"n": 0}]
        assert core.core_health()["state"] == "ok" and core.core_health()["last_ok"]
    lock = core_admin()
    lock.execute("BEGIN")
    lock.execute("LOCK TABLE proalto_bot.customers IN ACCESS EXCLUSIVE MODE")
    try:
        with pytest.raises(PortfolioUnavailable):
            core.core_query("SELECT count(*) AS n FROM proalto_bot.customers")  # the timeout
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert core.core_query("SELECT count(*) AS n FROM proalto_bot.customers") == [{"n": 0}]
    assert core.core_health()["state"] == "ok"


def test_a_connection_that_died_while_idle_is_replaced_not_failed(db, monkeypatch):
    """The core restarted while the bot's connection sat idle: the next query checks it first
    and opens a new one; the customer gets an answer and no failure is counted."""
    core.core_breaker_reset()
    assert core.core_query("SELECT 1 AS one") == [{"one": 1}]
    with core_admin() as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'proalto_bot_reader'")
    monkeypatch.setattr(core, "IDLE_CHECK_SECONDS", 0)  # as if it had been idle a while
    assert core.core_query("SELECT 2 AS two") == [{"two": 2}]
    assert core.core_health()["state"] == "ok" and core.core_health()["last_error"] is None


def test_sync_pulls_only_what_changed_and_keeps_stages_moving_forward(db, portfolio):
    assert PortfolioLoad.objects.filter(kind="sync").count() == 1  # the portfolio fixture synced
    line = demo_line(ANA_CEDULA)
    line["credits"][0]["installments_paid"] = 28
    core_write(line)

    result = portfolio_sync()

    assert result.credits_updated == 1 and result.created == 0
    assert Credit.objects.get(number="LIB-000123").installments_paid == 28
    load = PortfolioLoad.objects.filter(kind="sync").latest("loaded_at")
    assert set(load.cursor) == {"customers", "credits", "applications"}

    # With the core as source, staff cannot set a stage the core owns.
    application = Application.objects.get(number="SOL-2026-0057")
    with pytest.raises(ValueError, match="core owns"):
        application_stage_set(application=application, stage="desembolso")

    # A stage moved back in the core, dated after ours: the core says so explicitly.
    diana = demo_line("1032456789")
    diana["applications"] = [
        {"number": "SOL-2026-0057", "stage": "estudio", "updated_at": "2026-11-29T09:00:00-05:00"}
    ]
    core_write(diana)
    result = portfolio_sync()
    assert Application.objects.get(number="SOL-2026-0057").stage == "estudio" and result.stage_changes == 1


def test_credits_read_live_carry_no_cut_off(db, portfolio):
    ana = customer_by_cedula(cedula=ANA_CEDULA)
    reading = customer_credits(customer=ana)
    assert reading.as_of is None and [c.number for c in reading] == ["LIB-000123"]


def test_the_example_views_give_the_contract_over_a_typical_loan_schema(db):
    """credits/sql/proalto_bot_views.example.sql runs, and its views have the tables' columns."""
    admin_url = os.environ["PROALTO_TEST_CORE_ADMIN_URL"]
    server = admin_url.rsplit("/", 1)[0]
    name = "proalto_views_check"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        with psycopg.connect(f"{server}/{name}", autocommit=True) as conn:
            conn.execute((SQL / "loan_schema.example.sql").read_text())
            conn.execute((SQL / "proalto_bot_views.example.sql").read_text())
            conn.execute(
                "INSERT INTO cartera.clientes (numero_documento, nombres, apellidos, celular, fecha_expedicion)"
                " VALUES ('1020304050', 'Ana Lucía', 'Gómez Restrepo', '300 123 4567', '1979-05-10')"
            )
            conn.execute("INSERT INTO cartera.pagadurias (nombre) VALUES ('Colpensiones')")
            conn.execute(
                "INSERT INTO cartera.creditos (numero, cliente_id, pagaduria_id, monto_desembolsado, saldo_capital,"
                " plazo_meses, cuotas_pagadas, valor_cuota, estado) VALUES ('LIB-1', 1, 1, 15000000, 0, 60, 60,"
                " 410000, 'CANCELADO')"
            )
            conn.execute(
                "INSERT INTO cartera.solicitudes (radicado, cliente_id, estado) VALUES ('S-1', 1, 'EN_ESTUDIO')"
            )
            customer = conn.execute("SELECT cedula, full_name, phone FROM proalto_bot.customers").fetchone()
            assert customer == ("1020304050", "Ana Lucía Gómez Restrepo", "573001234567")
            assert conn.execute("SELECT number, status FROM proalto_bot.credits").fetchone() == ("LIB-1", "paid")
            assert conn.execute("SELECT stage FROM proalto_bot.applications").fetchone() == ("estudio",)
            columns = {
                table: [
                    row[0]
                    for row in conn.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'proalto_bot'"
                        " AND table_name = %s ORDER BY ordinal_position",
                        [table],
                    )
                ]
                for table in ("customers", "credits", "applications")
            }
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for table, names in columns.items():
                shipped = [
                    row[0]
                    for row in conn.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'proalto_bot'"
                        " AND table_name = %s ORDER BY ordinal_position",
                        [table],
                    )
                ]
                assert names == shipped, table
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
