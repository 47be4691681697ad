"""The records checks let a good course record through in one test: it must refuse
exactly what the field-by-field checks refuse, in their words."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core import records as records_module
from pathwise.core.errors import RecordsError
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import load_records_json, parse_records

LIBRARY = ProgramLibrary.shipped()
PROGRAM = LIBRARY.get("cscce-cm", "2023")


def _course_records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {
        "component": draw(st.sampled_from(["CODE", "PBK", "NOC", "COP", "ORIENT", "QSS"])),
        "date": draw(st.sampled_from(["2024-05-01", "1890-01-01", "2025-02-03"])),
    }
    if draw(st.booleans()):
        record["outcome"] = draw(st.sampled_from(["passed", "failed", "credited", "attended"]))
    if draw(st.integers(0, 4)):
        record["attendance"] = {"attended": draw(st.integers(0, 14)),
                                "of": draw(st.integers(1, 14))}
    if draw(st.integers(0, 3)):
        record["assessments"] = draw(st.dictionaries(
            st.sampled_from(["final-deliverable", "quiz", "Final"]),
            st.sampled_from(["passed", "failed", "pending"]), max_size=2))
    for key, values in (("offering", ["CODE-2024-A", "bad id!", "PBK-1"]),
                        ("role", ["presenter", "host", "two\nlines"]),
                        ("basis", ["prior course", "two\nlines"]),
                        ("conditions_met", [True, False])):
        if draw(st.integers(0, 4)) == 0:
            record[key] = draw(st.sampled_from(values))
    return record


course_records = st.composite(_course_records)


def _refused_as(data: dict[str, Any], expected: str | None) -> None:
    """`parse_records` takes `data` when `expected` is None, else refuses it in those words."""
    if expected is None:
        parse_records(data, source="f", library=LIBRARY)
    else:
        with pytest.raises(RecordsError) as refused:
            parse_records(data, source="f", library=LIBRARY)
        assert str(refused.value) == expected


@settings(max_examples=400, deadline=None)
@given(course_records())
def test_a_course_record_is_refused_exactly_as_field_by_field(record: dict[str, Any]) -> None:
    assert PROGRAM is not None
    data = {"program": "cscce-cm", "program_version": "2023",
            "participant": {"id": "P-1", "name": "Ada", "timezone": "Europe/London"},
            "enrolled_on": "2024-01-10", "records": [record]}
    try:
        decoded = msgspec.convert(data, records_module.ParticipantRecords)
    except msgspec.ValidationError:
        return  # refused by its shape, before the checks
    (core,) = decoded.records
    component = PROGRAM.components[core.component]
    try:
        records_module._check_record(core, component, "f", 0)
        expected = None
    except RecordsError as exc:
        expected = str(exc)
    _refused_as(data, expected)


def _plain_or_course_record(draw: st.DrawFn) -> dict[str, Any]:
    """A record of either common shape, or one of them a little off (a run, a role or credit
    fields on an outcome record: known runs and roles pass the one test, new ones are
    checked field by field)."""
    if draw(st.booleans()):
        return _course_records(draw)
    record: dict[str, Any] = {
        "component": draw(st.sampled_from(["ORIENT", "MW-FEEDBACK", "QSS", "CAPSTONE", "NOPE"])),
        "date": draw(st.sampled_from(["2024-05-01", "1899-12-31", "2200-12-31", "2201-01-01"])),
    }
    if draw(st.integers(0, 5)):
        record["outcome"] = draw(st.sampled_from(["attended", "absent", "passed", "credited"]))
    if draw(st.integers(0, 5)) == 0:
        record["role"] = draw(st.sampled_from(["presenter", "host", "r" * 41, "two\nlines"]))
    if draw(st.integers(0, 7)) == 0:
        record["basis"] = draw(st.sampled_from(["prior course", "two\nlines"]))
    if draw(st.integers(0, 7)) == 0:
        record["conditions_met"] = draw(st.booleans())
    if draw(st.integers(0, 5)) == 0:
        record["offering"] = draw(st.sampled_from(["QSS-2024-1", "bad id!"]))
    return record


@settings(max_examples=400, deadline=None)
@given(st.lists(st.composite(_plain_or_course_record)(), min_size=1, max_size=6))
def test_a_file_is_refused_for_its_first_bad_record_as_record_by_record(
        records: list[dict[str, Any]]) -> None:
    """The one test per record lets through only what the record-by-record checks let
    through, and a refusal names the first bad record in their words."""
    assert PROGRAM is not None
    data = {"program": "cscce-cm", "program_version": "2023",
            "participant": {"id": "P-1", "name": "Ada", "timezone": "Europe/London"},
            "enrolled_on": "2024-01-10", "records": records}
    try:
        decoded = msgspec.convert(data, records_module.ParticipantRecords)
    except msgspec.ValidationError:
        return
    expected = None
    for index, record in enumerate(decoded.records):
        component = PROGRAM.components.get(record.component)
        if component is None:
            expected = (f"f: records[{index}].component: unknown component "
                        f"{record.component!r} in cscce-cm 2023")
            break
        try:
            records_module._check_record(record, component, "f", index)
        except RecordsError as exc:
            expected = str(exc)
            break
    _refused_as(data, expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["final-deliverable", "quiz", "essay"]), max_size=3,
                unique=True),
       st.dictionaries(st.sampled_from(["final-deliverable", "quiz", "essay", "Final"]),
                       st.sampled_from(["passed", "failed", "pending"]), max_size=3))
def test_the_listed_assessment_tables_are_exactly_those_the_sets_allow(
        names: list[str], table: dict[str, str]) -> None:
    shapes = records_module._assessment_shapes(names)
    allowed = set(table) <= set(names) and set(table.values()) <= {"passed", "failed"}
    if len(names) > 2:
        assert shapes == ()
    else:
        assert (table in shapes) == allowed
        assert len(shapes) == 3 ** len(names)


def _whole_file(draw: st.DrawFn) -> dict[str, Any]:
    """A records file of either version, its records as above, a component only the other
    version has, and now and then a bad participant or a record no shape takes."""
    records = draw(st.lists(st.composite(_plain_or_course_record)(), max_size=5))
    if draw(st.booleans()):
        records.insert(draw(st.integers(0, len(records))),
                       {"component": draw(st.sampled_from(["EVAL", "CAPSTONE", 7])),
                        "date": "2024-06-01", "outcome": "attended"})
    return {"program": "cscce-cm", "program_version": draw(st.sampled_from(["2023", "2025"])),
            "participant": {"id": draw(st.sampled_from(["P-1", "bad id!"])), "name": "Ada",
                            "timezone": "Europe/London"},
            "enrolled_on": "2024-01-10", "records": records}


@settings(max_examples=400, deadline=None)
@given(st.composite(_whole_file)())
def test_a_file_read_with_the_librarys_codes_is_read_as_with_plain_strings(
        data: dict[str, Any]) -> None:
    """`load_records_json` decodes with the narrowed shapes first (the library's component
    codes and roles, no credit fields), checking less after them: it takes the same files,
    with equal records, and refuses the others in the same words, naming the same first
    problem, as decoding with the plain shapes and checking all."""
    text = json.dumps(data)
    try:
        plain = records_module._decode(text, "f")
        records_module._check(plain, "f", records_module._reading(LIBRARY))
        expected: str | None = None
    except RecordsError as exc:
        expected = str(exc)
    if expected is None:
        assert load_records_json(text, source="f", library=LIBRARY) == plain
    else:
        with pytest.raises(RecordsError) as refused:
            load_records_json(text, source="f", library=LIBRARY)
        assert str(refused.value) == expected


def test_a_component_of_another_version_of_the_library_is_refused_for_this_one() -> None:
    """The library's codes are those of all its programs: the 2025 evaluation is no
    component of 2023, and the file says so, not that it is not a string of the library."""
    data = {"program": "cscce-cm", "program_version": "2023",
            "participant": {"id": "P-1", "name": "Ada", "timezone": "Europe/London"},
            "enrolled_on": "2024-01-10",
            "records": [{"component": "ORIENT", "date": "2024-01-20", "outcome": "attended"},
                        {"component": "EVAL", "date": "2024-06-01", "outcome": "attended"}]}
    with pytest.raises(RecordsError) as refused:
        load_records_json(json.dumps(data), source="f.json", library=LIBRARY)
    assert str(refused.value) == ("f.json: records[1].component: unknown component 'EVAL' "
                                  "in cscce-cm 2023")
    data["program_version"] = "2025"
    records = load_records_json(json.dumps(data), source="f.json", library=LIBRARY)
    assert [r.component for r in records.records] == ["ORIENT", "EVAL"]


def _file_with(record: dict[str, Any]) -> str:
    return json.dumps({
        "program": "cscce-cm", "program_version": "2023",
        "participant": {"id": "P-1", "name": "Ada", "timezone": "Europe/London"},
        "enrolled_on": "2024-01-10",
        "records": [{"component": "ORIENT", "date": "2024-01-20", "outcome": "attended"},
                    record]})


@pytest.mark.parametrize(("record", "refusal"), [
    ({"component": "QSS", "date": "2024-05-01", "outcome": "attended", "role": "host"}, None),
    ({"component": "QSS", "date": "2024-05-01", "outcome": "attended", "role": "two\nlines"},
     "records[1].role: 'two\\nlines' contains a control character or line break (U+000A); "
     "text must be one line"),
    ({"component": "QSS", "date": "2024-05-01", "outcome": "attended", "role": "r" * 41},
     f"records[1].role: '{'r' * 41}' is 41 characters long; at most 40 are allowed"),
    ({"component": "CODE", "date": "2024-05-01", "outcome": "credited",
      "basis": "prior course", "conditions_met": True}, None),
    ({"component": "CODE", "date": "2024-05-01", "outcome": "credited", "basis": "two\nlines"},
     "records[1].basis: 'two\\nlines' contains a control character or line break (U+000A); "
     "text must be one line"),
    ({"component": "ORIENT", "date": "2024-05-01", "outcome": "attended", "conditions_met": True},
     "records[1].conditions_met: `basis` and `conditions_met` belong to a credited record only"),
])
def test_a_role_no_requirement_names_and_credit_fields_are_read_by_the_plain_shapes(
        record: dict[str, Any], refusal: str | None) -> None:
    """A role no requirement names, and credit fields, are not in the narrowed shapes: the
    file is read by the plain ones, and its roles and credit fields are checked as ever."""
    text = _file_with(record)
    if refusal is None:
        (_, read) = load_records_json(text, source="f.json", library=LIBRARY).records
        assert (read.role, read.basis, read.conditions_met) == (
            record.get("role"), record.get("basis"), record.get("conditions_met"))
    else:
        with pytest.raises(RecordsError) as refused:
            load_records_json(text, source="f.json", library=LIBRARY)
        assert str(refused.value) == f"f.json: {refusal}"
