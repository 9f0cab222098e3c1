"""System checks: the native libraries WeasyPrint needs, named by their Debian package."""

from __future__ import annotations

import ctypes.util

from django.core.checks import Error, register

NATIVE_LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "fontconfig": "libfontconfig1",
}


def missing_native_libraries() -> list[tuple[str, str]]:
    return [(lib, pkg) for lib, pkg in NATIVE_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


@register()
def native_libraries(app_configs, **kwargs):
    return [
        Error(
            f"The native library '{lib}' needed by WeasyPrint (PDF output) is missing.",
            hint=f"Install it: sudo apt-get install {pkg}",
            id="eoffice.E001",
        )
        for lib, pkg in missing_native_libraries()
    ]
