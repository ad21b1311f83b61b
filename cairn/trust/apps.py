from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "cairn.trust"
    label = "trust"

    def ready(self) -> None:
        from cairn.trust import signals

        signals.connect()
