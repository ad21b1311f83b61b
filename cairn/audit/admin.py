"""The audit log in the Django admin: platform staff read it (failed sign-ins for unknown
addresses belong to no organisation and show only here); nobody adds, changes or deletes."""

from django.contrib import admin

from cairn.audit.models import AuditEntry
from cairn.readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "organisation", "actor_label", "action", "target", "ip")
    list_filter = ("action", "organisation")
    search_fields = ("actor_label", "target", "ip")
    date_hierarchy = "created_at"
