"""One mapping from an action's refusal to a page: 404 and 403 become those pages, the rest
shows on the form (on its field) or as a message before going back."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory, SimpleTestCase

from cairn.errors import ActionError, add_action_error, button, refuse


class DateForm(forms.Form):
    title = forms.CharField()
    due_date = forms.DateField()


class ActionErrorPagesTest(SimpleTestCase):
    def form(self) -> DateForm:
        form = DateForm({"title": "x", "due_date": "2026-01-01"})
        form.is_valid()
        return form

    def test_a_refusal_shows_on_its_field_or_on_top(self) -> None:
        form = self.form()
        add_action_error(form, ActionError("Too long.", field="title"))
        add_action_error(form, ActionError("Busy.", field="nothing_here", status=409))
        add_action_error(form, ActionError("Too soon.", "due_at"), renamed={"due_at": "due_date"})
        self.assertEqual(form.errors["title"], ["Too long."])
        self.assertEqual(form.non_field_errors(), ["Busy."])
        self.assertEqual(form.errors["due_date"], ["Too soon."])

    def test_not_visible_is_a_404_and_not_yours_a_403(self) -> None:
        with self.assertRaises(Http404):
            add_action_error(self.form(), ActionError("No such thing.", status=404))
        request = RequestFactory().post("/")
        with self.assertRaises(PermissionDenied):
            refuse(request, ActionError("Only its owner.", status=403), "/")

    def test_a_button_refused_says_why_and_goes_back(self) -> None:
        request = RequestFactory().post("/")
        request.session = {}  # type: ignore[assignment]  # a dict is session enough here
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        response = refuse(request, ActionError("Already closed.", status=409), "/goals/")
        self.assertEqual((response.status_code, response["Location"]), (302, "/goals/"))
        self.assertEqual([m.message for m in get_messages(request)], ["Already closed."])


class ButtonTest(SimpleTestCase):
    def request(self) -> HttpRequest:
        request = RequestFactory().post("/")
        request.session = {}  # type: ignore[assignment]  # a dict is session enough here
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        return request

    def said(self, request: HttpRequest) -> list[str]:
        return [m.message for m in get_messages(request)]

    def test_a_button_done_says_so_and_goes_on(self) -> None:
        request = self.request()
        response = button(request, lambda: 3, success=lambda n: f"{n} done.", to="/goals/")
        self.assertEqual((response.status_code, response["Location"]), (302, "/goals/"))
        self.assertEqual(self.said(request), ["3 done."])

    def test_a_button_refused_goes_back_where_it_is_told(self) -> None:
        def act() -> None:
            raise ActionError("Already closed.", status=409)

        request = self.request()
        response = button(request, act, success="Done.", to=lambda _: "/next/", back="/goals/")
        self.assertEqual((response.status_code, response["Location"]), (302, "/goals/"))
        self.assertEqual(self.said(request), ["Already closed."])

    def test_a_button_going_on_to_a_callable_must_say_where_to_go_back(self) -> None:
        def act() -> None:
            raise ActionError("Already closed.", status=409)

        with self.assertRaises(TypeError):
            button(self.request(), act, success=None, to=lambda _: "/next/")

    def test_a_page_can_answer_a_refusal_its_own_way(self) -> None:
        def act() -> None:
            raise ActionError("No organisation.", status=403)

        response = button(
            self.request(),
            act,
            success="Done.",
            to="/",
            refused=lambda error: HttpResponse(error.message, status=error.status),
        )
        self.assertEqual((response.status_code, response.content), (403, b"No organisation."))
