"""Settings, all from environment variables with safe defaults.

DATABASE_URL / REDIS_URL unset → private PostgreSQL and Redis under var/ (see eoffice.embedded).
"""

import ipaddress
import json
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("EOFFICE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
TESTING = env_bool("EOFFICE_TESTING") or "pytest" in sys.modules
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    from eoffice import embedded

    embedded.ensure_env()

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# ``QuerySet.iterator()`` (choice fields, exports) fetches client-side: no DECLARE/FETCH/CLOSE round trips
# per select box, and safe behind a transaction-pooling PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# No JIT: it compiles the larger report queries for 50 ms to 2.5 s each time, for queries that run in
# milliseconds from their indexes (measured on the generated province, bench/).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A database that does not answer (a host down behind a black hole) fails the connection after a few seconds,
# so a page is the 503 "thử lại" page and /readyz says "fail", instead of waiting for TCP's minutes.
DATABASES["default"]["OPTIONS"].setdefault(
    "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
)
# A streaming replica for reports, statistics and search (eoffice/db_router.py: only views decorated with
# ``@replica_reads`` read from it; the tests use the primary through TEST MIRROR).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    for _key in ("ATOMIC_REQUESTS", "CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS"):
        DATABASES["replica"][_key] = DATABASES["default"][_key]
    DATABASES["replica"].setdefault("OPTIONS", {}).update(options="-c jit=off", connect_timeout=5)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["eoffice.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ["REDIS_URL"]

INSTALLED_APPS = [
    "eoffice.apps.EofficeConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django_htmx",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "workflow",
    "signing",
    "documents",
    "onestop",
    "meetings",
    "complaints",
]

MIDDLEWARE = [
    # The request log first, so that its line records what the person got (a 503, not the 500 underneath).
    "eoffice.request_log.RequestLogMiddleware",
    # Then around everything else: a lost database is a 503 "thử lại" page, not a 500.
    "eoffice.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "eoffice.params.NulBytesMiddleware",
    "eoffice.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eoffice.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "eoffice.twofactor.middleware.TwoFactorMiddleware",
    "eoffice.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "eoffice.middleware.BadgeMiddleware",
]
if "replica" in DATABASES:  # after a form is sent, the sender's reports read the primary for a while
    MIDDLEWARE.append("eoffice.db_router.ReplicaPinMiddleware")

ROOT_URLCONF = "eoffice.urls"
WSGI_APPLICATION = "eoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's one templates folder: templates/<app>/… for every app of this repository (none keeps
        # a templates/ of its own: tests/eoffice/test_templates.py); APP_DIRS for Django's and libraries'.
        # Forms and widgets render through this engine too (FORM_RENDERER), so a widget's template
        # (eoffice/admin/private_file_input.html) lives there as well.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eoffice.context_processors.shell",
            ],
        },
    }
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

AUTH_USER_MODEL = "eoffice.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the person's agency and department joined (eoffice/auth.py); Django's own
    # stays listed so that sessions opened with it remain valid.
    "eoffice.auth.Backend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 (Django's recommended hasher, default parameters: bench/results/login.md); a PBKDF2 hash made
# before is checked by the next hasher and rewritten as Argon2 at that person's next login.
PASSWORD_HASHERS = [
    "eoffice.hashers.Argon2PasswordHasher",  # Argon2id, OWASP's parameters (19 MiB, t=2, p=1)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:  # hashing cost is not what the tests are about (tests/eoffice/test_request_log.py checks Argon2)
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user row; object permissions use direct FK tables per model.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: lock a username+IP after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address behind a reverse proxy (eoffice/client_ip.py): the lockout, the rate limits and the
# request log count a request under it. EOFFICE_TRUSTED_PROXIES lists the proxies (addresses or CIDR
# networks, comma-separated); X-Forwarded-For is read only from them. Empty: REMOTE_ADDR.
AXES_CLIENT_IP_CALLABLE = "eoffice.client_ip.client_ip"
EOFFICE_TRUSTED_PROXIES = env_list("EOFFICE_TRUSTED_PROXIES", "")
for _proxy in EOFFICE_TRUSTED_PROXIES:  # a typo stops the start here, not every request later
    ipaddress.ip_network(_proxy, strict=False)
# Password reset: at most (requests, seconds) per client address and per e-mail address (the account).
EOFFICE_PASSWORD_RESET_LIMITS = {
    "address": (int(os.environ.get("EOFFICE_PASSWORD_RESET_PER_ADDRESS", "10")), 3600),
    "account": (int(os.environ.get("EOFFICE_PASSWORD_RESET_PER_ACCOUNT", "3")), 3600),
}

# Internationalisation: Vietnamese first (source strings are Vietnamese), English through gettext.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        # FileSystemStorage whose full or read-only disk is a form error, not a 500 (eoffice/files.py).
        "BACKEND": "eoffice.files.LocalStorage",
        "OPTIONS": {"location": str(Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media")))},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
# Media is never served publicly: every file goes through a view that checks the right first.
MEDIA_URL = "/_media-not-public/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EOFFICE_MAX_UPLOAD_MB = int(os.environ.get("EOFFICE_MAX_UPLOAD_MB", "50"))

# Redis away → cache misses and dropped writes, not errors (eoffice.cache): pages are computed from the
# database, sessions (cached_db) live in the database; short socket timeouts and a 5 s circuit breaker.
CACHES = {
    "default": {
        "BACKEND": "eoffice.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "eoffice",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5, "FAILSOFT_SECONDS": 5},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security: cookies, headers, HSTS behind TLS.
BEHIND_TLS = env_bool("EOFFICE_BEHIND_TLS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = BEHIND_TLS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("EOFFICE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)

# Email: SMTP when EMAIL_HOST is set, else printed to the console; EMAIL_BACKEND chooses another (`make run`
# without EMAIL_HOST writes them as files under var/mail: EMAIL_FILE_PATH).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "eoffice <no-reply@eoffice.local>")
# A message that fails is kept (eoffice.EmailFailure, in the admin) and sent again by a beat scan after
# EOFFICE_EMAIL_RETRY_MINUTES, doubled at each failure (at most 6 hours), EOFFICE_EMAIL_RETRY_MAX_ATTEMPTS
# tries in all.
EOFFICE_EMAIL_RETRY_MINUTES = int(os.environ.get("EOFFICE_EMAIL_RETRY_MINUTES", "5"))
EOFFICE_EMAIL_RETRY_MAX_ATTEMPTS = int(os.environ.get("EOFFICE_EMAIL_RETRY_MAX_ATTEMPTS", "8"))

# Celery: Redis broker; beat schedule kept in the database (django-celery-beat).
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# django-celery-beat's database scheduler, which also writes beat's heartbeat (eoffice/beat.py)
CELERY_BEAT_SCHEDULER = "eoffice.beat.Scheduler"
# Heartbeats of the worker and beat (eoffice/heartbeat.py) every EOFFICE_HEARTBEAT_SECONDS; /readyz
# (eoffice/health.py) fails when the freshest worker's is older than EOFFICE_WORKER_HEARTBEAT_MAX_AGE or
# beat's older than EOFFICE_BEAT_HEARTBEAT_MAX_AGE seconds.
EOFFICE_HEARTBEAT_SECONDS = float(os.environ.get("EOFFICE_HEARTBEAT_SECONDS", "15"))
EOFFICE_WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("EOFFICE_WORKER_HEARTBEAT_MAX_AGE", "60"))
EOFFICE_BEAT_HEARTBEAT_MAX_AGE = int(os.environ.get("EOFFICE_BEAT_HEARTBEAT_MAX_AGE", "120"))
# A publish never hangs a request while Redis is away: tasks that must not be lost go through the outbox
# (eoffice.outbox), whose first attempt does not retry; its relay sends them again later.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}

# What a person running it needs to read: no fontTools subsetting report (thousands of INFO lines per
# start where WeasyPrint subsets with fontTools), each WeasyPrint warning once, a refused request (4xx) on
# one line. eoffice.logs also releases WeasyPrint's fonts at exit (no "Exception ignored" tracebacks).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "eoffice.request_log.JsonFormatter"},
    },
    "filters": {
        "one_line_client_errors": {"()": "eoffice.logs.OneLineClientErrors"},
        "once": {"()": "eoffice.logs.Once"},
        "request_id": {"()": "eoffice.request_log.RequestIdFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # LOG_FORMAT=json: one JSON object per line (ts, level, logger, msg, request_id, …).
            "formatter": "json" if os.environ.get("LOG_FORMAT", "").strip().lower() == "json" else "plain",
            "filters": ["one_line_client_errors", "request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # One line per request (eoffice/request_log.py); runserver's own line (with the query string) is off.
        "eoffice.request": {"level": "WARNING" if TESTING else "INFO"},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING", "filters": ["once"]},
    },
}

EOFFICE_BASE_URL = os.environ.get("EOFFICE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
EOFFICE_SITE_NAME = os.environ.get("EOFFICE_SITE_NAME", "eoffice")
# How long a person's menu badges are kept in the cache (eoffice/menu.py); 0 counts them at every page.
EOFFICE_BADGE_SECONDS = int(os.environ.get("EOFFICE_BADGE_SECONDS", "30"))

# Backups (eoffice.backup): one archive of the database and the files together, made daily by beat (02:00) and
# by hand (`manage.py backup`, the "Sao lưu dữ liệu" page); the last EOFFICE_BACKUP_KEEP archives are kept.
# EOFFICE_PG_BIN_DIR names the directory of pg_dump/pg_restore when the server's version is elsewhere.
EOFFICE_BACKUP_DIR = Path(os.environ.get("EOFFICE_BACKUP_DIR", VAR_DIR / "backups"))
EOFFICE_BACKUP_KEEP = int(os.environ.get("EOFFICE_BACKUP_KEEP", "14"))
EOFFICE_PG_BIN_DIR = os.environ.get("EOFFICE_PG_BIN_DIR", "")

# Workflow engine (workflow/): office hours, deadline thresholds, reminder scan and daily digest.
WORKFLOW_OFFICE_HOURS = env_list("WORKFLOW_OFFICE_HOURS", "07:30-11:30,13:00-17:00")
WORKFLOW_DUE_SOON_WORKING_HOURS = float(os.environ.get("WORKFLOW_DUE_SOON_WORKING_HOURS", "8"))
WORKFLOW_ESCALATE_AFTER_WORKING_DAYS = int(os.environ.get("WORKFLOW_ESCALATE_AFTER_WORKING_DAYS", "3"))
WORKFLOW_REMINDER_SCAN_MINUTES = int(os.environ.get("WORKFLOW_REMINDER_SCAN_MINUTES", "5"))
WORKFLOW_REMINDER_BATCH = int(os.environ.get("WORKFLOW_REMINDER_BATCH", "500"))
WORKFLOW_DIGEST_HOUR = int(os.environ.get("WORKFLOW_DIGEST_HOUR", "7"))
WORKFLOW_CALENDAR_CACHE_SECONDS = int(os.environ.get("WORKFLOW_CALENDAR_CACHE_SECONDS", "300"))

# Digital signatures (signing app): PAdES by pyHanko, RFC 3161 timestamps, test PKI for development.
SIGNING_PKI_DIR = Path(os.environ.get("SIGNING_PKI_DIR", VAR_DIR / "signing-pki"))
# Trust anchors for verification: PEM/DER files; the development test CA (SIGNING_PKI_DIR/ca.pem) is
# added while SIGNING_TRUST_TEST_CA is on — switch it off in production.
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS", "")
SIGNING_TRUST_TEST_CA = env_bool("SIGNING_TRUST_TEST_CA", True)
# PAdES level: B-T (default), B-LT or B-LTA. The TSA is an RFC 3161 URL; by default our own test TSA.
SIGNING_PADES_LEVEL = os.environ.get("SIGNING_PADES_LEVEL", "B-T")
SIGNING_TSA_URL = os.environ.get("SIGNING_TSA_URL", EOFFICE_BASE_URL + "/signing/tsa/")
SIGNING_TSA_AUTH = os.environ.get("SIGNING_TSA_AUTH", "")  # "user:password" for HTTP basic auth
# Answer RFC 3161 requests at /signing/tsa/ with the test CA's TSA key (development only).
SIGNING_LOCAL_TSA = env_bool("SIGNING_LOCAL_TSA", True)
# Call the local TSA in-process instead of over HTTP (tests and benchmark).
SIGNING_TSA_IN_PROCESS = env_bool("SIGNING_TSA_IN_PROCESS", False)
SIGNING_PKCS11_MODULE = os.environ.get("SIGNING_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
SIGNING_CSC_TOKEN = os.environ.get("SIGNING_CSC_TOKEN", "")  # OAuth bearer token for the CSC service
SIGNING_DEMO_PIN = "123456"  # PIN of the test credentials made by `manage.py signing_demo_credentials`
SIGNING_CERT_WARNING_DAYS = int(os.environ.get("SIGNING_CERT_WARNING_DAYS", "30"))
SIGNING_PIN_TTL_SECONDS = int(os.environ.get("SIGNING_PIN_TTL_SECONDS", "300"))
# Wrong PINs: after SIGNING_PIN_MAX_FAILURES in a row a credential is locked for SIGNING_PIN_LOCK_MINUTES.
SIGNING_PIN_MAX_FAILURES = int(os.environ.get("SIGNING_PIN_MAX_FAILURES", "5"))
SIGNING_PIN_LOCK_MINUTES = int(os.environ.get("SIGNING_PIN_LOCK_MINUTES", "15"))

# Complaints: the keys that encrypt the identity of the people behind a letter (complaints.crypto), kept
# outside the database. EOFFICE_IDENTITY_KEYS (comma-separated Fernet keys, the first encrypts, all decrypt)
# wins; else the key file (one key per line, first is current), created with a new key on first use.
# `manage.py identity_keys rotate` adds a key and re-encrypts every row and file.
COMPLAINTS_IDENTITY_KEYS = env_list("EOFFICE_IDENTITY_KEYS", "")
COMPLAINTS_IDENTITY_KEY_FILE = Path(
    os.environ.get("EOFFICE_IDENTITY_KEY_FILE", VAR_DIR / "keys" / "identity.keys")
)

# Exchange with agencies outside the installation (documents/exchange, QCVN 102:2016). Each transport has a
# key: "axis" is the national axis (VXP REST), any other key another eoffice installation's exchange node.
# EXCHANGE_TRANSPORTS is JSON from the environment, e.g.
#   {"axis": {"kind": "vxp", "url": "https://…/", "system_id": "…", "secret": "…"},
#    "province2": {"kind": "node", "url": "http://127.0.0.1:8001/exchange/node/", "secret": "…"}}
# (a node transport signs with EXCHANGE_SYSTEM_ID unless it names its own "system_id"; "peer_id" is the
# system id the peer signs with when it calls us, by default the transport's key).
# An external agency names its transport (ExternalAgency.transport). The secrets stay in the environment.
EXCHANGE_TRANSPORTS = json.loads(os.environ.get("EXCHANGE_TRANSPORTS", "{}") or "{}")
# This installation's own exchange node: its system id and the peers allowed to call it ({system id:
# secret}, JSON); a request must be signed (HMAC-SHA256 of a timestamp and nonce) by one of them.
EXCHANGE_SYSTEM_ID = os.environ.get("EXCHANGE_SYSTEM_ID", "eoffice")
EXCHANGE_NODE_PEERS = json.loads(os.environ.get("EXCHANGE_NODE_PEERS", "{}") or "{}")
EXCHANGE_NODE_ENABLED = env_bool("EXCHANGE_NODE_ENABLED", True)
# Mutual TLS for the node (optional): the header the TLS-terminating proxy always sets to the verified
# client certificate's subject, and the peer each subject is ({subject: system id}, JSON).
EXCHANGE_NODE_TLS_SUBJECT_HEADER = os.environ.get("EXCHANGE_NODE_TLS_SUBJECT_HEADER", "")
EXCHANGE_NODE_TLS_PEERS = json.loads(os.environ.get("EXCHANGE_NODE_TLS_PEERS", "{}") or "{}")
EXCHANGE_REQUEST_MAX_SKEW_SECONDS = int(os.environ.get("EXCHANGE_REQUEST_MAX_SKEW_SECONDS", "300"))
EXCHANGE_HTTP_TIMEOUT_SECONDS = float(os.environ.get("EXCHANGE_HTTP_TIMEOUT_SECONDS", "30"))
# The package size limit and the retry policy (exponential backoff from the base, capped; after the last
# attempt the row is "gửi lỗi" until a clerk resends it).
EXCHANGE_MAX_PACKAGE_BYTES = int(os.environ.get("EXCHANGE_MAX_PACKAGE_MB", "50")) * 1024 * 1024
EXCHANGE_MAX_ATTACHMENT_BYTES = int(os.environ.get("EXCHANGE_MAX_ATTACHMENT_MB", "50")) * 1024 * 1024
EXCHANGE_MAX_ATTACHMENTS_TOTAL_BYTES = (
    int(os.environ.get("EXCHANGE_MAX_ATTACHMENTS_TOTAL_MB", "200")) * 1024 * 1024
)
EXCHANGE_MAX_ZIP_RATIO = int(os.environ.get("EXCHANGE_MAX_ZIP_RATIO", "100"))
EXCHANGE_MAX_ZIP_MEMBERS = int(os.environ.get("EXCHANGE_MAX_ZIP_MEMBERS", "1000"))
EXCHANGE_RETRY_MAX_ATTEMPTS = int(os.environ.get("EXCHANGE_RETRY_MAX_ATTEMPTS", "8"))
EXCHANGE_RETRY_BASE_SECONDS = int(os.environ.get("EXCHANGE_RETRY_BASE_SECONDS", "30"))
EXCHANGE_RETRY_MAX_SECONDS = int(os.environ.get("EXCHANGE_RETRY_MAX_SECONDS", "3600"))
EXCHANGE_POLL_SECONDS = int(os.environ.get("EXCHANGE_POLL_SECONDS", "60"))
# Each agency's exchange signing key: <EXCHANGE_KEYS_DIR>/<agency code>.p12 (+ .pass), outside the database;
# EXCHANGE_TEST_KEYS issues a missing one from the local test CA (development and demo only).
EXCHANGE_KEYS_DIR = Path(os.environ.get("EXCHANGE_KEYS_DIR", VAR_DIR / "keys" / "exchange"))
EXCHANGE_KEY_PASSWORD = os.environ.get("EXCHANGE_KEY_PASSWORD", "")
EXCHANGE_TEST_KEYS = env_bool("EXCHANGE_TEST_KEYS", False)
# "Chậm tiếp nhận": a package with no 01 from its recipient after this many hours.
EXCHANGE_LATE_ARRIVAL_HOURS = int(os.environ.get("EXCHANGE_LATE_ARRIVAL_HOURS", "4"))
