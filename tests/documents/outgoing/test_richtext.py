"""The body of an outgoing document: sanitize() (HTML from the editor, or plain text sent with JS off),
to_text() for search, and the form field / widget that carry them."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from documents.outgoing.richtext import (
    MAX_BODY,
    MAX_LENGTH,
    MAX_TABLE_CELLS,
    MAX_TABLE_ROWS,
    RichTextField,
    RichTextWidget,
    sanitize,
    to_text,
)

# What Word 2016 puts on the clipboard (text/html), trimmed: conditional comments with <xml>, a <style>
# block, Mso classes, inline styles, <o:p>, spans with fonts, a pseudo-list, a link, an image.
WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta charset="utf-8"><meta name=ProgId content=Word.Document>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom>
</w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm; font-size:14.0pt; font-family:"Times New Roman",serif;} --></style>
</head>
<body lang=VI style='tab-interval:36.0pt'>
<!--StartFragment-->
<p class=MsoNormal style='text-align:justify;text-indent:36.0pt'><span lang=VI
style='font-size:14.0pt;font-family:"Times New Roman",serif;color:#1F3864'>Thực hiện <b><span
style='mso-bidi-font-weight:normal'>Kế hoạch số 12/KH-UBND</span></b> ngày 05/01/2026 của
<i>Ủy ban nhân dân tỉnh</i>,<o:p></o:p></span></p>
<p class=MsoNormal><span style='mso-spacerun:yes'>&nbsp;</span><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='margin-left:36.0pt;mso-list:l0 level1 lfo1'>
<![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Báo
cáo tình hình thực hiện;<o:p></o:p></p>
<p class=MsoNormal><span class=SpellE onclick="alert(1)" style="background:url(javascript:alert(2))">Xem
<a href="javascript:alert(3)" onmouseover="alert(4)">tại đây</a></span><img src="file:///C:/x.png"
onerror="alert(5)"></p>
<script>alert(6)</script>
<!--EndFragment-->
</body></html>"""

WORD_LEFTOVERS = (
    "<span", "style", "class", "lang=", "<o:p", "onclick", "onmouseover", "onerror", "javascript", "alert",
    "<script", "<img", "<a ", "<xml", "Normal", "MsoNormal", "font-family", "<html", "<head", "<meta",
)  # fmt: skip


class TestSanitizeHtml:
    def test_word_paste_keeps_text_and_emphasis_only(self):
        html = sanitize(WORD_PASTE)
        for bad in WORD_LEFTOVERS:
            assert bad not in html, bad
        assert "<strong>Kế hoạch số 12/KH-UBND</strong>" in html
        assert "<em>Ủy ban nhân dân tỉnh</em>" in html
        assert "Báo cáo tình hình thực hiện;" in html  # HTML line breaks in the source are spaces
        assert "<p>Xem tại đây</p>" in html
        # the &nbsp;-only paragraph is gone; every remaining paragraph has text
        assert "<p>&nbsp;</p>" not in html and "<p> </p>" not in html
        assert html.startswith("<p>") and html.endswith("</p>")
        assert html.count("<p>") == 3

    def test_script_style_and_event_attributes_are_removed(self):
        dirty = (
            '<p onclick="steal()">Một<script>alert(1)</script><style>p{color:red}</style></p>'
            '<p style="color:red" class="x" id="y" data-x="1">Hai <svg onload="alert(1)"><circle/></svg></p>'
            '<iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">Ba</a>'
        )
        html = sanitize(dirty)
        assert html == "<p>Một</p><p>Hai</p><p>Ba</p>"

    def test_lists_emphasis_headings_quotes_and_tables_survive(self):
        src = (
            "<h3>Điều 1.</h3><p><strong>đậm</strong> <em>nghiêng</em> <u>gạch chân</u></p>"
            "<ol><li>Một<ul><li>con</li></ul></li><li>Hai</li></ol><blockquote>lùi lề</blockquote>"
            '<table><thead><tr><th colspan="2">Bảng</th></tr></thead>'
            '<tbody><tr><td rowspan="2">a</td><td>b</td></tr></tbody></table>'
        )
        assert sanitize(src) == src

    def test_b_and_i_become_strong_and_em_and_headings_are_mapped(self):
        html = sanitize("<div><b>B</b> <i>I</i></div><h1>Lớn</h1><h6>Nhỏ</h6><div><p>trong div</p></div>")
        assert html == "<p><strong>B</strong> <em>I</em></p><h3>Lớn</h3><h4>Nhỏ</h4><p>trong div</p>"

    def test_cell_spans_must_be_small_numbers(self):
        html = sanitize('<table><tr><td colspan="2" rowspan="x">a</td><td colspan="999">b</td></tr></table>')
        assert '<td colspan="2">a</td><td>b</td>' in html
        assert "rowspan" not in html

    def test_loose_text_is_wrapped_in_paragraphs(self):
        # what Chromium's contenteditable makes of a first line typed before pressing Enter
        assert sanitize("Kính gửi<p>các sở</p><strong>cuối</strong> dòng") == (
            "<p>Kính gửi</p><p>các sở</p><p><strong>cuối</strong> dòng</p>"
        )

    def test_empty_blocks_are_dropped(self):
        html = sanitize("<p></p><p><br></p><p>&nbsp;</p><p> <strong></strong> </p><ul><li></li></ul><p>x</p>")
        assert html == "<p>x</p>"
        assert sanitize("<p><br></p>") == ""
        assert sanitize("") == ""
        assert sanitize(None) == ""


class TestSanitizePlainText:
    def test_lines_become_paragraphs(self):
        text = "Kính gửi: Sở Kế hoạch và Đầu tư\r\n\r\nThực hiện Kế hoạch số 12 & 13,\nđề nghị báo cáo.\n\n\n"
        assert sanitize(text) == (
            "<p>Kính gửi: Sở Kế hoạch và Đầu tư</p><p>Thực hiện Kế hoạch số 12 &amp; 13,</p>"
            "<p>đề nghị báo cáo.</p>"
        )

    def test_angle_brackets_in_plain_text_are_text(self):
        assert sanitize("a < b và c > d") == "<p>a &lt; b và c &gt; d</p>"
        assert sanitize("x<y") == "<p>x&lt;y</p>"

    def test_blank_text_is_empty(self):
        assert sanitize("  \n \n") == ""


class TestLengthCap:
    def test_too_long_is_refused_with_a_vietnamese_message(self):
        with pytest.raises(ValidationError) as exc:
            sanitize("a" * (MAX_LENGTH + 1))
        assert exc.value.code == "max_length"
        message = exc.value.messages[0]
        assert "Nội dung quá dài" in message and "200.000" in message and "200.001" in message

    def test_at_the_limit_is_accepted(self):
        text = "a" * (MAX_BODY - len("<p></p>"))  # the stored body's own limit (below the input's)
        assert sanitize(text) == "<p>" + text + "</p>"
        with pytest.raises(ValidationError) as exc:
            sanitize(text + "a")
        assert exc.value.code == "max_length" and "100.000" in exc.value.messages[0]

    def test_table_rows_and_cells_are_bounded(self):
        rows = "<tr><td>1</td></tr>" * MAX_TABLE_ROWS
        assert sanitize(f"<table>{rows}</table>")
        with pytest.raises(ValidationError) as exc:
            sanitize(f"<table>{rows}<TR><td>1</td></TR></table>")
        assert exc.value.code == "table_size" and "Bảng trong nội dung quá lớn" in exc.value.messages[0]
        cells = "<td>x</td>" * (MAX_TABLE_CELLS + 1)  # in one row the parser makes up
        with pytest.raises(ValidationError):
            sanitize(f"<table>{cells}</table>")


class TestToText:
    def test_blocks_become_lines(self):
        html = (
            "<h3>Điều 1.</h3><p>Giao <strong>Sở Tài chính</strong> chủ trì;<br>phối hợp</p>"
            "<ul><li>một</li><li>hai &amp; ba</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
        )
        assert to_text(html) == "Điều 1.\nGiao Sở Tài chính chủ trì;\nphối hợp\nmột\nhai & ba\na b"

    def test_source_line_breaks_are_spaces(self):
        assert to_text("<p>Báo\ncáo   tình\thình</p>\n<p>hai</p>") == "Báo cáo tình hình\nhai"

    def test_scripts_do_not_leak_into_text(self):
        assert to_text("<p>x</p><script>alert(1)</script><style>p{}</style>") == "x"
        assert to_text("") == ""


class BodyForm(forms.Form):
    body = RichTextField(label="Nội dung")


class TestFieldAndWidget:
    def test_field_sanitizes_and_requires_text(self):
        form = BodyForm(data={"body": '<p style="color:red">Nội <b>dung</b></p><script>x</script>'})
        assert form.is_valid()
        assert form.cleaned_data["body"] == "<p>Nội <strong>dung</strong></p>"

        empty = BodyForm(data={"body": "<p><br></p>"})
        assert not empty.is_valid()
        assert "body" in empty.errors

    def test_field_reports_the_length_cap(self):
        form = BodyForm(data={"body": "x" * (MAX_LENGTH + 5)})
        assert not form.is_valid()
        assert "Nội dung quá dài" in form.errors["body"][0]

    def test_widget_marks_the_textarea_and_brings_its_assets(self):
        html = str(BodyForm()["body"])
        assert "data-richtext" in html and "data-richtext-i18n" in html
        assert "In đậm" in html and "Danh sách dấu đầu dòng" in html
        media = str(BodyForm().media)
        assert "css/richtext.css" in media
        assert '<script src="/static/js/richtext.js" defer>' in media
        assert isinstance(BodyForm.base_fields["body"].widget, RichTextWidget)
