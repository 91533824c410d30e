"""Settings of the gunicorn server bench_enforcement.py starts: production settings (DEBUG off) with a
URLconf that adds the two comparison endpoints. Not used anywhere else."""

from accessadmin.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.enforcement_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "ERROR"}}
