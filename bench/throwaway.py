"""A throwaway site for the benchmarks that ask for pages: SQLite in a temporary folder,
the production settings (DEBUG off), Django set up. Import it before anything of Django's."""

import os
import sys
import tempfile
from pathlib import Path

FOLDER = tempfile.mkdtemp(prefix="pathwise-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{Path(FOLDER) / 'bench.sqlite3'}"
os.environ["PATHWISE_DATA_DIR"] = FOLDER
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_COOKIES"] = "false"
os.environ["DJANGO_SETTINGS_MODULE"] = "pathwise.site.settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402  (configured by the environment above)

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

# Like the suite, the benchmarks collect no static files: found in the apps instead.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
