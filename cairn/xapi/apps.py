from django.apps import AppConfig


class XapiConfig(AppConfig):
    name = "cairn.xapi"
    label = "xapi"
    verbose_name = "Learning records (xAPI)"

    def ready(self) -> None:
        from cairn.ledger.record import event_committed
        from cairn.xapi.signals import on_event_committed

        event_committed.connect(on_event_committed, dispatch_uid="xapi.send")
