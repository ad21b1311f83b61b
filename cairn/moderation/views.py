"""Pages: flag something, the moderators' queue, one item and its decisions."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cairn.errors import form_page
from cairn.http import SignedInRequest
from cairn.moderation import actions
from cairn.moderation.access import flaggable_for, flags_on, item_for, queue_for, targets_of
from cairn.moderation.forms import DecisionForm, FlagForm, RedactForm
from cairn.moderation.models import Flag, ModeratedItem
from cairn.visibility import can_see


@login_required
def flag(request: SignedInRequest, target_type: str, target_id: int) -> HttpResponse:
    target = flaggable_for(request.user, target_type, target_id)
    return form_page(
        request,
        FlagForm(request.POST or None),
        lambda data: actions.do_flag(request.user, target, data["reason"], data["note"]),
        success="Thank you. The moderators will look at it.",
        # Asked after the flag: flagging may hide the target from the person who flagged it.
        to=lambda _: target if can_see(request.user, target) else "home",
        template="moderation/flag.html",
        context={"target": target},
    )


def _with_flag_counts(items):
    open_flags = Q(flags__status=Flag.Status.OPEN)
    return items.annotate(
        open_flags=Count("flags", filter=open_flags),
        doubtful_flags=Count("flags", filter=open_flags & ~Q(flags__suspicion="")),
    )


@login_required
def queue(request: SignedInRequest) -> HttpResponse:
    items = _with_flag_counts(queue_for(request.user))
    waiting = list(items.waiting().order_by("-hidden", "-flagged_at")[:100])
    reviewed = list(items.filter(status=ModeratedItem.Status.REVIEWED).order_by("-decided_at")[:20])
    targets = targets_of(request.user, waiting)
    for moderated in waiting:
        moderated.target = targets.get(moderated.pk)
    return render(request, "moderation/queue.html", {"waiting": waiting, "reviewed": reviewed})


def _item_page(request: SignedInRequest, item: ModeratedItem, form: BaseForm) -> HttpResponse:
    target = targets_of(request.user, [item]).get(item.pk)
    return render(
        request,
        "moderation/item.html",
        {"item": item, "target": target, "flags": flags_on(request.user, item), "form": form},
    )


@login_required
def item(request: SignedInRequest, item_id: int) -> HttpResponse:
    return _item_page(request, item_for(request.user, item_id), DecisionForm())


@login_required
@require_POST
def decide(request: SignedInRequest, item_id: int) -> HttpResponse:
    moderated = item_for(request.user, item_id)
    return form_page(
        request,
        DecisionForm(request.POST),
        lambda data: actions.do_decide(request.user, moderated, data["decision"], data["reason"]),
        success="Decided. The author has been told why.",
        to="moderation_queue",
        # As it stands now: a refusal may come from someone else's decision made meanwhile.
        page=lambda form: _item_page(request, item_for(request.user, item_id), form),
    )


@login_required
def redact(request: SignedInRequest, item_id: int) -> HttpResponse:
    moderated = item_for(request.user, item_id)
    target = targets_of(request.user, [moderated]).get(moderated.pk)
    if target is None:
        return redirect(moderated)
    form = RedactForm(target, request.POST or None)
    return form_page(
        request,
        form,
        lambda data: actions.do_redact(request.user, moderated, form.texts(), data["reason"]),
        success="Edited. The author has been told why.",
        to="moderation_queue",
        template="moderation/redact.html",
        context={"item": moderated, "target": target},
    )
