"""Pull what changed in ProAlto's core (by updated_at) into the bot's local copy."""

from django.core.management.base import BaseCommand, CommandError

from credits.core import core_configured
from credits.portfolio import PortfolioUnavailable
from credits.services import portfolio_sync


class Command(BaseCommand):
    help = (
        "Read the proalto_bot relations of ProAlto's core (CORE_DATABASE_URL) changed since the "
        "last sync and write them into the local copy in one transaction, recording the cut-off. "
        "Beat runs it every PORTFOLIO_SYNC_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="read everything, not only what changed")

    def handle(self, *args, full: bool = False, **options):
        if not core_configured():
            raise CommandError("CORE_DATABASE_URL is not set: there is no core to sync from")
        try:
            result = portfolio_sync(full=full)
        except PortfolioUnavailable as exc:
            raise CommandError(f"the core did not answer ({exc}); nothing was written") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Customers: {result.created} created, {result.updated} updated. "
                f"Credits: {result.credits_created} created, {result.credits_updated} updated. "
                f"Applications: {result.applications_created} created, {result.applications_updated} updated, "
                f"{result.stage_changes} stage changes, {result.stages_kept} stages kept."
            )
        )
