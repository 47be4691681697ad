"""`scripts/demo` as a newcomer runs it: Ctrl-C, or a signal to the script, stops the
server and the worker alike, and `--reset` starts the demo over.

Each test runs the real script (set up, seed, serve) on a database of its own and
watches its processes through /proc, as nothing of ours may be left running.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATHWISE = ROOT / ".venv" / "bin" / "pathwise"
READY = "Pathwise is running at"


def _stat(pid: int) -> tuple[str, int] | None:
    """The state letter and parent of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, ppid = text.rsplit(")", 1)[1].split()[:2]
    return state, int(ppid)


def alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")  # a zombie has stopped


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = stat[1]
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Demo:
    process: subprocess.Popen[str]
    port: int
    output: list[str] = field(default_factory=list)
    children: set[int] = field(default_factory=set)

    def stopped(self, timeout: float = 30) -> bool:
        """Whether the script and every process it started have ended within `timeout`."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in self.children) and time.monotonic() < deadline:
            time.sleep(0.1)
        return not any(alive(pid) for pid in self.children)


def environment(tmp_path: Path, port: int) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "PATHWISE_DATA_DIR": str(tmp_path / "var"), "PORT": str(port)}


@contextmanager
def demo(tmp_path: Path, *args: str) -> Iterator[Demo]:
    port = free_port()
    # A session of its own, as a terminal gives the command it runs: its process group
    # is what Ctrl-C signals.
    process = subprocess.Popen([str(ROOT / "scripts" / "demo"), *args], cwd=ROOT,
                               env=environment(tmp_path, port), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    running = Demo(process, port)
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: running.output.extend(process.stdout or ()),
                              daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 300
        while not (any(READY in line for line in running.output) and answers(port)):
            assert process.poll() is None, "".join(running.output)
            assert time.monotonic() < deadline, "".join(running.output)
            time.sleep(0.2)
        running.children = descendants(process.pid)
        yield running
    finally:
        # Whatever is left of it, in its group or not, when a test fails.
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for pid in running.children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)
        reader.join(timeout=10)


def test_a_signal_to_the_script_stops_the_server_and_the_worker(tmp_path: Path) -> None:
    with demo(tmp_path) as running:
        commands = {Path(f"/proc/{pid}/cmdline").read_bytes() for pid in running.children}
        assert any(b"db_worker" in c for c in commands), commands
        assert any(b"runserver" in c for c in commands), commands
        os.kill(running.process.pid, signal.SIGTERM)
        assert running.stopped(), "".join(running.output)
        assert not answers(running.port)
        assert running.process.returncode == 128 + signal.SIGTERM


def test_reset_starts_the_demo_over_and_ctrl_c_stops_server_and_worker(tmp_path: Path) -> None:
    env = {**environment(tmp_path, 0), "DEBUG": "true"}
    for args in (["manage", "migrate", "--verbosity", "0"],
                 ["import", str(ROOT / "examples" / "records" / "new.json")]):
        done = subprocess.run([str(PATHWISE), *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr

    with demo(tmp_path, "--reset") as running:
        with closing(sqlite3.connect(tmp_path / "demo.sqlite3")) as db:
            ids = {row[0] for row in db.execute("SELECT public_id FROM participants_participant")}
        assert "S-001" not in ids  # imported before the reset
        assert len(ids) == 36
        assert any("Emptied the database." in line for line in running.output)
        # What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
        os.killpg(running.process.pid, signal.SIGINT)
        assert running.stopped(), "".join(running.output)
        assert not answers(running.port)


def test_the_demo_refuses_an_argument_it_does_not_know(tmp_path: Path) -> None:
    process = subprocess.Popen([str(ROOT / "scripts" / "demo"), "--rest"], cwd=ROOT,
                               env=environment(tmp_path, free_port()), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # it went on to serve: stop all it started
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    assert process.returncode == 2
    assert err == "usage: scripts/demo [--reset]\n"
    assert not (tmp_path / "demo.sqlite3").exists()
