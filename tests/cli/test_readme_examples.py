"""Every command line the README shows runs, as shown, against the files that ship.

Each line of README.md's `sh` blocks that starts `.venv/bin/pathwise` runs in a
shell, in a folder laid out like the project (its `examples/` and `.venv/`), after
the demo database is set up as `scripts/demo` sets it up, with nothing of the
suite's environment: so the README cannot promise a command that fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROMPT = ".venv/bin/pathwise "
BASH = shutil.which("bash") or "/bin/bash"


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    return [line for block in blocks for line in block.splitlines() if line.startswith(PROMPT)]


def test_the_readme_tries_each_file_command_on_the_shipped_examples() -> None:
    examples = readme_examples()
    for needed in (r"evaluate examples/records/\S+\.json --as-of",
                   r"plan examples/records/\S+\.json --offerings examples/offerings\.json",
                   r"evaluate examples/records/\S+\.json --offerings examples/offerings\.json",
                   r"badge examples/records/\S+\.json --achievement", r"verify ",
                   r"export ", r"import examples/records/"):
        assert any(re.search(re.escape(PROMPT) + needed, line) for line in examples), needed


def test_every_command_line_in_the_readme_exits_0(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}

    def shell(line: str) -> subprocess.CompletedProcess[str]:
        # pipefail: a command piped into another fails the line when it fails.
        return subprocess.run([BASH, "-o", "pipefail", "-c", line], capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=180, check=False)

    for setup in ("migrate --verbosity 0", "seed_demo"):  # what scripts/demo does first
        done = shell(f"{PROMPT}manage {setup}")
        assert done.returncode == 0, done.stderr
    for line in readme_examples():
        done = shell(line)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
        assert "Traceback" not in done.stderr, line
        if ">" not in line and not line.startswith(f"{PROMPT}manage "):
            assert done.stdout.strip(), f"{line} printed nothing"
            if not line.startswith(f"{PROMPT}import "):
                json.loads(done.stdout)  # every other command shown prints JSON
