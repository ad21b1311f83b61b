"""The "My privileges" page: each privilege, whether you have it, why, or what you still need."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from cairn.http import SignedInRequest
from cairn.privileges.access import flag_record, flag_weight, privileges_for, profile_of


@login_required
def my_privileges(request: SignedInRequest) -> HttpResponse:
    profile = profile_of(request.user)
    return render(
        request,
        "privileges/mine.html",
        {
            "standings": privileges_for(request.user),
            "flag_weight": flag_weight(request.user),
            "flag_record": flag_record(request.user),
            "to_raise": profile.to_raise()[:3] if profile is not None else [],
        },
    )
