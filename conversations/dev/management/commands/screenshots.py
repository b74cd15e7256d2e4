"""PNG screenshots of the back office from a running server (make run), in headless Chromium.

    manage.py screenshots [--url http://127.0.0.1:8000] [--out var/screenshots]
                          [--sizes 1366x768 1920x1080] [--pages /admin/metrics/ ...]
    manage.py screenshots --walkthrough [--out var/screenshots] [--sizes ...]

Logs in as throwaway staff of each role (created here with their TOTP devices in the same
database the server uses, deleted afterwards) and saves, at every size: as an advisor, the
inbox and the chat of the most urgent active ticket; as a supervisor, the same chat with the
customer panel, the ticket list, the search, the team's load, the saved replies and their
form, the metrics, the audit log, the messages the bot did not understand and the labelling
form of the newest, the renewal rules and their add form; as compliance, the data-rights
list, a request and its resolve page, the consents; the 403 and 404 pages; and the --pages.
Files are named <screen>-<width>x<height>.png.

--walkthrough plays issue 15's fixed conversations in the sandbox chat instead, on a server
of its own in this process (conversations/dev/walkthrough.py), into <out>/issue15/; it needs
the demo portfolio (make run loads it). Sandbox/debug only.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from consent.selectors import rights_requests_open
from conversations.dev import walkthrough
from conversations.models import UnrecognisedMessage
from credits.selectors import customer_by_cedula
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
SIZES = ["1366x768", "1920x1080"]


def _size(value: str) -> dict:
    width, _, height = value.partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise CommandError(f"Tamaño no válido: {value!r} (usa ANCHOxALTO, p. ej. 1366x768).")
    return {"width": int(width), "height": int(height)}


class Command(BaseCommand):
    help = "Save PNG screenshots of every back-office screen, per role, at laptop and desktop sizes."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--out", default=str(settings.VAR_DIR / "screenshots"))
        parser.add_argument("--sizes", nargs="*", default=SIZES, help="viewport sizes, WIDTHxHEIGHT")
        parser.add_argument("--pages", nargs="*", default=[], help="more admin paths, shown as a supervisor")
        parser.add_argument(
            "--walkthrough",
            action="store_true",
            help="play issue 15's fixed conversations in the sandbox chat (into <out>/issue15/)",
        )

    def handle(self, *args, url, out, sizes, pages, walkthrough, **options):
        if not (settings.DEBUG or settings.SANDBOX_ENABLED):
            raise CommandError("Solo en el sandbox o en modo DEBUG: crea usuarios temporales.")
        from playwright.sync_api import sync_playwright

        viewports = [(size, _size(size)) for size in sizes]
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        if walkthrough:
            self._walkthrough(sync_playwright, viewports, out_dir / "issue15")
            return
        base = url.rstrip("/")
        ticket = Ticket.objects.exclude(status=Ticket.Status.CLOSED).order_by("priority", "created_at").first()
        ticket = ticket or Ticket.objects.order_by("-created_at").first()
        chat = [("chat", f"/admin/escalations/ticket/{ticket.pk}/chat/")] if ticket else []
        rights = rights_requests_open().first()
        unrecognised = UnrecognisedMessage.objects.order_by("-created_at").first()
        by_role = {
            "Asesor": [("bandeja", "/admin/escalations/ticket/inbox/"), *[(f"asesor-{n}", p) for n, p in chat]],
            "Supervisor": [
                *[(f"supervisor-{n}", p) for n, p in chat],
                ("cola", "/admin/escalations/ticket/"),
                ("buscar", "/admin/escalations/ticket/search/?q=ana"),
                ("carga", "/admin/escalations/ticket/load/"),
                ("respuestas-rapidas", "/admin/escalations/savedreply/"),
                ("respuesta-rapida-nueva", "/admin/escalations/savedreply/add/"),
                ("metricas", "/admin/metrics/"),
                ("auditoria", "/admin/escalations/auditentry/"),
                ("mensajes-no-entendidos", "/admin/conversations/unrecognisedmessage/"),
                *(
                    [
                        (
                            "mensaje-no-entendido-etiquetar",
                            f"/admin/conversations/unrecognisedmessage/{unrecognised.pk}/change/",
                        )
                    ]
                    if unrecognised
                    else []
                ),
                ("reglas-renovacion", "/admin/credits/renewalruleset/"),
                ("reglas-renovacion-nueva", "/admin/credits/renewalruleset/add/"),
                ("error-403", "/admin/consent/datarightsrequest/"),
                *[(path.strip("/").replace("/", "_") or "inicio", path) for path in pages],
            ],
            "Cumplimiento": [
                ("habeas-data", "/admin/consent/datarightsrequest/"),
                *(
                    [
                        ("habeas-data-detalle", f"/admin/consent/datarightsrequest/{rights.pk}/change/"),
                        ("habeas-data-resolver", f"/admin/consent/datarightsrequest/{rights.pk}/resolve/"),
                    ]
                    if rights
                    else []
                ),
                ("consentimientos", "/admin/consent/consentrecord/"),
            ],
        }
        # Accounts made before Playwright starts: its sync API runs an event loop, where the ORM refuses to.
        accounts = {role: self._account(role) for role in by_role}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for role, targets in by_role.items():
                        self._shoot(browser, base, accounts[role], targets, viewports, out_dir)
                finally:
                    browser.close()
        finally:
            for account in accounts.values():
                account["device"].user.delete()

    def _account(self, role: str) -> dict:
        from django_otp.oath import totp

        username = f"capturas-{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(18)
        device = staff_create(username=username, role=role, password=password)
        device.user.first_name, device.user.last_name = "Captura", role
        device.user.save(update_fields=["first_name", "last_name"])

        def code() -> str:
            return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"

        return {"username": username, "password": password, "device": device, "code": code}

    def _shoot(self, browser, base, account, targets, viewports, out_dir):
        # One login per role (a TOTP code is accepted once), then every size.
        page = browser.new_page(viewport=viewports[0][1])
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", account["username"])
        page.fill("#id_password", account["password"])
        if page.locator("#id_otp_token").count():
            page.fill("#id_otp_token", account["code"]())
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")
        for size, viewport in viewports:
            page.set_viewport_size(viewport)
            for name, path in targets:
                page.goto(f"{base}{path}")
                page.wait_for_timeout(2500)  # the inbox's and the chat's first polls
                target = out_dir / f"{name}-{size}.png"
                page.screenshot(path=str(target))
                self.stdout.write(str(target))
        page.close()

    def _walkthrough(self, sync_playwright, viewports, out_dir: Path) -> None:
        if not settings.SANDBOX_ENABLED:
            raise CommandError("El recorrido usa el chat del sandbox: actívalo con PROALTO_SANDBOX=true.")
        missing = [
            who[3] for who in (walkthrough.ANA, walkthrough.GLORIA) if customer_by_cedula(cedula=who[1]) is None
        ]
        if missing:
            raise CommandError(
                f"Falta la cartera demo ({', '.join(missing)}): cárgala con make run (runbot) "
                "o con import_clients credits/fixtures/demo_portfolio.jsonl."
            )
        with walkthrough.sandbox_in_process() as (url, _), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                failures = walkthrough.walk(browser, url, out_dir, viewports, self.stdout.write)
            finally:
                browser.close()
        if failures:
            raise CommandError("El recorrido no salió como estaba previsto: " + "; ".join(failures))
