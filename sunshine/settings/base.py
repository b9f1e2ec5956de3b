"""Settings shared by every environment. No secrets here, and DEBUG is off."""

from . import environment as env

BASE_DIR = env.BASE_DIR
DEBUG = False
SECRET_KEY = env.get("SECRET_KEY")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
# Keyed hash of exam numbers and ID numbers; deliberately separate from SECRET_KEY,
# so rotating sessions never breaks identifier matching (and the reverse).
IDENTIFIER_HMAC_KEY = env.get("IDENTIFIER_HMAC_KEY")
# Ed25519 key that signs ledger checkpoints: PKCS#8 PEM or base64 of the 32-byte seed
# (publications/ledger/checkpoint.py). Without it, publishing stops with a clear error.
LEDGER_SIGNING_KEY = env.get("LEDGER_SIGNING_KEY")

INSTALLED_APPS = [
    "sunshine",
    "disclosure",
    "publications",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response, and 400 for control characters (ADR 0011).
    "sunshine.security.ContentSecurityPolicyMiddleware",
    "sunshine.security.RefuseUnreadableInput",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 400, not 500, for posted fields a view reads without a guard; before CSRF, which parses
    # the body (ADR 0019).
    "sunshine.malformed.RefuseMissingFormFields",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's, skipped under /api/ (sunshine/redirects.py)
    "sunshine.redirects.RedirectMiddleware",
    "publications.workflow.middleware.WorkflowGateMiddleware",
]

ROOT_URLCONF = "sunshine.urls"
WSGI_APPLICATION = "sunshine.wsgi.application"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": env.database(BASE_DIR / "var" / "sunshine.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": env.cache(), "shared": env.shared_cache(BASE_DIR / "var" / "cache")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first; English available. Times are stored in UTC, shown in Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o640

WAGTAIL_SITE_NAME = "阳光招生公示平台"
# The public address of the site, scheme://host[:port]: every absolute URL the site, the feed,
# the API, the CSV and the e-mails give out starts with it, whatever Host a request came in on
# (publications/opendata/links.py). Wagtail's admin links and its default Site follow it.
SUNSHINE_PUBLIC_BASE_URL = env.public_base_url("http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SUNSHINE_PUBLIC_BASE_URL
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# The workflow's last approval publishes through publications.actions (see ADR 0005).
WAGTAIL_FINISH_WORKFLOW_ACTION = "publications.workflow.finish.publish_on_approval"
# Failed admin logins are throttled per username and client (publications.workflow).
WAGTAILADMIN_USER_LOGIN_FORM = "publications.workflow.second_factor.ThrottledLoginForm"
SUNSHINE_LOGIN_FAILURE_LIMIT = 5
SUNSHINE_LOGIN_FAILURE_WINDOW = 15 * 60
OTP_TOTP_ISSUER = "阳光招生公示平台"
# Draftail, with posted contentstate that is not readable refused as a form error, not a 500
# (sunshine/malformed.py, ADR 0019).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "sunshine.malformed.SafeDraftailRichTextArea"},
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "xlsx", "docx", "txt", "png", "jpg", "jpeg"]
# Documents always pass through Wagtail's view (never a direct link into MEDIA_ROOT), which
# adds `default-src 'none'` and nosniff; every type downloads as an attachment (ADR 0011).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Background work: Django's task framework, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The search engine of the public search service (search/): embedded unless set.
ELASTICSEARCH_URL = env.get("ELASTICSEARCH_URL")
# "database" (embedded: SQLite FTS5 / PostgreSQL full text) or "elastic"; ELASTICSEARCH_URL
# alone switches to Elasticsearch. See search/conf.py for every option and its default.
SEARCH_ENGINE = env.get("SEARCH_ENGINE") or ("elastic" if ELASTICSEARCH_URL else "database")
SEARCH_ELASTICSEARCH = {
    "URL": ELASTICSEARCH_URL,
    "INDEX": env.get("ELASTICSEARCH_INDEX", "sunshine"),
    # "cjk" (built in), or a segmentation plugin the cluster has: "smartcn", "ik_max_word".
    "ANALYZER": env.get("ELASTICSEARCH_ANALYZER", "cjk"),
    "SEARCH_ANALYZER": env.get("ELASTICSEARCH_SEARCH_ANALYZER"),
    # OpenSearch-compatible clusters refuse "compatible-with=8" media types: set it false there.
    "COMPATIBILITY_HEADER": env.get_bool("ELASTICSEARCH_COMPATIBILITY_HEADER", True),
}
# Personal lookups are rate-limited per client. Behind a reverse proxy, the client address is
# read from this header, and only when the request comes from one of these proxy addresses.
SEARCH_TRUSTED_PROXIES = env.get_list("SEARCH_TRUSTED_PROXIES")
SEARCH_TRUSTED_PROXY_HEADER = env.get("SEARCH_TRUSTED_PROXY_HEADER")

# Results day (ADR 0017): per web process, lookups running at once, and the longest a lookup
# waits (from reaching the worker) before a fast 503 with Retry-After (sunshine/shedding.py).
SUNSHINE_LOOKUP_SHEDDING = {
    "CONCURRENCY": int(env.get("LOOKUP_CONCURRENCY", "4")),
    "MAX_WAIT": float(env.get("LOOKUP_MAX_WAIT", "0.1")),
    "RETRY_AFTER": 5,
}

# Imports: the largest upload accepted (a province's admission results are ~100 MB as CSV).
IMPORT_MAX_UPLOAD_BYTES = 300 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Exam numbers: 14 digits by default; provinces differ, so it is a setting.
EXAM_NUMBER_PATTERN = env.get("EXAM_NUMBER_PATTERN", r"\d{14}")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views opt back in to SAMEORIGIN themselves.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "noreply@sunshine.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "sunshine": {"level": "INFO"},
        "disclosure": {"level": "INFO"},
        "publications": {"level": "INFO"},
        "search": {"level": "INFO"},
    },
}

# load_demo refuses to run unless an environment opts in.
SUNSHINE_ALLOW_DEMO = False

# Objections (异议受理), see docs/adr/0008-objections.md.
# Personal data of the objector is blanked this many days after the objection is closed (办结):
# a year covers review requests under the petition rules and the re-check of new students.
OBJECTION_RETENTION_DAYS = 365
# Who is told of each new objection; empty: the complaint e-mail in the site's office settings.
OBJECTION_NOTIFY_EMAILS = env.get_list("OBJECTION_NOTIFY_EMAILS")
OBJECTION_CONTENT_MIN_CHARS = 20
OBJECTION_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Outside MEDIA_ROOT: attachments are never served to the public, only through the admin.
OBJECTION_ATTACHMENT_ROOT = BASE_DIR / "var" / "private" / "objections"
# Per client (requests, seconds): submissions, and reads of tracking pages.
OBJECTION_SUBMIT_RATE = (10, 600)
OBJECTION_STATUS_RATE = (60, 60)
