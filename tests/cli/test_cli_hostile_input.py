"""Hostile or careless input on the command line: refused in one line where it enters.

Identifiers, one-line text, plausible dates, numbers of thousands of digits,
deep nesting and availability the planner would refuse — in records files (for
every command that reads them), offerings files and arguments — end with exit
status 2 and one line naming the key, never a traceback. Output cut short by
the reader (`| head`) ends quietly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import make_records_file

HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000


def with_participant(**fields: Any) -> dict[str, Any]:
    data = make_records_file()
    data["participant"].update(fields)
    return data


def with_record(index: int, **fields: Any) -> dict[str, Any]:
    data = make_records_file()
    data["records"][index].update(fields)
    return data


BAD_RECORDS: list[tuple[dict[str, Any] | str, str]] = [
    # identifiers
    (with_participant(id="../../x"), "participant.id: '../../x' is not an identifier"),
    (with_participant(id=".."), "participant.id: '..' is not an identifier"),
    (with_participant(id="a/b"), "participant.id: 'a/b' is not an identifier"),
    (with_participant(id="P-001\n"), "participant.id: 'P-001\\n' is not an identifier"),
    (with_participant(id="x" * 41), "is not an identifier (1 to 40 letters"),
    (with_record(3, offering="../CODE"), "records[3].offering: '../CODE' is not an identifier"),
    # one-line text
    (with_participant(name="Ada\r\nBcc: eve@example.org"),
     "participant.name: 'Ada\\r\\nBcc: eve@example.org' contains a control character"),
    (with_participant(name="Ada\x00"), "participant.name: 'Ada\\x00' contains a control"),
    (with_participant(email="ada@example.org\nBcc: eve@example.org"),
     "participant.email: 'ada@example.org\\nBcc: eve@example.org' contains a control"),
    (with_participant(email="ada@example.org, eve@example.org"),
     "participant.email: 'ada@example.org, eve@example.org' is not one e-mail address"),
    (with_participant(email=""), "participant.email: expected a non-empty string"),
    (with_participant(organization="Engines\u2028Ltd"),
     "participant.organization: 'Engines\\u2028Ltd' contains a control character"),
    (with_participant(employment=[{"organization": "Babbage\t& Co", "from": "2020-01-01"}]),
     "participant.employment[0].organization: 'Babbage\\t& Co' contains a control"),
    (with_record(8, role="presenter\n"), "records[8].role: 'presenter\\n' contains a control"),
    (with_record(8, role=""), "records[8].role: expected a non-empty string"),
    (with_record(11, outcome="credited", basis="pilot\r\n", conditions_met=True),
     "records[11].basis: 'pilot\\r\\n' contains a control character"),
    # dates far outside any plausible range
    (make_records_file(enrolled_on="9999-12-31", records=[]),
     "enrolled_on: 9999-12-31 is outside the plausible range 1900-01-01 to 2200-12-31"),
    (make_records_file(deadline_extended_to="9999-12-31"),
     "deadline_extended_to: 9999-12-31 is outside the plausible range"),
    (with_record(0, date="0001-01-01"), "records[0].date: 0001-01-01 is outside the plausible"),
    (with_record(12, date="9999-12-31"), "records[12].date: 9999-12-31 is outside the plausible"),
    (with_participant(employment=[{"organization": "Babbage", "from": "1066-10-14"}]),
     "participant.employment[0].from: 1066-10-14 is outside the plausible range"),
    # numbers of thousands of digits, and nesting too deep for any parser
    (json.dumps(make_records_file()).replace('"attended": 11', f'"attended": {HUGE}'),
     "records[3].attendance.attended: a number out of range"),
    (json.dumps(make_records_file()).replace('"deadline_extended_to": null',
                                             f'"deadline_extended_to": {HUGE}'),
     "deadline_extended_to: a number out of range"),
    (json.dumps(make_records_file()).replace('"deadline_extended_to": null',
                                             f'"deadline_extended_to": {DEEP}'),
     "not valid JSON: nested too deeply"),
    (json.dumps(with_participant(availability=[{"days": 1, "from": "08:00", "to": "18:00"}]))
     .replace('"days": 1', '"days": ' + "[" * 2000 + "]" * 2000),
     "not valid JSON: nested too deeply"),
    (with_record(3, attendance={"attended": 11, "of": 10 ** 12}),
     "records[3].attendance.of: must be at most 1000"),
    # availability the planner would refuse
    (with_participant(availability=[{"days": ["MO"], "from": "18:00", "to": "08:00"}]),
     "participant.availability[0].to: 08:00 is not after from 18:00"),
    (with_participant(availability=[{"days": ["MO"], "from": "08:00\n", "to": "18:00"}]),
     "participant.availability[0].from: expected a time as HH:MM, got '08:00\\n'"),
    (with_participant(availability=[]), "participant.availability: needs at least one window"),
    (json.dumps(with_participant(availability=[{"days": ["MO"], "from": "08:00", "to": 1}]))
     .replace('"to": 1', f'"to": {HUGE}'), "participant.availability[0]: a number out of range"),
]


def _write(tmp_path: Path, data: dict[str, Any] | str, name: str = "hostile.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


OFFERINGS = {"offerings": [
    {"id": "CODE30W", "component": "CODE", "starts_on": "2030-01-08",
     "ends_on": "2030-02-26", "seats_left": 4,
     "meetings": {"days": ["TU", "TH"], "time": "12:00", "minutes": 90,
                  "timezone": "America/New_York"}},
]}


@pytest.mark.parametrize("case", BAD_RECORDS)
@pytest.mark.parametrize("command", ["evaluate", "plan", "badge"])
def test_every_command_reading_records_refuses_hostile_input_in_one_line(
    pathwise: Callable[..., Any], refused: Callable[..., str], tmp_path: Path,
    case: tuple[dict[str, Any] | str, str], command: str,
) -> None:
    bad, words = case
    records = _write(tmp_path, bad)
    extra: list[str | Path] = {"evaluate": [], "badge": ["--achievement", "CODE"],
                               "plan": ["--offerings", _write(tmp_path, OFFERINGS, "o.json")],
                               }[command]
    run = pathwise(command, records, *extra, "--as-of", "2025-01-01")
    line = refused(run, command)
    assert f"{records}: " in line
    assert words in line


def offerings_with(**fields: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(OFFERINGS))
    data["offerings"][0].update(fields)
    return data


@pytest.mark.parametrize(("bad", "words"), [
    (offerings_with(id="../../x"), "offerings[0].id: '../../x' is not an identifier"),
    (offerings_with(id="."), "offerings[0].id: '.' is not an identifier"),
    (offerings_with(intake="2030 W"), "offerings[0].intake: '2030 W' is not an identifier"),
    (offerings_with(private_to="Acme\r\nX-Header: 1"),
     "offerings[0].private_to: 'Acme\\r\\nX-Header: 1' contains a control character"),
    (offerings_with(starts_on="9999-12-24", ends_on="9999-12-31"),
     "offerings[0].starts_on: 9999-12-24 is outside the plausible range"),
    (offerings_with(meetings={**OFFERINGS["offerings"][0]["meetings"],
                              "cancelled": ["9999-12-31"]}),
     "offerings[0].meetings.cancelled[0]: 9999-12-31 is outside the plausible range"),
    (json.dumps(OFFERINGS).replace('"seats_left": 4', f'"seats_left": {HUGE}'),
     "offerings[0].seats_left: a number out of range"),
    (json.dumps(OFFERINGS).replace('"seats_left": 4', f'"seats_left": {DEEP}'),
     "not valid JSON: nested too deeply"),
    (DEEP, "not valid JSON: nested too deeply"),
])
def test_a_hostile_offerings_file_is_refused_in_one_line(
    pathwise: Callable[..., Any], refused: Callable[..., str], tmp_path: Path,
    bad: dict[str, Any] | str, words: str,
) -> None:
    records = _write(tmp_path, make_records_file(), "records.json")
    offerings = _write(tmp_path, bad, "offerings.json")
    run = pathwise("plan", records, "--offerings", offerings, "--as-of", "2025-01-01")
    line = refused(run, "plan")
    assert f"{offerings}: " in line
    assert words in line


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_an_implausible_as_of_date_is_refused(
    pathwise: Callable[..., Any], refused: Callable[..., str], tmp_path: Path, as_of: str,
) -> None:
    run = pathwise("evaluate", _write(tmp_path, make_records_file()), "--as-of", as_of)
    assert f"--as-of: {as_of} is outside the plausible range" in refused(run)


def test_output_cut_short_by_the_reader_ends_quietly(tmp_path: Path) -> None:
    """`pathwise evaluate FILE | head`: the reader goes away; no BrokenPipe traceback."""
    records = _write(tmp_path, make_records_file())
    process = subprocess.Popen(
        [sys.executable, "-m", "pathwise.cli", "evaluate", str(records),
         "--as-of", "2025-01-01"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # like `head` exiting before the output is written
    errors = process.stderr.read().decode()
    status = process.wait(timeout=60)
    assert errors == ""
    assert status == 141  # 128 + SIGPIPE, as a shell reports a tool the pipe closed on


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=50) | st.sampled_from(["2024-01-01", "9999-12-31", "ORIENT", "passed",
                                              "08:00", "24:00", "MO", "Europe/London", ""]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=8)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed JSON document a value could be replaced."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_in_a_records_file_is_an_audit_or_one_line(
    pathwise: Callable[..., Any], tmp_path: Path, data: st.DataObject,
) -> None:
    document = make_records_file()
    document["participant"]["availability"] = [{"days": ["MO"], "from": "08:00", "to": "18:00"}]
    place = data.draw(st.sampled_from(_paths(document)[1:]))
    value = data.draw(json_values)
    target = document
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    records = _write(tmp_path, document)
    for command in ("evaluate", "plan"):
        extra = ["--offerings", _write(tmp_path, OFFERINGS, "o.json")] if command == "plan" else []
        run = pathwise(command, records, *extra, "--as-of", "2025-01-01")
        assert run.code in (0, 2), run
        if run.code == 2:
            assert run.out == ""
            assert run.err.count("\n") == 1, run.err


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_in_an_offerings_file_is_a_plan_or_one_line(
    pathwise: Callable[..., Any], tmp_path: Path, data: st.DataObject,
) -> None:
    document = json.loads(json.dumps(OFFERINGS))
    document["offerings"][0].update({"intake": "CERT30W", "private_to": "Acme",
                                     "meetings": {**document["offerings"][0]["meetings"],
                                                  "cancelled": ["2030-01-09"],
                                                  "moved": [{"from": "2030-01-14",
                                                             "to": "2030-01-21"}]}})
    place = data.draw(st.sampled_from(_paths(document)[1:]))
    value = data.draw(json_values)
    target = document
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    run = pathwise("plan", _write(tmp_path, make_records_file(), "r.json"), "--offerings",
                   _write(tmp_path, document, "o.json"), "--as-of", "2025-01-01")
    assert run.code in (0, 2), run
    if run.code == 2:
        assert run.out == ""
        assert run.err.count("\n") == 1, run.err
