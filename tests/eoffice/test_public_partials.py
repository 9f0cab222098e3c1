"""The public-page partials under ``templates/eoffice/public/`` (the submission steps, the e-mail and code
steps, the form alert, the confirmed e-mail, the upload block, the layout) that the one-stop and complaints
public pages share."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from eoffice.public_forms import CodeForm, EmailForm, MultipleFilesField


def squash(html: str) -> str:
    return " ".join(html.split())


def render(name: str, context: dict) -> str:
    request = RequestFactory().get("/")
    return squash(render_to_string(f"eoffice/public/{name}", context, request=request))


class Filing(forms.Form):
    name = forms.CharField(label="Họ và tên")
    letter = forms.FileField(label="Bản chụp đơn", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.HiddenInput)
    papers = MultipleFilesField(label="Tài liệu kèm theo", required=False, help_text="Tối đa 10 tệp.")
    consent = forms.BooleanField(label="Đồng ý", required=False)


@pytest.mark.parametrize(
    ("step", "states"),
    [(1, ["current", "", ""]), (2, ["done", "current", ""]), (3, ["done", "done", "current"])],
)
def test_steps_mark_the_current_and_the_done_ones(step, states):
    html = render(
        "_steps.html", {"step": step, "steps_label": "Các bước gửi đơn", "last_step": "Nội dung đơn"}
    )
    assert '<ol class="pub-steps" aria-label="Các bước gửi đơn">' in html
    assert re.findall(r'<li class="(\w*)"', html) == states
    assert html.count('aria-current="step"') == 1
    assert f'aria-current="step"><span class="pub-step-n">{step}</span>' in html
    assert "<span>Thư điện tử</span>" in html and "<span>Mã xác thực</span>" in html
    assert "<span>Nội dung đơn</span>" in html


def test_email_step_posts_send_with_the_callers_intro():
    html = render(
        "_email_confirm.html",
        {"step": 1, "intro": "Mã tra cứu đơn cũng được gửi.", "email_form": EmailForm()},
    )
    assert "<p>Mã tra cứu đơn cũng được gửi.</p>" in html
    assert '<input type="hidden" name="action" value="send">' in html
    assert 'type="email" name="email"' in html and "csrfmiddlewaretoken" in html
    assert 'name="code"' not in html and "Gửi mã xác thực" in html


def test_code_step_posts_verify_and_offers_resend_and_change():
    code_form = CodeForm(data={"code": "12ab"})
    assert not code_form.is_valid()
    html = render(
        "_email_confirm.html",
        {"step": 2, "intro": "không hiện", "pending": "an@example.vn", "code_form": code_form},
    )
    assert "không hiện" not in html and 'type="email"' not in html
    assert "Mã đã được gửi tới <strong>an@example.vn</strong>." in html
    assert re.findall(r'name="action" value="(\w+)"', html) == ["verify", "send", "change"]
    assert '<input type="hidden" name="email" value="an@example.vn">' in html
    assert 'autocomplete="one-time-code"' in html
    assert "Mã xác thực gồm 6 chữ số." in html and "has-error" in html


def test_code_step_escapes_the_pending_address():
    html = render(
        "_email_confirm.html", {"step": 2, "pending": '"><script>x</script>', "code_form": CodeForm()}
    )
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_form_alert_only_for_a_form_with_errors():
    assert render("_form_alert.html", {"form": Filing()}) == ""
    form = Filing(data={})
    assert not form.is_valid()
    html = render("_form_alert.html", {"form": form, "reselect": True})
    assert 'role="alert"' in html and 'data-testid="form-errors"' in html
    assert "Vui lòng kiểm tra các mục được đánh dấu bên dưới." in html
    assert "vui lòng chọn lại các tệp trước khi gửi" in html

    class Refused(forms.Form):
        def clean(self):
            raise forms.ValidationError("Thủ tục này không tiếp nhận hồ sơ trực tuyến.")

    refused = Refused(data={})
    assert not refused.is_valid()
    html = render("_form_alert.html", {"form": refused, "reselect": False})
    assert "<p>Thủ tục này không tiếp nhận hồ sơ trực tuyến.</p>" in html
    assert "Vui lòng kiểm tra" not in html and "chọn lại các tệp" not in html


def test_uploads_list_every_file_input_in_the_forms_order():
    form = Filing(data={}, files={})
    assert not form.is_valid()  # "name" is required: the file fields keep their (absent) errors
    html = render(
        "_uploads.html", {"form": form, "title": "Giấy tờ kèm theo", "note": "Mục có dấu * là bắt buộc."}
    )
    assert "#paperclip" in html and "Giấy tờ kèm theo</h2>" in html
    assert '<p class="muted small">Mục có dấu * là bắt buộc.</p>' in html
    items = re.findall(r'<li class="pub-upload">(.*?)</li>', html)
    assert len(items) == 2
    assert 'name="letter"' in items[0] and "Bản chụp đơn" in items[0]
    assert 'name="papers"' in items[1] and "multiple" in items[1] and "Tối đa 10 tệp." in items[1]
    assert 'name="name"' not in html and 'name="note"' not in html and 'name="consent"' not in html
    assert "muted small" not in render("_uploads.html", {"form": Filing(), "title": "T", "note": ""})


def test_verified_email_and_the_change_form_it_posts():
    html = render("_verified_email.html", {"email": "an@example.vn"})
    assert "Thư điện tử đã xác thực: <strong>an@example.vn</strong>" in html
    assert 'form="change-email"' in html
    form = render("_change_email_form.html", {})
    assert '<form method="post" id="change-email" hidden>' in form
    assert '<input type="hidden" name="action" value="change">' in form


@pytest.mark.django_db
def test_both_public_sides_use_the_shared_layout(client):
    onestop = squash(client.get("/mot-cua/").content.decode())
    complaints = squash(client.get("/don-thu/").content.decode())
    for html in (onestop, complaints):
        assert '<body class="pub">' in html and '<header class="pub-header">' in html
        assert '<main class="pub-main" id="main" tabindex="-1">' in html
        assert "Cán bộ đăng nhập" in html and 'name="language" value="vi"' in html
    assert "<title>Thủ tục hành chính · Dịch vụ công trực tuyến</title>" in onestop
    assert "Tiếp nhận và trả kết quả thủ tục hành chính" in onestop and "Tra cứu hồ sơ" in onestop
    assert "Kiến nghị, phản ánh, khiếu nại, tố cáo" in complaints and "Tra cứu đơn" in complaints
