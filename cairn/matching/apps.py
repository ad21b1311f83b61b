from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "cairn.matching"
    label = "matching"

    def ready(self) -> None:
        from django.apps import apps

        from cairn.ledger.record import event_committed
        from cairn.matching.actions.recommendations import on_event_committed, on_trust_stored

        event_committed.connect(on_event_committed, dispatch_uid="matching.indexes")
        if apps.is_installed("cairn.trust"):
            from cairn.trust.broadcast import trust_stored

            trust_stored.connect(on_trust_stored, dispatch_uid="matching.indexes.trust")
