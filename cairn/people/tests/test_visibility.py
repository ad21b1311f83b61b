"""Who sees which profile, and the people lists at a constant number of queries."""

from django.contrib.auth.models import AnonymousUser

from cairn.people.models import Profile, User
from cairn.testing import CairnTestCase, make_person
from cairn.trust.models import TrustProfile


class ProfileVisibilityTest(CairnTestCase):
    def handles(self, user) -> set[str]:
        return set(Profile.objects.visible_to(user).values_list("handle", flat=True))

    def test_colleagues_see_each_other_and_outsiders_see_only_their_own(self) -> None:
        acme = {p.handle for p in (self.alice.profile, self.bob.profile, self.carol.profile)}
        expected = {
            self.bob: acme,
            self.oscar: {self.oscar.profile.handle},
            AnonymousUser(): set(),
        }
        self.assertEqual({u: self.handles(u) for u in expected}, expected)

    def test_someone_who_left_is_no_longer_listed(self) -> None:
        self.carol.is_active = False
        self.carol.save(update_fields=["is_active"])
        self.assertNotIn(self.carol.profile.handle, self.handles(self.bob))


class PeopleListQueriesTest(CairnTestCase):
    """The directory and the API cost the same number of queries with 2 rows as with 8."""

    def add_people(self, n: int) -> None:
        start = Profile.objects.filter(title="Listed").count()
        for i in range(start, start + n):
            person = make_person(self.acme, f"Listed Person {i}", title="Listed", offers=["SQL"])
            Profile.objects.filter(user=person).update(manager=self.alice.profile)
            person.profile.wants.add(*self.bob.profile.wants.all())

    def test_directory_page(self) -> None:
        self.assertPageListConstant(self.bob, "/people/?q=Listed", "Listed Person", self.add_people)

    def test_directory_page_by_trust(self) -> None:
        def add_trusted_people(n: int) -> None:
            self.add_people(n)
            for person in User.objects.filter(profile__title="Listed", trust_profile=None):
                TrustProfile.objects.create(
                    organisation=self.acme, user=person, trust=person.pk / 100, confidence=0.5
                )

        self.client.force_login(self.bob)
        listed = lambda: self.rows_on_page(  # noqa: E731
            "/people/?q=Listed&order=trust", "Listed Person"
        )
        self.assertConstantQueries(listed, add_trusted_people)

    def test_people_api(self) -> None:
        self.assertApiListConstant(self.bob, "/people?q=Listed&limit=20", self.add_people)
