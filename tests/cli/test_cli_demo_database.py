"""Commands on the database run against the demo's own database with no variables set,
and a configured deployment is never given the demo's settings.

Run as a newcomer would after `scripts/demo`: the installed console script, in a
folder of its own, with nothing of the suite's environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "pathwise"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTE = ("pathwise: none of DEBUG, SECRET_KEY, SECRET_KEY_FILE or DATABASE_URL is set: "
        "using scripts/demo's settings (DEBUG=true, database {})")


def run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd,
                          env={**base, **env}, timeout=120, check=False)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    return done.stderr.strip()


def test_with_nothing_set_the_database_commands_use_the_demo_database_and_say_so(
    tmp_path: Path,
) -> None:
    note = NOTE.format(tmp_path / "pathwise.sqlite3")
    migrated = run(tmp_path, "manage", "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stderr.strip() == note
    assert (tmp_path / "pathwise.sqlite3").exists()

    imported = run(tmp_path, "import", str(EXAMPLES / "records" / "mid-course.json"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "imported S-002\n"
    exported = run(tmp_path, "export", "--participant", "S-002")
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.strip() == note
    assert json.loads(exported.stdout)["participant"]["name"] == "Tomás Álvarez"


def test_a_database_named_without_a_secret_key_is_refused_in_one_line(tmp_path: Path) -> None:
    done = run(tmp_path, "export", "--participant", "P-001",
               DATABASE_URL=f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    assert one_line(done) == ("pathwise export: settings: SECRET_KEY (or SECRET_KEY_FILE) "
                              "is required when DEBUG is off")
    # DEBUG said to be off is a choice too: no demo settings then either.
    done = run(tmp_path, "import", str(EXAMPLES / "records" / "new.json"), DEBUG="false")
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required" in one_line(done)
    assert not (tmp_path / "pathwise.sqlite3").exists()


def test_a_bad_setting_ends_in_one_line_naming_it(tmp_path: Path) -> None:
    done = run(tmp_path, "manage", "check", DEBUG="true",
               SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert one_line(done).startswith(
        f"pathwise manage: settings: SECRET_KEY_FILE='{tmp_path / 'missing'}': cannot read it")
    done = run(tmp_path, "export", "--participant", "P-001", DEBUG="maybe")
    assert one_line(done) == "pathwise export: settings: DEBUG='maybe': expected true or false"


def test_serving_pages_never_assumes_the_demo_settings(tmp_path: Path) -> None:
    done = run(tmp_path, "manage", "runserver", "127.0.0.1:0")
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off" in one_line(done)
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    wsgi = subprocess.run([sys.executable, "-c", "import pathwise.site.wsgi"],
                          capture_output=True, text=True, cwd=tmp_path, env=base,
                          timeout=60, check=False)
    assert wsgi.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required when DEBUG is off" in wsgi.stderr
