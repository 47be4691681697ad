"""The capstone: when a participant may submit it, and what a submission may contain.

"Capstone may be submitted once the three courses are complete": the program's
`[[prerequisites]]` for its capstone component say what must be passed first.
A submission is allowed from the day after the last of them was passed, as the
planner puts it, so that a pass recorded on the review day always comes after
them and counts in the audit (`applies_to_records`).

A file is recognised by its content, never by its name or the browser's word
for it: a PDF by its header, a DOCX or ODT by the parts of its zip archive, text
and Markdown by being UTF-8 without control characters. Its name must agree.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from pathwise.core.audit import record_passes
from pathwise.core.deadline import deadline
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import control_character, lines_problem
from pathwise.core.program import Component, Program
from pathwise.core.records import ParticipantRecords
from pathwise.core.when import day_text
from pathwise.core.words import and_list, or_list

TEXT_MAX = 20_000
FEEDBACK_MAX = 4000
NAME_MAX = 100


class CapstoneError(PathwiseError):
    """A submission or review that cannot be accepted; nothing was saved."""


@dataclass(frozen=True, slots=True)
class FileKind:
    id: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = FileKind("docx", "Word document (DOCX)",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                (".docx",))
ODT = FileKind("odt", "OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text",
               (".odt",))
TEXT = FileKind("text", "plain text", "text/plain", (".txt",))
MARKDOWN = FileKind("markdown", "Markdown", "text/markdown", (".md", ".markdown"))
KINDS = (PDF, DOCX, ODT, TEXT, MARKDOWN)
BY_ID = {k.id: k for k in KINDS}
ACCEPTED = "PDF, DOCX, ODT, plain text (.txt) or Markdown (.md)"


def capstone_component(program: Program) -> Component | None:
    kinds = program.of_kind("capstone")
    return kinds[0] if kinds else None


def _passed_on(program: Program, records: ParticipantRecords,
               today: dt.date) -> dict[str, dt.date]:
    passed: dict[str, dt.date] = {}
    for r in records.records:
        component = program.components.get(r.component)
        if (component is not None and r.date <= today and record_passes(r, component)
                and r.date < passed.get(r.component, dt.date.max)):
            passed[r.component] = r.date
    return passed


def _missing(program: Program, code: str, passed: Mapping[str, dt.date],
             today: dt.date) -> tuple[str, list[str]] | None:
    """What the capstone needs (in words) and what of it is not complete before today."""
    def done(c: str) -> bool:
        return passed.get(c, dt.date.max) < today

    for gate in program.prerequisites:
        if gate.component != code:
            continue
        missing = [c for c in gate.requires if not done(c)]
        if gate.requires_one_of and not any(done(c) for c in gate.requires_one_of):
            missing.append(or_list(gate.requires_one_of))
        if missing:
            needs = list(gate.requires)
            if gate.requires_one_of:
                needs.append("one of " + or_list(gate.requires_one_of))
            return and_list(needs), missing
    return None


def capstone_passed_on(program: Program, records: ParticipantRecords,
                       today: dt.date) -> dt.date | None:
    """The first day a capstone pass that counts was recorded: one dated after the courses
    were complete, as the audit reads it."""
    component = capstone_component(program)
    if component is None:
        return None
    passed = _passed_on(program, records, today)
    days = [r.date for r in records.records
            if r.component == component.code and r.date <= today
            and record_passes(r, component)
            and _missing(program, component.code, passed, r.date) is None]
    return min(days, default=None)


def submission_refusal(program: Program, records: ParticipantRecords, today: dt.date, *,
                       waiting: bool) -> str | None:
    """Why this participant may not submit their capstone today, or None when they may.

    `waiting`: a submission of theirs is already waiting for review.
    """
    component = capstone_component(program)
    if component is None:
        return f"{program.name} has no capstone"
    code = component.code
    if records.withdrawn_on is not None and records.withdrawn_on <= today:
        return f"you left the program on {day_text(records.withdrawn_on)}"
    ends = deadline(records.enrolled_on, program.window, records.deadline_extended_to)
    if today > ends:
        return (f"the deadline passed on {day_text(ends)}, so a capstone would not count; "
                "ask staff for more time first")
    if capstone_passed_on(program, records, today) is not None:
        return f"the {component.name.lower()} is already passed"
    if waiting:
        return ("your capstone is already waiting for review; you can submit again if "
                "staff ask for changes")
    gap = _missing(program, code, _passed_on(program, records, today), today)
    if gap is not None:
        needs, missing = gap
        verb = "is" if len(missing) == 1 else "are"
        return (f"the {component.name.lower()} may be submitted once {needs} are complete "
                f"(from the day after the last is passed); {and_list(missing)} {verb} not "
                "complete yet")
    return None


# -- what a submission contains ----------------------------------------------------


def text_refusal(text: str) -> str | None:
    return lines_problem(text, what="text", max_length=TEXT_MAX)


def feedback_refusal(text: str) -> str | None:
    return lines_problem(text, what="feedback", max_length=FEEDBACK_MAX)


def clean_text(text: str) -> str:
    """Line endings made `\\n`, outer space trimmed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


_UNSAFE = re.compile(r"[^\w.\- ()]+")


def safe_name(name: str) -> str:
    """A file name fit to show and to send back: its last path part, no control or
    shell-special characters, no leading dots, at most NAME_MAX characters (the
    extension kept)."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" ._") or "capstone"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10]
    room = NAME_MAX - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" ._") or "capstone"
    return f"{stem}.{ext}" if ext else stem


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size <= 100:
                mimetype = archive.read("mimetype").strip()
                if mimetype == ODT.content_type.encode() and "content.xml" in names:
                    return ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        return None
    return None


def _text_kind(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return control_character(text.replace("\r\n", "").replace("\n", "").replace("\t", "")
                             ) is None


def file_kind(name: str, data: bytes, *, max_bytes: int) -> FileKind:
    """What the file is, from its content; refused when it is empty, too big, not a kind
    accepted, or not what its name says."""
    if not data:
        raise CapstoneError(f"{name} is empty")
    if len(data) > max_bytes:
        raise CapstoneError(f"{name} is {size_text(len(data))}; at most {size_text(max_bytes)}")
    ext = "." + name.rpartition(".")[2].lower() if "." in name else ""
    found: FileKind | None
    if data.startswith(b"%PDF-"):
        found = PDF
    elif data.startswith(b"PK\x03\x04"):
        found = _zip_kind(data)
    elif _text_kind(data):
        found = MARKDOWN if ext in MARKDOWN.extensions else TEXT
    else:
        found = None
    if found is None:
        raise CapstoneError(f"{name} is not a file we accept: send {ACCEPTED}")
    if ext not in found.extensions:
        raise CapstoneError(f"{name} is {found.label} by its content, but its name does not "
                            f"end in {' or '.join(found.extensions)}; rename it and send it "
                            "again")
    return found


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
