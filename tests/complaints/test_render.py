"""The forms (complaints/render, migration 0003): a version of every form in force before and from
01/07/2026, each body renders from a case's context, splits into the outgoing document's fields in the
Decree-30 order, the printed forms come out as PDF with the agency header, and no protected identity gets
into any of them.

With EOFFICE_COMPLAINTS_SAMPLES=<dir> the sample test also writes a PNG of every form there (pdftoppm)."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from complaints import render
from complaints.models import CaseKind, FormCode, LegalForm, Visit
from complaints.services.drafting import form_context
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case, org  # noqa: F401

pytestmark = pytest.mark.django_db

OLD_DAY = dt.date(2026, 6, 15)
NEW_DAY = dt.date(2026, 7, 15)
SECRET = (DENOUNCER.name, DENOUNCER.id_number, DENOUNCER.address, DENOUNCER.phone, DENOUNCER.email)

EXTRAS = {
    FormCode.FORWARD: {"forwarded_to": "Ủy ban nhân dân huyện Yên Phú", "reason": "không thuộc thẩm quyền"},
    FormCode.ACCEPT_NOTICE: {"deadline": "30 ngày kể từ ngày thụ lý"},
    FormCode.REFUSE_NOTICE: {"reason": "Hết thời hiệu khiếu nại"},
    FormCode.VERIFICATION_ORDER: {"verifier": "ông Trần Văn Xác Minh, Thanh tra viên"},
    FormCode.DIALOGUE_MINUTES: {"place": "Trụ sở Sở", "minutes": "Các bên trình bày ý kiến."},
    FormCode.COMPLAINT_DECISION: {"findings": "Quyết định đúng quy định", "conclusion": "Khiếu nại là sai."},
    FormCode.SUSPENSION: {"reason": "cần chờ kết quả giải quyết của cơ quan khác"},
    FormCode.STOP: {"reason": "người khiếu nại rút toàn bộ đơn"},
    FormCode.CONTINUE: {"suspension": "số 12/QĐ-SKHĐT"},
    FormCode.DENUNCIATION_ACCEPT: {"accused": "ông Lê Văn Bị, cán bộ địa chính xã"},
    FormCode.EXTENSION: {"ground": "cần xác minh tại nhiều địa điểm", "extension": 1},
    FormCode.DENUNCIATION_CONCLUSION: {"findings": "Có vi phạm", "handling": "Kiểm điểm, xử lý kỷ luật"},
    FormCode.DENOUNCER_NOTICE: {"result": "Tố cáo đúng một phần."},
    FormCode.PETITION_ANSWER: {"answer": "Sở sẽ sửa chữa tuyến đường trong quý III."},
    FormCode.GUIDANCE: {"forwarded_to": "Tòa án nhân dân huyện Yên Phú", "guidance": "Mang theo bản chính."},
}
DENUNCIATION_FORMS = {
    FormCode.DENUNCIATION_ACCEPT,
    FormCode.EXTENSION,
    FormCode.DENUNCIATION_CONCLUSION,
    FormCode.DENOUNCER_NOTICE,
}


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def complaint(org):
    return make_case(org, kind=CaseKind.COMPLAINT, received_on=NEW_DAY, decider=org["leader"])


@pytest.fixture
def denunciation(org):
    return make_case(
        org,
        kind=CaseKind.DENUNCIATION,
        received_on=NEW_DAY,
        content="Tố cáo cán bộ địa chính xã nhận tiền của dân",
        decider=org["leader"],
    )


@pytest.fixture
def visit(org):
    from complaints import services

    visit = Visit.objects.create(
        agency=org["agency"],
        year=2026,
        number=7,
        received_at=timezone.make_aware(dt.datetime(2026, 7, 15, 9, 30)),
        officer=org["reception"],
        kind=CaseKind.DENUNCIATION,
        content="Tố cáo cán bộ địa chính xã",
        protected=True,
        outcome=Visit.Outcome.LETTER,
        papers="Đơn tố cáo (01 bản)\n- Ảnh chụp biên lai (03 tờ)",
        result="Đã tiếp nhận đơn và chuyển Thanh tra Sở xử lý theo quy định.",
    )
    services.identities_add(people=[DENOUNCER], by=org["reception"], visit=visit)
    return visit


def _case_for(code, complaint, denunciation):
    return denunciation if code in DENUNCIATION_FORMS else complaint


# ---- the seed ----


def test_every_form_has_a_version_before_and_from_the_new_law():
    for code in FormCode.values:
        new = LegalForm.objects.in_force(code, on=NEW_DAY)
        old = LegalForm.objects.in_force(code, on=OLD_DAY)
        assert new is not None and old is not None, code
        assert new.source and new.title and new.body, code
    # Where the law changed the form on 01/07/2026 the two versions differ.
    for code in (FormCode.RECEIPT, FormCode.ACCEPT_NOTICE, FormCode.SUSPENSION, FormCode.COMPLAINT_DECISION):
        new = LegalForm.objects.in_force(code, on=NEW_DAY)
        old = LegalForm.objects.in_force(code, on=OLD_DAY)
        assert new.pk != old.pk and new.effective_from == dt.date(2026, 7, 1), code
        assert new.body != old.body
    assert LegalForm.objects.in_force(FormCode.RECEIPT, on=NEW_DAY).source.startswith("Mẫu số 02/TCD")
    assert "155/2026" in LegalForm.objects.in_force(FormCode.SUSPENSION, on=NEW_DAY).source


def test_doc_types_exist_in_the_document_type_list():
    from documents.models import DocumentType

    for form in LegalForm.objects.exclude(code__in=render.PRINTED):
        assert DocumentType.objects.filter(abbreviation=form.doc_type, is_active=True).exists(), form.code


def test_no_form_before_any_version_is_a_clear_error():
    with pytest.raises(ValidationError, match="Chưa có mẫu"):
        render.form_in_force(FormCode.DENUNCIATION_ACCEPT, on=dt.date(2015, 1, 1))


# ---- bodies ----


def test_every_body_renders_from_the_case_without_the_protected_identity(complaint, denunciation):
    for code in FormCode.values:
        case = _case_for(code, complaint, denunciation)
        form, body = render.form_body(code, on=NEW_DAY, context=form_context(case, **EXTRAS.get(code, {})))
        assert form.effective_from <= NEW_DAY
        if code not in (FormCode.DIALOGUE_MINUTES, FormCode.RECEIPT, FormCode.VISIT_RESULT):
            assert case.code in body, code
        assert "{{" not in body and "{%" not in body, code
        for secret in SECRET:
            assert secret not in body, (code, secret)
    # A protected denunciation is addressed to "Người tố cáo", never by name.
    parts = render.form_parts(FormCode.DENOUNCER_NOTICE, on=NEW_DAY, context=form_context(denunciation))
    assert parts.addressees == "Người tố cáo"
    forward = render.form_body(
        FormCode.FORWARD, on=NEW_DAY, context=form_context(denunciation, forwarded_to="UBND huyện")
    )[1]
    assert "giữ bí mật" in forward


def test_the_complainant_is_named_and_the_extras_used(complaint):
    context = form_context(complaint, reason="Hết thời hiệu khiếu nại")
    parts = render.form_parts(FormCode.REFUSE_NOTICE, on=NEW_DAY, context=context)
    assert parts.addressees == f"Ông/Bà {COMPLAINANT.name}"
    assert "Hết thời hiệu khiếu nại" in parts.body
    assert "Kính gửi" not in parts.body
    assert complaint.content in parts.body


def test_a_missing_extra_prints_an_ellipsis(complaint):
    body = render.form_body(FormCode.SUSPENSION, on=NEW_DAY, context=form_context(complaint))[1]
    assert "Xét thấy …" in body


def test_the_version_follows_the_day_the_letter_was_received(org):
    old = make_case(org, received_on=OLD_DAY)
    new = make_case(org, received_on=NEW_DAY)
    old_body = render.form_body(FormCode.ACCEPT_NOTICE, on=OLD_DAY, context=form_context(old))[1]
    new_body = render.form_body(FormCode.ACCEPT_NOTICE, on=NEW_DAY, context=form_context(new))[1]
    assert "155/2026" in new_body and "155/2026" not in old_body


def test_a_decision_splits_into_bases_and_articles(complaint):
    parts = render.form_parts(
        FormCode.COMPLAINT_DECISION,
        on=NEW_DAY,
        context=form_context(complaint, **EXTRAS[FormCode.COMPLAINT_DECISION]),
    )
    bases = parts.legal_bases.splitlines()
    assert bases[0].startswith("Căn cứ Luật Khiếu nại")
    assert any(line.startswith("Xét đơn khiếu nại") for line in bases)
    assert parts.body.startswith("<p>Điều 1.")
    assert "Căn cứ" not in parts.body
    assert "Khiếu nại là sai." in parts.body
    # A notice keeps everything in its body (no bases), its addressee apart.
    notice = render.form_parts(FormCode.ACCEPT_NOTICE, on=NEW_DAY, context=form_context(complaint))
    assert notice.legal_bases == "" and notice.addressees.startswith("Ông/Bà")


def test_a_broken_template_in_the_admin_is_a_clear_error(complaint):
    LegalForm.objects.create(
        code=FormCode.STOP,
        effective_from=dt.date(2026, 7, 10),
        title="x",
        doc_type="QĐ",
        body="{% if %}",
        source="x",
    )
    with pytest.raises(ValidationError, match="lỗi cú pháp"):
        render.form_body(FormCode.STOP, on=NEW_DAY, context=form_context(complaint))


def test_the_template_cannot_reach_beyond_the_builtins(complaint):
    LegalForm.objects.create(
        code=FormCode.STOP,
        effective_from=dt.date(2026, 7, 10),
        title="x",
        doc_type="QĐ",
        body="<p>{% load static %}</p>",
        source="x",
    )
    with pytest.raises(ValidationError):
        render.form_body(FormCode.STOP, on=NEW_DAY, context=form_context(complaint))


def test_the_body_reads_right_in_the_decree_30_document(complaint, org):
    """The decision as the outgoing renderer prints it: bases above "QUYẾT ĐỊNH:", the articles after."""
    from documents.outgoing.render import Layout
    from documents.outgoing.render import render as outgoing_render

    parts = render.form_parts(
        FormCode.COMPLAINT_DECISION,
        on=NEW_DAY,
        context=form_context(complaint, **EXTRAS[FormCode.COMPLAINT_DECISION]),
    )
    layout = Layout(
        type_name="Quyết định",
        type_abbr="QĐ",
        parent_agency="Ủy ban nhân dân tỉnh An Hòa",
        agency=org["agency"].name,
        symbol="QĐ-TTr",
        number=None,
        place="An Hòa",
        date=None,
        summary=parts.form.title,
        legal_bases=tuple(parts.legal_bases.splitlines()),
        body_html=parts.body,
        issuing_authority="GIÁM ĐỐC",
        signer_title="GIÁM ĐỐC",
        signer_name=org["leader"].full_name,
    )
    text = _flat(_text(outgoing_render(layout).pdf))
    assert text.index("Căn cứ Luật Khiếu nại") < text.index("QUYẾT ĐỊNH:") < text.index("Điều 1.")
    assert text.index("Điều 1.") < text.index("Điều 4.")


def test_drafting_a_notice_through_the_outgoing_flow(complaint, org):
    from complaints.services.drafting import case_document_draft

    row = case_document_draft(case=complaint, form=FormCode.ACCEPT_NOTICE, by=org["reception"])
    assert row.document.doc_type.abbreviation == "TB"
    assert complaint.code in row.document.body
    assert row.document.summary.startswith("Về việc thụ lý giải quyết khiếu nại")


# ---- printed forms ----


def test_a_non_printed_form_is_refused(complaint):
    with pytest.raises(ValidationError, match="không phải mẫu in"):
        render.form_pdf(FormCode.STOP, on=NEW_DAY, context=form_context(complaint))


def test_intake_proposal_and_guidance_print_with_the_decree_30_header(complaint, org):
    for code in (FormCode.INTAKE_PROPOSAL, FormCode.GUIDANCE):
        pdf = render.form_pdf(code, on=NEW_DAY, context=form_context(complaint, **EXTRAS.get(code, {})))
        assert pdf.startswith(b"%PDF")
        text = _flat(_text(pdf))
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert org["agency"].name.upper() in text
        assert complaint.code in text
        assert COMPLAINANT.name in text
    text = _flat(
        _text(render.form_pdf(FormCode.INTAKE_PROPOSAL, on=NEW_DAY, context=form_context(complaint)))
    )
    assert "PHIẾU ĐỀ XUẤT THỤ LÝ ĐƠN" in text and "Mẫu số 01, TT 05/2021/TT-TTCP" in text
    assert "NGƯỜI ĐỀ XUẤT" in text and org["leader"].full_name in text
    text = _flat(
        _text(
            render.form_pdf(
                FormCode.GUIDANCE, on=NEW_DAY, context=form_context(complaint, **EXTRAS[FormCode.GUIDANCE])
            )
        )
    )
    assert "Tòa án nhân dân huyện Yên Phú" in text and "Mang theo bản chính." in text


def test_receipt_and_visit_result_of_a_protected_visit(visit, org):
    receipt = _flat(_text(render.form_pdf(FormCode.RECEIPT, on=NEW_DAY, context={"visit": visit})))
    assert "GIẤY BIÊN NHẬN THÔNG TIN, TÀI LIỆU, BẰNG CHỨNG" in receipt
    assert "Đơn tố cáo (01 bản)" in receipt and "Ảnh chụp biên lai (03 tờ)" in receipt
    assert "09 giờ 30 phút, ngày 15/07/2026" in receipt
    assert org["reception"].full_name in receipt and "NGƯỜI TIẾP NHẬN" in receipt
    assert "Mẫu số 02/TCD" in receipt
    result = _flat(_text(render.form_pdf(FormCode.VISIT_RESULT, on=NEW_DAY, context={"visit": visit})))
    assert "THÔNG BÁO KẾT QUẢ TIẾP CÔNG DÂN" in result
    assert "chuyển Thanh tra Sở xử lý" in result
    for text in (receipt, result):
        for secret in SECRET:
            assert secret not in text
    old = _flat(_text(render.form_pdf(FormCode.RECEIPT, on=OLD_DAY, context={"visit": visit})))
    assert "TT 04/2021/TT-TTCP" in old


def test_the_date_line_uses_the_agency_place(complaint, org):
    org["agency"].place_name = "An Hòa"
    org["agency"].save(update_fields=["place_name"])
    context = form_context(complaint, date=dt.date(2026, 2, 5))
    text = _flat(_text(render.form_pdf(FormCode.INTAKE_PROPOSAL, on=NEW_DAY, context=context)))
    assert "An Hòa, ngày 05 tháng 02 năm 2026" in text


# ---- samples ----


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_samples_render_to_png(complaint, denunciation, visit, org, tmp_path):
    """Every printed form and every drafted body in its Decree-30 document renders to a PNG (one page at
    least); with EOFFICE_COMPLAINTS_SAMPLES they are kept there to look at."""
    from documents.outgoing.render import Layout
    from documents.outgoing.render import render as outgoing_render

    out = Path(os.environ.get("EOFFICE_COMPLAINTS_SAMPLES") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    pdfs = {
        "receipt": render.form_pdf(FormCode.RECEIPT, on=NEW_DAY, context={"visit": visit}),
        "visit_result": render.form_pdf(FormCode.VISIT_RESULT, on=NEW_DAY, context={"visit": visit}),
        "visit_forward": render.form_pdf(FormCode.VISIT_FORWARD, on=NEW_DAY, context={"visit": visit}),
        "keep": render.form_pdf(
            FormCode.KEEP,
            on=NEW_DAY,
            context=form_context(
                complaint,
                reason="Đơn gửi để biết; theo dõi việc giải quyết của cơ quan có thẩm quyền",
                follow_up_on=NEW_DAY + dt.timedelta(days=30),
                officer=org["reception"],
            ),
        ),
        "intake_proposal": render.form_pdf(
            FormCode.INTAKE_PROPOSAL, on=NEW_DAY, context=form_context(complaint)
        ),
        "guidance": render.form_pdf(
            FormCode.GUIDANCE, on=NEW_DAY, context=form_context(complaint, **EXTRAS[FormCode.GUIDANCE])
        ),
    }
    from documents.models import DocumentType

    for code in FormCode.values:
        if code in render.PRINTED:
            continue
        case = _case_for(code, complaint, denunciation)
        parts = render.form_parts(code, on=NEW_DAY, context=form_context(case, **EXTRAS.get(code, {})))
        doc_type = DocumentType.objects.filter(abbreviation=parts.form.doc_type).first()
        layout = Layout(
            type_name=doc_type.name,
            type_abbr=doc_type.abbreviation,
            parent_agency="Ủy ban nhân dân tỉnh An Hòa",
            agency=org["agency"].name,
            symbol=f"{doc_type.abbreviation}-TTr" if doc_type.abbreviation else "TTr",
            number=None,
            place=org["agency"].place_name or "An Hòa",
            date=None,
            summary=f"{parts.form.title} ({case.code})",
            addressees=tuple(parts.addressees.splitlines()),
            legal_bases=tuple(parts.legal_bases.splitlines()),
            body_html=parts.body,
            issuing_authority="GIÁM ĐỐC SỞ" if doc_type.abbreviation == "QĐ" else "",
            signer_title="GIÁM ĐỐC",
            signer_name=org["leader"].full_name,
            distribution=("Như trên",),
        )
        pdfs[code] = outgoing_render(layout).pdf
    for name, pdf in pdfs.items():
        source = out / f"complaints-{name.replace('_', '-')}.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-singlefile", str(source), str(source.with_suffix(""))],
            check=True,
        )
        assert source.with_suffix(".png").stat().st_size > 5_000, name
        for secret in SECRET:
            assert secret not in _text(pdf), (name, secret)


def test_the_resolution_services_extras_are_read(complaint, denunciation):
    """The names the resolution steps pass (verifiers and lead, held_on, result, ground, n) fill the forms."""

    def body(code, case, **extra):
        return render.form_body(code, on=NEW_DAY, context=form_context(case, **extra))[1]

    order = body(
        FormCode.VERIFICATION_ORDER, complaint, verifiers=["Trần Văn A", "Lê Thị B"], lead="Trần Văn A"
    )
    assert "Tổ xác minh gồm: Trần Văn A, Lê Thị B (Tổ trưởng: Trần Văn A)" in order
    assert "Lê Thị B" in body(FormCode.VERIFICATION_ORDER, complaint, verifiers=["Lê Thị B"], lead="Lê Thị B")
    assert "ngày 20/07/2026" in body(FormCode.DIALOGUE_MINUTES, complaint, held_on=dt.date(2026, 7, 20))
    assert "Khiếu nại đúng một phần" in body(
        FormCode.COMPLAINT_DECISION, complaint, result="Khiếu nại đúng một phần"
    )
    assert "Tố cáo sai" in body(FormCode.DENUNCIATION_CONCLUSION, denunciation, result="Tố cáo sai")
    assert "Xét thấy chờ giám định" in body(FormCode.SUSPENSION, complaint, ground="chờ giám định")
    assert "(lần 2)" in body(FormCode.EXTENSION, denunciation, n=2)


def test_parts_drafted_through_the_outgoing_preview(complaint, org):
    """What ``case_document_draft`` would give the outgoing flow with ``form_parts`` (the change asked of
    drafting.py): the outgoing service takes the three fields and prints "Kính gửi" and the bases in their
    Decree-30 places."""
    from documents.models import DocumentType
    from documents.outgoing.services import DraftFields, preview_pdf

    for code, marks in (
        (FormCode.REFUSE_NOTICE, ("THÔNG BÁO", f"Kính gửi: Ông/Bà {COMPLAINANT.name}", "Hết thời hiệu")),
        (FormCode.SUSPENSION, ("Căn cứ Luật Khiếu nại", "QUYẾT ĐỊNH:", "Điều 1. Tạm đình chỉ")),
    ):
        context = form_context(complaint, reason="Hết thời hiệu khiếu nại")
        parts = render.form_parts(code, on=NEW_DAY, context=context)
        fields = DraftFields(
            doc_type=DocumentType.objects.get(abbreviation=parts.form.doc_type),
            summary=f"{parts.form.title} ({complaint.code})",
            body=parts.body,
            legal_bases=parts.legal_bases,
            addressees=parts.addressees,
            signer=org["leader"],
        )
        text = _flat(_text(preview_pdf(fields=fields, by=org["reception"])))
        positions = [text.index(mark) for mark in marks]
        assert positions == sorted(positions), (code, positions)
