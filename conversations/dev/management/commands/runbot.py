"""`make run`: prepare the embedded default and run the bot as separate processes.

Migrates, loads the fictional demo portfolio and demo staff logins (sandbox only), then
starts gunicorn (one worker process, several threads: the Cloud API stand-in keeps its
state in the web process's memory), a Celery worker and Celery beat. Ctrl-C (or SIGTERM)
stops all three; if one of them dies the others are stopped too.
"""

from __future__ import annotations

import base64
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from proalto.checks import debug_with_real_token
from proalto.metrics import multiprocess_dir_prepare

DEMO_PORTFOLIO = Path(settings.BASE_DIR) / "credits" / "fixtures" / "demo_portfolio.jsonl"
# Demo staff for the sandbox (never created when real Meta credentials are configured).
DEMO_STAFF = [
    ("asesora.demo", "Asesor", "ProAlto-asesora-2026"),
    ("supervisor.demo", "Supervisor", "ProAlto-supervisor-2026"),
    ("cumplimiento.demo", "Cumplimiento", "ProAlto-cumplimiento-2026"),
]
STARTUP_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 15


class Child:
    """One supervised process; its output is echoed with a name prefix."""

    def __init__(self, name: str, argv: list[str], env: dict, out):
        self.name = name
        self.argv = argv
        self.out = out
        # Own process group: Ctrl-C reaches only runbot, which stops children in order.
        self.process = subprocess.Popen(
            argv,
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._echo, daemon=True)
        self.reader.start()

    def _echo(self) -> None:
        for raw in iter(self.process.stdout.readline, b""):
            self.out.write(f"[{self.name}] {raw.decode(errors='replace').rstrip()}\n")
            self.out.flush()

    def alive(self) -> bool:
        return self.process.poll() is None

    def terminate(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)

    def wait_or_kill(self, deadline: float) -> None:
        try:
            self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.out.write(f"[runbot] {self.name} did not stop in time; killing it\n")
        # Gunicorn workers and Celery pool processes live in the child's group.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.reader.join(timeout=2)


class Command(BaseCommand):
    help = "Run the bot on the embedded default: web (gunicorn), Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8, help="gunicorn threads (one worker process)")
        parser.add_argument("--no-setup", action="store_true", help="skip migrate, demo data and demo logins")

    def handle(self, *args, host, port, threads, no_setup, **options):
        # `make run` asks for DEBUG; with real Meta credentials that would be a deployment with
        # DEBUG on (proalto.E002), so refuse rather than serve customers' data that way.
        for error in debug_with_real_token(None):
            raise CommandError(f"{error.msg} {error.hint}")
        self.stopping = False
        browse_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        site_url = os.environ.get("PROALTO_SITE_URL") or f"http://{browse_host}:{port}"
        logins = [] if no_setup else self.prepare_with_logins()
        env = dict(os.environ, PROALTO_SITE_URL=site_url, PYTHONUNBUFFERED="1", **self.mode_env())
        plan = self.process_plan(host=host, port=port, threads=threads)
        ready_url = f"http://{browse_host}:{port}" + ("/sandbox/" if settings.SANDBOX_ENABLED else "/admin/login/")
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        children: list[Child] = []
        try:
            # Appended one by one, so a failed start still stops those already running.
            for name, argv in plan:
                children.append(Child(name, argv, {**env, **self.metrics_env(name)}, self.stdout._out))
            self.wait_for_web(children, ready_url)
            self.banner(site_url, logins)
            self.supervise(children)
            self.stdout.write("\nStopping the bot…")
        finally:
            self.stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(self.style.SUCCESS("Stopped."))

    @staticmethod
    def mode_env() -> dict[str, str]:
        """DEBUG and the sandbox as this process has them, spelled out for the children: the
        settings default both to off, and the web, worker and beat must run the mode the banner
        announces (the embedded default, whose sandbox exists only next to DEBUG)."""
        return {
            "DJANGO_DEBUG": "true" if settings.DEBUG else "false",
            "PROALTO_SANDBOX": "true" if settings.SANDBOX_ENABLED else "false",
        }

    @staticmethod
    def metrics_env(name: str) -> dict[str, str]:
        """Each process group counts in its own folder under var/metrics (emptied as it starts:
        the web's here, the worker's by the worker), and the web's /metrics adds the worker's."""
        folder = Path(settings.VAR_DIR) / "metrics"
        if name == "web":
            multiprocess_dir_prepare(folder / name)
        return {"PROMETHEUS_MULTIPROC_DIR": str(folder / name), "METRICS_DIRS": str(folder / "worker")}

    # --- Preparation ---------------------------------------------------------------------------
    def prepare_with_logins(self) -> list[dict]:
        """Migrate and load the demo data; the demo logins to show (none without the sandbox)."""
        self.prepare()
        return self.demo_logins() if settings.SANDBOX_ENABLED else []

    def prepare(self) -> None:
        self.stdout.write("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.SANDBOX_ENABLED:
            return  # demo customers and logins only exist next to the sandbox
        self.stdout.write("Loading the demo portfolio (fictional customers)…")
        call_command("import_clients", str(DEMO_PORTFOLIO), as_of=timezone.now().isoformat(), stdout=io.StringIO())

    def demo_logins(self) -> list[dict]:
        """Create the demo staff once; on later runs show the same logins again."""
        commands = get_commands()
        if "setup_roles" in commands:
            call_command("setup_roles", stdout=io.StringIO())
        if "create_staff" not in commands:
            self.stdout.write(self.style.WARNING("create_staff is not available yet: no demo staff logins."))
            return []
        users = get_user_model().objects
        logins = []
        for username, role, password in DEMO_STAFF:
            if not Group.objects.filter(name=role).exists():
                continue
            if not users.filter(username=username).exists():
                call_command("create_staff", username, role=role, password=password, stdout=io.StringIO())
            logins.append(
                {"username": username, "role": role, "password": password, "totp": self.totp_secret(username)}
            )
        return logins

    @staticmethod
    def totp_secret(username: str) -> str:
        """The base32 secret to type into an authenticator app (from the user's TOTP device)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user__username=username).order_by("id").first()
        return base64.b32encode(bytes.fromhex(device.key)).decode() if device else ""

    # --- Processes -----------------------------------------------------------------------------
    @staticmethod
    def process_plan(*, host: str, port: int, threads: int) -> list[tuple[str, list[str]]]:
        """Name and command line of each process, in start order (they stop in reverse)."""
        var_dir = Path(settings.VAR_DIR)
        var_dir.mkdir(parents=True, exist_ok=True)
        python = sys.executable
        # One worker process, several threads: the Cloud API stand-in keeps its state in that process.
        web = [python, "-m", "gunicorn", "proalto.wsgi", "--bind", f"{host}:{port}", "--workers", "1"]
        web += ["--threads", str(threads), "--timeout", "120", "--graceful-timeout", "10"]
        celery = [python, "-m", "celery", "-A", "proalto"]
        worker = [*celery, "worker", "--concurrency", "2", "-l", "info", "--without-gossip", "--without-mingle"]
        worker += ["-n", f"proalto-{port}@%h"]
        beat = [*celery, "beat", "-l", "info", "-s", str(var_dir / "celerybeat-schedule")]
        return [("web", web), ("worker", worker), ("beat", beat)]

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    @staticmethod
    def first_dead(children: list[Child]) -> Child | None:
        return next((c for c in children if not c.alive()), None)

    def wait_for_web(self, children: list[Child], url: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline and not self.stopping:
            dead = self.first_dead(children)
            if dead:
                raise CommandError(
                    f"{dead.name} exited while starting (exit code {dead.process.returncode}); see above."
                )
            try:
                if requests.get(url, timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        if not self.stopping:
            raise CommandError(f"the web server did not answer at {url} within {STARTUP_TIMEOUT_SECONDS} s")

    def supervise(self, children: list[Child]) -> None:
        """Until Ctrl-C or SIGTERM; a child that dies takes the others down with it."""
        while not self.stopping:
            dead = self.first_dead(children)
            if dead:
                raise CommandError(
                    f"{dead.name} stopped unexpectedly (exit code {dead.process.returncode}); "
                    "stopping everything. See its output above."
                )
            time.sleep(0.5)

    def stop(self, children: list[Child]) -> None:
        # Beat first (no new scheduled work), then the worker (finishes its task), then the web.
        for child in reversed(children):
            child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in reversed(children):
            child.wait_or_kill(deadline)

    def banner(self, site_url: str, logins: list[dict]) -> None:
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS("ProAlto bot is running (web + Celery worker + beat). Ctrl-C stops everything."))
        if settings.SANDBOX_ENABLED:
            w(f"  Sandbox chat:   {site_url}/sandbox/")
        w(f"  Advisors admin: {site_url}/admin/")
        w(f"  Webhook:        {site_url}/webhooks/whatsapp/")
        w(f"  Data:           {settings.VAR_DIR}")
        if logins:
            w("  Demo logins (add the TOTP secret to an authenticator app, e.g. Google Authenticator):")
            for login in logins:
                w(
                    f"    {login['username']:<18} {login['password']:<26} {login['role']:<13} "
                    f"TOTP {login['totp'] or '—'}"
                )
        if settings.SANDBOX_ENABLED:
            w("  Demo customers (credits/fixtures/README.md): 573001234567 Ana (saldo, solicitud en estudio),")
            w("    573009876543 Carlos (paz y salvo), 573101112233 Luz Marina (two credits),")
            w("    573007778899 Gloria (renovación), 573152223344 Jorge (en mora).")
        w("")
