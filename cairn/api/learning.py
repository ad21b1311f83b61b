"""API endpoints of the learning app."""

from ninja import Router

router = Router(tags=["learning"])
