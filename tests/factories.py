"""Small factories for tests: real rows, no mocks."""

from __future__ import annotations

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from eoffice import services
from eoffice.models import Agency, Department, Role, User

_seq = itertools.count(1)
PASSWORD = "Eoffice@2026"


def make_agency(*, name: str | None = None, abbreviation: str | None = None, parent=None, **extra) -> Agency:
    n = next(_seq)
    return Agency.objects.create(
        name=name or f"Sở Thử nghiệm {n}",
        code=extra.pop("code", f"{n % 1000:03d}.{n // 1000 % 100:02d}.99.H26"),
        abbreviation=abbreviation or f"STN{n}",
        place_name=extra.pop("place_name", "Hà Nội"),
        parent=parent,
        **extra,
    )


def make_department(*, agency: Agency, name: str | None = None, abbreviation: str | None = None, **extra):
    n = next(_seq)
    return Department.objects.create(
        agency=agency, name=name or f"Phòng {n}", abbreviation=abbreviation or f"P{n}", **extra
    )


def make_user(
    *,
    agency: Agency | None,
    roles: list[str] | tuple[str, ...] = (Role.OFFICER,),
    department: Department | None = None,
    username: str | None = None,
    full_name: str | None = None,
    **extra,
) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"user{n}",
        password=PASSWORD,
        email=extra.pop("email", f"user{n}@example.gov.vn"),
        full_name=full_name or f"Nguyễn Văn {n}",
        agency=agency,
        department=department,
        **extra,
    )
    if agency is not None and roles:
        admin = User(is_superuser=True)
        services.staff_set_roles(user=user, roles=roles, by=admin)
    return user


def png_bytes(*, transparent: bool = True, color=(20, 40, 200), size=(60, 30)) -> bytes:
    mode = "RGBA" if transparent else "RGB"
    image = Image.new(mode, size, (0, 0, 0, 0) if transparent else (255, 255, 255))
    for x in range(5, size[0] - 5):
        image.putpixel((x, size[1] // 2), (*color, 255) if transparent else color)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def png_upload(name: str = "sig.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")
