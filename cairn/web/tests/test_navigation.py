"""Navigation: every page a person may use is one click from somewhere, admins' pages for admins."""

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

import cairn
from cairn.testing import CairnTestCase

#: Addresses that are not pages to navigate to.
NOT_PAGES = {"landing", "healthz", "pick_people", "search_answered"}


def _page_names(patterns: list, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if not str(entry.pattern).startswith(("api/", "accounts/", "django-admin/")):
                names |= _page_names(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name and "<" not in str(entry.pattern):
            names.add(entry.name)
    return names


class NavigationTest(CairnTestCase):
    def nav(self, user) -> str:
        self.client.force_login(user)
        page = self.client.get(reverse("home")).content.decode()
        return page[page.index('<nav aria-label="Main">') : page.index("</nav>")]

    def test_members_reach_programs_and_know_how_from_the_main_navigation(self) -> None:
        nav = self.nav(self.bob)
        for label, name in (("Programs", "programs"), ("Know-how", "posts")):
            self.assertIn(f'<a href="{reverse(name)}">{label}</a>', nav)
        self.assertNotIn("Suspected rings", nav)
        self.assertNotIn("Insights", nav)

    def test_admins_also_reach_suspected_rings(self) -> None:
        self.assertIn(f'<a href="{reverse("rings")}">Suspected rings</a>', self.nav(self.alice))

    def test_my_privileges_are_linked_from_my_profile(self) -> None:
        self.client.force_login(self.bob)
        page = self.client.get(reverse("me"), follow=True)
        self.assertContains(page, f'href="{reverse("my_privileges")}"')

    def test_every_page_without_parameters_is_linked_from_a_template_or_the_navigation(
        self,
    ) -> None:
        root = Path(cairn.__file__).parent
        text = "\n".join(
            path.read_text(encoding="utf-8")
            for pattern in ("*/templates/**/*.html", "web/context_processors.py")
            for path in root.glob(pattern)
        )
        linked = set(re.findall(r"""url ['"]([\w:-]+)['"]""", text))
        linked |= set(re.findall(r"""\(\s*"[^"]+",\s*"([\w-]+)",""", text))
        # The admins' CSV downloads are linked (or a form's action) from the exports page.
        self.client.force_login(self.alice)
        exports = self.client.get(reverse("exports")).content.decode()
        for href in re.findall(r'(?:href|action)="(/organisation/exports/[^"?#]+)"', exports):
            match = resolve(href)
            linked.add(match.url_name or "")
        unlinked = _page_names(get_resolver().url_patterns) - linked - NOT_PAGES
        self.assertEqual(unlinked, set())
