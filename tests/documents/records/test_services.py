"""Case files: documents held by link, no duplicate, no addition once closed."""

import pytest
from django.core.exceptions import ValidationError

from documents.records import services as records_services
from tests.documents.conftest import receive

pytestmark = pytest.mark.django_db


def test_case_files_hold_documents_without_copies(people):
    doc = receive(people["clerk"], n=1)
    a = records_services.case_file_create(
        by=people["clerk"], year=2026, code="01.VP", title="Hồ sơ kế hoạch", retention="10"
    )
    b = records_services.case_file_create(
        by=people["clerk"], year=2026, code="02.VP", title="Hồ sơ đầu tư", retention="20"
    )
    records_services.case_file_add(case_file=a, document=doc, by=people["clerk"])
    records_services.case_file_add(case_file=b, document=doc, by=people["clerk"])
    assert set(doc.case_files.all()) == {a, b}
    with pytest.raises(ValidationError):
        records_services.case_file_add(case_file=a, document=doc, by=people["clerk"])
    with pytest.raises(ValidationError):
        records_services.case_file_create(
            by=people["clerk"], year=2026, code="01.vp", title="Trùng", retention="10"
        )
    records_services.case_file_set_status(case_file=a, by=people["clerk"], close=True)
    a.refresh_from_db()
    with pytest.raises(ValidationError):
        records_services.case_file_add(
            case_file=a, document=receive(people["clerk"], n=2), by=people["clerk"]
        )
