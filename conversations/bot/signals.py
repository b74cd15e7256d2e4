"""Signals other apps listen to (CSAT, metrics) without the engine knowing them."""

from django.dispatch import Signal

# A flow answered the user's request by itself: kwargs contact, flow, message.
flow_resolved = Signal()
