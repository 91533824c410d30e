"""Settings of the processes the version stress test starts (test_versions_stress.py): the project's, with
the test's fast hasher and no failure throttle (old secrets in flight after a rotation are expected 401s)."""

from accessadmin.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TILL_AUTH_FAILURE_LIMIT = 10**9
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "ERROR"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # Five processes write one file: take the write lock when a transaction begins, so a reader that
    # becomes a writer never meets SQLite's immediate "database is locked".
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"  # noqa: F405
