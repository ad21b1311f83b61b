from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "cairn.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks and chat channels"

    def ready(self) -> None:
        from cairn.ledger.record import event_committed
        from cairn.webhooks.signals import on_event_committed

        event_committed.connect(on_event_committed, dispatch_uid="webhooks.send")
