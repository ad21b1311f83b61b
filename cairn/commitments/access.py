"""Permission-aware getters: a commitment is seen only by the two people it binds."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cairn.commitments.models import Commitment
from cairn.errors import ActionError
from cairn.people.models import User
from cairn.visibility import can_see


def commitments_of(user: User) -> QuerySet[Commitment]:
    """Return the commitments a person made or was made, with both people's profiles."""
    return Commitment.objects.visible_to(user).select_related(
        "committer__profile", "counterpart__profile"
    )


def commitment_for(user: User, commitment_id: int) -> Commitment:
    """Return a commitment the person made or was made, or raise 404."""
    return get_object_or_404(commitments_of(user), pk=commitment_id)


def context_for(user: User, ref: str) -> models.Model | None:
    """Return the object named by "app_label.model:id" if the person may see it, else refuse.

    An empty ``ref`` means no context.
    """
    ref = (ref or "").strip()
    if not ref:
        return None
    try:
        label, object_id = ref.rsplit(":", 1)
        app_label, model = label.split(".", 1)
        ct = ContentType.objects.get_by_natural_key(app_label, model.lower())
    except (ValueError, ContentType.DoesNotExist):
        raise ActionError("That is not something you can commit within.", "context") from None
    model_class = ct.model_class()
    obj = None
    if model_class is not None:
        try:
            obj = model_class._default_manager.filter(pk=object_id).first()
        except (ValueError, TypeError):
            obj = None
    if (
        obj is None
        or getattr(obj, "organisation_id", None) != user.organisation_id
        or not can_see(user, obj)
    ):
        raise ActionError("That is not something you can commit within.", "context")
    return obj


def context_ref(obj: models.Model) -> str:
    """Return the "app_label.model:id" reference of a context object."""
    return f"{obj._meta.label_lower}:{obj.pk}"
