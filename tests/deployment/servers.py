"""Pathwise as production runs it, in processes of its own: `scripts/serve` app servers and
workers against the suite's PostgreSQL database, and a browser-like client for them."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def database_url() -> str:
    """The database the suite is using (its test database), as DATABASE_URL."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "postgres")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


class Site:
    """Several `scripts/serve` processes sharing one database, one secret and one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.secret = secrets.token_urlsafe(50)
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []
        self.app_urls: list[str] = []

    def _env(self, **extra: str) -> dict[str, str]:
        # Only what a shell needs: the suite's own settings module must not leak in.
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
        return {**base, "DATABASE_URL": database_url(), "SECRET_KEY": self.secret,
                "ALLOWED_HOSTS": "127.0.0.1", "PATHWISE_DATA_DIR": str(self.data_dir),
                "PATHWISE_BASE_URL": "http://127.0.0.1", "SECURE_COOKIES": "false", **extra}

    def _start(self, option: str, name: str, **extra: str) -> None:
        log = self.data_dir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen([str(ROOT / "scripts/serve"), option], cwd=ROOT,
                                       env=self._env(**extra), stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append((process, log))

    def app(self, processes: int = 2) -> str:
        port = free_port()
        self._start("--app-only", f"app-{port}", BIND=f"127.0.0.1:{port}",
                    WEB_CONCURRENCY=str(processes))
        url = f"http://127.0.0.1:{port}"
        self.app_urls.append(url)
        return url

    def worker(self) -> None:
        self._start("--worker-only", f"worker-{len(self.processes)}")

    def wait_until_serving(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        for url in self.app_urls:
            while True:
                self.check_alive()
                try:
                    with urllib.request.urlopen(f"{url}/login/", timeout=5) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError):
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{url} did not start:\n{self.logs()}")
                time.sleep(0.3)

    def check_alive(self) -> None:
        for process, log in self.processes:
            if process.poll() is not None:
                raise AssertionError(f"{log.name} ended ({process.returncode}):\n"
                                     f"{log.read_text(errors='replace')[-3000:]}")

    def logs(self) -> str:
        return "\n".join(f"== {log.name}\n{log.read_text(errors='replace')[-2000:]}"
                         for _, log in self.processes)

    def stop(self) -> None:
        for process, _ in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _ in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def running(data_dir: Path, *, apps: int, workers: int) -> Iterator[Site]:
    site = Site(data_dir)
    try:
        for _ in range(apps):
            site.app()
        for _ in range(workers):
            site.worker()
        site.wait_until_serving()
        yield site
    finally:
        site.stop()


class Browser:
    """One person's cookies and forms over real HTTP, on whichever server a request goes to."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=60) as response:
            text: str = response.read().decode()
            return text

    def post_form(self, page: str, action: str, fields: dict[str, str]) -> tuple[int, str]:
        """Submit a form as a browser would: read the page's CSRF token, then post."""
        token = CSRF.search(self.get(page))
        assert token is not None, f"no form on {page}"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields})
        # Our own servers' http:// addresses only (S310 guards against file: and the like).
        request = urllib.request.Request(action, data=body.encode(), method="POST")  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, server: str, username: str, password: str) -> None:
        status, page = self.post_form(f"{server}/login/", f"{server}/login/",
                                      {"username": username, "password": password})
        assert status == 200, page[:500]
        assert "Sign out" in page, page[:500]
