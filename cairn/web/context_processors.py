"""Template context shared by every page."""

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

#: The main navigation: (label, url name, path prefix that marks it current).
NAVIGATION = [
    ("Home", "home", "/home/"),
    ("People", "people", "/people/"),
    ("Goals", "goals", "/goals/"),
    ("Mentoring", "mentoring", "/mentoring/"),
    ("Programs", "programs", "/programs/"),
    ("Communities", "communities", "/communities/"),
    ("Requests", "requests", "/requests/"),
    ("Know-how", "posts", "/posts/"),
    ("Commitments", "commitments", "/commitments/"),
    ("Insights", "insights", "/insights/"),
    ("Suspected rings", "rings", "/organisation/rings/"),
    ("Audit log", "audit_log", "/organisation/audit/"),
]


#: Entries only an organisation's admins see.
ADMIN_ONLY = {"insights", "rings", "audit_log"}


@cache
def _addresses(script_prefix: str, urlconf: str) -> dict[str, str]:
    """Return the navigation's URLs by name under ``script_prefix`` and ``urlconf``: reversed
    once per process rather than a dozen times on every page."""
    return {url_name: reverse(url_name, urlconf=urlconf) for _, url_name, _ in NAVIGATION}


def navigation(request: HttpRequest) -> dict[str, object]:
    items = []
    user = getattr(request, "user", None)
    is_admin = bool(getattr(user, "is_org_admin", False))
    addresses = _addresses(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    for label, url_name, prefix in NAVIGATION:
        if url_name in ADMIN_ONLY and not is_admin:
            continue
        items.append(
            {
                "label": label,
                "url": addresses[url_name],
                "current": request.path.startswith(prefix),
            }
        )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(user, "profile"):
        me = reverse("profile", args=[user.profile.handle])
        items.append({"label": "Me", "url": me, "current": request.path == me})
    return {"nav_items": items}
