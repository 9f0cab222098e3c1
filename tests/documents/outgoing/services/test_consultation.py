"""documents.outgoing.services.consultation: a round asked, answered and closed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.outgoing import services
from eoffice.models import Role
from tests.documents.outgoing.helpers import (
    _fields,
)
from tests.factories import make_department, make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


def test_consultation_round(office, agency_b):
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    other = make_department(agency=office["officer"].agency, name="Phòng Tổng hợp", abbreviation="TH")
    other_head = make_user(agency=other.agency, department=other, roles=[Role.DEPARTMENT_HEAD])
    round_ = services.consultation_start(
        document=doc,
        by=office["officer"],
        question="Xin ý kiến về danh mục dự án kèm theo",
        people=[office["outsider"]],
        departments=[other],
        deadline=timezone.now() + timezone.timedelta(days=2),
    )
    answers = {a.respondent_id: a for a in round_.answers.all()}
    assert set(answers) == {office["outsider"].pk, other_head.pk}
    from documents.outgoing.selectors import visible_outgoing

    assert visible_outgoing(office["outsider"]).filter(pk=doc.pk).exists()  # asked → may read the draft
    with pytest.raises(ValidationError):
        services.consultation_answer(answer=answers[other_head.pk], by=other_head, value="disagree", note="")
    with pytest.raises(PermissionDenied):
        services.consultation_answer(answer=answers[other_head.pk], by=office["outsider"], value="agree")
    services.consultation_answer(
        answer=answers[other_head.pk], by=other_head, value="other", note="Bỏ dự án số 3"
    )
    services.consultation_answer(answer=answers[office["outsider"].pk], by=office["outsider"], value="agree")
    closed = services.consultation_close(
        consultation=round_, by=office["officer"], summary="Tiếp thu, bỏ dự án 3."
    )
    assert (
        "Đồng ý: 1" in closed.summary and "ý kiến khác: 1" in closed.summary and "Tiếp thu" in closed.summary
    )
    with pytest.raises(ValidationError):
        services.consultation_answer(
            answer=answers[office["outsider"].pk], by=office["outsider"], value="agree"
        )
