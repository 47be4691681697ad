"""Settings for the test suite: the real settings with a throwaway secret."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")

from pathwise.site.settings import *  # noqa: F403
