"""`pathwise capstone list` and `pathwise capstone review`: the staff queue, for operators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.capstone.actions import Upload, submit_capstone
from pathwise.capstone.models import Submission
from pathwise.participants import models as m
from pathwise.participants.exports import export_one
from tests.builders import ready_for_capstone
from tests.cli.conftest import Run

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(import_files: Callable[..., list[str]], settings: Any,
            tmp_path: Path) -> Submission:
    settings.DATA_DIR = tmp_path
    import_files(ready_for_capstone("P-050", "Lin Chen"), ready_for_capstone("P-052", "Ari"))
    first = submit_capstone(m.Participant.objects.get(public_id="P-050"), Actor("lin"),
                            text="Mine.", upload=Upload("capstone.md", b"# Notes\n"))
    submit_capstone(m.Participant.objects.get(public_id="P-052"), Actor("ari"), text="Hers.")
    return first


def test_list_shows_the_waiting_oldest_first(waiting: Submission,
                                             pathwise: Callable[..., Run]) -> None:
    run = pathwise("capstone", "list")
    assert run.code == 0, run.err
    rows = run.json()
    assert [r["participant"] for r in rows] == ["P-050", "P-052"]
    assert rows[0]["file"] == "capstone.md"
    assert rows[0]["size"] == len(b"# Notes\n") + len("Mine.")


def test_review_passes_it_as_the_actor_and_it_becomes_the_record(
        waiting: Submission, pathwise: Callable[..., Run]) -> None:
    run = pathwise("capstone", "review", str(waiting.pk), "--passed", "--feedback", "Good.",
                   "--actor", "sam")
    assert run.code == 0, run.err
    assert run.json()["status"] == "passed"
    assert export_one("P-050")["records"][-1]["component"] == "CAPSTONE"
    assert AuditEntry.objects.filter(action="capstone.reviewed", actor_label="sam").exists()
    assert [r["participant"] for r in pathwise("capstone", "list").json()] == ["P-052"]


@pytest.mark.parametrize(("argv", "message"), [
    (("abc", "--passed"), "'abc' is not a submission id"),
    (("999", "--passed"), "no capstone submission 999"),
    (("{id}", "--needs-changes"), "say what needs to change"),
    (("{id}", "--needs-changes", "--feedback", "bell\x07"), "control character"),
])
def test_a_bad_review_is_refused_in_one_line_and_nothing_changes(
        argv: tuple[str, ...], message: str, *, waiting: Submission,
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    filled = [a.format(id=waiting.pk) for a in argv]
    assert message in refused(pathwise("capstone", "review", *filled), "capstone")
    waiting.refresh_from_db()
    assert waiting.status == "waiting"


def test_a_second_review_is_refused(waiting: Submission, pathwise: Callable[..., Run],
                                    refused: Callable[..., str]) -> None:
    pathwise("capstone", "review", str(waiting.pk), "--needs-changes", "--feedback", "More.")
    again = pathwise("capstone", "review", str(waiting.pk), "--passed")
    assert "already reviewed" in refused(again, "capstone")
    assert not any(r["component"] == "CAPSTONE" for r in export_one("P-050")["records"])
