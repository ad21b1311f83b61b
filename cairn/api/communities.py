"""API endpoints of the communities app."""

from ninja import Router

router = Router(tags=["communities"])
