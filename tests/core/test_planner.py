"""The planner (pathwise.core.planner) against hand-worked cases on the shipped program.

Most cases start from MIDWAY: a participant enrolled on 2023-09-21 (deadline
2025-08-31) who has done orientation, six mini-workshops and both skills
shares with their talk, and has CODE, PBK, the elective and the capstone left.
Course runs are 49 days long and meet on Tuesdays at noon in New York unless a
case says otherwise.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathwise.core.enrollment import Enrollee, check, passed_on
from pathwise.core.errors import PathwiseError
from pathwise.core.offerings import Offering, OfferingsFile, first_clash, load_offerings_json
from pathwise.core.planner import Plan, PlanError, fits, parse_availability, plan
from pathwise.core.program import Program, ProgramLibrary
from pathwise.core.records import ParticipantRecords
from tests.builders import drop_components, make_records_file

D = dt.date.fromisoformat
AS_OF = "2024-10-01"


def offering(offering_id: str, component: str, starts_on: str, ends_on: str | None = None,
             *, seats_left: int | None = 5, days: tuple[str, ...] = ("TU",),
             time: str = "12:00", minutes: int = 90, timezone: str = "America/New_York",
             cancelled: tuple[str, ...] | list[str] = (), **more: Any) -> dict[str, Any]:
    """One offering as the offerings file spells it; courses default to 49 days."""
    if ends_on is None:
        days_long = 48 if component in ("CODE", "PBK", "NOC", "COP") else 0
        ends_on = (D(starts_on) + dt.timedelta(days=days_long)).isoformat()
    return {"id": offering_id, "component": component, "starts_on": starts_on,
            "ends_on": ends_on, "seats_left": seats_left,
            "meetings": {"days": list(days), "time": time, "minutes": minutes,
                         "timezone": timezone, "cancelled": list(cancelled)},
            **more}


def catalogue(*offerings: dict[str, Any]) -> OfferingsFile:
    return load_offerings_json(json.dumps({"offerings": list(offerings)}), source="test")


MIDWAY_RECORDS: list[dict[str, Any]] = [
    {"component": "ORIENT", "date": "2023-09-21", "outcome": "attended"},
    *({"component": code, "date": "2023-10-05", "outcome": "attended"}
      for code in ("MW-CORE-VALUES", "MW-FEEDBACK", "MW-MEETINGS", "MW-FACILITATION",
                   "MW-ONBOARDING", "MW-METRICS")),
    {"component": "QSS", "date": "2023-12-14", "outcome": "attended"},
    {"component": "QSS", "date": "2024-03-14", "outcome": "attended", "role": "presenter"},
]


def midway(records: list[dict[str, Any]] | None = None, **participant: Any) -> dict[str, Any]:
    data = make_records_file(list(MIDWAY_RECORDS) + (records or []))
    data["participant"].update(participant)
    return data


@pytest.fixture
def planned(program: Program, parse: Callable[[dict[str, Any]], ParticipantRecords]
            ) -> Callable[..., Plan]:
    def _plan(records: dict[str, Any], offerings: OfferingsFile, as_of: str = AS_OF,
              intake: str | None = None) -> Plan:
        return plan(program, parse(records), offerings, D(as_of), intake=intake)

    return _plan


def runs(result: Plan) -> list[tuple[str, str | None]]:
    return [(s.component, s.offering.id if s.offering else None) for s in result.steps]


# -- order -------------------------------------------------------------------------------


def test_prerequisites_put_the_elective_after_code_and_pbk(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),                 # ends 2024-11-25
        offering("NOC24W", "NOC", "2024-12-03"),                   # too early: PBK not done
        offering("PBK25W", "PBK", "2025-01-07"),                   # ends 2025-02-24
        offering("NOC25S", "NOC", "2025-04-01"),                   # ends 2025-05-19
    )
    result = planned(midway(), offerings)
    assert runs(result) == [("CODE", "CODE24F"), ("PBK", "PBK25W"), ("NOC", "NOC25S"),
                            ("CAPSTONE", None)]
    capstone = result.steps[-1]
    assert capstone.starts_on == capstone.ends_on == D("2025-05-20")
    assert result.finishes_on == D("2025-05-20")
    assert result.feasible
    assert result.reasons == ()


def test_pbk_before_code_is_planned_when_that_finishes_earlier(planned):
    offerings = catalogue(
        offering("PBK24F", "PBK", "2024-10-08"),                   # ends 2024-11-25
        offering("CODE24W", "CODE", "2024-12-03"),                 # ends 2025-01-20
        offering("CODE25W", "CODE", "2024-10-15"),                 # overlaps PBK24F
        offering("COP25W", "COP", "2025-02-04"),                   # ends 2025-03-24
    )
    result = planned(midway(), offerings)
    assert runs(result) == [("PBK", "PBK24F"), ("CODE", "CODE24W"), ("COP", "COP25W"),
                            ("CAPSTONE", None)]
    assert result.finishes_on == D("2025-03-25")


def test_the_elective_is_whichever_of_noc_and_cop_finishes_first(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),
        offering("PBK24W", "PBK", "2024-12-03"),                   # ends 2025-01-20
        offering("NOC25S", "NOC", "2025-03-04"),
        offering("COP25W", "COP", "2025-02-04"),
    )
    assert ("COP", "COP25W") in runs(planned(midway(), offerings))


def test_only_runs_starting_after_the_as_of_date_are_used(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-01"),                 # starts on as-of: too late
        offering("CODE24W", "CODE", "2024-10-02"),
        offering("PBK24W", "PBK", "2024-12-03"),
        offering("NOC25S", "NOC", "2025-03-04"),
    )
    assert runs(planned(midway(), offerings))[0] == ("CODE", "CODE24W")


# -- seats and privacy --------------------------------------------------------------------


def test_a_full_run_is_skipped_for_the_next_one(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08", seats_left=0),
        offering("CODE24W", "CODE", "2024-12-03"),                 # ends 2025-01-20
        offering("PBK25W", "PBK", "2025-01-28"),                   # ends 2025-03-17
        offering("NOC25S", "NOC", "2025-04-01"),                   # ends 2025-05-19
    )
    result = planned(midway(), offerings)
    assert runs(result)[0] == ("CODE", "CODE24W")
    assert result.finishes_on == D("2025-05-20")


def test_a_run_with_no_seat_count_is_used(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08", seats_left=None),
        offering("PBK24W", "PBK", "2024-12-03"),
        offering("NOC25S", "NOC", "2025-03-04"),
    )
    assert runs(planned(midway(), offerings))[0] == ("CODE", "CODE24F")


def test_a_private_run_is_used_only_by_its_organization(planned):
    offerings = catalogue(
        offering("CODE24F-ACME", "CODE", "2024-10-08", private_to="ACME Labs"),
        offering("CODE24W", "CODE", "2024-12-03"),
        offering("PBK25W", "PBK", "2025-01-28"),
        offering("NOC25S", "NOC", "2025-04-01"),
    )
    assert runs(planned(midway(), offerings))[0] == ("CODE", "CODE24W")
    at_acme = midway(organization="ACME Labs")
    assert runs(planned(at_acme, offerings))[0] == ("CODE", "CODE24F-ACME")


# -- availability and time zones ----------------------------------------------------------


WORKING_HOURS = [{"days": ["MO", "TU", "WE", "TH", "FR"], "from": "08:00", "to": "18:00"}]


def test_availability_excludes_an_evening_run(planned):
    offerings = catalogue(
        # 19:00 in London, after the participant's working hours end at 18:00.
        offering("CODE24F-EVE", "CODE", "2024-10-08", time="19:00", timezone="Europe/London"),
        offering("CODE24W", "CODE", "2024-12-03", time="10:00", timezone="Europe/London"),
        offering("PBK25W", "PBK", "2025-01-28", time="10:00", timezone="Europe/London"),
        offering("NOC25S", "NOC", "2025-04-01", time="10:00", timezone="Europe/London"),
    )
    result = planned(midway(availability=WORKING_HOURS), offerings)
    assert runs(result)[0] == ("CODE", "CODE24W")
    # Without availability, any time suits and the evening run is the earliest.
    assert runs(planned(midway(), offerings))[0] == ("CODE", "CODE24F-EVE")


def test_a_weekend_run_does_not_fit_weekday_availability(planned):
    offerings = catalogue(
        offering("CODE24F-SAT", "CODE", "2024-10-08", days=("SA",), time="10:00",
                 timezone="Europe/London"),
        offering("CODE24W", "CODE", "2024-12-03", time="10:00", timezone="Europe/London"),
        offering("PBK25W", "PBK", "2025-01-28", time="10:00", timezone="Europe/London"),
        offering("NOC25S", "NOC", "2025-04-01", time="10:00", timezone="Europe/London"),
    )
    result = planned(midway(availability=WORKING_HOURS), offerings)
    assert runs(result)[0] == ("CODE", "CODE24W")


# A participant in London free 17:00-20:00 on weekdays, and CODE meeting at noon
# in New York for an hour. New York is normally five hours behind London, so the
# meeting is 17:00-18:00 on the London clock: inside. But the US moves its
# clocks on 9 March 2025 and the UK only on 30 March 2025; for those three weeks
# New York is four hours behind and the meeting is 16:00-17:00 in London:
# outside. A run meeting on 11, 18 or 25 March does not fit; one entirely after
# 30 March (both on summer time, five hours apart again) does.
AFTER_WORK = [{"days": ["MO", "TU", "WE", "TH", "FR"], "from": "17:00", "to": "20:00"}]
GAP_WEEKS = ["2025-03-11", "2025-03-18", "2025-03-25"]


def dst_catalogue(**cross_gap: Any) -> OfferingsFile:
    return catalogue(
        offering("CODE25-GAP", "CODE", "2025-02-11", "2025-03-31", minutes=60, **cross_gap),
        offering("CODE25-SPRING", "CODE", "2025-04-01", "2025-05-19", minutes=60),
        offering("PBK25-SUMMER", "PBK", "2025-05-27", "2025-07-14", minutes=60),
        offering("NOC25-FALL", "NOC", "2025-09-02", "2025-10-20", minutes=60),
    )


def test_a_run_whose_noon_new_york_meetings_leave_london_hours_in_the_dst_gap_is_skipped(
    planned,
):
    result = planned(midway(availability=AFTER_WORK), dst_catalogue(), as_of="2025-01-15")
    assert runs(result)[0] == ("CODE", "CODE25-SPRING")


def test_the_same_run_fits_once_its_meetings_in_the_dst_gap_are_cancelled(planned):
    offerings = dst_catalogue(cancelled=GAP_WEEKS)
    result = planned(midway(availability=AFTER_WORK), offerings, as_of="2025-01-15")
    assert runs(result)[0] == ("CODE", "CODE25-GAP")


def test_a_single_noon_new_york_meeting_is_1600_or_1700_in_london_by_the_date():
    london = ZoneInfo("Europe/London")
    windows = parse_availability(AFTER_WORK, source="test")

    def meeting_on(day: str) -> Offering:
        [only] = catalogue(offering(f"CODE-{day}", "CODE", day, day, minutes=60)).offerings
        return only

    assert fits(meeting_on("2025-03-04"), london, windows)      # 17:00 GMT
    assert not fits(meeting_on("2025-03-11"), london, windows)  # 16:00 GMT: US already on EDT
    assert fits(meeting_on("2025-04-01"), london, windows)      # 17:00 BST
    assert fits(meeting_on("2025-03-11"), london, None)         # no availability: any time


def test_a_participant_in_new_york_is_not_affected_by_the_dst_gap(planned):
    noon_to_one = [{"days": ["TU"], "from": "12:00", "to": "13:00"}]
    result = planned(midway(timezone="America/New_York", availability=noon_to_one),
                     dst_catalogue(), as_of="2025-01-15")
    assert runs(result)[0] == ("CODE", "CODE25-GAP")


# -- what the participant already has ------------------------------------------------------


def test_a_participant_with_noc_credit_gets_no_elective_step(planned):
    credited = midway([{"component": "NOC", "date": "2024-02-01", "outcome": "credited",
                        "basis": "NOC pilot 2021", "conditions_met": True}])
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),                 # ends 2024-11-25
        offering("PBK24W", "PBK", "2024-12-03"),                   # ends 2025-01-20
        offering("NOC25S", "NOC", "2025-03-04"),
        offering("COP25S", "COP", "2025-03-04"),
    )
    result = planned(credited, offerings)
    assert runs(result) == [("CODE", "CODE24F"), ("PBK", "PBK24W"), ("CAPSTONE", None)]
    assert result.finishes_on == D("2025-01-21")


def test_a_credit_waiting_for_its_conditions_does_not_count(planned):
    pending = midway([{"component": "NOC", "date": "2024-02-01", "outcome": "credited",
                       "basis": "NOC pilot 2021", "conditions_met": False}])
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),
        offering("PBK24W", "PBK", "2024-12-03"),
        offering("NOC25S", "NOC", "2025-03-04"),
    )
    assert ("NOC", "NOC25S") in runs(planned(pending, offerings))


def test_passed_courses_leave_only_the_capstone_the_day_after_as_of(planned):
    done = midway([
        {"component": "CODE", "date": "2024-03-01", "outcome": "passed"},
        {"component": "PBK", "date": "2024-06-01", "outcome": "passed"},
        {"component": "COP", "date": "2024-09-01", "outcome": "passed"},
    ])
    result = planned(done, catalogue())
    assert runs(result) == [("CAPSTONE", None)]
    assert result.finishes_on == D("2024-10-02")
    assert result.feasible


def test_a_certified_participant_has_nothing_left_to_plan(planned, records_file):
    result = planned(records_file(), catalogue(), as_of="2024-09-01")
    assert result.feasible
    assert result.steps == ()
    assert result.finishes_on == D("2024-08-01")


def test_missing_workshops_skills_shares_and_the_talk_are_planned_at_their_earliest(planned):
    records = drop_components(MIDWAY_RECORDS, "MW-METRICS", "MW-ONBOARDING", "QSS")
    records.append({"component": "QSS", "date": "2024-03-14", "outcome": "attended"})
    data = make_records_file([*records,
                              {"component": "CODE", "date": "2024-03-01", "outcome": "passed"},
                              {"component": "PBK", "date": "2024-06-01", "outcome": "passed"},
                              {"component": "COP", "date": "2024-09-01", "outcome": "passed"}])
    offerings = catalogue(
        offering("MW-ROLES-1", "MW-ROLES", "2024-11-05"),
        offering("MW-MEETINGS-2", "MW-MEETINGS", "2024-10-15"),    # already attended
        offering("MW-CONFLICT-1", "MW-CONFLICT", "2025-02-04"),
        offering("MW-ROLES-2", "MW-ROLES", "2024-10-22", seats_left=0),
        offering("MW-CHAMPIONS-1", "MW-CHAMPIONS", "2025-05-06"),
        offering("QSS24Q4", "QSS", "2024-12-12"),
        offering("QSS25Q1", "QSS", "2025-03-13"),
    )
    result = planned(data, offerings)
    assert runs(result) == [("CAPSTONE", None), ("MW-ROLES", "MW-ROLES-1"),
                            ("QSS", "QSS24Q4"), ("MW-CONFLICT", "MW-CONFLICT-1")]
    qss = next(s for s in result.steps if s.component == "QSS")
    assert qss.role == "presenter"
    assert result.finishes_on == D("2025-02-04")


def test_orientation_is_planned_only_in_the_participants_own_intake(planned):
    records = drop_components(MIDWAY_RECORDS, "ORIENT")
    data = make_records_file([*records,
                              {"component": "CODE", "date": "2024-03-01", "outcome": "passed"},
                              {"component": "PBK", "date": "2024-06-01", "outcome": "passed"},
                              {"component": "COP", "date": "2024-09-01", "outcome": "passed"}])
    offerings = catalogue(
        offering("ORIENT-2025-01", "ORIENT", "2025-01-13", "2025-02-03", intake="2025-01"),
        offering("ORIENT-2025-09", "ORIENT", "2025-09-08", "2025-09-29", intake="2025-09"),
    )
    assert ("ORIENT", "ORIENT-2025-09") in runs(planned(data, offerings, intake="2025-09"))
    assert ("ORIENT", "ORIENT-2025-01") in runs(planned(data, offerings, intake="2025-01"))
    unknown = planned(data, offerings)
    assert not unknown.feasible
    assert unknown.finishes_on is None
    assert unknown.reasons == (
        "orientation: no ORIENT run open to you is still to start "
        "(2 not in your intake)",)


# -- when it cannot be done ---------------------------------------------------------------


def test_an_elective_only_after_the_deadline_makes_the_plan_infeasible_and_says_why(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),
        offering("PBK25S", "PBK", "2025-05-06"),                   # ends 2025-06-23
        offering("NOC25S", "NOC", "2025-06-03"),                   # overlaps PBK25S
        offering("NOC25F", "NOC", "2025-09-02"),                   # ends 2025-10-20
    )
    result = planned(midway(), offerings)
    assert not result.feasible
    assert result.finishes_on == D("2025-10-21")
    assert result.deadline == D("2025-08-31")
    assert result.reasons == (
        "elective: the earliest NOC run open to you that fits the plan, NOC25F, ends on "
        "Mon 20 Oct 2025, after the deadline Sun 31 Aug 2025",
        "capstone: CAPSTONE can come only on Tue 21 Oct 2025, the day after the courses end, "
        "after the deadline Sun 31 Aug 2025",
    )


def test_no_elective_run_after_pbk_names_the_requirement_and_the_missing_run(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),
        offering("PBK25W", "PBK", "2025-01-07"),                   # ends 2025-02-24
        offering("NOC24W", "NOC", "2024-12-03"),                   # before PBK
        offering("COP25S", "COP", "2025-04-01", seats_left=0),
    )
    result = planned(midway(), offerings)
    assert not result.feasible
    assert result.finishes_on is None
    assert result.reasons == (
        "elective: no NOC or COP run open to you starts after PBK ends on Mon 24 Feb 2025 (1 full)",
        "capstone: waits for the courses, which cannot all be planned",
    )


def test_too_few_workshops_on_offer_is_a_reason(planned):
    records = drop_components(MIDWAY_RECORDS, "MW-METRICS", "MW-ONBOARDING")
    data = make_records_file([*records,
                              {"component": "CODE", "date": "2024-03-01", "outcome": "passed"},
                              {"component": "PBK", "date": "2024-06-01", "outcome": "passed"},
                              {"component": "COP", "date": "2024-09-01", "outcome": "passed"}])
    result = planned(data, catalogue(offering("MW-ROLES-1", "MW-ROLES", "2024-11-05")))
    assert not result.feasible
    assert len(result.reasons) == 1
    assert result.reasons[0].startswith(
        "mini-workshops: 2 more distinct mini-workshops needed but only 1 has a run open to "
        "you still to start; none of MW-ONBOARDING, MW-METRICS")
    assert ("MW-ROLES", "MW-ROLES-1") in runs(result)  # still worth taking


LATE_ELECTIVE = (
    offering("CODE24F", "CODE", "2024-10-08"),
    offering("PBK25S", "PBK", "2025-05-06"),                       # ends 2025-06-23
    offering("NOC25F", "NOC", "2025-09-02"),                       # ends 2025-10-20
)


def test_a_deadline_extension_makes_the_same_plan_feasible(planned):
    extended = midway()
    extended["deadline_extended_to"] = "2025-12-31"
    result = planned(extended, catalogue(*LATE_ELECTIVE))
    assert result.feasible
    assert result.deadline == D("2025-12-31")
    assert result.finishes_on == D("2025-10-21")


def test_after_the_deadline_every_requirement_still_open_is_a_reason(planned):
    result = planned(midway(), catalogue(offering("CODE25F", "CODE", "2025-09-09"),
                                         offering("PBK25W", "PBK", "2025-11-04"),
                                         offering("COP26S", "COP", "2026-01-06")),
                     as_of="2025-09-01")
    assert not result.feasible
    assert [r.split(":")[0] for r in result.reasons] == ["code", "pbk", "elective", "capstone"]


def test_a_talk_still_owed_is_planned_at_the_earliest_session_even_with_enough_sessions(
    planned,
):
    records = drop_components(MIDWAY_RECORDS, "QSS")
    records += [{"component": "QSS", "date": "2023-12-14", "outcome": "attended"},
                {"component": "QSS", "date": "2024-03-14", "outcome": "attended"}]
    data = make_records_file([*records,
                              {"component": "CODE", "date": "2024-03-01", "outcome": "passed"},
                              {"component": "PBK", "date": "2024-06-01", "outcome": "passed"},
                              {"component": "COP", "date": "2024-09-01", "outcome": "passed"}])
    result = planned(data, catalogue(offering("QSS25Q1", "QSS", "2025-03-13"),
                                     offering("QSS24Q4", "QSS", "2024-12-12")))
    assert [(s.component, s.offering.id if s.offering else None, s.role)
            for s in result.steps] == [("CAPSTONE", None, None),
                                       ("QSS", "QSS24Q4", "presenter")]
    assert result.finishes_on == D("2024-12-12")


def test_one_orientation_workshop_missing_still_plans_the_other(planned):
    records = drop_components(MIDWAY_RECORDS, "MW-CORE-VALUES", "MW-FEEDBACK")
    data = make_records_file([*records,
                              {"component": "MW-ROLES", "date": "2024-01-10",
                               "outcome": "attended"},
                              {"component": "MW-CONFLICT", "date": "2024-01-11",
                               "outcome": "attended"},
                              {"component": "CODE", "date": "2024-03-01", "outcome": "passed"},
                              {"component": "PBK", "date": "2024-06-01", "outcome": "passed"},
                              {"component": "COP", "date": "2024-09-01", "outcome": "passed"}])
    result = planned(data, catalogue(offering("MW-FEEDBACK-1", "MW-FEEDBACK", "2024-11-05")))
    assert ("MW-FEEDBACK", "MW-FEEDBACK-1") in runs(result)
    assert result.reasons[0] == ("orientation-mini-workshops: no MW-CORE-VALUES run open to "
                                 "you is still to start (none is offered)")


def test_a_withdrawn_participant_gets_no_plan(planned):
    data = midway()
    data["withdrawn_on"] = "2024-06-01"
    result = planned(data, catalogue(offering("CODE24F", "CODE", "2024-10-08")))
    assert not result.feasible
    assert result.steps == ()
    assert result.reasons == ("withdrew from the program on Sat 1 Jun 2024",)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(("availability", "words"), [
    ([], "participant.availability: needs at least one window"),
    ([{"days": ["MO"], "from": "8am", "to": "18:00"}],
     "participant.availability[0].from: expected a time as HH:MM, got '8am'"),
    ([{"days": ["Monday"], "from": "08:00", "to": "18:00"}],
     "participant.availability[0].days: 'Monday' is not one of MO, TU"),
    ([{"days": [], "from": "08:00", "to": "18:00"}],
     "participant.availability[0].days: expected a non-empty list"),
    ([{"days": ["MO"], "from": "18:00", "to": "08:00"}],
     "participant.availability[0].to: 08:00 is not after from 18:00"),
    ([{"days": ["MO"], "from": "08:00"}], "participant.availability[0].to: missing required key"),
    ([{"days": ["MO"], "from": "08:00", "to": "18:00", "zone": "UTC"}],
     "participant.availability[0].zone: unknown key"),
])
def test_bad_availability_is_refused_naming_the_window(program, parse, availability, words):
    # Records read from a file have their availability checked on reading; these
    # are built in memory, as from stored rows, so the planner checks again.
    records = parse(midway())
    records = msgspec.structs.replace(records, participant=msgspec.structs.replace(
        records.participant, availability=tuple(availability)))
    with pytest.raises(PlanError, match=r"^records: " + words.replace("[", r"\[")
                       .replace("]", r"\]").replace("(", r"\(")):
        plan(program, records, catalogue(), D(AS_OF))


def test_availability_to_midnight_is_allowed(planned):
    late = [{"days": ["TU"], "from": "20:00", "to": "24:00"}]
    offerings = catalogue(offering("CODE24F", "CODE", "2024-10-08", time="22:30",
                                   timezone="Europe/London"))
    result = planned(midway(availability=late), offerings)
    assert ("CODE", "CODE24F") in runs(result)


def test_an_offering_of_an_unknown_component_is_refused(planned):
    with pytest.raises(PathwiseError, match=r"offerings\[0\]\.component: unknown component "
                                            r"'CODEX' in cscce-cm 2023"):
        planned(midway(), catalogue(offering("X1", "CODEX", "2024-10-08")))


# -- held seats ---------------------------------------------------------------------------


def holding(data: dict[str, Any], *runs_held: str) -> dict[str, Any]:
    return {**data, "holding": list(runs_held)}


def test_a_held_run_is_a_fixed_step_even_when_the_catalogue_shows_it_full(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),                 # ends 2024-11-25
        offering("PBK25E", "PBK", "2024-12-03"),                   # earliest PBK
        offering("PBK25H", "PBK", "2025-01-14", seats_left=0),     # held: full for others
        offering("NOC25S", "NOC", "2025-04-01"),
    )
    result = planned(holding(midway(), "PBK25H"), offerings)
    assert runs(result) == [("CODE", "CODE24F"), ("PBK", "PBK25H"), ("NOC", "NOC25S"),
                            ("CAPSTONE", None)]
    assert [s.held for s in result.steps] == [False, True, False, False]
    assert result.feasible
    assert result.to_json()["steps"][1]["held"] is True


def test_nothing_is_planned_against_a_held_course(planned):
    offerings = catalogue(
        offering("PBK25H", "PBK", "2024-10-08"),                   # held, to 2024-11-25
        offering("CODE24X", "CODE", "2024-10-15"),                 # overlaps the held PBK
        offering("CODE25W", "CODE", "2024-12-03"),
        offering("COP25S", "COP", "2025-02-04"),
    )
    result = planned(holding(midway(), "PBK25H"), offerings)
    assert runs(result) == [("PBK", "PBK25H"), ("CODE", "CODE25W"), ("COP", "COP25S"),
                            ("CAPSTONE", None)]


def test_a_held_elective_whose_prerequisites_cannot_come_first_makes_the_plan_infeasible(
    planned,
):
    offerings = catalogue(
        offering("NOC24H", "NOC", "2024-10-08"),                   # held, but CODE and PBK not done
        offering("CODE24W", "CODE", "2024-12-03"),
        offering("PBK25W", "PBK", "2025-02-04"),
    )
    result = planned(holding(midway(), "NOC24H"), offerings)
    assert not result.feasible
    assert any(r.startswith("elective: you hold NOC24H, but NOC needs CODE and PBK completed "
                            "first") for r in result.reasons), result.reasons


def test_a_held_run_that_is_not_in_the_offerings_file_is_refused_naming_it(planned):
    with pytest.raises(PlanError, match=r"^records: holding\[0\]: 'PBK99' is not in offerings$"):
        planned(holding(midway(), "PBK99"), catalogue(offering("CODE24F", "CODE", "2024-10-08")))


def test_two_held_runs_meeting_at_the_same_time_are_reported(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),                 # Tuesdays 12:00 New York
        offering("MW-R", "MW-ROLES", "2024-10-15", time="12:30"),  # a Tuesday, 12:30
    )
    data = holding(midway(), "CODE24F", "MW-R")
    result = planned(data, offerings)
    assert not result.feasible
    assert any("you hold CODE24F and MW-R, which meet at the same time" in r
               for r in result.reasons), result.reasons


# -- meeting clashes ----------------------------------------------------------------------


def needing_workshops(*have: str) -> dict[str, Any]:
    """Midway, with only these mini-workshops done (and every course still to do)."""
    records = [r for r in MIDWAY_RECORDS
               if not r["component"].startswith("MW-") or r["component"] in have]
    return make_records_file(records)


def test_two_workshops_at_the_same_hour_are_never_both_planned(planned):
    # The case: MW-CHAMPIONS and MW-MEETINGS both on 10 Feb at 11:00-13:00.
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"), offering("PBK25W", "PBK", "2024-12-03"),
        offering("NOC25S", "NOC", "2025-02-04", time="09:00"),
        offering("MW-CH", "MW-CHAMPIONS", "2025-02-10", days=("MO",), time="11:00",
                 minutes=120),
        offering("MW-ME", "MW-MEETINGS", "2025-02-10", days=("MO",), time="11:00",
                 minutes=120),
        offering("MW-ME2", "MW-MEETINGS", "2025-03-10", days=("MO",), time="11:00",
                 minutes=120),
    )
    data = needing_workshops("MW-CORE-VALUES", "MW-FEEDBACK", "MW-FACILITATION",
                             "MW-ONBOARDING")
    result = planned(data, offerings)
    picked = [r for r in runs(result) if r[0] in ("MW-CHAMPIONS", "MW-MEETINGS")]
    assert picked == [("MW-CHAMPIONS", "MW-CH"), ("MW-MEETINGS", "MW-ME2")]
    assert result.feasible


def test_a_workshop_at_a_course_meeting_hour_is_not_planned_beside_that_course(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"),                 # Tuesdays 12:00-13:30
        offering("PBK25W", "PBK", "2024-12-03"), offering("COP25S", "COP", "2025-02-04"),
        offering("MW-R1", "MW-ROLES", "2024-10-22", time="13:00"), # a Tuesday in CODE
        offering("MW-R2", "MW-ROLES", "2024-10-23", days=("WE",), time="13:00"),
    )
    data = needing_workshops("MW-CORE-VALUES", "MW-FEEDBACK", "MW-MEETINGS",
                             "MW-FACILITATION", "MW-ONBOARDING")
    result = planned(data, offerings)
    assert ("MW-ROLES", "MW-R2") in runs(result)
    assert ("MW-ROLES", "MW-R1") not in runs(result)


def test_meetings_that_only_touch_do_not_clash(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08"), offering("PBK25W", "PBK", "2024-12-03"),
        offering("COP25S", "COP", "2025-02-04"),
        offering("MW-R1", "MW-ROLES", "2024-10-22", time="13:30"),  # as CODE's meeting ends
    )
    data = needing_workshops("MW-CORE-VALUES", "MW-FEEDBACK", "MW-MEETINGS",
                             "MW-FACILITATION", "MW-ONBOARDING")
    assert ("MW-ROLES", "MW-R1") in runs(planned(data, offerings))


def test_clashes_are_found_across_zones_and_daylight_saving(planned):
    # A New York noon course (12:00-13:30) is at 17:00-18:30 in London, except in the
    # weeks when only New York has changed its clocks (2025-03-09 to 2025-03-30): then
    # it is at 16:00-17:30 there.
    offerings = catalogue(
        offering("CODE25W", "CODE", "2025-02-04"),                # to 2025-03-24
        offering("PBK25S", "PBK", "2025-04-01"), offering("COP25S", "COP", "2025-06-03"),
        offering("MW-R1", "MW-ROLES", "2025-03-18", time="16:00", timezone="Europe/London"),
        offering("MW-R2", "MW-ROLES", "2025-02-25", time="17:00", timezone="Europe/London"),
        offering("MW-R3", "MW-ROLES", "2025-03-18", time="17:30", timezone="Europe/London"),
    )
    data = needing_workshops("MW-CORE-VALUES", "MW-FEEDBACK", "MW-MEETINGS",
                             "MW-FACILITATION", "MW-ONBOARDING")
    result = planned(data, offerings, as_of="2025-01-01")
    assert [r for r in runs(result) if r[0] == "MW-ROLES"] == [("MW-ROLES", "MW-R3")]


def test_a_cancelled_course_meeting_frees_its_hour(planned):
    offerings = catalogue(
        offering("CODE24F", "CODE", "2024-10-08", cancelled=["2024-10-22"]),
        offering("PBK25W", "PBK", "2024-12-03"), offering("COP25S", "COP", "2025-02-04"),
        offering("MW-R1", "MW-ROLES", "2024-10-22", time="12:00"),
    )
    data = needing_workshops("MW-CORE-VALUES", "MW-FEEDBACK", "MW-MEETINGS",
                             "MW-FACILITATION", "MW-ONBOARDING")
    assert ("MW-ROLES", "MW-R1") in runs(planned(data, offerings))


# -- properties: every plan keeps the rules and none finishes earlier -------------------------
#
# Small random catalogues (a few runs of each course, workshop and skills share, at
# random dates, some full, some private) for participants at random stages. A
# brute-force search written without the planner's shortcuts enumerates every
# valid plan; the planner's plan must be one of them and finish no later than any.

PROGRAM = ProgramLibrary.shipped().get("cscce-cm", "2023")
assert PROGRAM is not None
AS_OF_DAY = D(AS_OF)
DEADLINE = D("2025-08-31")
WORKSHOP_POOL = ["MW-MEETINGS", "MW-FACILITATION", "MW-ONBOARDING", "MW-METRICS",
                 "MW-ROLES", "MW-CONFLICT"]
ELECTIVES = ("NOC", "COP")


SOME_AVAILABILITY = [
    None,
    [{"days": ["MO", "TU", "WE", "TH", "FR"], "from": "08:00", "to": "18:00"}],
    [{"days": ["TU", "TH"], "from": "12:00", "to": "20:00"}, {"days": ["SA"], "from": "09:00",
                                                               "to": "13:00"}],
]


@st.composite
def stages(draw: st.DrawFn) -> dict[str, Any]:
    """Records of someone with orientation done and anything else possibly done."""
    before = st.integers(1, 300).map(lambda n: (AS_OF_DAY - dt.timedelta(days=n)).isoformat())
    records: list[dict[str, Any]] = [
        {"component": "ORIENT", "date": "2023-09-21", "outcome": "attended"},
        {"component": "MW-CORE-VALUES", "date": "2023-09-28", "outcome": "attended"},
        {"component": "MW-FEEDBACK", "date": "2023-10-05", "outcome": "attended"},
    ]
    for code in draw(st.lists(st.sampled_from(WORKSHOP_POOL), min_size=2, max_size=4,
                              unique=True)):
        records.append({"component": code, "date": draw(before), "outcome": "attended"})
    for code in draw(st.lists(st.sampled_from(["CODE", "PBK"]), unique=True)):
        records.append({"component": code, "date": draw(before), "outcome": "passed"})
    credit = draw(st.sampled_from([None, *ELECTIVES]))
    if credit:
        records.append({"component": credit, "date": draw(before), "outcome": "credited",
                        "conditions_met": True})
    for _ in range(draw(st.integers(0, 2))):
        record = {"component": "QSS", "date": draw(before), "outcome": "attended"}
        if draw(st.booleans()):
            record["role"] = "presenter"
        records.append(record)
    data = make_records_file(records)
    organization = draw(st.sampled_from([None, "ACME Labs"]))
    if organization:
        data["participant"]["organization"] = organization
    data["participant"]["timezone"] = draw(st.sampled_from(["Europe/London",
                                                            "America/New_York"]))
    availability = draw(st.sampled_from(SOME_AVAILABILITY))
    if availability is not None:
        data["participant"]["availability"] = availability
    return data


@st.composite
def small_catalogues(draw: st.DrawFn, clashes: bool = False) -> OfferingsFile:
    offerings: list[dict[str, Any]] = []
    start = st.integers(1, 500).map(lambda n: AS_OF_DAY + dt.timedelta(days=n))
    # Enough runs that a plan usually exists, few enough that the brute force stays quick.
    for code, fewest, most in [("CODE", 1, 3), ("PBK", 1, 3), ("NOC", 0, 2), ("COP", 0, 2),
                               ("QSS", 2, 4), *((c, 1, 2) for c in WORKSHOP_POOL)]:
        for n in range(draw(st.integers(fewest, most))):
            first = draw(start)
            length = 48 if code in ("CODE", "PBK", "NOC", "COP") else 0
            offerings.append({
                "id": f"{code}-{n}", "component": code, "starts_on": first.isoformat(),
                "ends_on": (first + dt.timedelta(days=length)).isoformat(),
                "seats_left": draw(st.sampled_from([None, 0, 1, 3, 5])),
                # Skills shares are open to everyone; the rest may be private runs.
                "private_to": None if code == "QSS" else draw(st.sampled_from(
                    [None, None, None, "ACME Labs", "Other Org"])),
                # Times that land inside or outside the windows above depending on
                # the zones and, near the DST changes, the date.
                "meetings": {"days": draw(st.sampled_from([["TU"], ["TU", "TH"], ["SA"]])),
                             "time": draw(st.sampled_from(["07:30", "12:00", "13:30"])),
                             "minutes": 60,
                             "timezone": draw(st.sampled_from(["America/New_York",
                                                               "Europe/London"]))},
            })
    if not clashes:
        offerings = without_clashes(offerings)
    return catalogue(*offerings)


def without_clashes(offerings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The runs, less each one meeting at the same time as a run kept before it.

    The brute force below has no notion of meeting times, so the optimality property
    runs on catalogues where no two runs meet at once; others test clashes.
    """
    kept: list[dict[str, Any]] = []
    parsed: list[Offering] = []
    for candidate in offerings:
        run = catalogue(candidate).offerings[0]
        if all(first_clash(run, other) is None for other in parsed):
            kept.append(candidate)
            parsed.append(run)
    return kept


def open_to(o: Offering, records: ParticipantRecords) -> bool:
    return (o.starts_on > AS_OF_DAY and o.seats_left != 0
            and o.private_to in (None, records.participant.organization)
            and meets_when_free(o, records))


def meets_when_free(o: Offering, records: ParticipantRecords) -> bool:
    """Every meeting, walked day by day and read on the participant's clock as HH:MM text."""
    windows = records.participant.availability
    if windows is None or o.meetings is None:
        return True
    here = ZoneInfo(records.participant.timezone)
    there = ZoneInfo(o.meetings.timezone)
    day = o.starts_on
    while day <= o.ends_on:
        if ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.weekday()] in o.meetings.days:
            start = dt.datetime.combine(day, dt.time.fromisoformat(o.meetings.time),
                                        tzinfo=there).astimezone(here)
            end = (start.astimezone(dt.UTC)
                   + dt.timedelta(minutes=o.meetings.minutes)).astimezone(here)
            weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][start.weekday()]
            if end.date() != start.date() or not any(
                    weekday in w["days"] and w["from"] <= start.strftime("%H:%M")
                    and end.strftime("%H:%M") <= w["to"] for w in windows):
                return False
        day += dt.timedelta(days=1)
    return True


def earliest_finish_of_picks(runs_: list[Offering], needed: int, distinct: bool) -> dt.date | None:
    """Try every choice of `needed` runs; the earliest day the last one ends."""
    if needed <= 0:
        return AS_OF_DAY
    best = None
    for chosen in itertools.combinations(runs_, needed):
        if distinct and len({o.component for o in chosen}) < needed:
            continue
        last = max(o.ends_on for o in chosen)
        best = last if best is None or last < best else best
    return best


def brute_force_finish(records: ParticipantRecords, offerings: OfferingsFile) -> dt.date | None:
    """The earliest finish over every valid plan, or None when no plan meets everything.

    The three parts (courses with the capstone, workshops, skills shares) share no
    rule, so the earliest finish of a whole plan is the latest of their earliest
    finishes; each part is still found by trying every combination.
    """
    mine = [o for o in offerings.offerings if open_to(o, records)]
    passed = {r.component for r in records.records if r.outcome in ("passed", "credited")}
    attended = {r.component for r in records.records}
    slots = [[o for o in mine if o.component == c] for c in ("CODE", "PBK") if c not in passed]
    if not passed & set(ELECTIVES):
        slots.append([o for o in mine if o.component in ELECTIVES])
    courses_end = None
    for chosen in itertools.product(*slots):
        ordered = sorted(chosen, key=lambda o: o.starts_on)
        if any(a.ends_on >= b.starts_on for a, b in itertools.pairwise(ordered)):
            continue
        ends = {o.component: o.ends_on for o in chosen}
        ok = all(all(c in passed or (c in ends and ends[c] < o.starts_on) for c in ("CODE", "PBK"))
                 for o in chosen if o.component in ELECTIVES)
        if ok:
            last = max([AS_OF_DAY, *ends.values()])
            courses_end = last if courses_end is None or last < courses_end else courses_end
    workshops = [o for o in mine if o.component.startswith("MW-") and o.component not in attended]
    have = len({c for c in attended if c.startswith("MW-")})
    qss = [r for r in records.records if r.component == "QSS"]
    # A session is a run on a day: two records of one day's session (attended, and
    # presented at) count once, as the audit counts them.
    sessions_needed = max(2 - len({(r.offering, r.date) for r in qss}), 0)
    if not any(r.role == "presenter" for r in qss):
        sessions_needed = max(sessions_needed, 1)
    parts = [
        None if courses_end is None else courses_end + dt.timedelta(days=1),
        earliest_finish_of_picks(workshops, 6 - have, distinct=True),
        earliest_finish_of_picks([o for o in mine if o.component == "QSS"], sessions_needed,
                                 distinct=False),
    ]
    return None if None in parts else max(p for p in parts if p is not None)


def assert_keeps_every_rule(result: Plan, records: ParticipantRecords) -> None:
    org = records.participant.organization
    passed = passed_on(PROGRAM, records.records, AS_OF_DAY)
    course_steps = [s for s in result.steps
                    if s.offering is not None and PROGRAM.components[s.component].kind == "course"]
    for step in result.steps:
        if step.offering is None:
            assert step.component == "CAPSTONE"
            last = max([AS_OF_DAY, *(s.ends_on for s in course_steps)])
            assert step.starts_on == step.ends_on == last + dt.timedelta(days=1)
            continue
        assert open_to(step.offering, records)
        others = [s.offering for s in course_steps if s is not step and s.offering is not None]
        planned_passes = {**{o.component: o.ends_on for o in others}, **passed}
        who = Enrollee(planned_passes, None, org, others)
        assert check(PROGRAM, who, step.offering) is None
    ordered = sorted(course_steps, key=lambda s: s.starts_on)
    for a, b in itertools.pairwise(ordered):
        assert a.ends_on < b.starts_on
    ids = [s.offering.id for s in result.steps if s.offering is not None]
    assert len(ids) == len(set(ids))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=stages(), offerings=small_catalogues())
def test_every_plan_keeps_the_rules_and_none_finishes_earlier(program, parse, data, offerings):
    records = parse(data)
    result = plan(program, records, offerings, AS_OF_DAY)
    assert_keeps_every_rule(result, records)
    best = brute_force_finish(records, offerings)
    assert result.finishes_on == best
    assert result.feasible == (best is not None and best <= DEADLINE)
    if not result.feasible:
        assert result.reasons


# -- properties: meetings never clash, held runs stay ------------------------------------


@st.composite
def with_holdings(draw: st.DrawFn, clashes: bool) -> tuple[dict[str, Any], OfferingsFile]:
    """Records at some stage holding up to three runs of a small catalogue."""
    data = draw(stages())
    offerings = draw(small_catalogues(clashes=clashes))
    ids = [o.id for o in offerings.offerings]
    held = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)) if ids else []
    return {**data, "holding": held}, offerings


def meets_at_once(a: Offering, b: Offering) -> bool:
    return first_clash(a, b) is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=with_holdings(clashes=True))
def test_no_plan_ever_puts_one_person_in_two_meetings_at_once(program, parse, case):
    data, offerings = case
    result = plan(program, parse(data), offerings, AS_OF_DAY)
    steps = [s for s in result.steps if s.offering is not None]
    for a, b in itertools.combinations(steps, 2):
        if a.held and b.held:
            continue  # what someone already holds is theirs; the plan reports it
        assert a.offering is not None
        assert b.offering is not None
        assert not meets_at_once(a.offering, b.offering), (a.offering.id, b.offering.id)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=with_holdings(clashes=True))
def test_a_held_run_is_always_a_step_marked_held(program, parse, case):
    data, offerings = case
    result = plan(program, parse(data), offerings, AS_OF_DAY)
    held = [s.offering.id for s in result.steps if s.held and s.offering is not None]
    assert sorted(held) == sorted(data["holding"])
    planned_ids = [s.offering.id for s in result.steps if s.offering is not None]
    assert len(planned_ids) == len(set(planned_ids))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=stages(), offerings=small_catalogues(), pick=st.integers(0, 10**6))
def test_holding_a_seat_never_makes_a_plan_feasible_unless_it_is_the_missing_run(
    program, parse, data, offerings, pick
):
    if not offerings.offerings:
        return
    run = offerings.offerings[pick % len(offerings.offerings)]
    without = plan(program, parse(data), offerings, AS_OF_DAY)
    held = plan(program, parse({**data, "holding": [run.id]}), offerings, AS_OF_DAY)
    if held.feasible and not without.feasible:
        # Only a run the planner could not have chosen (full, private to others,
        # outside their hours) makes the difference by being held.
        assert not open_to(run, parse(data)), run.id
