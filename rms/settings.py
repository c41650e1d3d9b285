"""RMS settings: every value comes from an environment variable (see README)."""

import ipaddress
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import available_timezones

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from rms.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RMS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "rms.error_pages.csrf_failure"
# A request body over this is refused with a 413 page before it is read (a CV is at most
# 10 MB; the rest of a form is small).
RMS_MAX_REQUEST_MB = env_int("RMS_MAX_REQUEST_MB", 12)
RMS_RELEASE = env_str("RMS_RELEASE", "dev")
# An open application with no activity for this many days is stale: the dashboard and
# the nightly digest list it.
RMS_STALE_DAYS = env_int("RMS_STALE_DAYS", 14)

# Our own apps; django-linear-migrations keeps a max_migration.txt for each. Buildout's
# eggs live outside site-packages, so the library cannot tell first-party apps itself.
FIRST_PARTY_APPS = ["recruitment", "careers", "interviews", "console", "privacy"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_linear_migrations",
    "social_django",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    *FIRST_PARTY_APPS,
]

MIDDLEWARE = [
    # First: its latency and query count cover every other middleware too.
    "rms.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "rms.permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the body (the CSRF check reads the form).
    "rms.error_pages.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is known: their chosen language beats the browser's (see the module).
    "recruitment.languages.UserLanguageMiddleware",
    # Every page needs a signed-in user unless its view opts out (login, /health/).
    "rms.login_required.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A refused or failed Google sign-in goes back to the sign-in page with a message.
    "recruitment.signin.SignInErrorMiddleware",
    # Records who looked at which applicant's record or CV (privacy/access_log.py).
    "privacy.middleware.AccessLogMiddleware",
    # A filter value the database refuses on an admin list page is a 400 (see the module).
    "rms.error_pages.AdminRefusedValueMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rms.urls"
WSGI_APPLICATION = "rms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recruitment.signin.google_sign_in",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rms.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL's parallel query helps one big scan and hurts many small ones: on a
# two-core host serving several workers, starting helper processes cost the list's
# filtered pages 10-20 ms each (docs/list-performance.md, "Parallel query"). Off for
# every connection; the report's filtered pass asks for RMS_REPORT_PARALLEL_WORKERS.
DATABASE_PARALLEL_WORKERS = env_int("DATABASE_PARALLEL_WORKERS", 0)
RMS_REPORT_PARALLEL_WORKERS = env_int("RMS_REPORT_PARALLEL_WORKERS", 2)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={DATABASE_PARALLEL_WORKERS}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sign-in with Google for accounts on the company's domains (recruitment/signin.py);
# with no domain listed it is switched off. Password sign-in stays, for admins.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "recruitment.signin.CompanyGoogleOAuth2",
    # Apply with LinkedIn: fills in the careers form, signs nobody in (careers/linkedin.py).
    "careers.linkedin.CandidateLinkedIn",
    "django.contrib.auth.backends.ModelBackend",
]
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = env_str("GOOGLE_OAUTH2_KEY", "")
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = env_str("GOOGLE_OAUTH2_SECRET", "")
SOCIAL_AUTH_GOOGLE_OAUTH2_WHITELISTED_DOMAINS = [
    domain.lower() for domain in env_list("RMS_SIGNIN_DOMAINS", [])
]
_NOT_DOMAINS = [
    domain
    for domain in SOCIAL_AUTH_GOOGLE_OAUTH2_WHITELISTED_DOMAINS
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain)
]
if _NOT_DOMAINS:
    raise ImproperlyConfigured(
        f"RMS_SIGNIN_DOMAINS must list domain names like example.com, got {_NOT_DOMAINS[0]!r}"
    )
if SOCIAL_AUTH_GOOGLE_OAUTH2_WHITELISTED_DOMAINS and not (
    SOCIAL_AUTH_GOOGLE_OAUTH2_KEY and SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET
):
    raise ImproperlyConfigured(
        "RMS_SIGNIN_DOMAINS needs GOOGLE_OAUTH2_KEY and GOOGLE_OAUTH2_SECRET"
    )
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_LOGIN_ERROR_URL = "login"
# A refusal is a message on the sign-in page with DEBUG on too, where social-auth's
# default would be a traceback.
SOCIAL_AUTH_RAISE_EXCEPTIONS = False
SOCIAL_AUTH_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_names",
    "social_core.pipeline.social_auth.social_uid",
    # The domain check: CompanyGoogleOAuth2.auth_allowed.
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "social_core.pipeline.user.get_username",
    # No associate_by_email: a Google account never takes over an existing user (an
    # admin's password account) just because the addresses match.
    "social_core.pipeline.user.create_user",
    "recruitment.signin.add_new_user_to_recruiters",
    "social_core.pipeline.social_auth.associate_user",
    # No load_extra_data: RMS calls no Google API, so it keeps no Google token.
    "social_core.pipeline.user.user_details",
]
# Apply with LinkedIn (careers/linkedin.py): on when both are set, and the apply form then
# offers it. Its own pipeline only reads the profile into the session: a candidate never
# becomes a user, whatever the default pipeline above does.
SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_KEY = env_str("LINKEDIN_OIDC_KEY", "")
SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_SECRET = env_str("LINKEDIN_OIDC_SECRET", "")
if bool(SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_KEY) != bool(SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_SECRET):
    raise ImproperlyConfigured("LINKEDIN_OIDC_KEY and LINKEDIN_OIDC_SECRET are set together")
SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "careers.linkedin.profile_for_apply_form",
]
SOCIAL_AUTH_LINKEDIN_OPENIDCONNECT_LOGIN_ERROR_URL = "careers:linkedin_failed"

# Content-Security-Policy (django-csp): scripts only from this site's static files, or
# inline with the request's nonce (`nonce="{{ request.csp_nonce }}"`); never inline
# otherwise, never eval. Styles may be inline: CKEditor, Tom Select and Swagger UI set
# them, and a style cannot run code. The sign-in form posts on to Google, the apply form's
# LinkedIn button to LinkedIn.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        # LinkedIn's profile pictures, on the apply form of a candidate who used LinkedIn.
        "img-src": [SELF, "data:", "https://media.licdn.com"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://accounts.google.com", "https://www.linkedin.com"],
    },
}
# Browser features no page of RMS uses, switched off for every page.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}

LANGUAGE_CODE = "en"
# English is the source language and the default; each language is named in itself, as
# the switcher shows it. A user's choice (recruitment.UserLanguage) beats Accept-Language.
LANGUAGES = [("en", "English"), ("pl", "Polski")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, numbers and the week's first day follow the active language (Django's locale
# formats); rms/formats/ adjusts English's week to start on Monday.
FORMAT_MODULE_PATH = ["rms.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Warsaw")
if TIME_ZONE not in available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE must be an IANA time zone name, got {TIME_ZONE!r}")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only what Grunt builds (`make frontend`) is served and collected; static/scss and
# static/js are its sources. Live, collectstatic writes content-hashed names the web
# server can cache forever.
STATICFILES_DIRS = [BASE_DIR / "static" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "RMS <rms@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS hardening is on whenever DEBUG is off; an instance behind plain HTTP (a test
# box) turns the redirect and secure cookies off explicitly in its env file.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Every request then comes from the proxy: the client's address is the proxy's word
# (rms/client_address.py), for the sign-in lockout and the careers site's rate limit.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The deploy console (console/): its pages only where RMS_CONSOLE is on, an "ops"
# instance next to the deploy keys (its models exist everywhere, so migrations stay one
# line). It reaches the app hosts with this key, else with ssh's defaults.
RMS_CONSOLE = env_bool("RMS_CONSOLE", False)
RMS_CONSOLE_SSH_KEY = env_str("RMS_CONSOLE_SSH_KEY", "")
# Deploys take minutes: an ops instance may give them a worker of their own (empty: the
# instance's queue, RMS_QUEUE).
RMS_CONSOLE_QUEUE = env_str("RMS_CONSOLE_QUEUE", "")
# A PR instance with no action for this many days is destroyed (a nightly schedule).
RMS_CONSOLE_PR_IDLE_DAYS = env_int("RMS_CONSOLE_PR_IDLE_DAYS", 14)

# /metrics (rms/metrics.py) answers these addresses (or networks) and a bearer token.
RMS_METRICS_TOKEN = env_str("RMS_METRICS_TOKEN", "")
try:
    RMS_METRICS_NETWORKS = [
        ipaddress.ip_network(item, strict=False)
        for item in env_list("RMS_METRICS_ADDRESSES", ["127.0.0.1", "::1"])
    ]
except ValueError as _error:
    raise ImproperlyConfigured(
        f"RMS_METRICS_ADDRESSES must list addresses or networks like 10.0.0.0/8: {_error}"
    ) from None

API_THROTTLE_RATE = env_str("RMS_API_THROTTLE_RATE", "1000/hour")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day|[smhd])", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"RMS_API_THROTTLE_RATE must look like 1000/hour (per second, minute, hour or day), "
        f"got {API_THROTTLE_RATE!r}"
    )
# The REST API under /api/v1/ (recruitment/api/). Token authentication comes first so
# an anonymous call gets 401 with a WWW-Authenticate header rather than a bare 403.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "recruitment.api.tokens.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["recruitment.api.permissions.HasRecruitmentRole"],
    "DEFAULT_THROTTLE_CLASSES": ["recruitment.api.throttling.TokenClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_THROTTLE_RATE},
    "DEFAULT_FILTER_BACKENDS": ["recruitment.api.filtering.IdFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "recruitment.api.schema.RecruitmentAutoSchema",
    "EXCEPTION_HANDLER": "recruitment.api.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["recruitment.api.parsers.SafeJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RMS API",
    "DESCRIPTION": (
        "The recruitment management system's REST API. Authenticate with "
        "`Authorization: Token <key>` (`bin/django api_token <username>`) or a signed-in session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["recruitment.api.permissions.HasRecruitmentRole"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's static files: the machines have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "recruitment.models.Stage",
        "CloseReasonEnum": "recruitment.models.CloseReason",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own default gives the "django" logger a console handler too: each of its
    # lines ("Watching for file changes with StatReloader") was printed twice, once there
    # and once by the root handler it propagates to. Root alone prints them now.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}


# --- Queue, shared cache and sign-in lockout (issue "Background work on a real queue") --
# Celery reads every CELERY_* name below (rms/celery.py). With no broker (a first
# `make run`, the test suite) tasks run in this process right after the commit that
# queued them; the log says so once (recruitment/apps.py).
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(REDIS_SCHEMES):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL must be a redis:// URL, got {CELERY_BROKER_URL!r}"
    )
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# A task that failed in-process is on the timeline; the request that queued it goes on.
CELERY_TASK_EAGER_PROPAGATES = False
# A message is acknowledged when its task finished, so a worker killed mid-task leaves it
# in the queue; Redis hands it out again after the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Look for such orphans every 10 s (one ZRANGE) rather than kombu's 100 s.
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
# A broker that is down must not hold a recruiter's page: two quick tries, then the
# outbox keeps the mail and the beat task sends it again (recruitment/services/emails.py).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 900)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_TIMEZONE = TIME_ZONE
# Instances sharing one Redis keep their tasks apart (deploy/templates/env sets it).
CELERY_TASK_DEFAULT_QUEUE = env_str("RMS_QUEUE", "celery")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Tries of one e-mail (the first included) and the first pause between them, doubled
# after each refusal.
RMS_EMAIL_TRIES = env_int("RMS_EMAIL_TRIES", 5)
RMS_EMAIL_RETRY_SECONDS = env_int("RMS_EMAIL_RETRY_SECONDS", 30)
# Exports with more rows than this become jobs; their files are kept this many hours.
RMS_EXPORT_JOB_ROWS = env_int("RMS_EXPORT_JOB_ROWS", 5000)
RMS_EXPORT_KEEP_HOURS = env_int("RMS_EXPORT_KEEP_HOURS", 24)
# Bulk actions over more applications than this run as jobs: at ~9 ms an application,
# 10,000 would outlast uWSGI's harakiri (30 s) inside a request.
RMS_BULK_JOB_ROWS = env_int("RMS_BULK_JOB_ROWS", 200)
# Files only the checked views hand out; never under MEDIA_ROOT or any mapped path.
PRIVATE_ROOT = Path(env_str("RMS_PRIVATE_DIR", str(VAR_DIR / "private")))
STORAGES["exports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_ROOT / "exports"},
}

# The cache every worker of an instance shares (the API throttle counts there); the
# process's own memory when none is set.
CACHE_URL = env_str("CACHE_URL", "") or env_str("REDIS_URL", "")
if CACHE_URL and not CACHE_URL.startswith(REDIS_SCHEMES):
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {CACHE_URL!r}")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "rms"),
        # A dead Redis answers within a second, so /health/ can say so.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Sign-in lockout (django-axes). Counted per account *and address*: after
# RMS_SIGNIN_FAILURES wrong passwords for one account from one address, that account is
# locked from that address; after four times as many from one address, for any accounts,
# the address is locked. Nobody can lock an account from elsewhere, so a stranger cannot
# keep the admins out of the admin, where locks are lifted (Axes, Access attempts).
RMS_SIGNIN_FAILURES = env_int("RMS_SIGNIN_FAILURES", 5)
RMS_SIGNIN_ADDRESS_FAILURES = 4 * RMS_SIGNIN_FAILURES
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "rms.signin_limits.failure_limit"
# A sign-in forgives only that account's failures from that address: with the address
# counted on its own, it forgave every guess from the address, at any account.
AXES_RESET_ON_SUCCESS = True
# A failure is forgotten this long after the last one of its account, address and browser;
# a lock lasts this long after the failure that set it: retrying while locked is not
# counted, so "try again in N minutes" holds.
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RMS_SIGNIN_LOCKOUT_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
if BEHIND_TLS_PROXY:
    AXES_CLIENT_IP_CALLABLE = "rms.client_address.client_address_behind_proxy"
# Its INFO lines (one per sign-in) would drown the log; refusals still show as warnings.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}


# --- The careers site (careers/) -----------------------------------------------------
# Its public pages are kept this many seconds by browsers, proxies and the shared cache.
RMS_CAREERS_CACHE_SECONDS = env_int("RMS_CAREERS_CACHE_SECONDS", 300)
RMS_CAREERS_PER_PAGE = 20
RMS_CAREERS_FEED_ITEMS = 50
# Named as the hiring organisation in the postings' JSON-LD; the country of their places.
RMS_CAREERS_ORGANIZATION = env_str("RMS_CAREERS_ORGANIZATION", "RMS")
RMS_CAREERS_COUNTRY = env_str("RMS_CAREERS_COUNTRY", "PL")
# How long a confirmation link works, and how long a "future openings" consent lasts.
RMS_CAREERS_CONFIRM_DAYS = env_int("RMS_CAREERS_CONFIRM_DAYS", 7)
RMS_CAREERS_FUTURE_CONSENT_MONTHS = env_int("RMS_CAREERS_FUTURE_CONSENT_MONTHS", 12)
# An application a candidate sent and has not confirmed this many days later is flagged on
# the applicant list (filter "unconfirmed").
RMS_CAREERS_UNCONFIRMED_DAYS = env_int("RMS_CAREERS_UNCONFIRMED_DAYS", 3)
# Applications one address, and one e-mail, may send in an hour.
RMS_CAREERS_APPLY_PER_IP_HOUR = env_int("RMS_CAREERS_APPLY_PER_IP_HOUR", 10)
RMS_CAREERS_APPLY_PER_EMAIL_HOUR = env_int("RMS_CAREERS_APPLY_PER_EMAIL_HOUR", 3)


# --- Personal data under the GDPR (privacy/) -----------------------------------------
# The site's address as candidates reach it: links in the mails the nightly job sends.
RMS_SITE_URL = env_str("RMS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A future-openings consent's renewal link is mailed this many days before it expires,
# and works for as long again after it was sent; renewing extends the consent by
# RMS_CAREERS_FUTURE_CONSENT_MONTHS.
RMS_PRIVACY_RENEWAL_DAYS = env_int("RMS_PRIVACY_RENEWAL_DAYS", 14)
# How long a candidate's request link (to verify their e-mail) works, in hours.
RMS_PRIVACY_REQUEST_LINK_HOURS = env_int("RMS_PRIVACY_REQUEST_LINK_HOURS", 48)
# The GDPR's month to answer a data subject request.
RMS_PRIVACY_REQUEST_DAYS = env_int("RMS_PRIVACY_REQUEST_DAYS", 30)
# The access log: on or off, kept this many days, written in batches of this many
# entries or at least this often (seconds) per process.
RMS_ACCESS_LOG = env_bool("RMS_ACCESS_LOG", True)
RMS_ACCESS_LOG_KEEP_DAYS = env_int("RMS_ACCESS_LOG_KEEP_DAYS", 365)
RMS_ACCESS_LOG_BATCH = env_int("RMS_ACCESS_LOG_BATCH", 50)
RMS_ACCESS_LOG_FLUSH_SECONDS = env_int("RMS_ACCESS_LOG_FLUSH_SECONDS", 5)
