"""The searchable picker ranks its matches, the same way in every picker (static/js/picker.js ``ranked``):
the name is the query, then the name starts with it, then holds it as a phrase, then holds every word, then
words found only in the detail (parent agency, procedure code) or the group's label.

"uy ban nhan dan tinh" ranked "Sở Thông tin và Truyền thông (Ủy ban nhân dân tỉnh An Hòa)" first because
its parent's name matched, and Enter took the highlighted first match: the letter went to the wrong
agency. "thanh lap doanh nghiep tu nhan" ranked "Chuyển đổi doanh nghiệp tư nhân…" first.

The options are rendered by the real forms (labels, data-name, groups) and ranked by the picker's own code
under Node (the system's, or the one Playwright ships)."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from documents.outgoing.forms import DraftForm
from eoffice.models import Role
from onestop.forms import ReceiveForm
from onestop.models import Procedure, ProcedureField
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db

PICKER_JS = Path(settings.BASE_DIR) / "static" / "js" / "picker.js"
RUNNER = """
const fs = require("fs"), vm = require("vm");
global.window = {};
global.document = { readyState: "complete", querySelectorAll: () => [], addEventListener() {} };
vm.runInThisContext(fs.readFileSync(process.argv[1], "utf8"));
const { options, queries } = JSON.parse(fs.readFileSync(0, "utf8"));
const P = window.eofficePicker;
const entries = options.map((o) => P.entry(o.text, o.name, o.group));
const out = {};
for (const q of queries) out[q] = P.ranked(entries, q).map((e) => e.text);
process.stdout.write(JSON.stringify(out));
"""


def _node() -> str:
    found = shutil.which("node")
    if found:
        return found
    try:
        import playwright
    except ImportError:  # pragma: no cover
        pytest.skip("no Node.js")
    bundled = Path(playwright.__file__).parent / "driver" / "node"
    if not bundled.exists():  # pragma: no cover
        pytest.skip("no Node.js")
    return str(bundled)


class _Options(HTMLParser):
    """The <option>s of a rendered <select>: text, data-name, group label."""

    def __init__(self):
        super().__init__()
        self.options: list[dict] = []
        self._group = ""
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "optgroup":
            self._group = attrs.get("label", "")
        elif tag == "option" and attrs.get("value"):
            self._current = {"text": "", "name": attrs.get("data-name") or "", "group": self._group}

    def handle_data(self, data):
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._current is not None:
            self.options.append(self._current)
            self._current = None
        elif tag == "optgroup":
            self._group = ""


def _rank(select_html: str, *queries: str) -> dict[str, list[str]]:
    parser = _Options()
    parser.feed(select_html)
    payload = json.dumps({"options": parser.options, "queries": list(queries)})
    out = subprocess.run(
        [_node(), "-e", RUNNER, str(PICKER_JS)],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)


def test_recipient_picker_ranks_the_agencys_own_name_first():
    province = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND")
    for name in ("Sở Thông tin và Truyền thông", "Sở Tài chính", "Văn phòng Ủy ban nhân dân tỉnh"):
        make_agency(name=name, parent=province)
    make_agency(name="Ủy ban nhân dân tỉnh An Hòa Bình")  # a longer name that starts the same way
    sender = make_agency(name="Sở Kế hoạch và Đầu tư", parent=province)
    clerk = make_user(agency=sender, roles=[Role.CLERK])
    html = str(DraftForm(user=clerk)["recipient_agencies"])
    assert 'data-name="Sở Thông tin và Truyền thông"' in html

    ranked = _rank(html, "uy ban nhan dan tinh", "Ủy ban nhân dân tỉnh An Hòa", "so thong tin", "an hoa")
    assert ranked["uy ban nhan dan tinh"][:3] == [
        "Ủy ban nhân dân tỉnh An Hòa",  # the name starts with the words
        "Ủy ban nhân dân tỉnh An Hòa Bình",
        "Văn phòng Ủy ban nhân dân tỉnh (Ủy ban nhân dân tỉnh An Hòa)",  # the phrase inside the name
    ]
    assert set(ranked["uy ban nhan dan tinh"][3:]) == {  # matched only by their parent's name: last
        "Sở Thông tin và Truyền thông (Ủy ban nhân dân tỉnh An Hòa)",
        "Sở Tài chính (Ủy ban nhân dân tỉnh An Hòa)",
    }
    # an exact match before a longer name that starts with it
    assert ranked["Ủy ban nhân dân tỉnh An Hòa"][:2] == [
        "Ủy ban nhân dân tỉnh An Hòa",
        "Ủy ban nhân dân tỉnh An Hòa Bình",
    ]
    assert ranked["so thong tin"] == ["Sở Thông tin và Truyền thông (Ủy ban nhân dân tỉnh An Hòa)"]
    assert ranked["an hoa"][:2] == ["Ủy ban nhân dân tỉnh An Hòa", "Ủy ban nhân dân tỉnh An Hòa Bình"]


def test_procedure_picker_ranks_the_exact_name_first():
    agency = make_agency(name="Sở Kế hoạch và Đầu tư")
    field = ProcedureField.objects.create(code="DN", name="Thành lập và hoạt động doanh nghiệp")
    for code, name in [
        ("1.010027", "Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn"),
        ("2.001610", "Đăng ký thành lập công ty cổ phần"),
        ("2.001612", "Thành lập doanh nghiệp tư nhân"),
        ("2.002044", "Đăng ký thay đổi chủ doanh nghiệp tư nhân"),
    ]:
        Procedure.objects.create(
            agency=agency,
            code=code,
            name=name,
            field=field,
            time_value=Decimal(3),
            result_name="Giấy chứng nhận",
        )
    html = str(ReceiveForm(agency_id=agency.pk)["procedure"])
    assert 'data-name="Thành lập doanh nghiệp tư nhân"' in html

    ranked = _rank(html, "thanh lap doanh nghiep tu nhan", "doanh nghiep tu nhan", "2.001612")
    assert ranked["thanh lap doanh nghiep tu nhan"][0] == "Thành lập doanh nghiệp tư nhân (2.001612)"
    assert set(ranked["doanh nghiep tu nhan"]) == {  # the phrase in each name: the server's order
        "Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn (1.010027)",
        "Thành lập doanh nghiệp tư nhân (2.001612)",
        "Đăng ký thay đổi chủ doanh nghiệp tư nhân (2.002044)",
    }
    assert ranked["2.001612"] == ["Thành lập doanh nghiệp tư nhân (2.001612)"]  # the code still finds it


def test_empty_query_keeps_the_servers_order():
    province = make_agency(name="Ủy ban nhân dân tỉnh An Hòa")
    make_agency(name="Sở Tài chính", parent=province)
    clerk = make_user(agency=make_agency(name="Sở Y tế"), roles=[Role.CLERK])
    html = str(DraftForm(user=clerk)["recipient_agencies"])
    assert _rank(html, "")[""] == [
        "Sở Tài chính (Ủy ban nhân dân tỉnh An Hòa)",
        "Ủy ban nhân dân tỉnh An Hòa",
    ]
