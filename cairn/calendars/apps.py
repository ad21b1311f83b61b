from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "cairn.calendars"
    label = "calendars"
    verbose_name = "Calendar subscriptions"
