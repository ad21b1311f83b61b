from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cairn.search"
    label = "search"

    def ready(self) -> None:
        from cairn.search import signals

        signals.connect()
