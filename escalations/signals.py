"""Signals of the escalation app (notifying advisors listens to ticket_opened)."""

from django.dispatch import Signal

ticket_opened = Signal()
