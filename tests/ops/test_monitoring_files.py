"""The deployment files operators take as they are: the alert rules and the Grafana dashboard
use only metrics the service exposes (plus the circuit breaker's gauge), the issue's alerts
are all there, and gunicorn accepts deploy/gunicorn.conf.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from conversations.bot.gauges import database_gauges
from conversations.messaging import whatsapp

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Registered by the circuit-breaker work in proalto.metrics (a gauge per phone number id).
BREAKER = "proalto_whatsapp_circuit_open"
METRIC = re.compile(r"\b(proalto_[a-z_]+)\b")


@pytest.fixture
def exposed(client, settings) -> set[str]:
    settings.METRICS_TOKEN = ""
    settings.METRICS_GAUGES_CACHE_SECONDS = 0
    database_gauges.forget()
    whatsapp.token_seen_forget()
    whatsapp.token_seen(valid=True)
    text = client.get("/metrics").content.decode()
    names = {BREAKER}
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}
    for family in text_string_to_metric_families(text):  # labelled counters not yet used have no sample
        names |= {family.name + suffix for suffix in suffixes.get(family.type, ("",))}
    return names


def rules() -> list[dict]:
    return [
        rule
        for group in yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"]
        for rule in group["rules"]
    ]


@pytest.mark.django_db
def test_alert_rules_use_exposed_metrics_and_cover_the_issue(exposed):
    by_name = {rule["alert"]: rule for rule in rules()}
    for rule in by_name.values():
        assert rule["annotations"]["summary"] and rule["labels"]["severity"] in ("critical", "warning")
        unknown = set(METRIC.findall(rule["expr"])) - exposed
        assert not unknown, (rule["alert"], unknown)
    # The issue's five: replies not going out, oldest pending over 60 s, Meta token invalid,
    # circuit breaker open over 5 minutes, data-rights requests past due.
    assert "proalto_whatsapp_sends_total" in by_name["ProAltoRepliesNotGoingOut"]["expr"]
    assert by_name["ProAltoInboundBacklog"]["expr"].endswith("> 60")
    assert "proalto_whatsapp_token_valid" in by_name["ProAltoMetaTokenInvalid"]["expr"]
    assert BREAKER in by_name["ProAltoCircuitBreakerOpen"]["expr"]
    assert by_name["ProAltoCircuitBreakerOpen"]["for"] == "5m"
    assert "proalto_data_rights_overdue" in by_name["ProAltoDataRightsPastDue"]["expr"]


@pytest.mark.django_db
def test_the_dashboard_graphs_exposed_metrics(exposed):
    dashboard = json.loads((DEPLOY / "grafana" / "proalto-dashboard.json").read_text())
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    used = {name for expr in exprs for name in METRIC.findall(expr)}
    assert not used - exposed, used - exposed
    # Every family the service exposes is on the dashboard (histograms by their buckets).
    families = {
        re.sub(r"_(total|bucket|count|sum|created)$", "", name) for name in exposed if name.startswith("proalto_")
    }
    shown = {re.sub(r"_(total|bucket|count|sum|created)$", "", name) for name in used}
    assert families - shown == set(), families - shown


def test_gunicorn_accepts_the_configuration():
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py", "proalto.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_procfile_runs_the_three_processes_and_one_beat():
    kinds = dict(
        line.split(": ", 1)
        for line in (ROOT / "Procfile").read_text().splitlines()
        if ": " in line and not line.startswith("#")
    )
    assert set(kinds) == {"release", "web", "worker", "beat"}
    assert "deploy/gunicorn.conf.py" in kinds["web"] and "check --deploy --tag proalto" in kinds["release"]
