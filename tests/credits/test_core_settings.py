"""The core's settings: CORE_DATABASE_URL becomes the "core" alias with its TLS options, a
connect timeout of the statement timeout's order, never created or migrated by Django; a
bad PORTFOLIO_SOURCE, or core without a URL, refuses to start. Settings are read at import,
so each case is a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings; from django.db import router;"
    "core = settings.DATABASES.get('core');"
    "print(json.dumps({'source': settings.PORTFOLIO_SOURCE, 'core': core and {k: core[k] for k in"
    " ('NAME', 'USER', 'HOST', 'OPTIONS', 'TEST')}, 'migrate': router.allow_migrate('core', 'credits'),"
    " 'beat': 'credits.portfolio_sync' in settings.CELERY_BEAT_SCHEDULE}))"
)


def probe(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CORE_", "PORTFOLIO_"))}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_core_url_with_tls_options_becomes_the_core_alias():
    url = (
        "postgres://proalto_bot_reader:s3cret@core.proalto.internal:5432/proalto"
        "?sslmode=verify-full&sslrootcert=/etc/ssl/proalto-core-ca.pem"
    )
    result = probe(PORTFOLIO_SOURCE="core", CORE_DATABASE_URL=url, CORE_STATEMENT_TIMEOUT_MS="2500")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    core = out["core"]
    assert out["source"] == "core" and core["HOST"] == "core.proalto.internal" and core["USER"] == "proalto_bot_reader"
    assert core["OPTIONS"]["sslmode"] == "verify-full"
    assert core["OPTIONS"]["sslrootcert"] == "/etc/ssl/proalto-core-ca.pem"
    assert core["OPTIONS"]["connect_timeout"] == 3
    assert core["TEST"]["MIRROR"] == "core" and out["migrate"] is False
    assert out["beat"] is True  # sync_portfolio scheduled


def test_without_a_core_url_nothing_core_is_configured():
    out = json.loads(probe().stdout)
    assert out == {"source": "local", "core": None, "migrate": False, "beat": False}


def test_core_without_a_url_or_an_unknown_source_refuse_to_start():
    assert "needs CORE_DATABASE_URL" in probe(PORTFOLIO_SOURCE="core").stderr
    assert "must be 'local' or 'core'" in probe(PORTFOLIO_SOURCE="live").stderr
