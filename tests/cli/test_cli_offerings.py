"""`pathwise offerings export [--from DATE] [--out FILE]` and `pathwise offerings import FILE
[--dry-run]`: a term of runs in and out, all or nothing, the export what `plan` reads."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Offering
from tests.builders import ada_file
from tests.cli.conftest import Run

pytestmark = pytest.mark.django_db


def term(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"program": "cscce-cm", "program_version": "2023", "offerings": list(rows)}


def workshop(code: str, day: str, **more: Any) -> dict[str, Any]:
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[dt.date.fromisoformat(day).weekday()]
    return {"id": code, "component": "MW-ROLES", "starts_on": day, "ends_on": day,
            "capacity": 20, "meetings": {"days": [weekday], "time": "16:00", "minutes": 90,
                                         "timezone": "Europe/London"}, **more}


def test_import_publishes_a_term_and_again_changes_nothing(
        publish_run: Callable[..., Offering], pathwise: Callable[..., Run],
        write_json: Callable[..., Path]) -> None:
    path = write_json(term(workshop("MW-R-1", "2031-03-05"), workshop("MW-R-2", "2031-09-03")))
    dry = pathwise("offerings", "import", path, "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.json()["new"] == 2
    assert dry.json()["dry_run"] is True
    assert any("no run of MW-CORE-VALUES" in w for w in dry.json()["warnings"])
    assert not Offering.objects.filter(code__startswith="MW-R-").exists()

    done = pathwise("offerings", "import", path, "--actor", "sam")
    assert done.code == 0, done.err
    assert Offering.objects.filter(code__startswith="MW-R-").count() == 2
    assert AuditEntry.objects.filter(action="offerings.imported", actor_label="sam").exists()
    again = pathwise("offerings", "import", path)
    assert (again.json()["new"], again.json()["unchanged"]) == (0, 2)


def test_a_bad_file_names_each_row_and_field_and_imports_nothing(
        publish_run: Callable[..., Offering], pathwise: Callable[..., Run],
        write_json: Callable[..., Path]) -> None:
    path = write_json(term(
        workshop("MW-OK", "2031-03-05"),
        workshop("MW-LONG", "2031-03-12", meetings={
            "days": ["WE"], "time": "16:00", "minutes": 180, "timezone": "Europe/London"}),
        workshop("MW-NOCAP", "2031-03-19", capacity=None),
        workshop("MW-INTAKE", "2031-03-26", intake="NOWHERE")), "term.json")
    run = pathwise("offerings", "import", path)
    assert run.code == 2
    assert run.out == ""
    lines = run.err.splitlines()
    assert lines[0].endswith("term.json: offerings[1] (MW-LONG).meetings: meetings of 180 "
                             "minutes: a mini-workshop meets 90 to 120 minutes")
    assert lines[1].endswith("offerings[2] (MW-NOCAP).capacity: missing (how many seats the "
                             "run has)")
    assert lines[2].endswith("offerings[3] (MW-INTAKE).intake: no intake 'NOWHERE'; create it "
                             "first")
    assert lines[3].endswith("term.json: nothing imported (3 problems)")
    assert not Offering.objects.filter(code__startswith="MW-").exists()


@pytest.mark.parametrize(("data", "message"), [
    ("{", "not valid JSON"),
    (json.dumps({"offerings": []}), "program: missing"),
    (json.dumps({**term(), "program_version": "1999"}), "no program 'cscce-cm' version '1999'"),
    (json.dumps(term(workshop("bad id", "2031-03-05"))), "offerings[0].id"),
])
def test_a_file_that_cannot_be_read_is_refused_in_one_line(
        data: str, message: str, *, publish_run: Callable[..., Offering],
        pathwise: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(data, encoding="utf-8")
    run = pathwise("offerings", "import", path)
    assert run.code == 2
    assert message in run.err
    assert "Traceback" not in run.err


def test_the_export_is_what_plan_reads_and_imports_back_unchanged(
        publish_run: Callable[..., Offering], pathwise: Callable[..., Run],
        write_json: Callable[..., Path], tmp_path: Path) -> None:
    publish_run("PBK-E1", starts_on=dt.date(2031, 1, 6))
    publish_run("QSS-E1", "QSS", starts_on=dt.date(2031, 3, 6))
    out = tmp_path / "offerings.json"
    run = pathwise("offerings", "export", "--out", out)
    assert run.code == 0, run.err
    data = json.loads(out.read_text())
    assert (data["program"], data["program_version"]) == ("cscce-cm", "2023")
    row = next(o for o in data["offerings"] if o["id"] == "PBK-E1")
    assert {k: row[k] for k in ("capacity", "seats_left", "intake", "instructors")} == {
        "capacity": 25, "seats_left": 25, "intake": None, "instructors": []}
    assert row["meetings"]["cancelled"] == []

    plan = pathwise("plan", write_json(ada_file()), "--offerings", out, "--as-of", "2030-12-01")
    assert plan.code == 0, plan.err
    assert "steps" in plan.json()

    back = pathwise("offerings", "import", out)
    assert back.code == 0, back.err
    assert back.json()["unchanged"] == len(data["offerings"])
    assert pathwise("offerings", "export").out == out.read_text()
    later = pathwise("offerings", "export", "--from", "2031-03-01").out
    assert [o["id"] for o in json.loads(later)["offerings"]] == ["QSS-E1"]
    assert "--from: 'soon' is not a date" in pathwise("offerings", "export", "--from",
                                                      "soon").err
