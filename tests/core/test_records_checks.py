"""The records checks let a good course record through in one test: it must refuse
exactly what the field-by-field checks refuse, in their words."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core import records as records_module
from pathwise.core.errors import RecordsError
from pathwise.core.program import ProgramLibrary
from pathwise.core.records import parse_records

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
                        ("role", ["presenter", "two\nlines"]), ("basis", ["prior course"]),
                        ("conditions_met", [True, False])):
        if draw(st.integers(0, 4)) == 0:
            record[key] = draw(st.sampled_from(values))
    return record


course_records = st.composite(_course_records)


@settings(max_examples=400, deadline=None)
@given(course_records())
def test_a_course_record_is_refused_exactly_as_field_by_field(record: dict[str, Any]) -> None:
    assert PROGRAM is not None
    data = {"program": "cscce-cm", "program_version": "2023",
            "participant": {"id": "P-1", "name": "Ada", "timezone": "Europe/London"},
            "enrolled_on": "2024-01-10", "records": [record]}
    try:
        decoded = records_module.msgspec.convert(data, records_module.ParticipantRecords)
    except records_module.msgspec.ValidationError:
        return  # refused by its shape, before the checks
    (core,) = decoded.records
    component = PROGRAM.components[core.component]
    try:
        records_module._check_record(core, component, "f", 0)
        expected = None
    except RecordsError as exc:
        expected = str(exc)
    if expected is None:
        parse_records(data, source="f", library=LIBRARY)
    else:
        with pytest.raises(RecordsError) as refused:
            parse_records(data, source="f", library=LIBRARY)
        assert str(refused.value) == expected
