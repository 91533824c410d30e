"""Settings for accessadmin, read from the environment.

Development is the default (DEBUG on, SQLite file, an insecure local key).
Production is `DJANGO_DEBUG=0` plus `DJANGO_SECRET_KEY`; it then refuses to
start without a real key and turns on every transport-security setting that
`manage.py check --deploy` looks for.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accessadmin.limits import BODY_MAX_BYTES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "guardian",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "accessadmin",
    "groups",
    "stores",
    "enforcement",
    "shopperdata",
    "loyalty",
    "criteria",
    "connect",
    "privacy",
    "rollout",
    "tillapi",
    "csp",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    # First: every error under the API prefixes leaves as JSON in its surface's shape (accessadmin.surfaces).
    "accessadmin.api.middleware.ApiErrorMiddleware",
    # Second: the till API and the gateway check skip everything below (sessions, CSRF, users, messages, CSP).
    "accessadmin.hotpath.HotPathMiddleware",
    # Pages: the layout's 404 in development too (API prefixes keep their JSON errors).
    "accessadmin.error_pages.PageNotFoundMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accessadmin.tenancy.OrgMiddleware",
]

# What HotPathMiddleware runs for these prefixes: the security headers (nosniff, HSTS, the HTTPS redirect).
HOT_PATH_PREFIXES = ("/v2/", "/authz/")
HOT_PATH_MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]

if not DEBUG:
    # Production serves its collected static files itself; development uses runserver's finders.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "accessadmin.urls"

# Larger bodies are refused with 413 before they are read (accessadmin/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_MAX_BYTES

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accessadmin.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "accessadmin.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several test threads and the dev server share the file: wait for a lock
    # instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

AUTH_USER_MODEL = "accessadmin.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# guardian: no anonymous user row; we never grant anything to anonymous.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every process. Redis when REDIS_URL is set (production and the
# multi-process benchmarks); a local-memory cache otherwise. Nothing that
# decides access is kept only in a per-process cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "accessadmin"}}

# Enforcement's warm path (accessadmin/versions.py, README "Enforcement performance"): decisions use data
# kept in each process while the org's change counters are unchanged. "shm": counters in a file mapped by
# every process of one host (ENFORCEMENT_VERSION_DIR); "redis": counters in Redis, for several hosts.
ENFORCEMENT_VERSION_BACKEND = os.environ.get("ENFORCEMENT_VERSION_BACKEND", "shm")
ENFORCEMENT_VERSION_DIR = os.environ.get("ENFORCEMENT_VERSION_DIR", str(BASE_DIR / "var" / "versions"))
ENFORCEMENT_VERSION_REDIS_URL = os.environ.get("ENFORCEMENT_VERSION_REDIS_URL", "")
# PostgreSQL LISTEN/NOTIFY as the second path (changes made on other hosts reach "shm" within milliseconds).
ENFORCEMENT_NOTIFY = env_bool("ENFORCEMENT_NOTIFY", True)
# Longest a warm entry lives even when nothing announced a change (rows edited behind the app's back).
ENFORCEMENT_CACHE_SECONDS = float(os.environ.get("ENFORCEMENT_CACHE_SECONDS", "60"))
if ENFORCEMENT_VERSION_BACKEND not in ("shm", "redis"):
    raise ImproperlyConfigured("ENFORCEMENT_VERSION_BACKEND must be shm or redis.")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accessadmin.api.authentication.BearerTokenAuthentication",
        "accessadmin.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "accessadmin.api.pagination.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": [
        "accessadmin.api.parsers.JSONParser",
        "accessadmin.api.parsers.FormParser",
        "accessadmin.api.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "accessadmin.api.metadata.Metadata",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "accessadmin.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "accessadmin.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "accessadmin API",
    "DESCRIPTION": "Access groups, stores, tills, API clients, shopper data and security criteria.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Schema-generation hints are not deployment problems; keep them out of `check --deploy`.
    # tests/test_settings.py still builds the schema on every run.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # The contract is JSON; the form encodings DRF also parses are for the browsable API.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "accessadmin.api.schema.attach_error_responses"],
    # Choice sets whose field names ("status", "type") other components use for other choices.
    "ENUM_NAME_OVERRIDES": {"AccessGroupStatusEnum": ["active", "inactive"],
                            "AccessRightTypeEnum": ["generic", "privilege"],
                            "ConnectRunStatusEnum": ["queued", "running", "succeeded", "partial", "failed"],
                            "ConnectFileStatusEnum": ["running", "committing", "delivered", "skipped", "failed"],
                            "DeletionRequestStatusEnum": ["PENDING_APPROVAL", "APPROVED", "COMPLETED", "REJECTED",
                                                          "CANCELLED", "FAILED"],
                            "TillRequestTypeEnum": ["CUSTOMER"],
                            "AccessGroupKindEnum": ["builtin", "custom"],
                            "RolloutPlanStatusEnum": ["draft", "applied", "undone"],
                            "RolloutProposalKindEnum": ["builtin", "existing", "custom"],
                            "RolloutSubjectKindEnum": ["store", "client"],
                            "UserGroupStatusEnum": ["ACTIVE", "INACTIVE"],
                            "UserGroupTypeEnum": ["FAMILY", "COMPANY"]},
}

# Bearer tokens from POST /ccadmin/v1/login.
API_TOKEN_TTL_SECONDS = int(os.environ.get("API_TOKEN_TTL_SECONDS", "3600"))
# Failed logins (pages and API), counted within LOGIN_WINDOW_SECONDS: a username from one address is
# locked out until the window ends; a username from every address together gets a short cool-down
# (so nobody can lock a user out for long); one address for every username is blocked much later
# (many users may sit behind one address).
LOGIN_WINDOW_SECONDS = int(os.environ.get("LOGIN_WINDOW_SECONDS", "300"))
LOGIN_LOCKOUT_LIMIT = int(os.environ.get("LOGIN_LOCKOUT_LIMIT", "5"))
LOGIN_USERNAME_LIMIT = int(os.environ.get("LOGIN_USERNAME_LIMIT", "20"))
LOGIN_USERNAME_COOLDOWN_SECONDS = int(os.environ.get("LOGIN_USERNAME_COOLDOWN_SECONDS", "60"))
LOGIN_ADDRESS_LIMIT = int(os.environ.get("LOGIN_ADDRESS_LIMIT", "50"))
# Proxies (addresses or CIDRs) whose X-Forwarded-For / X-Real-IP name the client; nobody else's do.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# Secrets stored in the database (Connect+ passwords, private keys, passphrases) are
# encrypted with these Fernet keys: the first encrypts, all decrypt (rotation: put
# a new key first, run `manage.py rotate_field_keys`, then drop the old one).
# Development derives one from the dev secret key; production must set them
# (accessadmin.crypto refuses to store or read a secret without).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", "")
if not FIELD_ENCRYPTION_KEYS and DEBUG:
    import base64
    import hashlib

    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"field-encryption:" + SECRET_KEY.encode()).digest()).decode()
    ]

# Background work (Huey). The embedded default keeps the queue in an SQLite file
# beside the database file, so one host needs no other service; with
# TASKS_REDIS_URL every consumer on every host shares one Redis queue.
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "")
TASKS_SQLITE_PATH = os.environ.get("TASKS_SQLITE_PATH", str(BASE_DIR / "tasks.sqlite3"))
if TASKS_REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "accessadmin", "url": TASKS_REDIS_URL, "immediate": False,
            "utc": True}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "accessadmin", "filename": TASKS_SQLITE_PATH,
            "immediate": False, "utc": True}
HUEY["consumer"] = {"workers": int(os.environ.get("TASKS_WORKERS", "2")), "worker_type": "thread"}

# Connect+: SFTP hosts that resolve to loopback, private or link-local addresses
# are refused unless inside one of these networks (CIDR, comma-separated).
CONNECT_ALLOWED_NETWORKS = env_list("CONNECT_ALLOWED_NETWORKS", "")
# A run holds its dataflow's lock for this long and renews it while it works; a
# consumer that dies mid-run frees the dataflow when the lease runs out.
CONNECT_RUN_LEASE_SECONDS = int(os.environ.get("CONNECT_RUN_LEASE_SECONDS", "120"))
# SFTP connect / test timeout, in seconds.
CONNECT_TIMEOUT_SECONDS = float(os.environ.get("CONNECT_TIMEOUT_SECONDS", "10"))
# Network errors during a run are retried (3 attempts) after this many seconds, doubling each time.
CONNECT_RETRY_BACKOFF_SECONDS = float(os.environ.get("CONNECT_RETRY_BACKOFF_SECONDS", "2"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles from our own origin only, never inline (the
# templates keep theirs in static/; /api/docs/ loads its start-up script from a URL). `data:` images
# are Pico's form icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^authz/check$", r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# OAuth2 (API clients, client-credentials grant only): the RFC 9700 compliant behaviour throughout.
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OAUTH_TOKEN_TTL_SECONDS", "3600")),
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
# The swappable OAuth2 models are named explicitly so migrations of apps that refer to them resolve.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
