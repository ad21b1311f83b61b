"""Feedback after working together: four 1–5 scores and a private comment."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from cairn.checks import organisation_of
from cairn.errors import ActionError
from cairn.learning.models import FEEDBACK_MIN_FOR_SUMMARY, Feedback
from cairn.ledger.models import Verb
from cairn.ledger.record import record
from cairn.people.models import User
from cairn.safeguards.actions import check_pair_cap


def feedback_url(context_object: models.Model, receiver: User) -> str:
    """Return the page where one gives ``receiver`` feedback about ``context_object``."""
    return reverse(
        "feedback",
        args=[context_object._meta.label_lower, context_object.pk, receiver.profile.handle],
    )


def check_feedback(giver: User, receiver: User, context_object: models.Model) -> None:
    """Say why ``giver`` cannot give ``receiver`` feedback about ``context_object``, if so.

    The context object says who worked together through ``feedback_parties()`` (a set of user
    ids; empty while it is not ready, e.g. a relationship not yet completed or a response not
    yet accepted) and belongs to an organisation.
    """
    parties = getattr(context_object, "feedback_parties", None)
    if parties is None:
        raise ActionError("Feedback is given after a session, response or relationship.")
    if getattr(context_object, "organisation_id", giver.organisation_id) != giver.organisation_id:
        raise ActionError("Not found.", status=404)
    if receiver.pk == giver.pk:
        raise ActionError("Feedback is for someone else.", field="receiver")
    who = parties()
    if giver.pk not in who or receiver.pk not in who:
        raise ActionError(
            "Feedback is for people who worked together here, once it is done.", "receiver"
        )


def do_give_feedback(
    giver: User,
    receiver: User,
    context_object: models.Model,
    scores: dict[str, int],
    comment: str = "",
) -> Feedback:
    """Give feedback once per person and context; the same feedback again (a double click)
    returns it. Records ``rated`` with (mean − 3) / 2."""
    clean: dict[str, int] = {}
    for dimension in Feedback.DIMENSIONS:
        value = scores.get(dimension)
        try:
            value = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ActionError("Choose from 1 (not at all) to 5 (very much).", field=dimension)
        clean[dimension] = value
    comment = comment.strip()[:4000]
    # Judge the context as it is now, not as the caller loaded it.
    context_object = type(context_object)._default_manager.get(pk=context_object.pk)
    check_feedback(giver, receiver, context_object)
    content_type = ContentType.objects.get_for_model(context_object)
    keys = {
        "giver": giver,
        "receiver": receiver,
        "content_type": content_type,
        "object_id": context_object.pk,
    }
    existing = Feedback.objects.filter(**keys).first()
    if existing is not None:
        if all(getattr(existing, d) == v for d, v in clean.items()) and existing.comment == comment:
            return existing
        raise ActionError("You have already given feedback here.", status=409)
    try:
        with transaction.atomic():
            check_pair_cap(giver, [receiver], Verb.RATED)
            feedback = Feedback.objects.create(
                organisation=organisation_of(giver), comment=comment, **keys, **clean
            )
            record(
                Verb.RATED,
                actor=giver,
                subject=receiver,
                obj=feedback,
                value=feedback.trust_value(),
                context={"context": context_object._meta.label_lower},
            )
    except IntegrityError:  # the other click of a double click won the race
        return Feedback.objects.get(**keys)
    return feedback


def feedback_summary(user: User) -> dict[str, object]:
    """Return the feedback ``user`` received, aggregated: count, and once there are at least
    ``FEEDBACK_MIN_FOR_SUMMARY`` the average per dimension and the comments, unattributed and
    in no particular order (sorted by text, never by time or giver)."""
    received = Feedback.objects.filter(receiver=user)
    averages = received.aggregate(
        count=models.Count("pk"), **{d: models.Avg(d) for d in Feedback.DIMENSIONS}
    )
    count = averages.pop("count")
    if count < FEEDBACK_MIN_FOR_SUMMARY:
        return {
            "count": count,
            "needed": FEEDBACK_MIN_FOR_SUMMARY,
            "averages": None,
            "comments": [],
        }
    comments = sorted(c for c in received.values_list("comment", flat=True) if c)
    return {
        "count": count,
        "needed": FEEDBACK_MIN_FOR_SUMMARY,
        "averages": {d: round(v, 1) for d, v in averages.items()},
        "comments": comments,
    }
