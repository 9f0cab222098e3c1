"""documents.outgoing.attachments.services and its page: appendices render a new version, attached files
are checked by content (a bad file refused, nothing saved), only the holder of the draft changes them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.outgoing import services as outgoing_services
from documents.outgoing.attachments import services
from documents.outgoing.attachments.services import AppendixFields
from documents.outgoing.models import OutgoingAppendix, OutgoingAttachment
from tests.documents.outgoing.attachments.helpers import decision_fields, pdf_upload
from tests.documents.outgoing.helpers import _text


@pytest.fixture
def draft(office, agency_b):
    return outgoing_services.draft_create(by=office["officer"], fields=decision_fields(office, agency_b))


def test_appendix_renders_a_new_version_with_the_appendix_after_the_signature(draft, office):
    services.appendix_save(
        document=draft,
        by=office["officer"],
        fields=AppendixFields(title="Danh mục dự án", body="<p>Dự án đường tỉnh 291.</p><script>x</script>"),
    )
    draft.refresh_from_db()
    assert draft.current_version.number == 2
    text = _text(draft.current_version.file.read())
    assert text.index("Vũ Đức Thắng") < text.index("DANH MỤC DỰ ÁN") < text.index("(Kèm theo Quyết định số")
    assert "Dự án đường tỉnh 291" in text and "<script>" not in OutgoingAppendix.objects.get().body
    appendix = OutgoingAppendix.objects.get()
    services.appendix_delete(document=draft, by=office["officer"], appendix=appendix)
    draft.refresh_from_db()
    assert draft.current_version.number == 3 and "DANH MỤC DỰ ÁN" not in _text(
        draft.current_version.file.read()
    )


def test_only_the_holder_changes_them(draft, office):
    with pytest.raises(PermissionDenied):
        services.appendix_save(
            document=draft, by=office["head"], fields=AppendixFields(title="X", body="<p>Y</p>")
        )
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            document=draft,
            by=office["head"],
            upload=pdf_upload(),
            title="",
            kind=OutgoingAttachment.Kind.MATERIAL,
        )
    assert not OutgoingAppendix.objects.exists() and not OutgoingAttachment.objects.exists()


def test_empty_appendix_refused(draft, office):
    with pytest.raises(ValidationError) as info:
        services.appendix_save(
            document=draft, by=office["officer"], fields=AppendixFields(title=" ", body="")
        )
    assert set(info.value.error_dict) == {"title", "body"}
    draft.refresh_from_db()
    assert draft.current_version.number == 1


def test_attachment_kept_with_its_hash_and_pages(draft, office):
    attachment = services.attachment_add(
        document=draft,
        by=office["officer"],
        upload=pdf_upload(),
        title="",
        kind=OutgoingAttachment.Kind.DOCUMENT,
    )
    assert attachment.title == "bang-ke" and attachment.pages == 1 and len(attachment.sha256) == 64
    assert attachment.file.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("bao-cao.pdf", b"this is not a pdf at all", content_type="application/pdf"),
        SimpleUploadedFile("hong.pdf", b"%PDF-1.7\nbroken", content_type="application/pdf"),
        SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"),
    ],
    ids=["text-named-pdf", "damaged-pdf", "png"],
)
def test_bad_file_refused_through_the_page_nothing_saved(client, draft, office, upload, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office["officer"])
    url = reverse("documents:outgoing_attachment_add", args=[draft.pk])
    response = client.post(
        url, {"attachment-upload": upload, "attachment-title": "Báo cáo", "attachment-kind": "material"}
    )
    assert response.status_code == 400
    assert response.context["attachment_form"].errors["upload"]
    assert not OutgoingAttachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if "attachments" in p.parts and p.is_file()]


def test_page_adds_appendix_and_file_and_the_document_page_lists_them(client, draft, office):
    client.force_login(office["officer"])
    page = client.get(reverse("documents:outgoing_attachment_page", args=[draft.pk]))
    assert page.status_code == 200 and b'name="csrfmiddlewaretoken"' in page.content
    response = client.post(
        reverse("documents:outgoing_attachment_appendix_add", args=[draft.pk]),
        {"appendix-title": "Danh mục dự án", "appendix-body": "<p>Dự án A.</p>", "appendix-landscape": "on"},
    )
    assert response.status_code == 302
    appendix = OutgoingAppendix.objects.get()
    assert appendix.landscape is True
    page = client.get(reverse("documents:outgoing_attachment_page", args=[draft.pk]), {"edit": appendix.pk})
    assert page.context["editing"] == appendix and "Danh mục dự án" in page.content.decode()
    client.post(
        reverse("documents:outgoing_attachment_appendix_edit", args=[draft.pk, appendix.pk]),
        {"appendix-title": "Danh mục dự án mới", "appendix-body": "<p>Dự án B.</p>"},
    )
    appendix.refresh_from_db()
    assert (appendix.title, appendix.landscape) == ("Danh mục dự án mới", False)
    response = client.post(
        reverse("documents:outgoing_attachment_add", args=[draft.pk]),
        {"attachment-upload": pdf_upload(), "attachment-title": "Bảng kê", "attachment-kind": "document"},
    )
    assert response.status_code == 302
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert "Danh mục dự án" in detail and "Bảng kê" in detail
    assert reverse("documents:outgoing_attachment_page", args=[draft.pk]) in detail


def test_demo_gives_the_working_group_decision_its_appendix_and_plan(office, agency_b):
    from documents.outgoing.attachments.demo import seed_attachments

    other = outgoing_services.draft_create(by=office["officer"], fields=decision_fields(office, agency_b))
    seed_attachments(other, office["officer"])
    assert not other.appendices.exists()
    group = outgoing_services.draft_create(
        by=office["officer"],
        fields=decision_fields(office, agency_b, summary="Về việc thành lập Tổ công tác rà soát thủ tục"),
    )
    seed_attachments(group, office["officer"])
    assert group.appendices.get().title == "Danh sách thành viên Tổ công tác"
    assert group.attachments.get().kind == OutgoingAttachment.Kind.DOCUMENT
    group.refresh_from_db()
    assert "DANH SÁCH THÀNH VIÊN TỔ CÔNG TÁC" in _text(group.current_version.file.read())
