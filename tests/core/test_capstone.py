"""When a capstone may be submitted, and which files are accepted, by content."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest

from pathwise.core.capstone import (
    CapstoneError,
    file_kind,
    safe_name,
    submission_refusal,
    text_refusal,
)
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import ParticipantRecords, parse_records
from tests.builders import ready_for_capstone

TODAY = dt.date(2026, 12, 1)
MB = 1024 * 1024


def records_of(data: dict[str, Any], library: ProgramLibrary) -> ParticipantRecords:
    return parse_records(data, source="test", library=library)


def refusal(library: ProgramLibrary, data: dict[str, Any], *, today: dt.date = TODAY,
            waiting: bool = False) -> str | None:
    records = records_of(data, library)
    program = library.get(records.program, records.program_version)
    assert program is not None
    return submission_refusal(program, records, today, waiting=waiting)


def test_may_submit_once_the_three_courses_are_complete(library: ProgramLibrary) -> None:
    assert refusal(library, ready_for_capstone(today=TODAY)) is None


def test_not_before_the_third_course_is_passed(library: ProgramLibrary) -> None:
    why = refusal(library, ready_for_capstone(today=TODAY, courses_done=2))
    assert why is not None
    assert "once CODE, PBK and one of NOC or COP are complete" in why
    assert "NOC or COP is not complete yet" in why


def test_not_on_the_day_the_last_course_is_passed(library: ProgramLibrary) -> None:
    # A pass recorded on that day would not count in the audit (it must come after).
    data = ready_for_capstone(today=TODAY)
    assert refusal(library, data, today=TODAY - dt.timedelta(days=30)) is not None
    assert refusal(library, data, today=TODAY - dt.timedelta(days=29)) is None


def test_not_twice_at_once_nor_after_a_pass(library: ProgramLibrary) -> None:
    data = ready_for_capstone(today=TODAY)
    assert "already waiting for review" in (refusal(library, data, waiting=True) or "")
    data["records"].append({"component": "CAPSTONE", "date": "2026-11-20",
                            "outcome": "passed"})
    assert "already passed" in (refusal(library, data) or "")


def test_a_capstone_passed_before_the_courses_does_not_stop_a_new_one(
        library: ProgramLibrary) -> None:
    data = ready_for_capstone(today=TODAY)
    data["records"].append({"component": "CAPSTONE", "date": "2026-01-01",
                            "outcome": "passed"})
    assert refusal(library, data) is None


def test_not_after_leaving_or_past_the_deadline(library: ProgramLibrary) -> None:
    data = ready_for_capstone(today=TODAY)
    assert "left the program" in (refusal(library, {**data, "withdrawn_on": "2026-11-01"})
                                  or "")
    assert "deadline passed" in (refusal(library, data, today=dt.date(2028, 1, 1)) or "")


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in entries.items():
            z.writestr(name, body)
    return out.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("reflection.pdf", b"%PDF-1.7\n...", "pdf"),
    ("reflection.docx", DOCX, "docx"),
    ("reflection.odt", ODT, "odt"),
    ("reflection.txt", "What I learned — café\n".encode(), "text"),
    ("reflection.md", b"# What I learned\n\n- facilitation\n", "markdown"),
])
def test_accepted_files_are_known_by_their_content(name: str, data: bytes, kind: str) -> None:
    assert file_kind(name, data, max_bytes=10 * MB).id == kind


@pytest.mark.parametrize(("name", "data", "says"), [
    ("empty.pdf", b"", "is empty"),
    ("big.txt", b"a" * (MB + 1), "at most 1.0 MB"),
    ("fake.pdf", b"MZ\x90\x00\x03binary", "not a file we accept"),
    ("page.html.pdf", b"<html><script>alert(1)</script></html>", "plain text by its content"),
    ("other.docx", _zip({"a.txt": b"x"}), "not a file we accept"),
    ("sheet.docx", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                         "content.xml": b"<x/>"}), "not a file we accept"),
    ("notes.txt", b"%PDF-1.4 binary", "PDF by its content"),
    ("latin1.txt", "café".encode("latin-1"), "not a file we accept"),
    ("nul.txt", b"text\x00more", "not a file we accept"),
    ("broken.docx", b"PK\x03\x04not really a zip", "not a file we accept"),
])
def test_other_files_are_refused_naming_why(name: str, data: bytes, says: str) -> None:
    with pytest.raises(CapstoneError, match=says):
        file_kind(name, data, max_bytes=MB)


@pytest.mark.parametrize(("given", "safe"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\lin\\My capstone.pdf", "My capstone.pdf"),
    ("..hidden.md", "hidden.md"),
    ("a\x00b\r\n;rm -rf.pdf", "ab_rm -rf.pdf"),
    ("“quoted” name.docx", "quoted_ name.docx"),
    ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ("", "capstone"),
])
def test_file_names_are_made_safe(given: str, safe: str) -> None:
    assert safe_name(given) == safe


def test_text_is_limited_and_plain() -> None:
    assert text_refusal("Lines\n\tand tabs are fine") is None
    assert "at most 20000" in (text_refusal("a" * 20_001) or "")
    assert "U+0007" in (text_refusal("bell\x07") or "")
