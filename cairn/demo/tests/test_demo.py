"""`cairn demo`: Northwind, about 150 believable people, made once through the actions."""

import zoneinfo
from collections import Counter
from io import StringIO

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase

from cairn.demo import northwind
from cairn.ledger.models import Event, Verb
from cairn.people.actions import do_add_person, do_create_organisation
from cairn.people.models import Department, Organisation, Profile, User


def run_demo(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class DemoCommandTests(TestCase):
    org: Organisation
    people: list[Profile]
    out: str
    err: str

    @classmethod
    def setUpTestData(cls) -> None:
        cls.out, cls.err = run_demo("--days", "0")
        cls.org = Organisation.objects.get(slug=northwind.SLUG)
        cls.people = list(
            Profile.objects.filter(organisation=cls.org)
            .select_related("user", "department", "manager")
            .prefetch_related("offers", "wants")
        )

    def test_it_creates_about_150_people_in_8_departments(self) -> None:
        self.assertEqual(self.org.name, "Northwind")
        self.assertTrue(140 <= len(self.people) <= 160, len(self.people))
        self.assertEqual(Department.objects.filter(organisation=self.org).count(), 8)
        sizes = Counter(p.department.name for p in self.people if p.department is not None)
        self.assertEqual(len(sizes), 8)
        self.assertGreaterEqual(min(sizes.values()), 8)
        self.assertIn(f"{len(self.people)} people in 8 departments", self.out)

    def test_names_and_emails_are_distinct_and_realistic(self) -> None:
        names = [p.name for p in self.people]
        self.assertEqual(len(set(names)), len(names))
        for person in self.people:
            self.assertRegex(person.user.email, r"^[a-z-]+(\.[a-z-]+)+@northwind\.example$")
            self.assertNotRegex(person.name, r"\d")
            self.assertGreaterEqual(len(person.name.split()), 2)
        self.assertTrue(any(not n.isascii() for n in names))  # accents survive, emails are plain

    def test_profiles_have_titles_bios_skills_and_languages(self) -> None:
        for person in self.people:
            with self.subTest(person.name):
                self.assertTrue(person.title)
                self.assertGreater(len(person.bio), 40)
                self.assertLessEqual(len(person.bio), 2000)
                self.assertNotIn("{", person.bio)
                offers = {s.name for s in person.offers.all()}
                wants = {s.name for s in person.wants.all()}
                self.assertGreaterEqual(len(offers), 2)
                self.assertGreaterEqual(len(wants), 1)
                self.assertFalse(offers & wants)
                self.assertIn("English", person.languages)
                self.assertTrue(person.location)
        bios = [p.bio for p in self.people]
        self.assertEqual(len(set(bios)), len(bios))

    def test_skills_mix_department_pools_and_cross_cutting_ones(self) -> None:
        offered = Counter(s.name for p in self.people for s in p.offers.all())
        wanted = Counter(s.name for p in self.people for s in p.wants.all())
        for skill in ("Giving feedback", "Public speaking", "Stakeholder management", "Python"):
            self.assertGreater(offered[skill] + wanted[skill], 0, skill)
        for skill in ("Kubernetes", "Figma", "Salesforce", "SQL", "Copywriting"):
            self.assertGreater(offered[skill], 0, skill)
        self.assertGreater(len(offered), 80)

    def test_time_zones_are_valid_and_spread_over_offices_and_remote(self) -> None:
        valid = zoneinfo.available_timezones()
        for person in self.people:
            self.assertIn(person.timezone, valid, person.name)
        self.assertGreaterEqual(len({p.timezone for p in self.people}), 8)
        self.assertTrue(any(p.location.startswith("Remote") for p in self.people))
        london = [p for p in self.people if p.location.startswith("London")]
        self.assertTrue(london)
        self.assertEqual({p.timezone for p in london}, {"Europe/London"})

    def test_titles_fit_the_department(self) -> None:
        allowed: dict[str, set[str]] = {}
        for dept in northwind.DEPARTMENTS:
            titles = allowed.setdefault(dept.name, {dept.head})
            titles |= {title for title, _ in dept.direct}
            for team in dept.teams:
                titles.add(team.lead)
                titles |= {t for level in team.titles.values() for t in level}
        ops = northwind.DEPARTMENTS[-1].name
        allowed[ops] |= {northwind.CEO_TITLE, *(t for t, _ in northwind.CEO_DIRECT)}
        for person in self.people:
            assert person.department is not None
            self.assertIn(person.title, allowed[person.department.name], person.name)

    def test_the_manager_hierarchy_has_one_root_and_no_cycles(self) -> None:
        by_pk = {p.pk: p for p in self.people}
        roots = [p for p in self.people if p.manager_id is None]
        self.assertEqual([r.title for r in roots], [northwind.CEO_TITLE])
        ceo = roots[0]
        for person in self.people:
            seen, current, depth = {person.pk}, person, 0
            while current.manager_id is not None:
                self.assertNotIn(current.manager_id, seen, f"cycle through {person.name}")
                seen.add(current.manager_id)
                current, depth = by_pk[current.manager_id], depth + 1
            self.assertEqual(current, ceo)
            self.assertLessEqual(depth, 3)
        reports = Counter(p.manager_id for p in self.people if p.manager_id)
        heads = [p for p in self.people if p.manager_id == ceo.pk and reports[p.pk] > 0]
        self.assertEqual(len(heads), 8)
        self.assertEqual(len({h.department_id for h in heads}), 8)
        leads = [p for p in self.people if reports[p.pk] > 0]
        self.assertGreater(len(leads), 25)  # the CEO, 8 heads and the team leads

    def test_people_take_part_in_realistic_proportions(self) -> None:
        n = len(self.people)
        mentors = [p for p in self.people if p.open_to_mentor]
        mentees = [p for p in self.people if p.open_to_be_mentored]
        peers = [p for p in self.people if p.open_to_peer]
        self.assertTrue(0.25 * n <= len(mentors) <= 0.6 * n, len(mentors))
        self.assertTrue(0.4 * n <= len(mentees) <= 0.85 * n, len(mentees))
        self.assertTrue(0.3 * n <= len(peers) <= 0.7 * n, len(peers))
        self.assertTrue(all(1 <= p.mentoring_capacity <= 4 for p in mentors))
        self.assertTrue(any(not p.participation() for p in self.people))

    def test_some_senior_people_want_to_learn_from_juniors(self) -> None:
        managers = {p.manager_id for p in self.people}
        fresh = set(northwind.FRESH)
        reverse = [
            p
            for p in self.people
            if p.pk in managers
            and p.open_to_be_mentored
            and fresh & {s.name for s in p.wants.all()}
        ]
        self.assertGreaterEqual(len(reverse), 5)
        junior_offers = {
            s.name
            for p in self.people
            if p.pk not in managers and p.title.split()[0] in {"Junior", "Associate"}
            for s in p.offers.all()
        }
        wanted = {s.name for p in reverse for s in p.wants.all()} & fresh
        self.assertTrue(wanted & junior_offers)

    def test_the_organisation_accepts_its_email_domain(self) -> None:
        self.assertEqual(self.org.email_domains, ["northwind.example"])
        self.assertTrue(self.org.accepts_domain("someone.new@northwind.example"))

    def test_the_demo_sign_in_works(self) -> None:
        admin = User.objects.get(email=northwind.DEMO_ADMIN_EMAIL)
        member = User.objects.get(email=northwind.DEMO_MEMBER_EMAIL)
        self.assertEqual(admin.role, User.Role.ADMIN)
        self.assertTrue(admin.is_org_admin)
        self.assertEqual(member.role, User.Role.MEMBER)
        for user in (admin, member):
            self.assertEqual(user.organisation, self.org)
            self.assertTrue(user.check_password(northwind.DEMO_PASSWORD))
            self.assertIn(user.email, self.out)
            self.assertTrue(EmailAddress.objects.get(user=user).verified)
        self.assertIn("northwind-demo", self.out)
        self.assertTrue(self.client.login(email=member.email, password=northwind.DEMO_PASSWORD))

    def test_every_person_has_a_joined_event(self) -> None:
        joined = Event.objects.filter(organisation=self.org, verb=Verb.JOINED)
        self.assertEqual(
            sorted(joined.values_list("actor_id", flat=True)),
            sorted(p.user_id for p in self.people),
        )
        self.assertEqual({e.object_id for e in joined}, {str(p.pk) for p in self.people})

    def test_progress_goes_to_stderr(self) -> None:
        self.assertIn("Creating Northwind", self.err)
        self.assertIn("Engineering:", self.err)
        self.assertNotIn("Engineering:", self.out)

    def test_running_it_twice_does_not_duplicate(self) -> None:
        events = Event.objects.count()
        with self.assertNumQueries(2):
            out, err = run_demo("--days", "0")
        self.assertIn("already there", out)
        self.assertIn(northwind.DEMO_ADMIN_EMAIL, out)
        self.assertEqual(err, "")
        self.assertEqual(Organisation.objects.filter(slug="northwind").count(), 1)
        self.assertEqual(Profile.objects.filter(organisation=self.org).count(), len(self.people))
        self.assertEqual(Event.objects.count(), events)

    def test_reset_deletes_and_recreates_the_same_people(self) -> None:
        out, err = run_demo("--reset", "--days", "0")
        self.assertIn("Deleted Northwind", err)
        org = Organisation.objects.get(slug=northwind.SLUG)
        self.assertNotEqual(org.pk, self.org.pk)
        names = set(Profile.objects.filter(organisation=org).values_list("name", flat=True))
        self.assertEqual(names, {p.name for p in self.people})
        self.assertFalse(Event.objects.filter(organisation_id=self.org.pk).exists())
        self.assertFalse(User.objects.filter(pk=self.people[0].user_id).exists())


class DemoFailureTests(TestCase):
    def test_a_clash_leaves_no_partial_organisation(self) -> None:
        other = do_create_organisation("Elsewhere", "elsewhere")
        ceo = northwind.email_for(northwind.CEO_NAME)
        do_add_person(other, email=ceo, name="Someone Else")
        with self.assertRaisesMessage(CommandError, "already has an account"):
            run_demo("--days", "0")
        self.assertFalse(Organisation.objects.filter(slug=northwind.SLUG).exists())
        self.assertFalse(
            User.objects.filter(email__endswith="@northwind.example").exclude(email=ceo).exists()
        )


class PlanTests(SimpleTestCase):
    def test_the_same_seed_gives_the_same_people(self) -> None:
        first, again = northwind.plan_people(), northwind.plan_people()
        self.assertEqual(first, again)
        other = northwind.plan_people(seed=7)
        self.assertNotEqual([p.bio for p in first], [p.bio for p in other])

    def test_every_seed_keeps_the_demo_sign_in_and_the_structure(self) -> None:
        for seed in (1, 7, 99):
            people = {p.email: p for p in northwind.plan_people(seed)}
            self.assertEqual(people[northwind.DEMO_ADMIN_EMAIL].role, User.Role.ADMIN)
            self.assertEqual(people[northwind.DEMO_MEMBER_EMAIL].role, User.Role.MEMBER)
            self.assertEqual(len({p.name for p in people.values()}), len(people))
            self.assertEqual(len({p.bio for p in people.values()}), len(people))
            order = list(people)
            for position, person in enumerate(people.values()):
                if person.manager:  # managers come first, so they can be created first
                    self.assertLess(order.index(person.manager), position)

    def test_bios_are_composed_differently(self) -> None:
        people = northwind.plan_people()
        openings = {p.bio.split(". ")[0] for p in people}
        self.assertGreater(len(openings), 100)
        reverse = [p for p in people if p.reverse_mentoring]
        self.assertTrue(all(p.open_to_be_mentored for p in reverse))

    def test_names_have_no_duplicates_and_cultures_are_known(self) -> None:
        names = [name for name, _ in northwind.NAMES]
        self.assertEqual(len(set(names)), len(names))
        self.assertEqual(len({northwind.email_for(n) for n in names}), len(names))
        self.assertTrue({c for _, c in northwind.NAMES} <= set(northwind.CULTURES))
        self.assertGreaterEqual(len(northwind.CULTURES), 40)

    def test_email_for_writes_plain_addresses(self) -> None:
        cases = {
            "Zofia Wiśniewska": "zofia.wisniewska",
            "Niamh O'Sullivan": "niamh.osullivan",
            "Elif Yılmaz": "elif.yilmaz",
            "Pieter van der Merwe": "pieter.van.der.merwe",
            "Yu-Ting Lin": "yu-ting.lin",
        }
        for name, local in cases.items():
            self.assertEqual(northwind.email_for(name), f"{local}@northwind.example")

    def test_skills_read_naturally_in_a_sentence(self) -> None:
        self.assertEqual(northwind.in_sentence("Giving feedback"), "giving feedback")
        self.assertEqual(northwind.in_sentence("Python"), "Python")
        self.assertEqual(northwind.in_sentence("SQL"), "SQL")
        self.assertEqual(northwind.in_sentence("A/B testing"), "A/B testing")

    def test_every_place_has_a_real_time_zone(self) -> None:
        valid = zoneinfo.available_timezones()
        for place in northwind.PLACES:
            self.assertIn(place.timezone, valid, place.city)
        offices = {p.city for p in northwind.PLACES if not p.remote}
        for dept in northwind.DEPARTMENTS:
            self.assertTrue(set(dept.offices) - {"remote"} <= offices, dept.name)
