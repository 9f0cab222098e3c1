"""Settings of the benchmarks: the product's, production-like (DEBUG off, hashed static files), with the
benchmark's own URLs (a bare view beside the product's) and its own media and static directories."""

from eoffice.settings import *  # noqa: F403
from eoffice.settings import ALLOWED_HOSTS, BASE_DIR, STORAGES, VAR_DIR

DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"

BENCH_DIR = VAR_DIR / "bench"
STATIC_ROOT = BENCH_DIR / "static"
MEDIA_ROOT = str(BENCH_DIR / "media")
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATICFILES_DIRS = [BASE_DIR / "static"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
