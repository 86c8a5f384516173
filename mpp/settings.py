"""Django settings for MPP, read from environment variables (see .env.example)."""

from pathlib import Path

import dj_database_url

from mpp.env import email_settings, env_bool, env_int, env_list, env_str, file_storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MPP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("MPP_REQUIRE_SECRET_KEY", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    # Embedded mode: a per-checkout key kept under var/, never committed.
    _key_file = VAR_DIR / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = secrets.token_urlsafe(50)
        _key_file.write_text(SECRET_KEY)

ALLOWED_HOSTS = env_list("MPP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MPP_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("MPP_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "mpp.core",
    "mpp.accounts",
    "mpp.agencies",
    "mpp.catalog",
    "mpp.documents",
    "mpp.applications",
    "mpp.registries",
    "mpp.interop",
    "mpp.queueing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mpp.core.middleware.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mpp.core.middleware.DomainErrorPageMiddleware",
    "mpp.accounts.middleware.OfficerTwoFactorMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mpp.urls"
WSGI_APPLICATION = "mpp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mpp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mpp.core.context_processors.site",
                "mpp.agencies.context_processors.roles",
            ],
        },
    },
]

# Database: SQLite under var/ by default; DATABASE_URL for PostgreSQL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mpp.sqlite3'}"),
        conn_max_age=env_int("MPP_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web processes read while the worker writes.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses sign-ins of a locked-out identifier.
    "axes.backends.AxesStandaloneBackend",
    # E-mail address, mobile number or (officers) username, with the password.
    "mpp.accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
OTP_TOTP_ISSUER = env_str("MPP_OTP_ISSUER", "MPP Kota Malang")

# Sign-in lockout (django-axes): after MPP_LOCKOUT_FAILURES wrong passwords for the same
# identifier the account is locked for MPP_LOCKOUT_MINUTES; a password reset unlocks it.
AXES_FAILURE_LIMIT = env_int("MPP_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("MPP_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "identifier"
# One key per identifier however it is typed (e-mail in any case, phone as +62 E.164).
AXES_USERNAME_CALLABLE = "mpp.accounts.services.signin.lockout_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "mpp.accounts.views.signin.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Locking by IP address would lock out every citizen behind the mall's shared kiosk network;
# requests per IP address are limited by django-ratelimit instead (MPP_RATE_*).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Rate limits (django-ratelimit, on the shared cache): "count/period" per IP and per account.
MPP_RATE_SIGNUP = env_str("MPP_RATE_SIGNUP", "10/h")
MPP_RATE_SIGNIN = env_str("MPP_RATE_SIGNIN", "30/h")
MPP_RATE_CODE = env_str("MPP_RATE_CODE", "5/h")
MPP_RATE_PASSWORD_RESET = env_str("MPP_RATE_PASSWORD_RESET", "5/h")
RATELIMIT_VIEW = "mpp.accounts.views.ratelimited"

# Identity
MPP_MAX_REPRESENTED = env_int("MPP_MAX_REPRESENTED", 5)
MPP_REPRESENTATION_MAX_DAYS = env_int("MPP_REPRESENTATION_MAX_DAYS", 365)
MPP_CODE_TTL_MINUTES = env_int("MPP_CODE_TTL_MINUTES", 15)
MPP_SMS_BACKEND = env_str("MPP_SMS_BACKEND", "mpp.accounts.sms.LoggingSmsBackend")
# HttpGatewaySmsBackend: POSTs {"to", "text"} as JSON with a bearer token to the gateway.
MPP_SMS_HTTP_URL = env_str("MPP_SMS_HTTP_URL", "")
MPP_SMS_HTTP_TOKEN = env_str("MPP_SMS_HTTP_TOKEN", "")
MPP_SMS_HTTP_TIMEOUT = env_int("MPP_SMS_HTTP_TIMEOUT", 10)
MPP_UPLOAD_MAX_BYTES = env_int("MPP_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "catalog:home"

# Cache: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: django-tasks with its database backend (same DB, several workers).
TASKS = {
    "default": {
        "BACKEND": env_str("MPP_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Internationalisation: Indonesian first, English through the switch.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "mpp" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("MPP_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "mpp" / "static"]
STORAGES = {
    # Uploads and issued documents: local disk under MPP_MEDIA_ROOT, or S3 (MPP_S3_*).
    "default": file_storage_settings(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MPP_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-private/"  # never served publicly; downloads go through views
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# E-mail: console in the embedded mode; EMAIL_URL (smtp://user:pass@host:port) otherwise.
EMAIL_URL = env_str("EMAIL_URL", "console://")
globals().update(email_settings(EMAIL_URL, default_file_path=VAR_DIR / "mail"))

DEFAULT_FROM_EMAIL = env_str("MPP_FROM_EMAIL", "MPP Kota Malang <noreply@mpp.malangkota.go.id>")

# Security: strict by default; HTTPS-only flags when MPP_HTTPS=1 (behind TLS).
HTTPS = env_bool("MPP_HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_AGE = env_int("MPP_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request extends the session
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record passes the NIK mask, whichever logger wrote it (UU 27/2022).
    "filters": {"mask_nik": {"()": "mpp.core.logging.MaskNikFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_nik"]}},
    "root": {"handlers": ["console"], "level": env_str("MPP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Domain settings
MPP_CITY_NAME = env_str("MPP_CITY_NAME", "Kota Malang")
MPP_API_MAX_PAGE_SIZE = 100
# Public pages and API reads are cached until the catalog changes (mpp.core.cache).
MPP_PAGE_CACHE_SECONDS = env_int("MPP_PAGE_CACHE_SECONDS", 600)
MPP_CACHE_GENERATION_TTL = env_int("MPP_CACHE_GENERATION_TTL", 2)

# Issued documents (ADR 0014): signing keys under MPP_SIGNING_DIR; a local development CA
# issues agency certificates on first use unless MPP_SIGNING_LOCAL_CA=0 (production).
MPP_SIGNING_DIR = Path(env_str("MPP_SIGNING_DIR", str(VAR_DIR / "signing")))
MPP_SIGNING_LOCAL_CA = env_bool("MPP_SIGNING_LOCAL_CA", True)
MPP_DOCUMENT_FONT = env_str("MPP_DOCUMENT_FONT", "")
MPP_NOTIFY_MAX_ATTEMPTS = env_int("MPP_NOTIFY_MAX_ATTEMPTS", 6)
MPP_NOTIFY_RETRY_SECONDS = env_int("MPP_NOTIFY_RETRY_SECONDS", 60)
# Periodic jobs of `manage.py housekeeping` (bin/serve runs it every MPP_HOUSEKEEPING_SECONDS).
MPP_HOUSEKEEPING_JOBS = ["webhooks_sweep", "queue_housekeeping"]
MPP_DOCUMENT_FONT_BOLD = env_str("MPP_DOCUMENT_FONT_BOLD", "")

# Population registry look-ups (mpp.registries, ADR 0026): the civil registry's data-access
# service. The embedded default is the reference registry that `make run` starts
# (python -m mpp.registries.reference_server) with its public demo token.
MPP_REGISTRY_URL = env_str("MPP_REGISTRY_URL", "http://127.0.0.1:8090")
MPP_REGISTRY_TOKEN = env_str("MPP_REGISTRY_TOKEN", "demo-registry-token")
MPP_REGISTRY_TIMEOUT = env_int("MPP_REGISTRY_TIMEOUT", 5)
MPP_REGISTRY_CACHE_SECONDS = env_int("MPP_REGISTRY_CACHE_SECONDS", 900)

# Interop (ADR 0030-0034): API clients, outbound and inbound signed webhooks.
MPP_EVENT_SUBSCRIBERS = ["mpp.interop.outbox.fan_out"]
MPP_EVENT_SOURCE = env_str("MPP_EVENT_SOURCE", "")  # CloudEvents source; default SITE_URL
MPP_INTEROP_SECRET_KEY = env_str("MPP_INTEROP_SECRET_KEY", "")  # seals webhook secrets
MPP_API_ROTATION_MAX_OVERLAP_HOURS = env_int("MPP_API_ROTATION_MAX_OVERLAP_HOURS", 168)
MPP_IDEMPOTENCY_TTL_HOURS = env_int("MPP_IDEMPOTENCY_TTL_HOURS", 24)
MPP_WEBHOOK_MAX_ATTEMPTS = env_int("MPP_WEBHOOK_MAX_ATTEMPTS", 8)
MPP_WEBHOOK_RETRY_BASE_SECONDS = env_int("MPP_WEBHOOK_RETRY_BASE_SECONDS", 30)
MPP_WEBHOOK_RETRY_MAX_SECONDS = env_int("MPP_WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600)
MPP_WEBHOOK_TIMEOUT_SECONDS = env_int("MPP_WEBHOOK_TIMEOUT_SECONDS", 10)
MPP_WEBHOOK_LEASE_SECONDS = env_int("MPP_WEBHOOK_LEASE_SECONDS", 60)
MPP_WEBHOOK_BATCH = env_int("MPP_WEBHOOK_BATCH", 500)  # deliveries per worker run
MPP_WEBHOOK_CLAIM_BATCH = env_int("MPP_WEBHOOK_CLAIM_BATCH", 10)  # claimed per UPDATE
MPP_WEBHOOK_ALLOW_INSECURE = env_bool("MPP_WEBHOOK_ALLOW_INSECURE", DEBUG)  # http://, loopback
MPP_INBOUND_TOLERANCE_SECONDS = env_int("MPP_INBOUND_TOLERANCE_SECONDS", 300)
# How long a document download link of the agency API works (seconds).
MPP_API_DOCUMENT_LINK_SECONDS = env_int("MPP_API_DOCUMENT_LINK_SECONDS", 300)

# Queues at the mall (mpp.queueing, ADR 0020-0024).
# Slots of a day open MPP_QUEUE_WINDOW_DAYS before it at MPP_QUEUE_WINDOW_OPENS_AT (Jakarta).
MPP_QUEUE_WINDOW_DAYS = env_int("MPP_QUEUE_WINDOW_DAYS", 7)
MPP_QUEUE_WINDOW_OPENS_AT = env_str("MPP_QUEUE_WINDOW_OPENS_AT", "00:00")
# Active bookings per person (NIK, including bookings a kuasa makes for them) per day.
MPP_QUEUE_MAX_PER_DAY = env_int("MPP_QUEUE_MAX_PER_DAY", 3)
# Minutes after the slot start a booking may still check in; later: walk_in or no_show.
MPP_QUEUE_GRACE_MINUTES = env_int("MPP_QUEUE_GRACE_MINUTES", 15)
MPP_QUEUE_LATE_POLICY = env_str("MPP_QUEUE_LATE_POLICY", "walk_in")
# Booking writes (create, cancel, reschedule) per account and per IP address.
MPP_RATE_BOOKING_ACCOUNT = env_str("MPP_RATE_BOOKING_ACCOUNT", "20/m")
MPP_RATE_BOOKING_IP = env_str("MPP_RATE_BOOKING_IP", "120/m")
MPP_RATE_API_TOKEN = env_str("MPP_RATE_API_TOKEN", "30/h")
MPP_API_TOKEN_DAYS = env_int("MPP_API_TOKEN_DAYS", 30)
# Crisis notices on every page (base.html includes queueing/_crisis_notice.html).
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "mpp.queueing.context_processors.crisis_notices"
)
