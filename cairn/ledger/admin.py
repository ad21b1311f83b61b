"""The ledger in the Django admin: staff can read events, never add, change or delete them."""

from django.contrib import admin

from cairn.ledger.models import Event
from cairn.readonly_admin import ReadOnlyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("time", "organisation", "actor", "verb", "subject", "object_type", "value")
    list_filter = ("verb", "organisation")
    list_select_related = ("organisation", "actor", "subject")
    search_fields = ("actor__email", "subject__email", "object_id")
    date_hierarchy = "time"
