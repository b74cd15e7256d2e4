"""`make run` on the embedded default, as real separate processes: gunicorn, a Celery worker
fed through the file-system broker, and beat, all sharing one SQLite file under var/.
And the sandbox is gone as soon as real Meta credentials are configured."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from conversations.messaging.webhook import sign
from tests.support import message_payload

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_SECRET = "sandbox-app-secret"  # settings' sandbox-only default when no secret is set
# Variables that would take the run off the embedded default.
OUTSIDE = (
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
    "WHATSAPP_API_BASE_URL",
    "PROALTO_SITE_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "PROALTO_SANDBOX",
    "OPENAI_API_KEY",
)


def embedded_env(var_dir: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OUTSIDE}
    env.update(PROALTO_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1", **extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proc_stats():
    """(pid, fields after the command name) of every process, from Linux /proc."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                yield int(entry.name), (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue


def process_groups() -> dict[int, int]:
    """pid → process group of every live process."""
    return {pid: int(fields[2]) for pid, fields in _proc_stats() if fields[0] != "Z"}


def children_of(pid: int) -> list[int]:
    return [child for child, fields in _proc_stats() if int(fields[1]) == pid]


class RunBot:
    """`manage.py runbot` in a subprocess, its output collected."""

    def __init__(self, var_dir: Path, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runbot", "--port", str(port), "--threads", "4"],
            cwd=ROOT,
            env=embedded_env(var_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in iter(self.process.stdout.readline, b""):
            self.lines.append(raw.decode(errors="replace"))

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.output):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} not seen in runbot's output:\n{self.output[-6000:]}")

    def groups(self) -> set[int]:
        """The process groups of its children (each child runs in its own)."""
        return set(children_of(self.process.pid))

    def stop(self, sig=signal.SIGINT, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def bot_messages(url: str, wa_id: str) -> list[dict]:
    return requests.get(f"{url}/sandbox/graph/_standin/messages", params={"to": wa_id}, timeout=5).json()


def wait_for_message(url: str, wa_id: str, needle: str, timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = bot_messages(url, wa_id)
        if any(needle in json.dumps(m["payload"], ensure_ascii=False) for m in messages):
            return messages
        time.sleep(0.3)
    raise AssertionError(f"the bot never sent {needle!r} to {wa_id}; got {messages}")


def assert_gone(groups: set[int]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = {pid for pid, group in process_groups().items() if group in groups}
        if not left:
            return
        time.sleep(0.2)
    raise AssertionError(f"processes left behind: {left}")


def wait_until_running(bot: RunBot) -> str:
    """Wait for runbot's banner; returns the demo advisor's TOTP secret it shows."""
    bot.wait_for(r"Demo customers")
    assert re.search(r"Sandbox chat:\s+http://127\.0\.0\.1:\d+/sandbox/", bot.output)
    totp = re.search(r"asesora\.demo\s+\S+\s+Asesor\s+TOTP ([A-Z2-7]{16,})", bot.output)
    assert totp, bot.output
    return totp.group(1)


def check_webhook_answered_by_the_worker(bot: RunBot) -> None:
    # Meta's signed webhook → the web stores it → the worker (another process, through the
    # file-system broker) answers → the stand-in inside the web process receives the reply.
    payload = message_payload("text", wa_id="573001234567", name="Ana Lucía", text={"body": "hola"})
    # Addressed to the sandbox's business number (the default WHATSAPP_PHONE_NUMBER_ID).
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "100000000000001"
    body = json.dumps(payload).encode()
    response = requests.post(
        f"{bot.url}/webhooks/whatsapp/",
        data=body,
        timeout=10,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, SANDBOX_SECRET)},
    )
    assert response.status_code == 200
    wait_for_message(bot.url, "573001234567", "autorización")
    bot.wait_for(r"\[worker\].*contact_inbox_answer\[.*succeeded")


def check_sandbox_tap_answered(bot: RunBot) -> None:
    # The sandbox page's own endpoint: a tap on "Acepto" becomes a webhook too.
    browser = requests.Session()
    assert browser.get(f"{bot.url}/sandbox/", timeout=10).status_code == 200
    sent = browser.post(
        f"{bot.url}/sandbox/send",
        timeout=30,
        data={
            "wa_id": "573001234567",
            "name": "Ana Lucía",
            "kind": "button",
            "choice_id": "consent_accept",
            "choice_title": "Acepto",
        },
        headers={"X-CSRFToken": browser.cookies["csrftoken"], "Referer": f"{bot.url}/sandbox/"},
    )
    assert sent.status_code == 200, sent.text
    wait_for_message(bot.url, "573001234567", "Ver opciones")


def check_a_dead_worker_stops_everything(bot: RunBot) -> None:
    groups = bot.groups()
    argv = {pid: Path(f"/proc/{pid}/cmdline").read_text().split("\0") for pid in groups}
    worker = next(pid for pid, args in argv.items() if "celery" in args and "worker" in args)
    os.kill(worker, signal.SIGKILL)
    assert bot.process.wait(timeout=60) != 0
    assert "worker stopped unexpectedly" in bot.output
    assert_gone(groups)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to follow the children")
def test_make_run_serves_the_bot_as_separate_processes_twice(tmp_path):
    var_dir = tmp_path / "var"
    bot = RunBot(var_dir, free_port())
    try:
        totp = wait_until_running(bot)
        groups = bot.groups()
        assert len(groups) == 3, bot.output  # web, worker, beat
        check_webhook_answered_by_the_worker(bot)
        check_sandbox_tap_answered(bot)
        # Ctrl-C stops the three processes and everything they forked.
        assert bot.stop(signal.SIGINT) == 0, bot.output
        assert "Stopped." in bot.output
        assert_gone(groups)
    finally:
        bot.kill()

    # Everything was written under the given var/ folder.
    assert (var_dir / "db.sqlite3").exists() and (var_dir / "broker" / "queue").is_dir()

    # A second run on the same data works (migrations, demo import and logins are idempotent);
    # when one process dies, runbot stops the others and says so.
    again = RunBot(var_dir, free_port())
    try:
        again.wait_for(r"Demo customers")
        assert f"TOTP {totp}" in again.output  # the same login, shown again
        with sqlite3.connect(var_dir / "db.sqlite3") as db:
            assert db.execute("select count(*) from credits_customer").fetchone()[0] == 8
        check_a_dead_worker_stops_everything(again)
    finally:
        again.kill()


SANDBOX_PROBE = """
from wsgiref.util import setup_testing_defaults
from proalto.wsgi import application
for path in ("/sandbox/", "/sandbox/graph/_standin/messages"):
    environ = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    status = []
    b"".join(application(environ, lambda s, h, *a: status.append(s)))
    print(path, status[0].split()[0])
"""


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({}, {"/sandbox/": "200", "/sandbox/graph/_standin/messages": "200"}),
        (
            {
                "WHATSAPP_ACCESS_TOKEN": "EAAG-real-token",
                "WHATSAPP_APP_SECRET": "real-secret",
                "WHATSAPP_VERIFY_TOKEN": "real-verify",
            },
            {"/sandbox/": "404", "/sandbox/graph/_standin/messages": "404"},
        ),
    ],
    ids=["embedded-default", "real-meta-credentials"],
)
def test_sandbox_only_exists_without_real_meta_credentials(tmp_path, extra, expected):
    # URLs and the WSGI mount are decided at import, so each case gets a fresh process.
    result = subprocess.run(
        [sys.executable, "-c", SANDBOX_PROBE],
        cwd=ROOT,
        env=embedded_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = dict(line.split() for line in result.stdout.splitlines())
    assert seen == expected
