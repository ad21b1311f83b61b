from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cairn.learning"
    label = "learning"

    def ready(self) -> None:
        from cairn.learning.health import on_event_committed
        from cairn.ledger.record import event_committed

        event_committed.connect(on_event_committed, dispatch_uid="learning.activity")
