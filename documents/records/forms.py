"""Case file forms: open a case file, put a document in one."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.records import selectors
from documents.records.models import CaseFile
from eoffice.models import Department, User


class CaseFileForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    code = forms.CharField(label=_("Số và ký hiệu hồ sơ"), max_length=50)
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=300)
    retention = forms.ChoiceField(label=_("Thời hạn bảo quản"), choices=CaseFile.Retention.choices)
    department = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Department.objects.none(), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["department"].queryset = Department.objects.filter(
            agency_id=user.agency_id, is_active=True
        )
        self.fields["department"].initial = user.department_id


class AddToCaseFileForm(forms.Form):
    case_file = forms.ModelChoiceField(label=_("Hồ sơ"), queryset=CaseFile.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_file"].queryset = selectors.open_case_files(user=user)
