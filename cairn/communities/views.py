"""Community pages: the list, a community with its threads and resources, members, joining."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Q
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cairn.communities import actions
from cairn.communities.access import (
    community_for,
    membership_for,
    readable_community_for,
    thread_for,
)
from cairn.communities.forms import CommunityForm, JoinForm, ReplyForm, ResourceForm, ThreadForm
from cairn.communities.models import Community, Membership
from cairn.errors import button, form_page
from cairn.http import SignedInRequest, page_or_part


@login_required
def community_list(request: SignedInRequest) -> HttpResponse:
    mine = Membership.objects.filter(
        community=OuterRef("pk"), user=request.user, status=Membership.Status.ACTIVE
    )
    communities = (
        Community.objects.visible_to(request.user)
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)
            ),
            is_mine=Exists(mine),
        )
        .order_by(F("archived_at").asc(nulls_first=True), "name")
    )
    return render(request, "communities/list.html", {"communities": communities})


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    return form_page(
        request,
        CommunityForm(request.POST or None),
        lambda data: actions.do_create_community(request.user, **data),
        success="Your community is ready. Invite a few colleagues in.",
        to=lambda community: community,
        template="communities/create.html",
    )


@login_required
def edit(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = community_for(request.user, community_id)
    if not community.is_facilitator(request.user):
        raise Http404("No such community.")
    initial = {
        "name": community.name,
        "description": community.description,
        "policy": community.policy,
    }
    return form_page(
        request,
        CommunityForm(request.POST or None, initial=initial),
        lambda data: actions.do_update_community(request.user, community, **data),
        success="Saved.",
        to=community,
        template="communities/edit.html",
        context={"community": community},
    )


def _membership_context(request: SignedInRequest, community) -> dict[str, object]:
    membership = community.membership_of(request.user)
    active = membership is not None and membership.is_active()
    return {
        "community": community,
        "membership": membership,
        "is_member": active,
        "is_facilitator": active and membership.is_facilitator(),
        "can_read": community.is_open() or active,
    }


@login_required
def detail(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = community_for(request.user, community_id)
    context = _membership_context(request, community)
    context["join_form"] = JoinForm()
    context["member_count"] = community.memberships.filter(status=Membership.Status.ACTIVE).count()
    if context["can_read"]:
        context["threads"] = (
            community.threads.select_related("author__profile")
            .annotate(reply_count=Count("replies"))
            .order_by("-last_activity_at", "-pk")[:30]
        )
        context["resources"] = community.resources.select_related("shared_by__profile")[:5]
        # Requests and posts shared in the community (the exchange app's reverse relations).
        context["help_requests"] = (
            community.help_requests.filter(status="open")
            .select_related("asker__profile")
            .order_by("-created_at")[:5]
        )
        context["posts"] = community.posts.select_related("author__profile").order_by(
            "-created_at"
        )[:5]
    if context["is_facilitator"]:
        context["pending_count"] = community.memberships.filter(
            status=Membership.Status.PENDING
        ).count()
    return render(request, "communities/detail.html", context)


@login_required
@require_POST
def join(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = community_for(request.user, community_id)
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    return button(
        request,
        lambda: actions.do_join(request.user, community, message),
        success=lambda membership: (
            f"Welcome to {community.name}."
            if membership.is_active()
            else "Your request is with the facilitators. They will answer soon."
        ),
        to=community,
    )


@login_required
@require_POST
def leave(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = community_for(request.user, community_id)
    return button(
        request,
        lambda: actions.do_leave(request.user, community),
        success=f"You have left {community.name}.",
        to="communities",
        back=community,
    )


@login_required
@require_POST
def archive(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = community_for(request.user, community_id)
    return button(
        request,
        lambda: actions.do_archive(request.user, community),
        success="The community is archived. Everything stays readable.",
        to=community,
    )


@login_required
def members(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = readable_community_for(request.user, community_id)
    context = _membership_context(request, community)
    rows = community.memberships.select_related("user__profile").order_by(
        "-role", "user__profile__name"
    )
    context["members"] = rows.filter(status=Membership.Status.ACTIVE)
    if context["is_facilitator"]:
        context["pending"] = rows.filter(status=Membership.Status.PENDING)
    return render(request, "communities/members.html", context)


@login_required
@require_POST
def answer(request: SignedInRequest, membership_id: int) -> HttpResponse:
    membership = membership_for(request.user, membership_id)
    approve = request.POST.get("answer") == "approve"
    name = membership.user.profile.name
    return button(
        request,
        lambda: actions.do_answer_join_request(request.user, membership, approve=approve),
        success=f"{name} is in." if approve else f"You declined {name}'s request.",
        to=reverse("community_members", args=[membership.community_id]),
    )


@login_required
@require_POST
def facilitate(request: SignedInRequest, membership_id: int) -> HttpResponse:
    membership = membership_for(request.user, membership_id)
    return button(
        request,
        lambda: actions.do_make_facilitator(request.user, membership),
        success=f"{membership.user.profile.name} now facilitates with you.",
        to=reverse("community_members", args=[membership.community_id]),
    )


@login_required
def new_thread(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = readable_community_for(request.user, community_id)
    return form_page(
        request,
        ThreadForm(request.POST or None),
        lambda data: actions.do_start_thread(request.user, community, **data),
        success=None,
        to=lambda thread: thread,
        template="communities/new_thread.html",
        context={"community": community},
    )


@login_required
def thread(request: SignedInRequest, thread_id: int) -> HttpResponse:
    item = thread_for(request.user, thread_id)

    def page(form: BaseForm) -> HttpResponse:
        context = _membership_context(request, item.community)
        context.update(
            thread=item,
            replies=item.replies.select_related("author__profile"),
            form=form,
        )
        return page_or_part(request, "communities/thread.html", "replies", context)

    return form_page(
        request,
        ReplyForm(request.POST or None),
        lambda data: actions.do_reply(request.user, item, data["body"]),
        success=None,
        to=item,
        page=page,
        fresh=ReplyForm,
    )


@login_required
def resources(request: SignedInRequest, community_id: int) -> HttpResponse:
    community = readable_community_for(request.user, community_id)

    def page(form: BaseForm) -> HttpResponse:
        context = _membership_context(request, community)
        context.update(
            form=form, resources=community.resources.select_related("shared_by__profile")
        )
        return render(request, "communities/resources.html", context)

    return form_page(
        request,
        ResourceForm(request.POST or None),
        lambda data: actions.do_share_resource(request.user, community, **data),
        success="Thank you for sharing.",
        to=reverse("community_resources", args=[community.pk]),
        page=page,
    )
