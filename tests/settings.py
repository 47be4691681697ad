"""Settings for the test suite: the real settings with a throwaway secret."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")

from pathwise.site.settings import *  # noqa: F403

# The suite does not run collectstatic: static files are found in the apps, as in development.
STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Each test loads the program versions it needs: its database starts without any
# (tests/catalog/test_program_sync.py turns this on to check `migrate` loads them).
SYNC_PROGRAMS_AT_MIGRATE = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The suite commits thousands of times (every transactional test, every worker run);
    # a test database need not wait for each commit to reach the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c synchronous_commit=off")
