from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "cairn.matching"
    label = "matching"
