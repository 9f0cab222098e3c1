"""The shared detail-page action pattern (eoffice.actions): what the page offers, what a post does."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from eoffice.actions import Action, ActionSet


class NoteForm(forms.Form):
    note = forms.CharField(max_length=10)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record


class Thing(SimpleNamespace):
    def get_absolute_url(self):
        return f"/things/{self.pk}/"


THINGS = {1: Thing(pk=1, state="open", notes=[])}
CALLS: list = []


def access(*, user, pk, lock=False):
    if pk not in THINGS or not user.is_authenticated:
        raise Http404
    return THINGS[pk]


def run_note(thing, user, form, **kw):
    if form.cleaned_data["note"] == "no":
        raise ValidationError("Không được ghi chú này.")
    if form.cleaned_data["note"] == "deny":
        raise PermissionDenied
    thing.notes.append((form.cleaned_data["note"], kw))
    return "Đã ghi."


SET = ActionSet(
    access=access,
    state=lambda thing, user: {thing.state},
    url=lambda thing, action, **kw: (
        f"/things/{thing.pk}/{action.key}/" + "".join(f"{v}/" for v in kw.values())
    ),  # noqa: E501
    actions=[
        Action(
            "note",
            run=run_note,
            form=NoteForm,
            form_kwargs=lambda t, u, **kw: {"record": t},
            when=lambda t, u, s: "open" in s,
            title="Ghi chú",
            initial=lambda t, u: {"note": "x"},
        ),
        Action(
            "close",
            run=lambda t, u, f: "Đã đóng.",
            when=lambda t, u, s: "open" in s,
            more=True,
            tone="danger",
            confirm="Đóng?",
        ),
        Action("away", run=lambda t, u, f: HttpResponse("elsewhere"), when=lambda t, u, s: False),
    ],
)


@pytest.fixture
def rf_post(staff_a):
    def _post(path, data):
        request = RequestFactory().post(path, data)
        request.user = staff_a["officer"]
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    return _post


@pytest.fixture(autouse=True)
def _reset():
    THINGS[1].notes.clear()
    THINGS[1].state = "open"


def test_page_offers_what_when_allows_split_main_and_more(officer_a):
    page = SET.page(THINGS[1], officer_a)
    assert [b.key for b in page.main] == ["note"]
    assert [b.key for b in page.more] == ["close"]
    note = page.by_key["note"]
    assert note.url == "/things/1/note/"
    assert note.form.prefix == "note" and note.form.initial == {"note": "x"} and note.form.record is THINGS[1]
    assert page.by_key["close"].form is None and page.by_key["close"].tone == "danger"
    THINGS[1].state = "closed"
    assert not SET.page(THINGS[1], officer_a)


def test_repeated_form_has_its_own_prefix_and_url(officer_a):
    bound = SET.bind("note", THINGS[1], officer_a, part=7)
    assert bound.form.prefix == "note-7" and bound.url == "/things/1/note/7/"


def test_empty_prefix_means_no_prefix_even_when_repeated(officer_a):
    plain = ActionSet(
        access=access,
        url=lambda thing, action, **kw: "/x/",
        actions=[Action("note", run=run_note, form=NoteForm, prefix="")],
    )
    bound = plain.bind("note", THINGS[1], officer_a, part=7)
    assert bound.form.prefix in ("", None) and bound.form["note"].html_name == "note"


def test_post_runs_the_service_with_the_prefixed_form(rf_post):
    request = rf_post("/things/1/note/", {"note-note": "hello"})
    response = SET.view(request, pk=1, action="note")
    assert response.status_code == 302 and response["Location"] == "/things/1/"
    assert THINGS[1].notes == [("hello", {})]
    assert [str(m) for m in get_messages(request)] == ["Đã ghi."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note-note": ""}, "Trường này là bắt buộc."),
        ({"note": "hello"}, "Trường này là bắt buộc."),  # unprefixed field: not this form's
        ({"note-note": "no"}, "Không được ghi chú này."),
        ({"note-note": "deny"}, "Bạn không có quyền thực hiện thao tác này."),
    ],
)
def test_refused_post_shows_why_and_changes_nothing(rf_post, data, message):
    request = rf_post("/things/1/note/", data)
    response = SET.view(request, pk=1, action="note")
    assert response.status_code == 302 and THINGS[1].notes == []
    assert [str(m) for m in get_messages(request)] == [message]


def test_unknown_action_and_missing_record_are_404(rf_post):
    with pytest.raises(Http404):
        SET.view(rf_post("/things/1/x/", {}), pk=1, action="explode")
    with pytest.raises(Http404):
        SET.view(rf_post("/things/2/note/", {"note-note": "a"}), pk=2, action="note")


def test_action_may_answer_with_its_own_response(rf_post):
    response = SET.view(rf_post("/things/1/away/", {}), pk=1, action="away")
    assert response.content == b"elsewhere"


def test_get_is_refused(staff_a):
    request = RequestFactory().get("/things/1/note/")
    request.user = staff_a["officer"]
    assert SET.view(request, pk=1, action="note").status_code == 405
