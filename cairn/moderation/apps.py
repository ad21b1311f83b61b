from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "cairn.moderation"
    label = "moderation"

    def ready(self) -> None:
        from cairn.ledger.record import event_committed
        from cairn.moderation.actions import on_event_committed

        event_committed.connect(on_event_committed, dispatch_uid="moderation.appeals")
