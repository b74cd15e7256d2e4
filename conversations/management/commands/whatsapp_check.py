"""Verify this deployment's WhatsApp wiring: the access token, the phone number id, the
Business Account's webhook subscription and the app secret (a signed self-test against
this deployment's own webhook). Exit 1 when anything fails.

    python manage.py whatsapp_check [--webhook-url https://bot.example.com/webhooks/whatsapp/]
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conversations.messaging import whatsapp
from conversations.messaging.setup_check import whatsapp_setup_check


class Command(BaseCommand):
    help = "Verify the Meta token, phone number id, webhook subscription and app secret."

    def add_arguments(self, parser):
        parser.add_argument(
            "--webhook-url",
            default=f"{settings.SITE_URL}/webhooks/whatsapp/",
            help="this deployment's webhook as Meta calls it (default: PROALTO_SITE_URL's)",
        )

    def handle(self, *args, webhook_url: str, **options):
        findings = whatsapp_setup_check(
            whatsapp.CloudAPIClient.from_settings(),
            phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID,
            waba_id=settings.WHATSAPP_BUSINESS_ACCOUNT_ID,
            access_token=settings.WHATSAPP_ACCESS_TOKEN,
            app_secret=settings.WHATSAPP_APP_SECRET,
            verify_token=settings.WHATSAPP_VERIFY_TOKEN,
            webhook_url=webhook_url,
        )
        for finding in findings:
            mark = self.style.SUCCESS("OK  ") if finding.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {finding.what}: {finding.detail}")
        failed = [f for f in findings if not f.ok]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed")
        self.stdout.write(self.style.SUCCESS("WhatsApp is wired correctly"))
