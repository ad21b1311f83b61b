"""The signed-in person arrives with their organisation and profile, in one query."""

from django.contrib.auth import get_user
from django.test import RequestFactory

from cairn.people.backends import AccountBackend, PasswordBackend
from cairn.people.models import User
from cairn.testing import CairnTestCase


class SignedInPersonTest(CairnTestCase):
    def test_one_query_loads_the_organisation_and_profile(self) -> None:
        for backend in (PasswordBackend(), AccountBackend()):
            with self.assertNumQueries(1):
                user = backend.get_user(self.bob.pk)
                self.assertEqual(user.organisation.slug, "acme")
                self.assertEqual(user.profile.name, "Bob Baker")

    def test_someone_without_a_profile_still_signs_in(self) -> None:
        staff = User.objects.create_user(email="ops@cairn.example", password="x" * 12)
        user = PasswordBackend().get_user(staff.pk)
        self.assertEqual(user, staff)
        self.assertFalse(hasattr(user, "profile"))
        self.assertIsNone(user.organisation)

    def test_a_deactivated_or_missing_person_is_nobody(self) -> None:
        self.bob.is_active = False
        self.bob.save(update_fields=["is_active"])
        self.assertIsNone(PasswordBackend().get_user(self.bob.pk))
        self.assertIsNone(AccountBackend().get_user(10**9))

    def test_a_session_signed_in_through_the_site_uses_them(self) -> None:
        self.client.force_login(self.carol)
        request = RequestFactory().get("/")
        request.session = self.client.session
        with self.assertNumQueries(2):  # the session, then the person whole
            user = get_user(request)
            assert isinstance(user, User)
            self.assertEqual(user.profile.handle, self.carol.profile.handle)
            self.assertEqual(user.organisation_id, self.acme.pk)
