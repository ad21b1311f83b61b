from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "cairn.trust"
    label = "trust"
