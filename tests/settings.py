"""Settings for the test suite: the real settings with a throwaway secret."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")

from pathwise.site.settings import *  # noqa: F403

# The suite does not run collectstatic: static files are found in the apps, as in development.
STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
