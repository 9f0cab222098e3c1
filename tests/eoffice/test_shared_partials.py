"""The shared page partials under ``templates/eoffice/`` (empty state, filter fields, form errors, export and
back buttons, breadcrumbs, statistics notes) render the markup and test ids their pages relied on before."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


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
