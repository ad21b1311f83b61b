from django.apps import AppConfig
from django.db.backends.signals import connection_created


class WebConfig(AppConfig):
    name = "cairn.web"
    label = "web"

    def ready(self) -> None:
        from cairn.database import keep_prepared_statements

        connection_created.connect(keep_prepared_statements, dispatch_uid="keep_prepared")
