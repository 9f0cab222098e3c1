"""The one-stop dashboard widget (``onestop.widgets``): the queue counts, the links, who sees it, the month's
on-time rate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eoffice import dashboard
from onestop import widgets
from tests.onestop.conftest import receive
from tests.onestop.stats.conftest import approve, crafted  # noqa: F401 - crafted: a fixture

pytestmark = pytest.mark.django_db


def _widget(user):
    return next((w for w in dashboard.widgets_for(user) if w["widget"].key == "onestop.stats"), None)


@pytest.mark.usefixtures("crafted")
def test_widget_counts_links_and_visibility(people, login, django_assert_max_num_queries):
    widgets.register_all()
    onestop = people["onestop"]
    onestop.roles  # noqa: B018 - loaded by every page before the widgets
    with django_assert_max_num_queries(2):
        context = widgets.widget_context(onestop)
    counts = {name: n for name, _label, n in context["queues"]}
    # open: overdue, other_unit, open, paused; to return: on_time, refused and the old one
    assert counts == {"open": 4, "overdue": 2, "supplement": 1, "returning": 3}
    assert _widget(people["officer"]) is None
    assert _widget(people["head"]) is not None
    html = login(onestop).get(reverse("dashboard")).content.decode()
    assert 'data-testid="onestop-widget"' in html
    for name in ("open", "overdue", "supplement", "returning"):
        assert reverse("onestop:queue", args=[name]) in html


def test_widget_rate_of_the_month_and_hidden_when_all_zero(people, procedure):
    widgets.register_all()
    assert widgets.widget_context(people["onestop"]) is None
    assert widgets.widget_context(people["leader"]) is None
    one = receive(procedure, people)
    one = approve(one, people, now=None)
    context = widgets.widget_context(people["leader"])
    assert context["resolved"] == 1 and context["rate"] == "100%"
    assert {name: n for name, _l, n in context["queues"]}["returning"] == 1
