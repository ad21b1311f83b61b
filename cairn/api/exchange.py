"""API endpoints of the exchange app."""

from ninja import Router

router = Router(tags=["exchange"])
