"""Course outcomes from a run: the graduation rule over meetings held, attendance and grades.

The default program's courses have 12 sessions and are passed by attending 11
and passing `final-deliverable`. Each outcome carries the record the run would
write, and the audit of that record says the same.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.audit import evaluate, graduation_shortfalls, record_passes
from pathwise.core.errors import OutcomeError, PathwiseError
from pathwise.core.outcomes import course_outcomes, run_outcomes
from pathwise.core.records import Attendance, Record, parse_records

FIRST = dt.date(2026, 1, 13)
#: Twelve weekly Tuesday meetings.
HELD = [FIRST + dt.timedelta(weeks=w) for w in range(12)]


def outcomes(program, attendance, grades, held=HELD, component="CODE", **kw):
    return course_outcomes(program, component, held=held, attendance=attendance,
                           grades=grades, **kw)


def test_eleven_of_twelve_and_the_deliverable_passed_is_a_pass_with_its_record(program):
    (ada,) = outcomes(program, {"P-001": HELD[1:]},
                      {"P-001": {"final-deliverable": "passed"}}, offering="CODE26W").values()
    assert ada.status == "passed"
    assert ada.reasons == ("attended 11 of 12 sessions, 11 needed", "final-deliverable passed")
    assert ada.to_json()["record"] == {
        "component": "CODE", "offering": "CODE26W", "date": "2026-03-31",
        "attendance": {"attended": 11, "of": 12},
        "assessments": {"final-deliverable": "passed"}}


def test_too_few_sessions_is_a_failure_saying_how_many(program):
    result = outcomes(program, {"P-002": HELD[:10]}, {"P-002": {"final-deliverable": "passed"}})
    assert result["P-002"].status == "failed"
    assert result["P-002"].reasons == ("attended 10 of 12 sessions, 11 needed",)


def test_a_failed_deliverable_is_a_failure(program):
    result = outcomes(program, {"P-003": HELD}, {"P-003": {"final-deliverable": "failed"}})
    assert (result["P-003"].status, result["P-003"].reasons) == (
        "failed", ("final-deliverable failed",))


def test_an_ungraded_deliverable_is_incomplete_and_its_record_leaves_it_out(program):
    result = outcomes(program, {"P-004": HELD}, {"P-004": {"final-deliverable": None}})
    assert result["P-004"].status == "incomplete"
    assert result["P-004"].reasons == ("final-deliverable not yet assessed",)
    assert result["P-004"].to_json()["record"]["assessments"] == {}


def test_too_few_sessions_is_settled_even_before_the_grade(program):
    result = outcomes(program, {"P-005": HELD[:3]}, {})
    assert result["P-005"].status == "failed"
    assert result["P-005"].reasons == ("attended 3 of 12 sessions, 11 needed",
                                       "final-deliverable not yet assessed")


def test_someone_graded_but_never_present_is_judged_with_no_sessions(program):
    result = outcomes(program, {}, {"P-006": {"final-deliverable": "passed"}})
    assert result["P-006"].reasons == ("attended 0 of 12 sessions, 11 needed",)


def test_a_run_with_one_meeting_cancelled_counts_of_the_meetings_held(program):
    held = HELD[:11]
    result = outcomes(program, {"P-001": held}, {"P-001": {"final-deliverable": "passed"}},
                      held=held)
    assert result["P-001"].status == "passed"
    assert result["P-001"].record.attendance == Attendance(attended=11, of=11)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"held": []}, "CODE: no meetings held, so no outcome can be decided"),
    ({"held": [*HELD, dt.date(2026, 4, 7)]},
     "CODE has 12 sessions, but 13 meetings were given as held"),
    ({"component": "QSS"}, "QSS is a skills-share with no graduation rule"),
    ({"component": "XYZ"}, "'XYZ' is not a component of cscce-cm 2023"),
    ({"attendance": {"P-001": [dt.date(2026, 1, 14)]}},
     "P-001: present on 2026-01-14, which is not a meeting the CODE run held"),
    ({"grades": {"P-001": {"quiz": "passed"}}},
     "P-001: CODE has no assessment 'quiz' (its assessments: final-deliverable)"),
    ({"grades": {"P-001": {"final-deliverable": "A+"}}},
     "P-001: final-deliverable: 'A+' is not one of passed, failed"),
    ({"attendance": {"P 001": HELD}}, "participant: 'P 001' is not an identifier"),
    ({"offering": "../x"}, "offering: '../x' is not an identifier"),
])
def test_what_does_not_fit_the_course_is_refused_naming_it(program, kwargs, message):
    args = {"attendance": {"P-001": HELD}, "grades": {}, **kwargs}
    with pytest.raises(OutcomeError) as caught:
        outcomes(program, **args)
    assert message in str(caught.value)
    assert issubclass(OutcomeError, PathwiseError)


# -- the outcome and the audit agree --------------------------------------------------


def audit_passes(library, program, record_json, code):
    records = parse_records({
        "program": "cscce-cm", "program_version": "2023",
        "participant": {"id": "P-001", "name": "Ada Lovelace", "timezone": "Europe/London"},
        "enrolled_on": "2025-09-21", "records": [record_json]}, source="t.json", library=library)
    audit = evaluate(program, records, dt.date(2026, 12, 31))
    return next(r for r in audit.requirements if r.id == code.lower()).met


@given(course=st.sampled_from(["CODE", "PBK"]),
       run=st.tuples(st.sets(st.sampled_from(HELD), min_size=1),
                     st.sets(st.sampled_from(HELD))),
       given_grades=st.sampled_from([{}, {"final-deliverable": "passed"},
                                     {"final-deliverable": "failed"},
                                     {"final-deliverable": None}]))
def test_the_outcome_agrees_with_the_audit_of_the_record_it_produces(
        library, program, course, run, given_grades):
    held, present = run  # the meetings held, and the days someone was there
    grades = {"P-001": given_grades}
    (outcome,) = course_outcomes(program, course, held=held,
                                 attendance={"P-001": present & held},
                                 grades=grades).values()
    passed_by_audit = audit_passes(library, program, outcome.to_json()["record"], course)
    assert passed_by_audit == (outcome.status == "passed")
    if outcome.status == "incomplete":
        assert "final-deliverable not yet assessed" in outcome.reasons
    assert outcome.record.attendance == Attendance(attended=len(present & held), of=len(held))


@given(attended=st.integers(min_value=0, max_value=12),
       assessments=st.none() | st.dictionaries(st.just("final-deliverable"),
                                               st.sampled_from(["passed", "failed"])),
       with_attendance=st.booleans())
def test_a_record_passes_exactly_when_it_has_no_shortfall(program, attended, assessments,
                                                          with_attendance):
    record = Record(component="CODE", date=FIRST,
                    attendance=Attendance(attended=attended, of=12) if with_attendance else None,
                    assessments=assessments)
    code = program.components["CODE"]
    assert record_passes(record, code) == (graduation_shortfalls(record, code) == [])


# -- a run: meetings still to come, and components with no graduation rule ---------

QSS_DAY = dt.date(2026, 3, 3)
MW_DAYS = [dt.date(2026, 2, 4), dt.date(2026, 2, 11)]


def run(program, component, meetings, held, present, *, presenters=(), grades=None,
        people=("P-001",)):
    return run_outcomes(program, component, offering="RUN1", meetings=meetings, held=held,
                        present=present, presenters=set(presenters), grades=grades or {},
                        people=list(people))


def test_a_run_with_meetings_to_come_decides_nobody_yet(program):
    (ada,) = run(program, "CODE", HELD, HELD[:5], {"P-001": set(HELD[:5])}).values()
    assert ada.result == "incomplete"
    assert ada.record is None
    assert ada.reasons[0] == "7 meetings of 12 still to come"


def test_a_mini_workshop_is_attended_by_being_at_every_meeting_it_held(program):
    out = run(program, "MW-FEEDBACK", MW_DAYS, MW_DAYS,
              {"P-001": set(MW_DAYS), "P-002": {MW_DAYS[0]}}, people=("P-001", "P-002"))
    assert out["P-001"].result == "attended"
    assert out["P-001"].record == Record(component="MW-FEEDBACK", date=MW_DAYS[-1],
                                         offering="RUN1", outcome="attended")
    assert out["P-002"].result == "absent"
    assert out["P-002"].reasons == ("attended 1 of 2 meetings",)


def test_the_presenter_of_a_skills_share_attended_it_with_the_role(program):
    (ada,) = run(program, "QSS", [QSS_DAY], [QSS_DAY], {"P-001": {QSS_DAY}},
                 presenters={"P-001"}).values()
    assert ada.record is not None
    assert ada.record.role == "presenter"
    assert ada.reasons == ("attended 1 of 1 meeting and presented a lightning talk",)


def test_a_presenter_who_was_not_there_did_not_present(program):
    (ada,) = run(program, "QSS", [QSS_DAY], [QSS_DAY], {}, presenters={"P-001"}).values()
    assert ada.result == "absent"
    assert ada.record is not None
    assert ada.record.role is None


def test_a_run_that_held_more_meetings_than_its_course_has_is_a_reason_not_an_error(program):
    more = [*HELD, HELD[-1] + dt.timedelta(weeks=1)]
    (ada,) = run(program, "CODE", more, more, {"P-001": set(more)}).values()
    assert ada.result == "incomplete"
    assert ada.record is None
    assert "CODE has 12 sessions, but 13 meetings were given as held" in ada.reasons


@given(held=st.sets(st.sampled_from(MW_DAYS), min_size=1),
       present=st.sets(st.sampled_from(MW_DAYS)))
def test_a_one_meeting_component_is_attended_exactly_when_present_at_all_held(
        program, held, present):
    meetings = sorted(held)
    (ada,) = run(program, "MW-FEEDBACK", meetings, meetings, {"P-001": present}).values()
    assert (ada.result == "attended") == (held <= present)
    assert ada.record is not None
    assert ada.record.outcome == ada.result
