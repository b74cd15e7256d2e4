"""Load the core system's customer export (JSON Lines) into the bot's database."""

from django.core.management.base import BaseCommand, CommandError

from credits.importer import ImportFileError
from credits.services import clients_import


class Command(BaseCommand):
    help = (
        "Import the core system's JSON Lines export: one customer per line with its credits "
        "and applications. All lines are validated first; any bad line aborts the whole file "
        "(nothing is written) and is reported with its line number. Re-importing updates in "
        "place: customers by cedula, credits and applications by number. Credits and "
        "applications missing from a customer's line are left as they are (never deleted). "
        "A changed application stage is recorded as an ApplicationStageChange."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .jsonl export (UTF-8)")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, encoding="utf-8") as lines:
                result = clients_import(lines=lines)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text") from exc
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}; nothing was imported") from exc

        self.stdout.write(
            self.style.SUCCESS(
                f"Customers: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged. "
                f"Credits: {result.credits_created} created, {result.credits_updated} updated. "
                f"Applications: {result.applications_created} created, "
                f"{result.applications_updated} updated, {result.stage_changes} stage changes."
            )
        )
