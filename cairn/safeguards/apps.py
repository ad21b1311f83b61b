from django.apps import AppConfig


class SafeguardsConfig(AppConfig):
    name = "cairn.safeguards"
    label = "safeguards"
