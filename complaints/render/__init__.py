"""The forms of the module, rendered from the ``LegalForm`` version in force on the letter's received day.

``form_body(code, on=..., context=...)`` gives a form's body as the outgoing flow's rich text (the allowed
HTML subset): drafted documents (notices, decisions, conclusions, the Phiếu chuyển đơn) go through the
outgoing pages with it. ``context`` holds the case, its letter and what the caller adds; it never holds a
protected identity (``context_for`` puts the protected label in its place).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.template import Context, Engine
from django.utils.translation import gettext as _

from complaints.models import FormCode, LegalForm

# A plain engine: no loaders, no custom tags beyond Django's built-ins; the template text is the admin's.
_ENGINE = Engine(debug=False, autoescape=True, libraries={}, builtins=["django.template.defaultfilters"])


def form_in_force(code: str, *, on: dt.date) -> LegalForm:
    found = LegalForm.objects.in_force(code, on=on)
    if found is None:
        raise ValidationError(
            _("Chưa có mẫu “%(form)s” có hiệu lực vào ngày %(day)s.")
            % {"form": FormCode(code).label, "day": on.strftime("%d/%m/%Y")}
        )
    return found


def form_body(code: str, *, on: dt.date, context: dict) -> tuple[LegalForm, str]:
    """The form version in force on ``on`` and its body rendered with ``context``."""
    from documents.outgoing.richtext import sanitize

    form = form_in_force(code, on=on)
    html = _ENGINE.from_string(form.body).render(Context(context, autoescape=True))
    return form, sanitize(html)
