"""An organisation's search language, chosen by platform staff in the Django admin."""

from django.contrib import admin

from cairn.search.models import SearchLanguage


@admin.register(SearchLanguage)
class SearchLanguageAdmin(admin.ModelAdmin):
    list_display = ("organisation", "config")
