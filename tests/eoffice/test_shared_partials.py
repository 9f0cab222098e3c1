"""The shared page partials under ``templates/eoffice/`` (empty state, filter fields, form errors, export and
back buttons, breadcrumbs, statistics notes) render the markup and test ids their pages relied on before."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from eoffice.models import Role
from tests.factories import make_department, make_user


def squash(html: str) -> str:
    return " ".join(html.split())


def test_empty_state_with_and_without_hint_and_testid():
    html = squash(
        render_to_string("eoffice/_empty_state.html", {"icon": "chart", "title": "Không có", "hint": "Gợi ý"})
    )
    assert html.startswith('<div class="empty-state">')
    assert "#chart" in html and '<p class="empty-title">Không có</p>' in html
    assert '<p class="empty-hint">Gợi ý</p>' in html
    bare = squash(render_to_string("eoffice/_empty_state.html", {"title": "Trống", "testid": "search-empty"}))
    assert 'data-testid="search-empty"' in bare and "#inbox" in bare and "empty-hint" not in bare


def test_select_and_period_fields_keep_their_ids_and_choice():
    html = squash(
        render_to_string(
            "eoffice/_period_fields.html",
            {
                "periods": [("month", "Tháng này"), ("custom", "Tùy chọn")],
                "current_period": "custom",
                "date_from": "2026-01-01",
                "date_to": "2026-01-31",
                "period_css": "os-period",
            },
        )
    )
    assert '<div class="field os-period"> <label for="stats-period">' in html
    assert '<option value="custom" selected>Tùy chọn</option>' in html
    assert '<option value="month">Tháng này</option>' in html
    assert 'id="stats-from" name="date_from" value="2026-01-01"' in html
    assert 'id="stats-to" name="date_to" value="2026-01-31"' in html


def test_form_errors_list_every_error_with_its_label():
    class F(forms.Form):
        day = forms.DateField(label="Từ ngày")

        def clean(self):
            raise forms.ValidationError("Kỳ không hợp lệ.")

    form = F(data={"day": "x"})
    assert not form.is_valid()
    html = squash(
        render_to_string(
            "eoffice/_form_errors.html", {"form": form, "css": "stats-errors", "testid": "stats-errors"}
        )
    )
    assert html.startswith(
        '<div class="alert alert-error stats-errors" role="alert" data-testid="stats-errors">'
    )
    assert "<p>Kỳ không hợp lệ.</p>" in html and "<p>Từ ngày: " in html


def test_export_and_back_buttons_and_crumbs():
    html = squash(
        render_to_string("eoffice/_export_buttons.html", {"xlsx_url": "?a=1&format=xlsx", "pdf_url": "/p"})
    )
    assert 'href="?a=1&amp;format=xlsx" data-testid="export-xlsx"' in html
    assert '<a class="btn btn-secondary" href="/p" data-testid="export-pdf">' in html and "Xuất PDF" in html
    register = squash(
        render_to_string(
            "eoffice/_export_buttons.html",
            {
                "xlsx_url": "x",
                "pdf_url": "p",
                "pdf_tone": "primary",
                "pdf_label": "In sổ (PDF)",
                "xlsx_testid": "register-xlsx",
                "pdf_testid": "register-pdf",
            },
        )
    )
    assert (
        'data-testid="register-xlsx"' in register
        and '<a class="btn btn-primary" href="p" data-testid="register-pdf">' in register
    )
    assert "In sổ (PDF)</a>" in register
    assert render_to_string("eoffice/_back_button.html", {"url": "", "label": "Về"}).strip() == ""
    assert 'class="btn btn-ghost" href="/s"' in render_to_string(
        "eoffice/_back_button.html", {"url": "/s", "label": "Về"}
    )
    crumbs = squash(render_to_string("eoffice/_back_crumbs.html", {"parent": "Báo cáo", "here": "Đơn vị"}))
    assert (
        crumbs.startswith('<ol class="breadcrumbs"><li><a href="#">Báo cáo</a></li>')
        and "<li>Đơn vị</li></ol>" in crumbs
    )


def test_stats_notes_list_the_definitions():
    html = squash(render_to_string("eoffice/_stats_notes.html", {"definitions": ["Một", "Hai"]}))
    assert 'data-testid="stats-notes"' in html and "<li>Một</li><li>Hai</li>" in html


def test_empty_state_button_only_with_a_url():
    button = {"title": "Trống", "action_url": "/mot-cua/tiep-nhan/", "action_label": "Nhận"}
    html = squash(render_to_string("eoffice/_empty_state.html", button))
    assert '<a class="btn btn-primary" href="/mot-cua/tiep-nhan/">Nhận</a>' in html
    no_url = {"title": "Trống", "action_label": "Nhận"}
    assert "btn" not in render_to_string("eoffice/_empty_state.html", no_url)


def test_empty_lists_of_every_app_use_the_shared_empty_state(agency_a, officer_a, client):
    client.force_login(officer_a)
    incoming = squash(client.get(reverse("documents:incoming_list")).content.decode())
    assert '<div class="empty-state"> <svg class="icon" aria-hidden="true"><use href="' in incoming
    assert '<p class="empty-title">Không có văn bản nào.</p>' in incoming
    assert "Văn bản mới sẽ xuất hiện ở đây khi được chuyển đến bạn." in incoming
    outgoing = squash(client.get(reverse("documents:outgoing_list")).content.decode())
    assert "#send" in outgoing and "Bấm “Soạn văn bản” để bắt đầu một dự thảo" in outgoing

    counter = make_department(agency=agency_a, name="Bộ phận Một cửa", abbreviation="MC")
    clerk = make_user(agency=agency_a, department=counter, roles=[Role.ONESTOP_OFFICER])
    client.force_login(clerk)
    receive = reverse("onestop:receive")
    page = squash(client.get(reverse("onestop:list")).content.decode())
    assert '<p class="empty-title">Không có hồ sơ nào.</p>' in page
    assert f'<a class="btn btn-primary" href="{receive}">Tiếp nhận hồ sơ</a> </div>' in page
    filtered = squash(client.get(reverse("onestop:list") + "?q=khong-co").content.decode())
    assert "Không có hồ sơ nào khớp với bộ lọc." in filtered and "Thử bỏ bớt điều kiện lọc." in filtered
    assert f'href="{receive}">Tiếp nhận hồ sơ</a> </div>' not in filtered
