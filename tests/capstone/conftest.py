"""Someone whose three courses are complete, signed in; and staff."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from pathwise.auditlog.log import Actor
from pathwise.participants import models as m
from pathwise.participants.actions import give_login
from tests.builders import ready_for_capstone
from tests.conftest import signed_in


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture
def lin(import_files: Callable[..., list[str]]) -> m.Participant:
    import_files(ready_for_capstone("P-050", "Lin Chen"))
    participant = m.Participant.objects.get(public_id="P-050")
    give_login(participant, "lin", "lin-password-1", Actor("test"))
    return participant


@pytest.fixture
def lin_client(lin: m.Participant) -> Client:
    return signed_in("lin", "lin-password-1")


@pytest.fixture
def early(import_files: Callable[..., list[str]]) -> m.Participant:
    """Two courses of three complete."""
    import_files(ready_for_capstone("P-051", "Noor Haddad", courses_done=2))
    participant = m.Participant.objects.get(public_id="P-051")
    give_login(participant, "noor", "noor-password-1", Actor("test"))
    return participant


@pytest.fixture
def staff_client(staff: Any) -> Client:
    return signed_in("sam", "staff-password-1")


def docx() -> bytes:
    out = io.BytesIO()
    # Entries dated once, not now: two documents made a second apart are the same bytes.
    with zipfile.ZipFile(out, "w") as z:
        for name, text in (("[Content_Types].xml", "<Types/>"),
                           ("word/document.xml", "<w:document/>")):
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
