"""Trust pages: a person's trust in full, and "Can I trust this person?" (htmx or a page)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cairn.http import SignedInRequest
from cairn.trust.access import pairwise_for, person_for, trust_card_for


@login_required
def person_trust(request: SignedInRequest, handle: str) -> HttpResponse:
    person = person_for(request.user, handle)
    card = trust_card_for(request.user, person)
    pairwise = None if card.is_me else pairwise_for(request.user, person)
    return render(
        request, "trust/person_trust.html", {"person": person, "card": card, "pairwise": pairwise}
    )


@login_required
def can_i_trust(request: SignedInRequest, handle: str) -> HttpResponse:
    person = person_for(request.user, handle)
    if not getattr(request, "htmx", False):
        return redirect("person_trust", handle=person.handle)
    if person.user_id == request.user.pk:
        return HttpResponse("")
    context = {
        "person": person,
        "pairwise": pairwise_for(request.user, person),
        "card": trust_card_for(request.user, person),
    }
    return render(request, "trust/person_trust.html#pairwise", context)
