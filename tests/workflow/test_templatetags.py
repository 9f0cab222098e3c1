"""The workflow template tags: the timeline (kind labels, the model resolved once) and the action buttons
(actions done through their own form left out)."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from workflow import services

pytestmark = pytest.mark.django_db


def test_timeline_shows_the_kind_labels(approved_item, kind_labels, login, leader_a):
    page = login(leader_a).get(approved_item.get_absolute_url()).content.decode()
    assert "Chờ duyệt → Đã nghiệm thu" in page
    assert "Đã duyệt" not in page.split("Lịch sử xử lý", 1)[1]


def test_timeline_resolves_the_model_once(make_item, officer_a, leader_a, kind_labels):
    item = make_item()
    for n in range(3):
        services.work_item_transition(item=item, action="submit", by=officer_a)
        services.work_item_transition(item=item, action="send_back", by=leader_a, comment=f"Sửa lần {n}")
    template = Template(
        '{% load workflow %}{% workflow_history item as entries %}{% include "workflow/_timeline.html" %}'
    )
    item.refresh_from_db()
    with CaptureQueriesContext(connection) as few:
        template.render(Context({"item": item}))
    for _n in range(5):
        services.work_item_transition(item=item, action="submit", by=officer_a)
        services.work_item_transition(item=item, action="send_back", by=leader_a, comment="Sửa tiếp")
    item.refresh_from_db()
    with CaptureQueriesContext(connection) as many:
        html = template.render(Context({"item": item}))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("Chờ duyệt → Đang xử lý") == 8


def test_tag_and_buttons_skip_form_actions(make_item, officer_a, submit_has_a_form, login):
    item = make_item()
    request = RequestFactory().get("/")
    request.user = officer_a
    template = Template("{% load workflow %}{% workflow_actions item as actions %}{{ actions|join:',' }}")
    names = Template(
        "{% load workflow %}{% workflow_actions item as actions %}{% for a in actions %}{{ a.name }};"
        "{% endfor %}"
    ).render(Context({"item": item, "request": request}))
    assert names == "start;"
    assert template.render(Context({"item": item})) == ""  # no request, no user: no buttons
    page = login(officer_a).get(item.get_absolute_url()).content.decode()
    assert 'value="start"' in page and 'value="submit"' not in page
    # _actions.html given the full list (not from the tag) leaves them out too
    html = Template('{% include "workflow/_actions.html" %}').render(
        Context({"record": item, "actions": item.available_actions(officer_a), "action_url": "/x/"})
    )
    assert 'value="start"' in html and 'value="submit"' not in html


def test_without_the_mark_every_action_is_a_button(make_item, officer_a, login):
    item = make_item()
    assert not any(a.form for a in item.available_actions(officer_a))
    page = login(officer_a).get(item.get_absolute_url()).content.decode()
    assert 'value="start"' in page and 'value="submit"' in page
