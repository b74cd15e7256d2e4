"""The one way tests put customers, credits and applications where the bot reads them.

`portfolio_write(*lines)` takes lines of the export format (dicts, as `import_clients` reads
them) and writes them to the source in use:

- PORTFOLIO_SOURCE=local (the embedded pass): `clients_import`, the file import, with the
  cut-off `as_of` (default: now);
- PORTFOLIO_SOURCE=core (the services pass): upserted into the second PostgreSQL database
  playing ProAlto's core, as its owner (PROALTO_TEST_CORE_ADMIN_URL; the bot's own role can
  only SELECT), then `portfolio_sync(full=True)`, as beat's sync would, so the local copy
  (the anchor of sessions, tickets and subscriptions) follows.

So the same test proves a flow against either source. Between tests the core is put back
to what the next one expects (`core_ensure`: empty, or the demo portfolio for tests using
the `portfolio` fixture), and only when a test changed it: most tests cost it nothing.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from django.conf import settings
from django.utils import timezone

from credits.portfolio import CREDIT_COLUMNS
from credits.services import clients_import, portfolio_sync

DEMO_PORTFOLIO = Path(__file__).resolve().parent.parent / "credits" / "fixtures" / "demo_portfolio.jsonl"


def core_active() -> bool:
    return settings.PORTFOLIO_SOURCE == "core"


def core_admin() -> psycopg.Connection:
    """A connection to the test core as its owner (autocommit)."""
    return psycopg.connect(os.environ["PROALTO_TEST_CORE_ADMIN_URL"], autocommit=True)


# What the test core holds now: "unknown", "empty", "demo" (the demo portfolio as shipped) or
# "dirty" (a test wrote to it). One pytest process owns it.
_core = {"state": "unknown", "conn": None}


def _admin() -> psycopg.Connection:
    conn = _core["conn"]
    if conn is None or conn.closed:
        conn = _core["conn"] = core_admin()
    return conn


def core_ensure(state: str) -> None:
    """Make the core hold `state` ("empty" or "demo"), rewriting it only when it differs."""
    if _core["state"] == state:
        return
    _admin().execute("TRUNCATE proalto_bot.applications, proalto_bot.credits, proalto_bot.customers")
    if state == "demo":
        _rows_write(demo_lines())
    _core["state"] = state


def demo_lines() -> list[dict]:
    return [json.loads(line) for line in DEMO_PORTFOLIO.read_text(encoding="utf-8").splitlines() if line.strip()]


def portfolio_write(*lines: dict, as_of: datetime | None = None, sync: bool = True):
    """Write export lines to the active source (see the module's docstring)."""
    if not core_active():
        return clients_import(lines=[json.dumps(line) for line in lines], as_of=as_of or timezone.now())
    core_write(*lines)
    return portfolio_sync(full=True) if sync else None


def core_write(*lines: dict) -> None:
    """Upsert export lines into the test core (customers, credits, applications), each row
    stamped updated_at = now() unless the line dates it (applications)."""
    _core["state"] = "dirty"
    _rows_write(lines)


def _rows_write(lines) -> None:
    conn = _admin()
    with conn.transaction():
        for line in lines:
            conn.execute(
                "INSERT INTO proalto_bot.customers (cedula, full_name, phone, birth_date, cedula_issue_date)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (cedula) DO UPDATE SET full_name = EXCLUDED.full_name,"
                " phone = EXCLUDED.phone, birth_date = EXCLUDED.birth_date,"
                " cedula_issue_date = EXCLUDED.cedula_issue_date, updated_at = now()",
                [
                    str(line["cedula"]),
                    line["full_name"],
                    line["phone"],
                    line.get("birth_date"),
                    line.get("cedula_issue_date"),
                ],
            )
            for credit in line.get("credits") or []:
                columns = [c for c in CREDIT_COLUMNS if c not in ("cedula", "updated_at")]
                values = [credit.get(column) for column in columns]
                conn.execute(
                    f"INSERT INTO proalto_bot.credits (cedula, {', '.join(columns)})"
                    f" VALUES (%s{', %s' * len(columns)})"
                    f" ON CONFLICT (number) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in columns[1:])},"
                    " updated_at = now()",
                    [str(line["cedula"]), *values],
                )
            for application in line.get("applications") or []:
                conn.execute(
                    "INSERT INTO proalto_bot.applications (number, cedula, stage, updated_at)"
                    " VALUES (%s, %s, %s, COALESCE(%s::timestamptz, now())) ON CONFLICT (number) DO UPDATE"
                    " SET stage = EXCLUDED.stage, updated_at = EXCLUDED.updated_at",
                    [application["number"], str(line["cedula"]), application["stage"], application.get("updated_at")],
                )


def demo_line(cedula: str) -> dict:
    """The demo portfolio's line of this customer (a copy to change and write back)."""
    return next(line for line in demo_lines() if str(line["cedula"]) == cedula)


def study_moved_recently(hours: float = 1) -> None:
    """Ana's SOL-2026-0042 (estudio in the demo, dated 20 November 2026) moved `hours` ago:
    within the 48 hours the stage promises, so a test's answer does not depend on today's
    date (past them the bot says it is taking longer, tests/e2e/test_stage_overdue.py)."""
    line = demo_line("1020304050")
    line["applications"][0]["updated_at"] = (timezone.now() - timedelta(hours=hours)).isoformat()
    portfolio_write(line)


def expected_cutoff() -> str:
    """The cut-off a balance or status reply states: the local copy's, nothing when live."""
    from conversations.bot.flows.saldo import cutoff_text
    from credits.selectors import portfolio_cutoff

    return "" if core_active() else cutoff_text(portfolio_cutoff())
