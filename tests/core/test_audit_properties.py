"""Properties of the audit that hold for any records of the default program."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.audit import STATUSES, Audit, evaluate
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import OUTCOMES, parse_records

LIBRARY = ProgramLibrary.shipped()
PROGRAM = LIBRARY.get("cscce-cm", "2023")
assert PROGRAM is not None
CODES = sorted(PROGRAM.components)
COURSES = sorted(c.code for c in PROGRAM.of_kind("course"))
MINI_WORKSHOPS = sorted(c.code for c in PROGRAM.of_kind("mini-workshop"))

FAST = settings(max_examples=150, deadline=None)

# Dates are days after enrollment; the deadline falls 23-24 months later, so
# offsets up to 1000 days reach well past it. A few fixed offsets make records
# share a day often, which is where order could start to matter.
offsets = st.one_of(st.sampled_from([0, 100, 365, 700, 730]),
                    st.integers(min_value=0, max_value=1000))


def day(enrolled_on: dt.date, offset: int) -> str:
    return (enrolled_on + dt.timedelta(days=offset)).isoformat()


@st.composite
def records_for(draw: st.DrawFn, enrolled_on: dt.date, code: str | None = None,
                passing: bool = False, pool: list[str] = CODES) -> dict[str, Any]:
    """One valid record (of a component from `pool`); with `passing`, one that counts."""
    code = code or draw(st.sampled_from(pool))
    record: dict[str, Any] = {"component": code, "date": day(enrolled_on, draw(offsets))}
    if draw(st.booleans()):
        record["offering"] = draw(st.sampled_from(["A", "B"]))
    component = PROGRAM.components[code]
    if component.graduation is not None and draw(st.booleans()):
        rule = component.graduation
        total = component.sessions or rule.min_sessions
        low = rule.min_sessions if passing else 0
        record["attendance"] = {"attended": draw(st.integers(low, total)), "of": total}
        if passing:
            record["assessments"] = dict.fromkeys(rule.assessments, "passed")
        elif draw(st.booleans()):
            record["assessments"] = {name: draw(st.sampled_from(["passed", "failed"]))
                                     for name in rule.assessments}
        return record
    outcomes = ["passed", "attended", "credited"] if passing else list(OUTCOMES)
    outcome = draw(st.sampled_from(outcomes))
    record["outcome"] = outcome
    if outcome == "credited":
        if passing:
            record["conditions_met"] = True
        elif draw(st.booleans()):
            record["conditions_met"] = draw(st.booleans())
        if draw(st.booleans()):
            record["basis"] = draw(st.sampled_from(["pilot 2021", "prior course"]))
    if code == "QSS" and draw(st.booleans()):
        record["role"] = "presenter"
    return record


@st.composite
def journeys(draw: st.DrawFn, enrolled_on: dt.date) -> list[dict[str, Any]]:
    """Records that meet every requirement (at random dates), so certification is common."""
    codes = ["ORIENT", "CODE", "PBK", draw(st.sampled_from(["NOC", "COP"])), "CAPSTONE",
             "MW-CORE-VALUES", "MW-FEEDBACK",
             *draw(st.lists(st.sampled_from(MINI_WORKSHOPS), min_size=4, max_size=4,
                            unique=True)),
             "QSS", "QSS"]
    records = [draw(records_for(enrolled_on, code, passing=True)) for code in codes]
    records.append({"component": "QSS", "date": day(enrolled_on, draw(offsets)),
                    "outcome": "attended", "role": "presenter"})
    return records


@st.composite
def records_files(draw: st.DrawFn) -> dict[str, Any]:
    enrolled_on = draw(st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)))
    # Sometimes only a few components, so that records of one component pile up.
    pool = draw(st.one_of(st.just(CODES),
                          st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True)))
    records = draw(st.lists(records_for(enrolled_on, pool=pool), max_size=25))
    if draw(st.booleans()):
        records = draw(journeys(enrolled_on)) + records
    data: dict[str, Any] = {
        "program": "cscce-cm",
        "program_version": "2023",
        "participant": {"id": "P-1", "name": "Test Participant", "timezone": "UTC"},
        "enrolled_on": enrolled_on.isoformat(),
        "deadline_extended_to": None,
        "records": draw(st.permutations(records)),
    }
    if draw(st.integers(0, 4)) == 0:
        data["deadline_extended_to"] = day(enrolled_on, draw(st.integers(600, 1000)))
    if draw(st.integers(0, 4)) == 0:
        data["withdrawn_on"] = day(enrolled_on, draw(offsets))
    return data


def as_of_for(data: dict[str, Any]) -> st.SearchStrategy[dt.date]:
    enrolled_on = dt.date.fromisoformat(data["enrolled_on"])
    return st.integers(0, 1100).map(lambda n: enrolled_on + dt.timedelta(days=n))


def audit(data: dict[str, Any], as_of: dt.date) -> Audit:
    records = parse_records(data, source="generated.json", library=LIBRARY)
    return evaluate(PROGRAM, records, as_of)


@FAST
@given(data=st.data())
def test_adding_a_passing_record_never_unmeets_a_requirement_or_delays_it(
    data: st.DataObject,
) -> None:
    file = data.draw(records_files())
    as_of = data.draw(as_of_for(file))
    enrolled_on = dt.date.fromisoformat(file["enrolled_on"])
    extra = data.draw(records_for(enrolled_on, passing=True))

    before = audit(file, as_of)
    after = audit({**file, "records": [*file["records"], extra]}, as_of)

    for old, new in zip(before.requirements, after.requirements, strict=True):
        if old.met:
            assert new.met, f"{old.id} became unmet"
            assert new.met_on is not None
            assert old.met_on is not None
            assert new.met_on <= old.met_on, f"{old.id} was met later"
        assert new.done >= old.done
    if before.certified:
        assert after.certified
        assert after.certified_on is not None
        assert before.certified_on is not None
        assert after.certified_on <= before.certified_on


@FAST
@given(data=st.data())
def test_certified_exactly_when_every_requirement_was_met_on_or_before_the_deadline(
    data: st.DataObject,
) -> None:
    file = data.draw(records_files())
    result = audit(file, data.draw(as_of_for(file)))
    met_on = [r.met_on for r in result.requirements]
    all_in_time = all(d is not None and d <= result.deadline for d in met_on)
    assert result.certified == all_in_time
    assert (result.status == "certified") == result.certified
    if result.certified:
        assert result.certified_on == max(d for d in met_on if d is not None)
        assert result.certified_on is not None
        assert result.certified_on <= min(result.deadline, result.as_of)
        assert result.badges[-1].achievement == "cscce-cm"
        assert result.badges[-1].earned_on == result.certified_on
    else:
        assert result.certified_on is None
        assert "cscce-cm" not in [b.achievement for b in result.badges]


@FAST
@given(data=st.data())
def test_the_result_does_not_depend_on_the_order_of_the_records(data: st.DataObject) -> None:
    file = data.draw(records_files())
    as_of = data.draw(as_of_for(file))
    enrolled_on = dt.date.fromisoformat(file["enrolled_on"])
    # Records of the same component on the same day are where order could leak in.
    twins = [
        {**data.draw(records_for(enrolled_on, r["component"])), "date": r["date"]}
        for r in data.draw(st.lists(st.sampled_from(file["records"]), max_size=4))
    ] if file["records"] else []
    file = {**file, "records": [*file["records"], *twins]}
    shuffled = {**file, "records": data.draw(st.permutations(file["records"]))}
    assert audit(shuffled, as_of).to_json() == audit(file, as_of).to_json()


@FAST
@given(data=st.data())
def test_records_dated_after_the_as_of_day_never_change_the_result(data: st.DataObject) -> None:
    file = data.draw(records_files())
    as_of = data.draw(as_of_for(file))
    enrolled_on = dt.date.fromisoformat(file["enrolled_on"])
    kept = [r for r in file["records"] if dt.date.fromisoformat(r["date"]) <= as_of]
    later = data.draw(st.lists(records_for(enrolled_on), max_size=10))
    later = [{**r, "date": (as_of + dt.timedelta(days=1 + n)).isoformat()}
             for n, r in enumerate(later)]

    expected = audit({**file, "records": kept}, as_of).to_json()
    assert audit(file, as_of).to_json() == expected
    assert audit({**file, "records": [*kept, *later]}, as_of).to_json() == expected


@FAST
@given(data=st.data())
def test_status_is_one_of_five_values_decided_in_the_documented_order(
    data: st.DataObject,
) -> None:
    file = data.draw(records_files())
    as_of = data.draw(as_of_for(file))
    result = audit(file, as_of)
    assert result.status in STATUSES
    assert set(STATUSES) == {"certified", "on_track", "at_risk", "overdue", "withdrawn"}
    withdrawn_on = file.get("withdrawn_on")
    if result.certified:
        assert result.status == "certified"
    elif withdrawn_on is not None and dt.date.fromisoformat(withdrawn_on) <= as_of:
        assert result.status == "withdrawn"
    elif as_of > result.deadline:
        assert result.status == "overdue"
    else:
        assert result.status in ("at_risk", "on_track")


@FAST
@given(data=st.data())
def test_progress_is_complete_exactly_when_a_requirement_is_met(data: st.DataObject) -> None:
    file = data.draw(records_files())
    result = audit(file, data.draw(as_of_for(file)))
    for r in result.to_json()["requirements"]:
        progress = r["progress"]
        assert 0 <= progress["done"] <= progress["of"]
        assert (progress["done"] == progress["of"]) == r["met"], r
        assert (r["met_on"] is not None) == r["met"], r
        assert r["explanation"].endswith("."), r


@FAST
@given(data=st.data())
def test_a_capstone_counts_only_when_passed_after_the_three_courses_were_complete(
    data: st.DataObject,
) -> None:
    file = data.draw(records_files())
    result = audit(file, data.draw(as_of_for(file)))
    met = {r.id: r.met_on for r in result.requirements}
    if met["capstone"] is not None:
        courses = [met["code"], met["pbk"], met["elective"]]
        assert None not in courses
        assert all(met["capstone"] > day for day in courses if day is not None)
