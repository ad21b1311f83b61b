from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cairn.notifications"
    label = "notifications"

    def ready(self) -> None:
        from cairn.ledger.record import event_committed
        from cairn.notifications.actions import on_event_committed

        event_committed.connect(on_event_committed, dispatch_uid="notifications.deliver")
