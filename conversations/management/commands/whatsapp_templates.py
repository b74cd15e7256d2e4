"""Compare the WhatsApp templates the bot uses (conversations/messaging/whatsapp_templates/)
with the Business Account's, or submit the missing ones to Meta for review.

    python manage.py whatsapp_templates check    # exit 1 unless every template is approved as written
    python manage.py whatsapp_templates submit   # create the missing ones, then check again
"""

from __future__ import annotations

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conversations.messaging import whatsapp
from conversations.messaging.template_sync import (
    templates_compare,
    templates_defined,
    templates_remote,
    templates_submit,
)


class Command(BaseCommand):
    help = "Check the WhatsApp templates against the Business Account, or submit the missing ones."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "submit"])

    def handle(self, *args, action: str, **options):
        waba_id = settings.WHATSAPP_BUSINESS_ACCOUNT_ID
        if not waba_id:
            raise CommandError("WHATSAPP_BUSINESS_ACCOUNT_ID is not set: the templates live in that account.")
        client = whatsapp.CloudAPIClient.from_settings()
        defined = templates_defined()
        try:
            states = templates_compare(defined=defined, remote=templates_remote(client, waba_id=waba_id))
            if action == "submit":
                missing = {(s.name, s.language) for s in states if s.state == "missing"}
                to_submit = [t for t in defined if (t["name"], t["language"]) in missing]
                for template, answer in zip(
                    to_submit, templates_submit(client, waba_id=waba_id, templates=to_submit), strict=True
                ):
                    self.stdout.write(
                        f"submitted {template['name']} ({template['language']}): {answer.get('status')}, "
                        f"id {answer.get('id')}"
                    )
                if not to_submit:
                    self.stdout.write("nothing to submit: every template is in the account")
                states = templates_compare(defined=defined, remote=templates_remote(client, waba_id=waba_id))
        except whatsapp.WhatsAppError as exc:
            raise CommandError(f"Meta refused the request: {exc}") from None
        except requests.RequestException as exc:
            raise CommandError(f"Meta could not be reached: {type(exc).__name__}: {exc}") from None

        for state in states:
            style = self.style.SUCCESS if state.ok else self.style.ERROR
            self.stdout.write(f"{style(state.state.upper()):<12} {state.name} ({state.language}): {state.detail}")
        bad = [s for s in states if not s.ok]
        if bad:
            raise CommandError(f"{len(bad)} of {len(states)} template(s) not approved as written")
        self.stdout.write(self.style.SUCCESS(f"all {len(states)} templates approved as written"))
