"""Validators shared by the core models and forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from eoffice.uploads import STAMP_MAX_PIXELS, image_size

# QCVN 102:2016/BTTTT: V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.31.H26
agency_code_validator = RegexValidator(
    regex=r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$",
    message=_("Mã định danh phải có dạng 000.00.31.H26 (13 ký tự theo QCVN 102:2016/BTTTT)."),
    code="agency_code",
)

MAX_IMAGE_BYTES = 2 * 1024 * 1024


def validate_transparent_png(file) -> None:
    """Accept only a real PNG (checked by content) with a transparent background, of at most
    STAMP_MAX_PIXELS (read from the header before anything is decoded)."""
    if file is None:
        return
    if getattr(file, "size", 0) > MAX_IMAGE_BYTES:
        raise ValidationError(_("Ảnh không được lớn hơn 2 MB."), code="too_large")
    try:
        image_size(file, max_pixels=STAMP_MAX_PIXELS)
    except ValidationError as exc:
        if exc.code == "too_many_pixels":
            raise
        raise ValidationError(_("Tệp không phải là ảnh hợp lệ."), code="invalid_image") from exc
    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
        file.seek(0)
        with Image.open(file) as image:
            fmt = image.format
            has_alpha = image.mode in {"RGBA", "LA", "PA"} or (
                image.mode == "P" and "transparency" in image.info
            )
            if has_alpha and image.mode != "RGBA":
                image = image.convert("RGBA")
            transparent = has_alpha and image.getchannel("A").getextrema()[0] < 255
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(_("Tệp không phải là ảnh hợp lệ."), code="invalid_image") from exc
    finally:
        file.seek(0)
    if fmt != "PNG":
        raise ValidationError(_("Ảnh phải ở định dạng PNG."), code="not_png")
    if not transparent:
        raise ValidationError(_("Ảnh phải có nền trong suốt."), code="not_transparent")
