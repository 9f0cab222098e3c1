"""The outgoing register lists every number given in the period: a document signed but not yet issued
("đã ký, chưa phát hành") and a recalled one are rows too, so "từ số 01 đến số 04" has four rows."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Register
from documents.registers import numbering
from tests.documents.registers.test_outgoing import _cells, _issued, _query, registry  # noqa: F401
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


@pytest.fixture
def four(registry):  # noqa: F811
    states = [WorkflowState.ISSUED, WorkflowState.ISSUED, WorkflowState.SIGNED, WorkflowState.RECALLED]
    docs = [
        _issued(
            register=registry["register"],
            number=n,
            drafter=registry["officer"],
            signer=registry["leader"],
            unit=registry["unit"],
            state=state,
        )
        for n, state in enumerate(states, start=1)
    ]
    # Signed, not issued: never handed over.
    type(docs[2]).objects.filter(pk=docs[2].pk).update(released_at=None)
    return docs


def test_every_number_given_is_a_row(registry, four, client):  # noqa: F811
    client.force_login(registry["clerk"])
    _, rows = _cells(
        client.get(reverse("documents:registers"), _query(registry["register"])).content.decode()
    )
    assert [row[0] for row in rows] == [doc.number_symbol for doc in four]
    assert [row[9] for row in rows] == ["", "", "Đã ký, chưa phát hành", "Đã thu hồi"]
    # Not handed over yet: no "Ngày chuyển".
    assert rows[2][7] == ""


def test_pdf_says_from_01_to_04_and_has_four_rows(registry, four, client, tmp_path):  # noqa: F811
    client.force_login(registry["clerk"])
    response = client.get(reverse("documents:registers"), _query(registry["register"], fmt="pdf"))
    path = tmp_path / "so.pdf"
    path.write_bytes(response.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Từ số 01 đến số 04" in text
    assert "4 văn bản" in text
    assert "Đã ký, chưa phát hành" in text


def test_drafts_and_documents_being_signed_have_no_row(registry, four, client):  # noqa: F811
    for state in (WorkflowState.SIGNING, WorkflowState.NEW):
        _issued(
            register=registry["register"],
            number=10 if state == WorkflowState.SIGNING else 11,
            drafter=registry["officer"],
            signer=registry["leader"],
            state=state,
        )
    client.force_login(registry["clerk"])
    _, rows = _cells(
        client.get(reverse("documents:registers"), _query(registry["register"])).content.decode()
    )
    assert len(rows) == 4


def test_signed_secret_document_is_listed_in_the_secret_register_only(registry, client):  # noqa: F811
    secret = numbering.secret_register(agency=registry["register"].agency, kind=Register.Kind.OUTGOING)
    doc = _issued(
        register=secret,
        number=1,
        drafter=registry["officer"],
        signer=registry["leader"],
        secret=True,
        state=WorkflowState.SIGNED,
        when=timezone.now(),
    )
    client.force_login(registry["clerk"])
    _, rows = _cells(client.get(reverse("documents:registers"), _query(secret)).content.decode())
    assert [r[0] for r in rows] == [doc.number_symbol]
    assert rows[0][9] == "Đã ký, chưa phát hành; Văn bản mật"
    _, rows = _cells(
        client.get(reverse("documents:registers"), _query(registry["register"])).content.decode()
    )
    assert rows == [["Không có văn bản đi trong kỳ này."]]


def test_register_page_queries_do_not_grow_with_the_rows(
    registry,  # noqa: F811
    four,
    client,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(registry["clerk"])
    url, query = reverse("documents:registers"), _query(registry["register"])
    client.get(url, query)  # warm the per-process caches (content types, menus)
    with CaptureQueriesContext(connection) as four_rows:
        client.get(url, query)
    for n in range(5, 13):
        _issued(
            register=registry["register"],
            number=n,
            drafter=registry["officer"],
            signer=registry["leader"],
            unit=registry["unit"],
            state=WorkflowState.ISSUED,
        )
    with django_assert_max_num_queries(len(four_rows)):
        _, rows = _cells(client.get(url, query).content.decode())
    assert len(rows) == 12
