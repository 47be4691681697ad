"""Bad records input through `pathwise evaluate`: exit 2, one line naming where and what, no trace.

Every case starts from the complete journey (records[0] ORIENT, [1] MW-CORE-VALUES,
[2] MW-FEEDBACK, [3] CODE, [4] QSS, ... [11] NOC, [12] CAPSTONE) and breaks one thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.builders import make_records_file

Mutation = Callable[[dict[str, Any]], None]


def set_record(index: int, key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["records"][index][key] = value

    return mutate


def drop_record_key(index: int, key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data["records"][index][key]

    return mutate


def set_top(key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data[key] = value

    return mutate


def drop_top(key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data[key]

    return mutate


def set_participant(key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["participant"][key] = value

    return mutate


def drop_participant(key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data["participant"][key]

    return mutate


BAD_FILES: list[tuple[str, Mutation, list[str]]] = [
    ("unknown component", set_record(3, "component", "CODEX"),
     ["records[3].component", "unknown component 'CODEX'", "cscce-cm 2023"]),
    ("impossible date", set_record(1, "date", "2023-02-30"),
     ["records[1].date", "'2023-02-30' is not a valid date"]),
    ("date in words", set_record(0, "date", "yesterday"),
     ["records[0].date", "'yesterday'", "YYYY-MM-DD"]),
    ("date without zero padding", set_top("enrolled_on", "2023-9-21"),
     ["enrolled_on", "'2023-9-21'"]),
    ("date as a number", set_record(5, "date", 20240115),
     ["records[5].date", "20240115"]),
    ("unknown outcome", set_record(4, "outcome", "graduated"),
     ["records[4].outcome", "'graduated' is not one of", "attended"]),
    ("missing record date", drop_record_key(2, "date"),
     ["records[2].date", "missing required key"]),
    ("missing record component", drop_record_key(6, "component"),
     ["records[6].component", "missing required key"]),
    ("mini-workshop without an outcome", drop_record_key(1, "outcome"),
     ["records[1].outcome", "missing required key"]),
    ("course with neither outcome nor attendance",
     lambda d: d["records"].__setitem__(7, {"component": "PBK", "date": "2024-03-12"}),
     ["records[7].outcome", "attendance"]),
    ("missing participant name", drop_participant("name"),
     ["participant.name", "missing required key"]),
    ("empty participant name", set_participant("name", "  "),
     ["participant.name", "non-empty string", "'  '"]),
    ("missing participant", drop_top("participant"),
     ["participant", "missing required key"]),
    ("missing enrolled_on", drop_top("enrolled_on"),
     ["enrolled_on", "missing required key"]),
    ("missing records list", drop_top("records"),
     ["records", "missing required key"]),
    ("unknown key in a record", set_record(0, "colour", "blue"),
     ["records[0].colour", "unknown key", "allowed:"]),
    ("unknown top-level key", set_top("cohort", "2023F"),
     ["cohort", "unknown key"]),
    ("unknown participant key", set_participant("nickname", "Ada"),
     ["participant.nickname", "unknown key"]),
    ("program version that does not exist", set_top("program_version", "2099"),
     ["program_version", "'cscce-cm' version '2099' does not exist", "known versions: 2023"]),
    ("program version as a number", set_top("program_version", 2023),
     ["program_version", "2023"]),
    ("program that does not exist", set_top("program", "no-such-program"),
     ["program:", "'no-such-program'", "no such program"]),
    ("held runs not a list", set_top("holding", "PBK27R-IN"),
     ["holding", "'PBK27R-IN'"]),
    ("a held run listed twice", set_top("holding", ["PBK27", "PBK27"]),
     ["holding[1]", "'PBK27' is listed twice"]),
    ("a held run that is not an identifier", set_top("holding", ["../PBK27"]),
     ["holding[0]", "'../PBK27' is not an identifier"]),
    ("a held run that is not a string", set_top("holding", [27]),
     ["holding[0]", "27"]),
    ("unknown time zone", set_participant("timezone", "Mars/Olympus"),
     ["participant.timezone", "'Mars/Olympus'", "IANA"]),
    ("time zone naming a region, not a zone", set_participant("timezone", "Europe"),
     ["participant.timezone", "'Europe'", "IANA"]),
    ("time zone that is a path", set_participant("timezone", "../../etc/passwd"),
     ["participant.timezone", "'../../etc/passwd'"]),
    ("attended more sessions than held",
     set_record(3, "attendance", {"attended": 13, "of": 12}),
     ["records[3].attendance.attended", "attended 13 is more than of 12"]),
    ("more sessions than the course has",
     set_record(3, "attendance", {"attended": 11, "of": 14}),
     ["records[3].attendance.of", "CODE has 12 sessions, not 14"]),
    ("attendance as text", set_record(3, "attendance", {"attended": "eleven", "of": 12}),
     ["records[3].attendance.attended", "'eleven'"]),
    ("unknown assessment", set_record(3, "assessments", {"essay": "passed"}),
     ["records[3].assessments.essay", "unknown key", "final-deliverable"]),
    ("unknown assessment result",
     set_record(3, "assessments", {"final-deliverable": "excellent"}),
     ["records[3].assessments.final-deliverable", "'excellent'"]),
    ("assessments on a component without any",
     set_record(0, "assessments", {"final-deliverable": "passed"}),
     ["records[0].assessments", "ORIENT has no assessments"]),
    ("conditions on a record that is not a credit", set_record(11, "conditions_met", True),
     ["records[11].conditions_met", "credited"]),
    ("conditions flag as text",
     lambda d: d["records"].__setitem__(11, {"component": "NOC", "date": "2024-02-01",
                                             "outcome": "credited", "conditions_met": "yes"}),
     ["records[11].conditions_met", "true or false", "'yes'"]),
    ("records not a list", set_top("records", {"component": "ORIENT"}),
     ["records", "expected a list"]),
    ("a record that is not an object", lambda d: d["records"].__setitem__(0, "ORIENT"),
     ["records[0]", "'ORIENT'"]),
    ("extension before enrollment", set_top("deadline_extended_to", "2023-01-01"),
     ["deadline_extended_to", "2023-01-01", "before enrolled_on 2023-09-21"]),
    ("withdrawal date in words", set_top("withdrawn_on", "soon"),
     ["withdrawn_on", "'soon'"]),
]


@pytest.mark.parametrize(("mutate", "fragments"),
                         [pytest.param(m, f, id=name) for name, m, f in BAD_FILES])
def test_a_bad_records_file_is_refused_in_one_line_naming_the_key_and_value(
    mutate, fragments, pathwise, write_json, refused
):
    data = make_records_file()
    mutate(data)
    path = write_json(data, "bad.json")
    line = refused(pathwise("evaluate", path, "--as-of", "2024-09-01"))
    assert f"{path}: " in line
    for fragment in fragments:
        assert fragment in line


def test_a_top_level_that_is_not_an_object_is_refused(pathwise, write_json, refused):
    path = write_json([make_records_file()], "list.json")
    line = refused(pathwise("evaluate", path))
    assert f"{path}: (top level): expected a table/object" in line


RAW_FILES = [
    ("truncated JSON", '{"program": "cscce-cm",', ["not valid JSON", "line 1"]),
    ("trailing comma", '{"program": "cscce-cm",\n}\n', ["not valid JSON", "line 2"]),
    ("empty file", "", ["not valid JSON"]),
    ("not JSON at all", "program = cscce-cm\n", ["not valid JSON", "line 1 column 1"]),
    ("absurdly deep nesting", "[" * 100_000, ["not valid JSON"]),
]


@pytest.mark.parametrize(("text", "fragments"),
                         [pytest.param(t, f, id=name) for name, t, f in RAW_FILES])
def test_a_file_that_is_not_json_is_refused_in_one_line(
    text, fragments, pathwise, tmp_path, refused
):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    line = refused(pathwise("evaluate", path))
    assert f"{path}: " in line
    for fragment in fragments:
        assert fragment in line


def test_a_file_that_is_not_utf8_is_refused_in_one_line(pathwise, tmp_path, refused):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"participant": {"name": "Jos\u00e9"}}'.encode("latin-1"))
    line = refused(pathwise("evaluate", path))
    assert f"{path}: cannot read" in line


def test_a_file_that_does_not_exist_is_refused_in_one_line(pathwise, tmp_path, refused):
    path = tmp_path / "nowhere.json"
    line = refused(pathwise("evaluate", path))
    assert line == f"pathwise evaluate: {path}: no such file"


def test_a_folder_given_as_the_file_is_refused_in_one_line(pathwise, tmp_path, refused):
    line = refused(pathwise("evaluate", tmp_path))
    assert f"{tmp_path}: cannot read" in line


@pytest.mark.parametrize("as_of", ["2024-13-01", "2024-02-30", "tomorrow", "2024-1-1",
                                   "2024-01-01T00:00"])
def test_a_bad_as_of_date_is_refused_in_one_line_naming_it(
    as_of, pathwise, write_json, records_file, refused
):
    line = refused(pathwise("evaluate", write_json(records_file()), "--as-of", as_of))
    assert "--as-of: " in line
    assert repr(as_of) in line


def test_a_bad_as_of_date_is_reported_even_when_the_file_is_fine_and_nothing_is_printed(
    pathwise, write_json, records_file
):
    run = pathwise("evaluate", write_json(records_file()), "--as-of", "someday")
    assert run.code == 2
    assert run.out == ""
