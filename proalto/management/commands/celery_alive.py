"""Liveness of a Celery worker or beat for the orchestrator: exit 0 when its heartbeat file
(touched from its main loop every 10 s, proalto.celery) is recent, 1 when it is stale or
missing. A systemd watchdog script, a Kubernetes exec probe or a cron job runs it:

    python manage.py celery_alive worker [--max-age 60]
    python manage.py celery_alive beat
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Exit 0 if the Celery worker (or beat) on this machine touched its heartbeat recently."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["worker", "beat"])
        parser.add_argument("--max-age", type=float, default=60, help="seconds (default 60)")

    def handle(self, *args, kind: str, max_age: float, **options):
        path = Path(settings.HEARTBEAT_DIR) / f"celery-{kind}.heartbeat"
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            raise CommandError(f"{kind} not alive: no heartbeat at {path}") from None
        if age > max_age:
            raise CommandError(f"{kind} not alive: last heartbeat {age:.0f} s ago (more than {max_age:g} s)")
        self.stdout.write(f"{kind} alive: heartbeat {age:.0f} s ago")
