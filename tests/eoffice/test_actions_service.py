"""``eoffice.actions.service_action``: an action that is one call of one service, declared, not written."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from eoffice.actions import Action, ActionSet, service_action


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=20)
    file = forms.CharField(required=False)
    urgent = forms.BooleanField(required=False)

    def __init__(self, *args, thing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if thing is not None and thing.plain:
            del self.fields["urgent"]  # a field some records' form does not have


class Thing(SimpleNamespace):
    def get_absolute_url(self):
        return f"/things/{self.pk}/"


THINGS = {1: Thing(pk=1, plain=False)}
calls: list[dict] = []


def thing_close(*, thing, by, reason, upload=None, urgent=False):
    """A service: keyword-only, refuses with a ValidationError, returns what it made."""
    if reason == "no":
        raise ValidationError("Không thể đóng với lý do này.")
    calls.append({"thing": thing, "by": by, "reason": reason, "upload": upload, "urgent": urgent})
    return SimpleNamespace(code=f"T-{len(calls)}")


def thing_note(*, record, actor, **kwargs):
    calls.append({"record": record, "actor": actor, **kwargs})


def access(*, user, pk, lock=False):
    return THINGS[pk]


CLOSE = service_action(
    "close",
    thing_close,
    record="thing",
    fields=("reason", "urgent"),
    computed={"upload": lambda d: d.get("file") or None},
    message=gettext_lazy("Đã đóng."),
    form=ReasonForm,
    form_kwargs=lambda t, u, **kw: {"thing": t},
    when=lambda t, u, s: True,
    title="Đóng",
    tone="danger",
    more=True,
)

SET = ActionSet(
    access=access,
    url=lambda thing, action, **kw: f"/things/{thing.pk}/{action.key}/",
    actions=[
        CLOSE,
        service_action(
            "made",
            thing_close,
            record="thing",
            fields=("reason",),
            message=lambda made, d: f"Đã tạo {made.code} ({d['reason']}).",
            form=ReasonForm,
            prefix="made",
        ),
        service_action(
            "away",
            lambda *, thing, by: SimpleNamespace(code=f"T-{thing.pk}"),
            record="thing",
            message=lambda made, d: HttpResponse(made.code),
        ),
    ],
)


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()
    THINGS[1].plain = False


@pytest.fixture
def rf_post(staff_a):
    def _post(path, data):
        request = RequestFactory().post(path, data)
        request.user = staff_a["officer"]
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        return request

    return _post


def test_it_is_an_action_with_the_options_given():
    assert isinstance(CLOSE, Action)
    assert (CLOSE.key, CLOSE.form, CLOSE.title, CLOSE.tone, CLOSE.more) == (
        "close",
        ReasonForm,
        "Đóng",
        "danger",
        True,
    )
    assert CLOSE.when(None, None, None) is True


def test_post_calls_the_service_with_the_record_the_user_and_the_fields(rf_post, staff_a):
    request = rf_post(
        "/things/1/close/", {"close-reason": "xong", "close-file": "a.pdf", "close-urgent": "on"}
    )
    response = SET.view(request, pk=1, action="close")
    assert response.status_code == 302 and response["Location"] == "/things/1/"
    expected = {
        "thing": THINGS[1],
        "by": staff_a["officer"],
        "reason": "xong",
        "upload": "a.pdf",
        "urgent": True,
    }
    assert calls == [expected]
    assert [str(m) for m in get_messages(request)] == ["Đã đóng."]


def test_a_field_the_form_does_not_have_leaves_the_services_default(rf_post):
    THINGS[1].plain = True
    SET.view(
        rf_post("/things/1/close/", {"close-reason": "xong", "close-urgent": "on"}), pk=1, action="close"
    )
    assert calls[0]["urgent"] is False and calls[0]["upload"] is None


def test_the_services_refusal_is_shown_and_nothing_is_done(rf_post):
    request = rf_post("/things/1/close/", {"close-reason": "no"})
    SET.view(request, pk=1, action="close")
    assert calls == [] and [str(m) for m in get_messages(request)] == ["Không thể đóng với lý do này."]


def test_message_may_be_made_from_the_result_and_the_values(rf_post):
    request = rf_post("/things/1/made/", {"made-reason": "mới"})
    SET.view(request, pk=1, action="made")
    assert [str(m) for m in get_messages(request)] == ["Đã tạo T-1 (mới)."]


def test_a_plain_button_calls_the_service_with_no_fields_and_may_answer_with_a_response(rf_post):
    assert SET.view(rf_post("/things/1/away/", {}), pk=1, action="away").content == b"T-1"
    plain = service_action("note", thing_note, record="record", by="actor", message="ok")
    assert plain.run("R", "U", None) == "ok"
    assert calls == [{"record": "R", "actor": "U"}]


def test_values_reader_and_url_keys_feed_the_fields():
    form = SimpleNamespace(cleaned_data={"reason": "raw"}, values=lambda: {"reason": "read"})
    action = service_action(
        "note",
        thing_note,
        record="record",
        by="actor",
        fields=("reason", "part"),
        values=lambda f: f.values(),
        computed={"twice": lambda d: d["part"] * 2},
    )
    assert action.run("R", "U", form, part=4) == ""
    assert calls == [{"record": "R", "actor": "U", "reason": "read", "part": 4, "twice": 8}]


def test_lazy_message_is_rendered_in_the_requests_language():
    action = service_action("note", thing_note, record="record", by="actor", message=gettext_lazy("Đã đóng."))
    with translation.override("vi"):
        message = action.run("R", "U", None)
    assert type(message) is str and message == "Đã đóng."
