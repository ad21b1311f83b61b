"""Wire the trust listener to the ledger (called from TrustConfig.ready)."""


def connect() -> None:
    from cairn.ledger.record import event_committed
    from cairn.trust.actions import on_event_committed

    event_committed.connect(on_event_committed, dispatch_uid="trust.recompute")
