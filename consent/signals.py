"""Signals of the consent app."""

from django.dispatch import Signal

# A holder's conversational data is being erased (a granted *suprimir* request), inside the
# erasure's transaction: kwargs contact. Receivers erase what their layer keeps and return
# how many records they changed.
personal_data_erase = Signal()
