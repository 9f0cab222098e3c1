"""Secret documents held as metadata only (Điều 16.3, 22.4; the state-secret law): an agency chooses the
level (``Agency.secret_metadata_only_from``, default Tối mật) from which a secret document is registered
with its metadata and the place of its paper original, never with a content file."""

from __future__ import annotations

from django.utils.translation import gettext as _

from documents.common import Confidentiality


def metadata_only(*, agency, confidentiality: int) -> bool:
    """True when a document of ``confidentiality`` may not carry a file in ``agency``."""
    if confidentiality <= Confidentiality.NORMAL or agency is None:
        return False
    return confidentiality >= agency.secret_metadata_only_from


def held_without_file(document) -> bool:
    """A document registered as metadata only: no file was ever taken (no hash; a file destroyed on recall
    keeps its hash), the place of its paper original recorded. Stays so whatever the agency's level later."""
    return not document.file_sha256 and bool(document.paper_location)


def level_label(confidentiality: int) -> str:
    return str(Confidentiality(confidentiality).label)


def no_file_message(*, agency, confidentiality: int) -> str:
    return _(
        "Văn bản %(level)s chỉ được đăng ký thông tin và nơi lưu bản giấy, không lưu tệp trên hệ thống "
        "(cơ quan quy định văn bản mật từ độ %(from)s trở lên chỉ lưu thông tin). Vui lòng bỏ tệp đã chọn."
    ) % {"level": level_label(confidentiality), "from": threshold_label(agency)}


def threshold_label(agency) -> str:
    value = agency.secret_metadata_only_from
    if value in Confidentiality.values:
        return level_label(value)
    return _("Không áp dụng")


def paper_location_required_message() -> str:
    return _("Vui lòng nhập nơi lưu bản giấy của văn bản mật (ví dụ: Tủ mật số 2, phòng Văn thư).")


def paper_only_draft_message(*, agency) -> str:
    return _(
        "Văn bản mật từ độ %(level)s trở lên không soạn thảo, ký số trên hệ thống (cơ quan chỉ lưu thông tin "
        "của văn bản này). Hãy soạn, ký trên giấy và đề nghị văn thư “Đăng ký văn bản mật (bản giấy)” để "
        "cấp số."
    ) % {"level": threshold_label(agency)}
