"""The demo command: 36 participants, three intakes, every status and special case."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Intake, Offering
from pathwise.credentials.models import Credential
from pathwise.enrollment.models import DemandRequest, Seat
from pathwise.participants import models as m
from pathwise.participants.demo import on_later_version, showcase
from pathwise.standing.models import StandingRow
from tests.conftest import signed_in

# Transactional: the demo command runs its signing tasks through the worker after commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path

TODAY = dt.date(2026, 11, 23)


def test_the_demo_covers_every_stage_the_staff_need_to_see() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=None)
    standings = list(StandingRow.objects.select_related("enrollment"))
    assert len(standings) >= 30
    assert {s.as_of for s in standings} <= {TODAY, TODAY + dt.timedelta(days=1),
                                           TODAY - dt.timedelta(days=1)}  # zones
    assert len({s.enrollment.enrolled_on for s in standings}) == 3  # three intakes
    statuses = Counter(s.status for s in standings)
    assert set(statuses) == {"certified", "on_track", "at_risk", "overdue", "withdrawn"}

    assert m.CompletionRecord.objects.filter(
        component="NOC", outcome="credited", conditions_met=True, basis="NOC pilot 2021").exists()
    assert m.Enrollment.objects.exclude(deadline_extended_to=None).exists()
    assert m.Employment.objects.filter(ended_on__isnull=False).exists()  # a job change
    assert AuditEntry.objects.filter(actor_label="seed_demo", action="records.imported").count() \
        == len(standings)
    # Every certified participant already holds the signed final badge.
    certified = {s.participant_id for s in standings if s.status == "certified"}
    holders = set(Credential.objects.filter(achievement="cscce-cm")
                  .values_list("participant_id", flat=True))
    assert certified <= holders


def test_nobody_in_the_demo_is_on_track_with_a_plan_that_cannot_finish() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=None)
    horizon = max(Offering.objects.values_list("starts_on", flat=True))
    on_track = StandingRow.objects.filter(status="on_track")
    assert on_track.exists()
    for row in on_track:
        # Feasible, or not complete only because runs beyond the published ones are missing.
        assert row.plan_feasible or row.deadline > horizon, row.participant_id
    for row in StandingRow.objects.filter(status="at_risk"):
        assert row.plan_feasible is False
        assert row.reason


def test_loading_the_demo_twice_changes_nothing() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=None)
    entries = AuditEntry.objects.count()
    call_command("seed_demo", today=TODAY.isoformat(), stdout=None)
    assert AuditEntry.objects.count() == entries
    assert m.Participant.objects.count() == 36


def test_the_demo_has_a_two_year_catalogue_with_a_full_run_and_a_waitlist() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=None)
    assert Intake.objects.count() >= 4
    assert Offering.objects.filter(component="CODE").count() >= 6
    assert Offering.objects.exclude(private_to="").exists()
    assert Offering.objects.filter(timezone="Asia/Kolkata").exists()
    full = Offering.objects.annotate(
        taken=Count("seats", filter=Q(seats__status="enrolled")),
        waiting=Count("seats", filter=Q(seats__status="waitlisted")),
    ).filter(waiting__gt=0)
    assert any(o.taken == o.capacity for o in full)
    # Every elective mini-workshop is offered in each calendar year of the catalogue.
    years = {o.starts_on.year for o in Offering.objects.filter(component="QSS")}
    for code in ("MW-MEETINGS", "MW-ROLES", "MW-CONFLICT"):
        offered = {o.starts_on.year for o in Offering.objects.filter(component=code)}
        assert offered == years
    assert m.Enrollment.objects.filter(intake__isnull=True).count() == 0


# -- one login per state, as README's demo section names them --------------------------

README = Path(__file__).resolve().parents[2] / "README.md"


def _standing(public_id: str) -> StandingRow:
    return StandingRow.objects.select_related("enrollment__program_version").get(
        participant__public_id=public_id)


def _left(row: StandingRow, requirement: str) -> bool:
    """Whether the requirement with this id is still unmet for the row's participant."""
    program = row.enrollment.program_version.program
    title = next(r.title for r in program.requirements if r.id == requirement)
    return title in row.left


def _live_seats(public_id: str, status: str) -> list[Seat]:
    return list(Seat.objects.filter(participant__public_id=public_id, status=status)
                .select_related("offering"))


def _assert_shows(state: str, public_id: str, today: dt.date) -> None:
    row = _standing(public_id)
    if state == "mid-course":
        assert row.status == "on_track"
        assert row.plan_feasible
        assert not _left(row, "orientation")
        assert not _left(row, "code")
        assert _left(row, "pbk")
        assert _left(row, "capstone")
        held = [s for s in _live_seats(public_id, "enrolled")
                if s.offering.component == "PBK" and s.offering.ends_on >= today]
        assert held, "a seat on a PBK run"
        assert row.next_step
    elif state == "certified":
        assert row.status == "certified"
        assert row.certified_on is not None
        assert Credential.objects.filter(participant__public_id=public_id,
                                         achievement="cscce-cm").exists()
    elif state == "waitlisted":
        assert row.status == "on_track"
        assert _live_seats(public_id, "waitlisted")
        assert not _live_seats(public_id, "enrolled")
    elif state == "at risk":
        assert row.status == "at_risk"
        assert row.plan_feasible is False
        assert not row.extended
        assert row.reason
    elif state == "overdue":
        assert row.status == "overdue"
        assert row.deadline < today
        assert not row.extended
    elif state == "withdrawn":
        assert row.status == "withdrawn"
    elif state == "deadline extended":
        assert row.extended
        assert row.deadline >= today
        assert row.status in ("on_track", "at_risk")
    elif state == "just started":
        assert row.status == "on_track"
        assert not _left(row, "orientation")
        assert all(_left(row, course) for course in ("code", "pbk", "elective"))
    else:
        raise AssertionError(f"no check for the state {state!r}: add one")


# The demo is loaded on whatever day it is started: the same logins must show the same
# states whatever the month (a gap between course runs, the turn of a year).
@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 3, 18), dt.date(2027, 7, 1)])
def test_each_named_login_is_in_the_state_it_is_named_for(today: dt.date) -> None:
    call_command("seed_demo", today=today.isoformat(), stdout=io.StringIO())
    for state, public_id in showcase().items():
        try:
            _assert_shows(state, public_id, today)
        except AssertionError as exc:
            raise AssertionError(f"{public_id} is not {state} as of {today}: {exc}") from exc


def test_the_demo_prints_each_named_login_with_its_page(settings: Any) -> None:
    settings.BASE_URL = "http://127.0.0.1:9000"
    out = io.StringIO()
    call_command("seed_demo", today=TODAY.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    for state, public_id in showcase().items():
        line = next((x for x in lines if x.strip().startswith(state)), "")
        assert f"{public_id.lower()} / pathwise-demo" in line, (state, lines)
        assert line.endswith(f"http://127.0.0.1:9000/participants/{public_id}/")
    assert any("staff / pathwise-staff" in x and x.endswith("/staff/participants/")
               for x in lines)
    # The first participant named is the one to start with: someone mid-way, not finished.
    first = next(x for x in lines if "pathwise-demo" in x)
    assert first.strip().startswith("mid-course")


def test_the_readme_names_the_login_for_each_state() -> None:
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Two commands\n(.*?)(?=^## )", text, re.DOTALL | re.MULTILINE)
    assert section, "README.md needs its '## Two commands' section"
    rows = [line for line in section.group(1).splitlines() if line.startswith("| ")]
    for state, public_id in {"staff": "staff", **showcase()}.items():
        row = next((r for r in rows if r.startswith(f"| {state} ")), None)
        assert row is not None, f"README's demo table has no row for {state!r}"
        assert f"`{public_id.lower()}`" in row, row


def test_the_demo_has_unmet_demand_for_staff_to_plan_from() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=io.StringIO())
    requests = list(DemandRequest.objects.select_related("participant__standing"))
    people = {r.participant_id for r in requests}
    assert len(people) >= 5
    assert {r.participant.standing.status for r in requests} <= {"on_track", "at_risk"}
    assert {r.component for r in requests} >= {"CODE", "PBK"}
    # Registered by the action participants use, so each is in the audit log.
    assert AuditEntry.objects.filter(action="demand.registered").count() == len(requests)
    page = signed_in("staff", "pathwise-staff").get("/staff/demand/")
    assert page.status_code == 200
    assert f"{len(people)} participants told us when they could attend" in " ".join(
        page.content.decode().split())


def test_the_demo_has_an_extension_request_waiting_and_one_refused() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=io.StringIO())
    requests = {r.status: r for r in m.ExtensionRequest.objects.select_related(
        "enrollment__participant")}
    assert set(requests) == {"open", "refused"}
    assert requests["refused"].decided_by == "staff"
    page = signed_in("staff", "pathwise-staff").get("/staff/extension-requests/").content.decode()
    assert f'data-extension-request="{requests["open"].pk}"' in page
    who = requests["open"].enrollment.participant.public_id
    own = signed_in(who.lower(), "pathwise-demo").get(f"/participants/{who}/").content.decode()
    assert 'data-extension="open"' in own
def test_the_demo_has_people_on_a_second_version_taking_its_own_runs() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=None)
    on = dict(m.Enrollment.objects.values_list("participant__public_id",
                                               "program_version__version"))
    later = on_later_version()
    assert later == ["P-033", "P-036"]
    assert {on[p] for p in later} == {"2025"}
    assert Counter(on.values())["2023"] == 34
    # A run belongs to one version: nobody holds a seat on another version's run.
    for seat in Seat.objects.select_related("offering", "participant"):
        assert on[seat.participant.public_id] == seat.offering.program_version.version
    assert Offering.objects.filter(program_version__version="2025", component="EVAL",
                                   starts_on__gt=TODAY).exists()
    assert not Offering.objects.filter(program_version__version="2023",
                                       component="EVAL").exists()
    assert Seat.objects.filter(participant__public_id__in=later, status="enrolled").exists()
    for row in StandingRow.objects.filter(participant__public_id__in=later):
        assert row.status in ("on_track", "at_risk"), (row.participant_id, row.reason)
        assert row.plan_feasible, row.participant_id
    staff = signed_in("staff", "pathwise-staff")
    page = staff.get("/staff/participants/P-036/version/", {"to": "2023"}).content.decode()
    assert "Version 2025 (now)" in page
