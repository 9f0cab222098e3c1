from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext_lazy

from eoffice.models import Role
from tests.factories import make_user
from workflow import calendar, services
from workflow.models import WorkflowState, WorkItem

FALLBACK_BASE = """<!doctype html><html lang="vi"><head><title>{% block title %}{% endblock %}</title>
{% block extra_head %}{% endblock %}</head><body>
{% for m in messages %}<div class="alert">{{ m }}</div>{% endfor %}
<h1>{% block page_title %}{% endblock %}</h1>{% block page_actions %}{% endblock %}
<main>{% block content %}{% endblock %}</main>{% block extra_js %}{% endblock %}</body></html>"""


@pytest.fixture(autouse=True)
def _base_template(settings, tmp_path):
    """Pages extend base.html, written by another engineer; render with a stand-in until it exists."""
    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        folder = tmp_path / "fallback-templates"
        folder.mkdir()
        (folder / "base.html").write_text(FALLBACK_BASE, encoding="utf-8")
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def leader_a(staff_a):
    return staff_a[Role.LEADER]


@pytest.fixture
def head_a(staff_a):
    return staff_a[Role.DEPARTMENT_HEAD]


@pytest.fixture
def officer2_a(agency_a, dept_a):
    return make_user(agency=agency_a, department=dept_a, roles=[Role.OFFICER], username="a_officer2")


@pytest.fixture
def make_item(leader_a, officer_a):
    def _make(*, by=None, lead=None, due_in=timedelta(days=10), **kwargs):
        return services.work_item_create(
            by=by or leader_a,
            title=kwargs.pop("title", "Chuẩn bị báo cáo tổng kết năm"),
            due_at=timezone.now() + due_in if due_in is not None else None,
            lead=lead if lead is not None or "lead_department" in kwargs else officer_a,
            **kwargs,
        )

    return _make


# --- shared by the state-label and own-form tests (models/test_base.py, test_templatetags.py) -----


@pytest.fixture
def approved_item(make_item, officer_a, leader_a):
    item = make_item()
    services.work_item_transition(item=item, action="submit", by=officer_a)
    return services.work_item_transition(item=item, action="approve", by=leader_a)


@pytest.fixture
def kind_labels(monkeypatch):
    labels = {WorkflowState.APPROVED: gettext_lazy("Đã nghiệm thu")}
    monkeypatch.setattr(WorkItem, "state_labels", labels, raising=False)
    return labels


@pytest.fixture
def submit_has_a_form(monkeypatch):
    for transition in WorkItem.submit._django_fsm.transitions.values():
        monkeypatch.setattr(transition, "custom", {**transition.custom, "form": True})
