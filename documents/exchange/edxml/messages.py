"""Every refusal and notice of the edXML parser and verifier: one table of log codes and Vietnamese messages.

``error(code, **params)`` builds the ``EdxmlError`` to raise, ``notice(code, **params)`` the ``Notice`` to
report; the code goes to the log, the message (translated, with its parameters) to the clerk.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from documents.exchange.edxml.types import EdxmlError, Notice

MESSAGES = {
    # Refusals: the package or status is not imported.
    "empty": _("Gói tin rỗng."),
    "too_large": _("Gói tin quá lớn (%(size)s byte, tối đa %(limit)s byte)."),
    "malformed": _("Gói tin không phải là XML hợp lệ (có thể bị cắt cụt): %(detail)s"),
    "doctype": _("Gói tin có khai báo DOCTYPE/ENTITY; không được chấp nhận vì lý do an toàn."),
    "undeclared_prefix": _("Gói tin dùng tiền tố không gian tên “%(prefix)s” chưa được khai báo."),
    "not_edxml": _("Gói tin không phải edXML (phần tử gốc “%(root)s”)."),
    "not_package": _("Đây là gói tin trạng thái, không phải gói tin văn bản."),
    "not_status": _("Đây là gói tin văn bản, không phải gói tin trạng thái."),
    "missing_element": _("Gói tin thiếu thành phần bắt buộc %(name)s."),
    "bad_date": _("Ngày không hợp lệ ở %(name)s: “%(value)s” (định dạng yyyy/MM/dd)."),
    "bad_timestamp": _("Thời điểm không hợp lệ ở %(name)s: “%(value)s” (định dạng yyyy/MM/dd HH:mm:ss)."),
    "bad_number": _("Giá trị không hợp lệ ở %(name)s: “%(value)s”."),
    "bad_business_type": _("Loại nghiệp vụ (BussinessDocType) “%(value)s” không hợp lệ (chỉ 0, 1, 2, 3)."),
    "status_code_unknown": _("Mã trạng thái “%(value)s” không thuộc các mã đã công bố."),
    "status_reason_missing": _("Trạng thái %(value)s phải kèm lý do (Description)."),
    "attachment_duplicate": _("Hai tệp đính kèm trùng mã ContentId “%(cid)s”."),
    "attachment_missing": _("Danh mục đính kèm có “%(cid)s” nhưng gói tin không mang tệp này."),
    "attachment_base64": _("Tệp đính kèm “%(name)s” không giải mã được (base64 hỏng)."),
    "attachment_empty": _("Tệp đính kèm “%(name)s” rỗng."),
    "attachment_too_large": _("Tệp đính kèm “%(name)s” quá lớn (tối đa %(limit)s byte)."),
    "attachments_too_large": _("Tổng dung lượng các tệp đính kèm vượt quá %(limit)s byte."),
    "zip_invalid": _("Tệp nén của đính kèm “%(name)s” bị hỏng, không mở được."),
    "zip_bomb": _("Tệp nén của đính kèm “%(name)s” có tỉ lệ nén bất thường (nghi “bom nén”)."),
    "zip_traversal": _("Tệp nén của đính kèm “%(name)s” chứa đường dẫn không an toàn “%(path)s”."),
    "zip_encrypted": _("Tệp nén của đính kèm “%(name)s” được mã hóa, không mở được."),
    "zip_too_many": _("Tệp nén của đính kèm “%(name)s” chứa quá nhiều tệp."),
    "zip_empty": _("Tệp nén của đính kèm “%(name)s” không chứa tệp nào."),
    "zip_ambiguous": _("Tệp nén của đính kèm “%(name)s” chứa nhiều tệp, không tệp nào trùng tên đính kèm."),
    "internal": _("Lỗi không mong đợi khi đọc gói tin; gói tin chưa được nhận."),
    # Notices: accepted, the clerk should know.
    "bom": _("Gói tin có dấu BOM ở đầu; đã bỏ qua."),
    "stray_bytes": _("Gói tin có %(count)s byte thừa trước khai báo XML; đã bỏ qua."),
    "prefix_recovered": _("Gói tin dùng tiền tố “%(prefix)s” chưa khai báo; đã hiểu theo chuẩn edXML."),
    "signature_no_namespace": _(
        "Chữ ký XML không khai báo không gian tên xmldsig; đã kiểm tra như chữ ký xmldsig."
    ),
    "agency_code_invalid": _("Mã định danh không hợp lệ ở %(name)s: “%(value)s”."),
    "optional_date_invalid": _("Ngày không hợp lệ ở %(name)s: “%(value)s”; đã bỏ qua."),
    "optional_number_invalid": _("Giá trị không hợp lệ ở %(name)s: “%(value)s”; đã bỏ qua."),
    "trace_invalid": _("Bỏ qua một vết chuyển (TraceHeader) không hợp lệ: “%(value)s”."),
    "document_id_date_invalid": _("Ngày trong mã văn bản %(name)s không hợp lệ: “%(value)s”."),
    "attachment_not_zipped": _("Tệp đính kèm “%(name)s” không được nén ZIP như chuẩn; đã nhận nguyên tệp."),
    "attachment_unlisted": _("Tệp đính kèm “%(cid)s” không có trong danh mục đính kèm; vẫn nhận."),
    "attachment_name_differs": _("Tệp trong gói nén (“%(inner)s”) khác tên đính kèm (“%(name)s”)."),
    "attachment_type_differs": _(
        "Tệp “%(name)s” khai báo kiểu %(declared)s nhưng nội dung là %(actual)s; đã nhận theo nội dung."
    ),
    # Signatures (SignatureCheck.code / message).
    "xml_signature_missing": _("Gói tin không có chữ ký số."),
    "xml_signature_trusted": _("Chữ ký hợp lệ, chứng thư được tin cậy."),
    "xml_signature_untrusted": _("Chữ ký hợp lệ, chứng thư chưa được tin cậy."),
    "xml_signature_invalid": _("Chữ ký không hợp lệ: nội dung đã bị thay đổi hoặc chữ ký sai."),
    "xml_signature_certificate": _("Không đọc được chứng thư số trong chữ ký; chữ ký không kiểm tra được."),
    "xml_signature_partial": _("Chữ ký chỉ bao trùm một phần gói tin; không được công nhận."),
    "xml_signature_expired": _(
        "Chứng thư số của chữ ký không có hiệu lực tại thời điểm kiểm tra (hết hạn hoặc chưa đến hạn)."
    ),
    "xml_signature_unsupported": _("Chữ ký dùng thuật toán không được hỗ trợ (%(detail)s)."),
    "xml_signature_malformed": _("Chữ ký XML sai cấu trúc, không kiểm tra được."),
    "pdf_unsigned": _("Tệp PDF không có chữ ký số."),
    "pdf_trusted": _("Chữ ký số trên tệp PDF hợp lệ, chứng thư được tin cậy."),
    "pdf_untrusted": _("Chữ ký số trên tệp PDF hợp lệ, chứng thư chưa được tin cậy."),
    "pdf_invalid": _("Chữ ký số trên tệp PDF không hợp lệ."),
    "pdf_unreadable": _("Không kiểm tra được chữ ký trên tệp PDF: %(detail)s"),
}


def text(code: str, **params) -> str:
    template = MESSAGES[code]
    return str(template % params) if params else str(template)


def error(code: str, **params) -> EdxmlError:
    return EdxmlError(code, text(code, **params))


def notice(code: str, **params) -> Notice:
    return Notice(code=code, message=text(code, **params))
