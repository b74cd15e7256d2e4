"""PNG screenshots of the back office from a running server (make run), in headless Chromium.

    manage.py screenshots [--url http://127.0.0.1:8000] [--out var/screenshots]
                          [--pages /admin/metrics/ ...]

Logs in as a throwaway Supervisor (created here with its TOTP device in the same
database the server uses, deleted afterwards), then saves the ticket queue, the chat page
of the most urgent active ticket, and the --pages (by default the metrics dashboard).
Sandbox/debug only.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from escalations.management.commands.create_staff import staff_create
from escalations.models import Ticket

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Command(BaseCommand):
    help = "Save PNG screenshots of the ticket queue, a chat page and other admin pages."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--out", default=str(settings.VAR_DIR / "screenshots"))
        parser.add_argument(
            "--pages", nargs="*", default=["/admin/metrics/"], help="more admin paths (default: the metrics dashboard)"
        )
        parser.add_argument("--viewport", default="1400x900", help="WIDTHxHEIGHT, e.g. 1366x768 or 1920x1080")

    def handle(self, *args, url, out, pages, viewport="1400x900", **options):
        if not (settings.DEBUG or settings.SANDBOX_ENABLED):
            raise CommandError("Solo en el sandbox o en modo DEBUG: crea un usuario temporal.")
        from django_otp.oath import totp
        from playwright.sync_api import sync_playwright

        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        username = f"capturas-{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(18)
        device = staff_create(username=username, role="Supervisor", password=password)
        targets = [("cola", "/admin/escalations/ticket/")]
        ticket = Ticket.objects.exclude(status=Ticket.Status.CLOSED).order_by("priority", "created_at").first()
        ticket = ticket or Ticket.objects.order_by("-created_at").first()
        if ticket is not None:
            targets.append(("chat", f"/admin/escalations/ticket/{ticket.pk}/chat/"))
        targets += [(path.strip("/").replace("/", "_") or "inicio", path) for path in pages]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                width, _, height = viewport.partition("x")
                page = browser.new_page(viewport={"width": int(width), "height": int(height)})
                page.goto(f"{url.rstrip('/')}/admin/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", password)
                if page.locator("#id_otp_token").count():
                    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
                    page.fill("#id_otp_token", f"{code:0{device.digits}d}")
                page.click("input[type=submit]")
                page.wait_for_load_state("networkidle")
                for name, path in targets:
                    page.goto(f"{url.rstrip('/')}{path}")
                    page.wait_for_timeout(2500)  # let the chat page's first poll render
                    target = out_dir / f"{name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    self.stdout.write(f"{target}")
                browser.close()
        finally:
            device.user.delete()
