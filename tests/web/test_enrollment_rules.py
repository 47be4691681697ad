"""Each enrollment rule refuses with its reason, through HTTP and through `pathwise enroll`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_intake, publish_offering, sync_programs
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.cli import main
from pathwise.core.program import ProgramLibrary
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m
from tests.builders import ada_file, drop_components
from tests.cli.conftest import SECOND_PROGRAMS_DIR
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def grace_in_intake(grace: m.Participant) -> m.Participant:
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    enrollment = grace.enrollments.get()
    enrollment.intake = publish_intake(Actor("staff"), version, "CERT25F", dt.date(2025, 10, 1))
    enrollment.save()
    return grace


def without(import_files: Callable[..., list[str]], *codes: str) -> None:
    """Grace again, as if she had no records of these components (re-imported)."""
    data = ada_file("P-002", "Grace Hopper", enrolled_on="2025-10-01")
    data["records"] = drop_components(data["records"], *codes)
    import_files(data)


def refused_over_http(code: str) -> str:
    response = signed_in("grace", "grace-password-1").post(f"/catalogue/{code}/enroll/")
    assert response.status_code == 400
    return response.content.decode()


def refused_on_cli(code: str, capsys: Any) -> str:
    assert main(["enroll", "P-002", code, "--as-of", TODAY.isoformat()]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    return err


def test_a_prerequisite_must_be_completed_first(grace_in_intake: m.Participant,
                                                publish_run: Callable[..., Offering],
                                                capsys: Any) -> None:
    publish_run("COP-A", "COP", starts_on=dt.date(2027, 3, 2))
    for text in (refused_over_http("COP-A"), refused_on_cli("COP-A", capsys)):
        assert "COP needs CODE and PBK completed first" in text
        assert "PBK" in text
    assert "refused (prerequisite)" in refused_on_cli("COP-A", capsys)
    assert not Seat.objects.exists()


def test_only_one_multi_week_course_at_a_time(publish_run: Callable[..., Offering],
                                              grace_in_intake: m.Participant,
                                              import_files: Callable[..., list[str]],
                                              capsys: Any) -> None:
    without(import_files, "CODE")  # so a CODE run is open to her but for the overlap
    held = publish_run("PBK-A", "PBK", starts_on=dt.date(2027, 3, 2))
    publish_run("CODE-B", "CODE", starts_on=dt.date(2027, 3, 30))
    take_seat(grace_in_intake, held, Actor("grace"), today=TODAY)
    for text in (refused_over_http("CODE-B"), refused_on_cli("CODE-B", capsys)):
        assert "overlaps your PBK run PBK-A" in text
        assert "only one multi-week course at a time" in text
    assert Seat.objects.count() == 1


def test_orientation_only_in_your_own_intake(grace_in_intake: m.Participant,
                                            publish_run: Callable[..., Offering],
                                            import_files: Callable[..., list[str]],
                                            capsys: Any) -> None:
    without(import_files, "ORIENT")  # so orientation is still to do
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    other = publish_intake(Actor("staff"), version, "CERT27W", dt.date(2027, 1, 11))
    publish_run("ORIENT-27W", "ORIENT", starts_on=dt.date(2027, 1, 11), intake=other)
    for text in (refused_over_http("ORIENT-27W"), refused_on_cli("ORIENT-27W", capsys)):
        assert "CERT27W" in text
        assert "CERT25F" in text
    assert not Seat.objects.exists()


def test_a_private_run_only_for_its_organization(publish_run: Callable[..., Offering],
                                                 grace_in_intake: m.Participant,
                                                 capsys: Any) -> None:
    publish_run("PBK-PRIV", "PBK", starts_on=dt.date(2027, 3, 2), private_to="Genome Society")
    for text in (refused_over_http("PBK-PRIV"), refused_on_cli("PBK-PRIV", capsys)):
        assert "private run for Genome Society" in text
    grace_in_intake.organization = "Genome Society"
    grace_in_intake.save()
    assert main(["enroll", "P-002", "PBK-PRIV", "--as-of", TODAY.isoformat()]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "enrolled"


def test_enroll_on_the_command_line_names_unknown_people_and_runs(capsys: Any,
                                                                  grace: m.Participant) -> None:
    assert main(["enroll", "P-404", "X"]) == 2
    assert "no participant 'P-404'" in capsys.readouterr().err
    assert main(["enroll", "P-002", "NOPE"]) == 2
    assert "no offering 'NOPE'" in capsys.readouterr().err


def test_a_run_of_another_loaded_program_is_refused_naming_both(
        grace_in_intake: m.Participant, capsys: Any) -> None:
    sync_programs(Actor("staff"), ProgramLibrary.shipped([SECOND_PROGRAMS_DIR]))
    other = ProgramVersion.objects.get(program_id="field-facilitator", version="2025.1")
    publish_offering(Actor("staff"), other, "FAC-101-27", component="FAC-101",
                     starts_on=dt.date(2027, 3, 2), ends_on=dt.date(2027, 4, 27), capacity=20,
                     meeting_days=["TU"], meeting_time=dt.time(12), meeting_minutes=90,
                     timezone="America/New_York")
    for text in (refused_over_http("FAC-101-27"), refused_on_cli("FAC-101-27", capsys)):
        assert "FAC-101-27 is a run of field-facilitator 2025.1" in text
        assert "you are enrolled in cscce-cm 2023" in text
    assert "refused (own-program)" in refused_on_cli("FAC-101-27", capsys)
    assert not Seat.objects.exists()


# -- who may take a seat at all (issue: enrollment took seats nobody should get) -------


def test_a_run_that_has_started_takes_no_one(grace_in_intake: m.Participant,
                                             publish_run: Callable[..., Offering],
                                             capsys: Any) -> None:
    publish_run("PBK-OLD", "PBK", starts_on=TODAY - dt.timedelta(days=600))
    publish_run("PBK-NOW", "PBK", starts_in=-3)
    assert "refused (started): PBK-OLD ended on" in refused_on_cli("PBK-OLD", capsys)
    assert "PBK-NOW started on" in refused_over_http("PBK-NOW")
    assert not Seat.objects.exists()


def test_withdrawn_and_overdue_participants_take_no_seat(
    ada: m.Participant, grace_in_intake: m.Participant, import_files: Callable[..., list[str]],
    publish_run: Callable[..., Offering], capsys: Any,
) -> None:
    publish_run("PBK-A", "PBK", starts_on=dt.date(2027, 3, 2))
    # Ada's deadline was 31 August 2025.
    assert main(["enroll", "P-001", "PBK-A", "--as-of", TODAY.isoformat()]) == 2
    assert "refused (overdue): Your deadline (Sun 31 Aug 2025) has passed" in \
        capsys.readouterr().err
    import_files(ada_file("P-002", "Grace Hopper", enrolled_on="2025-10-01",
                          withdrawn_on="2026-06-01"))
    for text in (refused_over_http("PBK-A"), refused_on_cli("PBK-A", capsys)):
        assert "You have withdrawn from the program" in text
    assert not Seat.objects.exists()


def test_a_certified_participant_may_join_only_skills_shares(
    import_files: Callable[..., list[str]], publish_run: Callable[..., Offering],
    capsys: Any,
) -> None:
    from tests.builders import make_records_file

    import_files(make_records_file(participant={"id": "P-009", "name": "Done",
                                                "timezone": "UTC"}))
    publish_run("MW-R", "MW-ROLES", starts_on=dt.date(2027, 3, 3))
    publish_run("QSS-27", "QSS", starts_on=dt.date(2027, 3, 11))
    assert main(["enroll", "P-009", "MW-R", "--as-of", TODAY.isoformat()]) == 2
    assert "refused (certified): You are certified: only skills shares remain open" in \
        capsys.readouterr().err
    assert main(["enroll", "P-009", "QSS-27", "--as-of", TODAY.isoformat()]) == 0


def test_a_course_already_passed_is_refused_and_so_is_its_waitlist(
    grace_in_intake: m.Participant, import_files: Callable[..., list[str]],
    publish_run: Callable[..., Offering], capsys: Any,
) -> None:
    from tests.builders import make_records_file

    import_files(make_records_file(
        [{"component": "ORIENT", "date": "2026-01-12", "outcome": "attended"}],
        enrolled_on="2026-01-12", participant={"id": "P-050", "name": "Holder",
                                               "timezone": "UTC"}))
    full = publish_run("CODE-FULL", "CODE", starts_on=dt.date(2027, 3, 2), capacity=1)
    take_seat(m.Participant.objects.get(public_id="P-050"), full, Actor("staff"), today=TODAY)
    for text in (refused_over_http("CODE-FULL"), refused_on_cli("CODE-FULL", capsys)):
        assert "You completed CODE (Content Design) on Tue 5 Dec 2023" in text
    assert not Seat.objects.filter(participant=grace_in_intake).exists()


def test_one_place_per_course_a_second_run_is_refused(
    grace_in_intake: m.Participant, publish_run: Callable[..., Offering], capsys: Any,
) -> None:
    first = publish_run("PBK-A", "PBK", starts_on=dt.date(2027, 3, 2))
    publish_run("PBK-B", "PBK", starts_on=dt.date(2027, 6, 1))
    take_seat(grace_in_intake, first, Actor("grace"), today=TODAY)
    for text in (refused_over_http("PBK-B"), refused_on_cli("PBK-B", capsys)):
        assert "You already hold a place on PBK-A for PBK" in text


def test_a_workshop_at_the_hour_of_a_held_course_meeting_is_refused(
    grace_in_intake: m.Participant, publish_run: Callable[..., Offering], capsys: Any,
) -> None:
    course = publish_run("PBK-A", "PBK", starts_on=dt.date(2027, 3, 2))  # Tuesdays, Thursdays
    publish_run("MW-CLASH", "MW-ROLES", starts_on=dt.date(2027, 3, 9))   # a Tuesday, 12:00
    publish_run("MW-LATER", "MW-ROLES", starts_on=dt.date(2027, 3, 10),
                meeting_time=dt.time(15))
    take_seat(grace_in_intake, course, Actor("grace"), today=TODAY)
    for text in (refused_over_http("MW-CLASH"), refused_on_cli("MW-CLASH", capsys)):
        assert "MW-CLASH meets Tue 9 Mar 2027" in text
        assert "at the same time as your PBK run PBK-A" in text
    assert main(["enroll", "P-002", "MW-LATER", "--as-of", TODAY.isoformat()]) == 0


def test_promotion_passes_over_someone_the_rules_no_longer_allow(
    grace_in_intake: m.Participant, import_files: Callable[..., list[str]],
    publish_run: Callable[..., Offering],
) -> None:
    from pathwise.enrollment.actions import give_up_seat
    from tests.builders import make_records_file

    import_files(make_records_file(
        [{"component": "ORIENT", "date": "2026-01-12", "outcome": "attended"}],
        enrolled_on="2026-01-12", participant={"id": "P-050", "name": "Holder",
                                               "timezone": "UTC"}))
    holder = m.Participant.objects.get(public_id="P-050")
    run = publish_run("MW-ONE", "MW-ROLES", starts_on=dt.date(2027, 3, 3), capacity=1)
    seat = take_seat(holder, run, Actor("t"), today=TODAY).seat
    assert take_seat(grace_in_intake, run, Actor("t"), today=TODAY).waitlist_position == 1
    # While she waits, Grace withdraws from the program.
    import_files(ada_file("P-002", "Grace Hopper", enrolled_on="2025-10-01",
                          withdrawn_on="2026-06-01"))
    assert give_up_seat(seat, Actor("t"), today=TODAY) is None  # nobody is promoted
    waiting = Seat.objects.get(offering=run, participant=grace_in_intake)
    assert waiting.status == Seat.WAITLISTED
