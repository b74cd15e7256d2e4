"""Load the core system's customer export (JSON Lines) into the bot's database."""

import os
from datetime import datetime
from datetime import timezone as dt_timezone

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from credits.importer import ImportFileError
from credits.services import clients_import


class Command(BaseCommand):
    help = (
        "Import the core system's JSON Lines export: one customer per line with its credits "
        "and applications. All lines are validated first; any bad line aborts the whole file "
        "(nothing is written) and is reported with its line number. Re-importing updates in "
        "place: customers by cedula, credits and applications by number. Credits and "
        "applications missing from a customer's line are left as they are (never deleted). "
        "A changed application stage is recorded as an ApplicationStageChange; a stage never "
        "moves back unless the line is dated after the stored one. The data's cut-off (--as-of, "
        "default the file's modification time) is recorded and stated in replies."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .jsonl export (UTF-8)")
        parser.add_argument(
            "--as-of",
            help="when the export's data were taken, ISO date-time (default: the file's modification time)",
        )

    def handle(self, *args, file: str, as_of: str | None = None, **options):
        try:
            taken = _as_of(as_of) if as_of else datetime.fromtimestamp(os.stat(file).st_mtime, tz=dt_timezone.utc)
            with open(file, encoding="utf-8") as lines:
                result = clients_import(lines=lines, as_of=taken, source_name=os.path.basename(file))
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
                f"{result.applications_updated} updated, {result.stage_changes} stage changes, "
                f"{result.stages_kept} stages kept. Data as of {taken.isoformat()}."
            )
        )


def _as_of(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be an ISO date-time, got {value!r}") from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
