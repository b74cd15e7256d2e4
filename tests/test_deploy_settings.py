"""Safe defaults: DEBUG is off unless asked for, the sandbox never switches itself on without
DEBUG, and `manage.py check --deploy` names the embedded default's conveniences when they
reach a deployment. Settings are read at import, so each case is a fresh process."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parents[1]
# What decides the mode; each case starts without any of them.
MODE = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "PROALTO_SANDBOX",
    "PROALTO_SITE_URL",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' fixtures; never in a deployment
)
KEY = secrets.token_urlsafe(50)
REAL_META = {
    "WHATSAPP_ACCESS_TOKEN": "EAAG-real-token",
    "WHATSAPP_APP_SECRET": "real-app-secret",
    "WHATSAPP_VERIFY_TOKEN": "real-verify-token",
}
PRODUCTION = {
    "DJANGO_SECRET_KEY": KEY,
    "DJANGO_ALLOWED_HOSTS": "bot.proalto.example",
    "AWS_STORAGE_BUCKET_NAME": "proalto-documents",
    "ADMINS": "TI ProAlto <ti@proalto.example>",
    "METRICS_TOKEN": "a-long-random-scrape-token",
    "WHATSAPP_BUSINESS_ACCOUNT_ID": "300000000000001",
    **REAL_META,
}
PROBE = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SANDBOX_ENABLED)"
)


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in MODE and not k.startswith("WHATSAPP_")}
    clean.update(PROALTO_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="proalto.settings", **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return run(["-c", PROBE], tmp_path, **env)


def test_debug_is_off_when_the_deployment_does_not_mention_it(tmp_path):
    result = probe(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_without_debug_a_missing_secret_key_stops_the_start(tmp_path):
    result = probe(tmp_path, **REAL_META)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_without_debug_the_sandbox_does_not_switch_itself_on(tmp_path):
    # No token and no DEBUG is a deployment that forgot its Meta credentials: refuse to start
    # instead of publishing /sandbox/ and signing webhooks with the public sandbox secret.
    result = probe(tmp_path, DJANGO_SECRET_KEY=KEY)
    assert result.returncode != 0
    assert "WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN are required" in result.stderr
    forced = probe(tmp_path, DJANGO_SECRET_KEY=KEY, PROALTO_SANDBOX="true")
    assert forced.stdout.split() == ["False", "True"], forced.stderr


def test_the_embedded_default_is_debug_with_the_sandbox(tmp_path):
    result = probe(tmp_path, DJANGO_DEBUG="true")
    assert result.stdout.split() == ["True", "True"], result.stderr
    with_token = probe(tmp_path, DJANGO_DEBUG="true", **REAL_META)
    assert with_token.stdout.split() == ["True", "False"], with_token.stderr


def test_check_deploy_is_clean_on_a_production_configuration(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "ERROR"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "proalto." not in result.stdout + result.stderr


def test_check_deploy_names_debug_with_a_real_token_and_the_dev_key(tmp_path):
    result = run(["manage.py", "check", "--deploy"], tmp_path, DJANGO_DEBUG="true", **REAL_META)
    assert result.returncode != 0
    assert "proalto.E002" in result.stderr and "proalto.E003" in result.stderr
    assert "proalto.E001" not in result.stderr


def test_check_deploy_names_a_sandbox_forced_on_without_debug(tmp_path):
    result = run(["manage.py", "check", "--deploy"], tmp_path, DJANGO_SECRET_KEY=KEY, PROALTO_SANDBOX="true")
    assert result.returncode != 0
    assert "proalto.E001" in result.stderr


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"DEBUG": False, "SANDBOX_ENABLED": True}, "proalto.E001"),
        ({"DEBUG": True, "SANDBOX_ENABLED": False, "WHATSAPP_ACCESS_TOKEN": "EAAG-real"}, "proalto.E002"),
        ({"DEBUG": False, "SANDBOX_ENABLED": False, "SECRET_KEY": None}, "proalto.E003"),
        ({"WHATSAPP_ACCESS_TOKEN": "EAAG-real", "WHATSAPP_APP_SECRET": "sandbox-app-secret"}, "proalto.E004"),
    ],
    ids=["sandbox-without-debug", "debug-with-real-token", "dev-secret-key", "token-without-app-secret"],
)
def test_each_deploy_check_in_process(settings, overrides, expected):
    settings.SECRET_KEY = KEY
    for name, value in overrides.items():
        setattr(settings, name, settings.DEV_SECRET_KEY if name == "SECRET_KEY" else value)
    with pytest.raises(SystemCheckError, match=expected):
        call_command("check", deploy=True, tags=["security"], fail_level="ERROR")


def test_runbot_refuses_debug_with_real_meta_credentials(tmp_path):
    result = run(["manage.py", "runbot", "--no-setup"], tmp_path, DJANGO_DEBUG="true", **REAL_META)
    assert result.returncode != 0
    assert "DEBUG is on with a real WhatsApp access token" in result.stderr


def test_the_operators_e_mail_comes_from_the_environment(tmp_path):
    """ADMINS (error reports, the rejected-token alert) is read from the environment, in
    Django's form; a malformed address stops the start instead of silencing the alerts."""
    show = "import django; django.setup(); from django.conf import settings; print(settings.ADMINS)"
    admins = "Operaciones <operaciones@proalto.example>, ti@proalto.example"
    result = run(["-c", show], tmp_path, DJANGO_DEBUG="true", ADMINS=admins)
    assert result.stdout.strip() == (
        "[('Operaciones', 'operaciones@proalto.example'), ('ti@proalto.example', 'ti@proalto.example')]"
    ), result.stderr
    wrong = run(["-c", show], tmp_path, DJANGO_DEBUG="true", ADMINS="operaciones")
    assert wrong.returncode != 0 and "ADMINS: 'operaciones' is not an e-mail address" in wrong.stderr


def test_check_deploy_tag_proalto_names_each_missing_production_setting(tmp_path):
    """What `manage.py check --deploy --tag proalto` says of a deployment that forgot its
    bucket, its ADMINS and the metrics token, and forced the sandbox on with a real token but
    no app secret."""
    forgetful = {k: v for k, v in PRODUCTION.items() if k not in ("WHATSAPP_APP_SECRET",)}
    for name in ("AWS_STORAGE_BUCKET_NAME", "ADMINS", "METRICS_TOKEN", "WHATSAPP_BUSINESS_ACCOUNT_ID"):
        forgetful.pop(name)
    result = run(
        ["manage.py", "check", "--deploy", "--tag", "proalto"],
        tmp_path,
        PROALTO_SANDBOX="true",
        AWS_STORAGE_BUCKET_NAME="",  # the services run exports one
        **forgetful,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for expected in (
        "proalto.E001",  # the sandbox on without DEBUG
        "(proalto.E004) A real WhatsApp access token is set without its app secret",
        "(proalto.E005) No storage bucket",
        "(proalto.W001) No ADMINS",
        "(proalto.W002) METRICS_TOKEN is empty",
    ):
        assert expected in output, expected
    assert "HINT: Set AWS_STORAGE_BUCKET_NAME" in output
    # Only ProAlto's checks ran: Django's own (security.W004 HSTS etc.) are not asked for.
    assert "security.W" not in output


def test_check_deploy_tag_proalto_is_quiet_on_a_complete_configuration(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--tag", "proalto"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    without_account = {k: v for k, v in PRODUCTION.items() if k != "WHATSAPP_BUSINESS_ACCOUNT_ID"}
    result = run(["manage.py", "check", "--deploy", "--tag", "proalto"], tmp_path, **without_account)
    assert result.returncode == 0  # a warning: the service runs, the operators' commands cannot
    assert "(proalto.W003) WHATSAPP_BUSINESS_ACCOUNT_ID is empty" in result.stdout + result.stderr
