"""The demo's format check: the Văn phòng people get the role, one draft waits for the check; idempotent."""

from __future__ import annotations

import io

import pytest

from documents.outgoing.format.demo import SUMMARY, seed_format_check
from documents.outgoing.models import OutgoingDocument
from eoffice.models import Role
from tests.documents.outgoing.helpers import _type
from tests.factories import make_department, make_user
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def test_demo_reviewers_and_a_draft_waiting(agency_a, agency_b):
    _type("Công văn")
    unit = make_department(agency=agency_a, name="Phòng Đăng ký kinh doanh", abbreviation="ĐKKD")
    make_user(agency=agency_a, username="chuyenvien.skhdt", roles=[Role.OFFICER], department=unit)
    make_user(agency=agency_a, username="truongphong.skhdt", roles=[Role.DEPARTMENT_HEAD], department=unit)
    make_user(agency=agency_a, username="giamdoc.skhdt", roles=[Role.LEADER], position="Giám đốc")
    office = make_user(agency=agency_a, username="quantri.skhdt", roles=[Role.AGENCY_ADMIN])
    seed_format_check(io.StringIO())
    seed_format_check(io.StringIO())
    office.__dict__.pop("roles", None)
    assert office.has_role(Role.FORMAT_REVIEWER) and office.has_role(Role.AGENCY_ADMIN)
    waiting = OutgoingDocument.objects.get(summary=SUMMARY)
    assert waiting.state == WorkflowState.FORMAT_CHECK and waiting.format_reviewer == office
