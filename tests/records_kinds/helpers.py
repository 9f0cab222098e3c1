"""Shared by the tests of the record kinds: a case file opened through the records service, and the pages
of a PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from documents.records.models import CaseFile, CaseFileItem


def open_file(user, *, code: str = "01", title: str = "Hồ sơ lưu các việc đã xong") -> CaseFile:
    from documents.records.services import files as casefiles

    return casefiles.case_file_open(by=user, title=title, retention=CaseFile.Retention.Y10, code=code)


def pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def file_through_page(client, *, page_url: str, kind: str, object_id: int, case_file: CaseFile):
    """Open the record's page, find the "file this" form there, and post it as the page does."""
    from django.urls import reverse

    page = client.get(page_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="file-this"' in html
    post_url = reverse("documents:casefile_file_record")
    assert f'action="{post_url}"' in html
    assert f'name="kind" value="{kind}"' in html
    assert f'<option value="{case_file.pk}"' in html
    response = client.post(
        post_url, {"kind": kind, "object_id": object_id, "case_file": case_file.pk, "next": page_url}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url
    return CaseFileItem.objects.get(case_file=case_file, kind=kind, object_id=object_id)
