"""What trust tells the rest of Cairn: a signal sent after the worker stored new figures."""

from django.dispatch import Signal

#: Sent by the worker after a pass stored an organisation's trust (``organisation_id``), for
#: readers of the stored figures (matching's recommendation index).
trust_stored = Signal()
