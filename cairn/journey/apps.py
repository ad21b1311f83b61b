from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "cairn.journey"
    label = "journey"
    verbose_name = "Learning journeys"
