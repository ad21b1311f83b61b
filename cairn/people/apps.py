from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cairn.people"
    label = "people"
    verbose_name = "People and organisations"

    def ready(self) -> None:
        from cairn.people import signals  # noqa: F401  (connects the receivers)
