"""The ledger in the Django admin: staff can read events, never add, change or delete them."""

from django.contrib import admin
from django.http import HttpRequest

from cairn.ledger.models import Event


class ReadOnlyAdmin(admin.ModelAdmin):
    """An append-only record in the admin: every field shown, nothing added, changed or deleted."""

    show_full_result_count = False  # these tables grow large; counting on every page is slow

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("time", "organisation", "actor", "verb", "subject", "object_type", "value")
    list_filter = ("verb", "organisation")
    list_select_related = ("organisation", "actor", "subject")
    search_fields = ("actor__email", "subject__email", "object_id")
    date_hierarchy = "time"
