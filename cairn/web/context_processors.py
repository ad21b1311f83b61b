"""Template context shared by every page."""

from django.http import HttpRequest
from django.urls import reverse

#: The main navigation: (label, url name, path prefix that marks it current).
NAVIGATION = [
    ("Home", "home", "/home/"),
    ("People", "people", "/people/"),
    ("Goals", "goals", "/goals/"),
    ("Mentoring", "mentoring", "/mentoring/"),
    ("Communities", "communities", "/communities/"),
    ("Requests", "requests", "/requests/"),
    ("Commitments", "commitments", "/commitments/"),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    items = []
    for label, url_name, prefix in NAVIGATION:
        items.append(
            {"label": label, "url": reverse(url_name), "current": request.path.startswith(prefix)}
        )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(user, "profile"):
        me = reverse("profile", args=[user.profile.handle])
        items.append({"label": "Me", "url": me, "current": request.path == me})
    return {"nav_items": items}
