"""Malformed definitions given with `--programs DIR`: exit 2, one line naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import SECOND_PROGRAM_FILE, assert_one_line_refusal

GOOD = SECOND_PROGRAM_FILE.read_text(encoding="utf-8")


def edit(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, f"{old!r} should occur once in the second program"
    return GOOD.replace(old, new)


WINDOW = 'months = 12\nends = "day_before_anniversary"\n'

BAD_DEFINITIONS = [
    ("unknown component in a requirement",
     edit('components = ["INTRO"]', 'components = ["INTRO", "KICKOFF"]'),
     ["requirements[0].components", "unknown component 'KICKOFF'"]),
    ("unknown component in a prerequisite",
     edit('requires = ["FAC-101"]', 'requires = ["FAC-100"]'),
     ["prerequisites[0].requires", "unknown component 'FAC-100'"]),
    ("cycle in the prerequisites",
     GOOD + '\n[[prerequisites]]\ncomponent = "FAC-101"\nrequires = ["REFLECT"]\n',
     ["prerequisites", "cycle: FAC-101 -> REFLECT -> FAC-101"]),
    ("window of zero months", edit("months = 12", "months = 0"),
     ["window.months", "must be at least 1, got 0"]),
    ("window in words", edit("months = 12", 'months = "twelve"'),
     ["window.months", "expected a whole number", "'twelve'"]),
    ("unknown window ending",
     edit('ends = "day_before_anniversary"', 'ends = "last_day_of_year"'),
     ["window.ends", "'last_day_of_year' is not one of", "end_of_month_before_anniversary"]),
    ("missing window", edit("[window]\n" + WINDOW, ""),
     ["window: missing required key"]),
    ("missing program key", edit('issuer = "Example Facilitation Guild"\n', ""),
     ["program.issuer: missing required key"]),
    ("missing component kind", edit('code = "WS-CLOSING"\nkind = "mini-workshop"\n',
                                    'code = "WS-CLOSING"\n'),
     ["components[6].kind: missing required key"]),
    ("duplicate component", edit('code = "WS-CLOSING"', 'code = "WS-ENERGY"'),
     ["components[6].code", "component 'WS-ENERGY' is defined twice"]),
    ("more distinct workshops than defined",
     edit('kind = "mini-workshop"\ncount = 3', 'kind = "mini-workshop"\ncount = 5'),
     ["requirements[3].count", "needs 5 distinct mini-workshop components", "only 4"]),
    ("graduation minimum above the course's sessions",
     edit("min_sessions = 6", "min_sessions = 9"),
     ["components[2].graduation.min_sessions", "9 is more than the component's 6 sessions"]),
    ("unknown key (a typo)", edit("length_days = 7", "lenght_days = 7"),
     ["components[8].lenght_days", "unknown key"]),
    ("bad TOML syntax", edit("months = 12", "months = 12 months"),
     ["not valid TOML", "line 14"]),
    ("a number of 5,000 digits", edit("months = 12", "months = " + "9" * 5000),
     ["not valid TOML: a number of more than 4,300 digits"]),
    ("a negative number of 4,000 digits", edit("months = 12", "months = -" + "9" * 4000),
     ["window.months", "must be at least 1, got a number of about 4000 digits"]),
]


@pytest.fixture
def records_path(write_json, records_file) -> Path:
    """A valid records file for the shipped program."""
    return write_json(records_file())


@pytest.mark.parametrize("case",
                         [pytest.param((t, f), id=name) for name, t, f in BAD_DEFINITIONS])
@pytest.mark.parametrize("command", ["evaluate", "programs"])
def test_a_bad_definition_is_refused_naming_the_file_and_key(
    command, case, pathwise, tmp_path, records_path
):
    text, fragments = case
    folder = tmp_path / "programs"
    folder.mkdir()
    bad = folder / "field-facilitator.toml"
    bad.write_text(text, encoding="utf-8")
    args = [records_path, "--as-of", "2024-09-01"] if command == "evaluate" else []
    line = assert_one_line_refusal(pathwise("--programs", folder, command, *args), command)
    assert f"{bad}: " in line
    for fragment in fragments:
        assert fragment in line


def test_a_definition_that_is_not_utf8_is_refused_naming_the_file(
    pathwise, tmp_path, refused
):
    folder = tmp_path / "programs"
    folder.mkdir()
    bad = folder / "latin1.toml"
    bad.write_bytes(GOOD.replace("Closing well", "Cl\u00f4ture").encode("latin-1"))
    line = refused(pathwise("--programs", folder, "programs"), "programs")
    assert f"{bad}: not UTF-8" in line


def test_a_programs_folder_that_does_not_exist_is_refused(
    pathwise, tmp_path, records_path, refused
):
    line = refused(pathwise("--programs", tmp_path / "nowhere", "evaluate", records_path))
    assert f"{tmp_path / 'nowhere'}: programs folder does not exist" in line


def test_the_same_program_version_in_two_files_is_refused_naming_both(
    pathwise, tmp_path, refused
):
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "a.toml").write_text(GOOD, encoding="utf-8")
    (folder / "b.toml").write_text(GOOD, encoding="utf-8")
    line = refused(pathwise("--programs", folder, "programs"), "programs")
    assert "field-facilitator version 2025.1 is already defined" in line
    assert str(folder / "a.toml") in line
    assert str(folder / "b.toml") in line


def test_a_good_definition_in_the_same_folder_layout_is_accepted(pathwise, tmp_path):
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "field-facilitator.toml").write_text(GOOD, encoding="utf-8")
    run = pathwise("--programs", folder, "programs")
    assert run.code == 0
    assert run.err == ""
    assert "field-facilitator\t2025.1\tField Facilitator Certificate" in run.out
