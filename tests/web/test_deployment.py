"""Production settings: with the README's documented variables set, `manage.py check --deploy`
finds nothing; leave one out and it names what is missing. Run as an operator would, in a
separate process with the real settings module."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "pathwise"
README = Path(__file__).resolve().parents[2] / "README.md"

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pathwise.example.org",
    "PATHWISE_BASE_URL": "https://pathwise.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://pathwise.example.org",
    "PATHWISE_BEHIND_PROXY": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "true",
    "EMAIL_HOST_USER": "pathwise",
    "EMAIL_HOST_PASSWORD": "smtp-secret",
    "DEFAULT_FROM_EMAIL": "pathwise@example.org",
}


def manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Only what a shell needs: nothing of the suite's own environment (its settings module,
    # DATABASE_URL, the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) may leak in.
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return subprocess.run(
        [str(SCRIPT), "manage", *args], capture_output=True, text=True, cwd=tmp_path,
        env={**base, "PATHWISE_DATA_DIR": str(tmp_path / "var"), **env},
        timeout=120, check=False)


def without(*names: str) -> dict[str, str]:
    return {k: v for k, v in PRODUCTION.items() if k not in names}


def test_the_documented_production_variables_pass_check_deploy_with_no_warnings(
    tmp_path: Path,
) -> None:
    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


@pytest.mark.parametrize(("left_out", "extra", "check_id"), [
    ("EMAIL_BACKEND", {"EMAIL_HOST": "", "EMAIL_PORT": "", "EMAIL_USE_TLS": "",
                       "EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""}, "mail.E001"),
    ("SECURE_HSTS_SECONDS", {}, "security.W004"),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", {}, "security.W005"),
    ("SECURE_HSTS_PRELOAD", {}, "security.W021"),
    ("SECURE_SSL_REDIRECT", {}, "security.W008"),
    ("", {"SECURE_COOKIES": "false"}, "security.W012"),
])
def test_leaving_one_out_is_named_by_check_deploy(tmp_path: Path, left_out: str,
                                                   extra: dict[str, str],
                                                   check_id: str) -> None:
    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                  **{**without(left_out), **extra})
    assert done.returncode != 0
    assert f"({check_id})" in done.stdout + done.stderr


def test_the_variables_reach_the_settings_django_uses(tmp_path: Path) -> None:
    done = manage(tmp_path, "diffsettings", **PRODUCTION)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')" in out
    assert "SESSION_COOKIE_SECURE = True" in out
    assert "CSRF_COOKIE_SECURE = True" in out
    assert "CSRF_TRUSTED_ORIGINS = ['https://pathwise.example.org']" in out
    assert "'host': 'smtp.example.org'" in out
    assert "'port': 587" in out
    assert "'use_tls': True" in out
    assert "'username': 'pathwise'" in out


@pytest.mark.parametrize(("env", "message"), [
    ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS='a year': expected a whole number"),
    ({"SECURE_SSL_REDIRECT": "maybe"}, "SECURE_SSL_REDIRECT='maybe': expected true or false"),
    ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
     "are for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend"),
    ({"EMAIL_USE_SSL": "true"}, "set EMAIL_USE_TLS or EMAIL_USE_SSL, not both"),
])
def test_a_bad_value_is_refused_naming_the_variable(tmp_path: Path, env: dict[str, str],
                                                    message: str) -> None:
    done = manage(tmp_path, "check", **{**PRODUCTION, **env})
    assert done.returncode != 0
    assert message in done.stderr


def test_the_readme_deployment_section_lists_every_production_variable() -> None:
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Deployment\n(.*?)(?=^## )", text, re.DOTALL | re.MULTILINE)
    assert section, "README.md needs a '## Deployment' section"
    for name in (*PRODUCTION, "SECURE_COOKIES", "EMAIL_USE_SSL", "EMAIL_TIMEOUT"):
        assert f"`{name}`" in section.group(1), f"{name} is not in README's Deployment section"
