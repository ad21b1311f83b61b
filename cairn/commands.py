"""What the management commands share: finding the organisation a ``--org SLUG`` names."""

from django.core.management.base import CommandError

from cairn.people.models import Organisation


def organisation_named(slug: str) -> Organisation:
    """Return the organisation whose slug is ``slug``; refuse, naming the known slugs, if none."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        slugs = Organisation.objects.order_by("slug").values_list("slug", flat=True)
        known = ", ".join(slugs) or "none yet"
        raise CommandError(f"No organisation {slug!r} (known: {known}).")
    return organisation
