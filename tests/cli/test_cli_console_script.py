"""The installed `pathwise` console script, run as a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import SECOND_PROGRAMS_DIR

SCRIPT = Path(sys.executable).parent / "pathwise"


def run_script(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
               ) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), f"the console script should be installed at {SCRIPT}"
    return subprocess.run(
        [str(SCRIPT), *(str(a) for a in args)],
        capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})},
        timeout=60, check=False,
    )


def test_the_console_script_audits_a_records_file(tmp_path, write_json, records_file):
    path = write_json(records_file())
    done = run_script("evaluate", path, "--as-of", "2024-09-01", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    result = json.loads(done.stdout)
    assert result["status"] == "certified"
    assert result["certified_on"] == "2024-08-01"
    assert result["badges"][-1] == {"achievement": "cscce-cm", "earned_on": "2024-08-01"}


def test_the_console_script_refuses_bad_input_in_one_line_with_exit_status_2(
    tmp_path, write_json, records_file
):
    data = records_file()
    data["records"][2]["date"] = "2023-02-30"
    done = run_script("evaluate", write_json(data, "bad.json"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert "records[2].date: '2023-02-30' is not a valid date" in done.stderr

    done = run_script("evaluate", write_json(records_file()), "--as-of", "2024-02-30",
                      cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "pathwise evaluate: --as-of: '2024-02-30' is not a valid date (YYYY-MM-DD)")


def test_the_console_script_finds_programs_named_by_the_environment(tmp_path, write_json):
    data = {
        "program": "field-facilitator", "program_version": "2025.1",
        "participant": {"id": "F-1", "name": "Grace Hopper", "timezone": "UTC"},
        "enrolled_on": "2025-03-15",
        "records": [{"component": "INTRO", "date": "2025-03-15", "outcome": "attended"}],
    }
    done = run_script("evaluate", write_json(data), "--as-of", "2025-04-01", cwd=tmp_path,
                      env={"PATHWISE_PROGRAMS_DIR": str(SECOND_PROGRAMS_DIR)})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["deadline"] == "2026-03-14"
    assert result["status"] == "on_track"
    assert [r["id"] for r in result["requirements"] if r["met"]] == ["intro"]
