"""A URL configuration for tests only: the project's URLs plus one page with a form that uses the rich-text
editor and both pickers (no real page uses them yet). A valid POST answers with cleaned_data as JSON;
an invalid one renders the form again with the errors, through templates/_field.html."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.urls import path

from documents.outgoing.richtext import RichTextField
from eoffice.urls import urlpatterns as project_urlpatterns
from eoffice.widgets import PickerSelect, PickerSelectMultiple

DEPARTMENTS = [
    "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính",
    "Sở Công Thương", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Thanh tra tỉnh", "Ban Dân tộc tỉnh", "Ban Quản lý các khu công nghiệp", "Đài Phát thanh và Truyền hình",
]  # fmt: skip
DISTRICTS = [
    ("thành phố", "Hà Giang"), ("huyện", "Đồng Văn"), ("huyện", "Mèo Vạc"), ("huyện", "Yên Minh"),
    ("huyện", "Quản Bạ"), ("huyện", "Bắc Mê"), ("huyện", "Hoàng Su Phì"), ("huyện", "Vị Xuyên"),
    ("huyện", "Xín Mần"), ("huyện", "Bắc Quang"), ("huyện", "Quang Bình"),
]  # fmt: skip
COMMUNE_NAMES = [
    "Tân Thành", "Đồng Tâm", "Minh Khai", "Quang Trung", "Hùng An", "Việt Vinh", "Đông Thành", "Vĩnh Hảo",
    "Kim Ngọc", "Bằng Hành", "Liên Hiệp", "Hữu Sản", "Đức Xuân", "Thượng Bình", "Tiên Kiều", "Đạo Đức",
    "Phú Linh", "Ngọc Đường", "Thuận Hòa", "Lũng Cú", "Sủng Là", "Phố Bảng", "Lao Chải", "Nấm Dẩn",
]  # fmt: skip


def agency_choices() -> list:
    """About three hundred agencies in three groups, values are numbers as strings."""
    n = 0

    def numbered(names):
        nonlocal n
        out = []
        for name in names:
            n += 1
            out.append((str(n), name))
        return out

    communes = [f"UBND xã {c} ({name})" for _kind, name in DISTRICTS for c in COMMUNE_NAMES]
    return [
        ("Sở, ban, ngành", numbered(DEPARTMENTS)),
        ("UBND cấp huyện", numbered(f"UBND {kind} {name}" for kind, name in DISTRICTS)),
        ("UBND cấp xã", numbered(communes)),
    ]


PEOPLE = [
    ("", "---------"),
    ("Ban Giám đốc", [("10", "Nguyễn Thị Thu Hà — Giám đốc"), ("11", "Lê Đức Thắng — Phó Giám đốc")]),
    ("Văn phòng Sở", [("20", "Trần Văn Cường — Chánh Văn phòng"), ("21", "Đặng Thùy Dương — Văn thư")]),
    ("Phòng Kế hoạch - Tài chính", [("30", "Phạm Quốc Đạt — Trưởng phòng"), ("31", "Vũ Minh Anh")]),
]


class WidgetForm(forms.Form):
    signer = forms.ChoiceField(label="Người ký", choices=PEOPLE, widget=PickerSelect)
    recipients = forms.MultipleChoiceField(
        label="Nơi nhận",
        choices=agency_choices,
        widget=PickerSelectMultiple,
        help_text="Gõ tên cơ quan để tìm, không cần dấu.",
    )
    body = RichTextField(label="Nội dung văn bản")


PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
{% block title %}Soạn văn bản đi{% endblock %}
{% block page_title %}Soạn văn bản đi{% endblock %}
{% block content %}
<form class="form card" method="post" action="" data-testid="widget-form">{% csrf_token %}
  <div class="card-body">
    <div class="form-grid">
      {% include "_field.html" with field=form.signer %}
      {% include "_field.html" with field=form.recipients %}
      {% include "_field.html" with field=form.body wide=True %}
    </div>
    <div class="form-actions">
      <button type="submit" class="btn btn-primary" data-testid="submit">Lưu dự thảo</button>
    </div>
  </div>
</form>
{% endblock %}"""
)


def widget_page(request):
    form = WidgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return JsonResponse(form.cleaned_data)
    return HttpResponse(PAGE.render({"form": form}, request))


urlpatterns = [path("_test/widgets/", widget_page), *project_urlpatterns]
