"""Program definitions: the shipped one loads; bad ones are refused naming file, key, problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathwise.core.errors import DefinitionError
from pathwise.core.program import (
    DEFAULT_PRESENT_MINUTES_SHARE,
    SHIPPED_PROGRAMS_DIR,
    ProgramLibrary,
    load_program,
    parse_program,
)

SHIPPED = SHIPPED_PROGRAMS_DIR / "cscce-cm" / "2023.toml"
SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")
SOURCE = "programs/broken.toml"


def edited(old: str, new: str) -> str:
    """The shipped definition with one exact piece of text replaced."""
    assert SHIPPED_TEXT.count(old) == 1, f"{old!r} should occur once in the shipped file"
    return SHIPPED_TEXT.replace(old, new)


def refusal(text: str) -> str:
    with pytest.raises(DefinitionError) as caught:
        parse_program(text, source=SOURCE)
    message = str(caught.value)
    assert "\n" not in message, "errors are one line"
    assert message.startswith(f"{SOURCE}: ")
    return message


def test_the_shipped_definition_loads_with_its_requirements_and_window():
    program = load_program(SHIPPED)
    assert program.key == ("cscce-cm", "2023")
    assert [r.id for r in program.requirements] == [
        "orientation", "orientation-mini-workshops", "code", "pbk", "elective",
        "mini-workshops", "skills-share", "lightning-talk", "capstone",
    ]
    assert (program.window.months, program.window.ends) == (
        24, "end_of_month_before_anniversary")
    assert {c.code for c in program.of_kind("course")} == {"CODE", "PBK", "NOC", "COP"}
    assert program.components["CODE"].graduation is not None
    assert program.components["CODE"].graduation.min_sessions == 11
    assert program.components["CODE"].graduation.assessments == ("final-deliverable",)
    assert len(program.of_kind("mini-workshop")) >= 10


def test_the_shipped_library_holds_the_default_program():
    library = ProgramLibrary.shipped()
    assert library.get("cscce-cm", "2023") is not None
    assert library.versions("cscce-cm") == ["2023", "2025"]


def test_a_requirement_naming_an_unknown_component_is_refused():
    message = refusal(edited('components = ["NOC", "COP"]', 'components = ["NOC", "XYZ"]'))
    assert "requirements[4].components: unknown component 'XYZ'" in message


def test_a_sessions_requirement_naming_an_unknown_component_is_refused():
    message = refusal(edited('component = "QSS"\ncount = 2', 'component = "QS"\ncount = 2'))
    assert "requirements[6].component: unknown component 'QS'" in message


def test_a_prerequisite_naming_an_unknown_component_is_refused():
    message = refusal(edited('component = "COP"\nrequires = ["CODE", "PBK"]',
                             'component = "COP"\nrequires = ["CODE", "PBX"]'))
    assert "prerequisites[1].requires: unknown component 'PBX'" in message


def test_a_cycle_in_the_prerequisites_is_refused_showing_the_cycle():
    text = SHIPPED_TEXT + '\n[[prerequisites]]\ncomponent = "CODE"\nrequires = ["NOC"]\n'
    message = refusal(text)
    assert "prerequisites: cycle: CODE -> NOC -> CODE" in message


def test_a_component_that_requires_itself_is_a_cycle():
    text = SHIPPED_TEXT + '\n[[prerequisites]]\ncomponent = "PBK"\nrequires = ["PBK"]\n'
    assert "prerequisites: cycle: PBK -> PBK" in refusal(text)


def test_a_second_prerequisite_for_the_same_component_is_refused():
    text = SHIPPED_TEXT + '\n[[prerequisites]]\ncomponent = "NOC"\nrequires = ["MW-ROLES"]\n'
    message = refusal(text)
    assert ("prerequisites[3].component: NOC already has a prerequisite; list everything it "
            "needs in one") in message


def test_applies_to_records_must_be_true_or_false():
    message = refusal(edited("applies_to_records = true", 'applies_to_records = "yes"'))
    assert "prerequisites[2].applies_to_records" in message


def test_only_the_capstone_prerequisite_applies_to_records_in_the_shipped_program():
    program = load_program(SHIPPED)
    assert [p.component for p in program.prerequisites if p.applies_to_records] == ["CAPSTONE"]


def test_a_window_of_zero_months_is_refused():
    message = refusal(edited("months = 24", "months = 0"))
    assert "window.months: must be at least 1, got 0" in message


def test_a_window_with_an_unknown_ending_is_refused():
    message = refusal(edited('ends = "end_of_month_before_anniversary"',
                             'ends = "end_of_year"'))
    assert "window.ends: 'end_of_year' is not one of" in message
    assert "day_before_anniversary" in message


def test_a_window_in_years_instead_of_months_is_refused_as_an_unknown_key():
    message = refusal(edited("months = 24", "years = 2"))
    assert "window.years: unknown key" in message


def test_a_missing_required_key_is_refused_naming_it():
    message = refusal(edited('issuer = "Center for Scientific Collaboration and Community '
                             'Engagement (CSCCE)"\n', ""))
    assert "program.issuer: missing required key" in message


def test_a_missing_window_table_is_refused_naming_it():
    message = refusal(edited('[window]\n', '[not_window]\n'))
    assert "not_window: unknown key" in message or "window: missing required key" in message


def test_a_component_defined_twice_is_refused():
    text = SHIPPED_TEXT + (
        '\n[[components]]\ncode = "MW-ROLES"\nkind = "mini-workshop"\n'
        'name = "Roles again"\ndescription = "A duplicate."\n'
    )
    message = refusal(text)
    assert "components[17].code: component 'MW-ROLES' is defined twice" in message


def test_a_requirement_id_defined_twice_is_refused():
    message = refusal(edited('id = "pbk"', 'id = "code"'))
    assert "requirements[3].id: requirement 'code' is defined twice" in message


def test_bad_toml_syntax_is_refused_with_its_line():
    message = refusal(edited("months = 24", "months = = 24"))
    assert "not valid TOML" in message
    assert "line 16" in message  # where `months` is


def test_a_graduation_rule_needing_more_sessions_than_the_course_has_is_refused():
    text = SHIPPED_TEXT.replace("min_sessions = 11", "min_sessions = 13", 1)
    message = refusal(text)
    assert "components[1].graduation.min_sessions: 13 is more than" in message


def test_a_course_without_a_graduation_rule_is_refused():
    text = edited(
        'badge = true\ntextbook = "Requires a textbook you may need to buy."\n'
        'graduation = { min_sessions = 11, assessments = ["final-deliverable"] }\n\n'
        '[[components]]\ncode = "COP"',
        'badge = true\ntextbook = "Requires a textbook you may need to buy."\n\n'
        '[[components]]\ncode = "COP"',
    )
    assert "components[3].graduation: a course needs a graduation rule" in refusal(text)


def test_requiring_more_distinct_mini_workshops_than_the_program_defines_is_refused():
    message = refusal(edited("count = 6", "count = 11"))
    assert "requirements[5].count: needs 11 distinct mini-workshop components" in message
    assert "defines only 10" in message


def test_an_unknown_component_kind_is_refused():
    message = refusal(edited('kind = "skills-share"', 'kind = "webinar"'))
    assert "components[15].kind: 'webinar' is not one of" in message


def test_an_unknown_requirement_rule_is_refused():
    message = refusal(edited('rule = "role"', 'rule = "presented"'))
    assert "requirements[7].rule: 'presented' is not one of" in message


def test_load_program_names_the_file_it_refuses(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text(edited("months = 24", "months = 0"), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"bad\.toml: window\.months: must be at least 1"):
        load_program(path)


def test_load_program_refuses_a_missing_file_naming_it(tmp_path: Path):
    path = tmp_path / "missing.toml"
    with pytest.raises(DefinitionError, match=r"missing\.toml: cannot read"):
        load_program(path)


def test_load_program_refuses_a_file_that_is_not_utf8_naming_it(tmp_path: Path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(SHIPPED_TEXT.replace("Orientation", "Orientaci\u00f3n").encode("latin-1"))
    with pytest.raises(DefinitionError, match=r"latin1\.toml: .*UTF-8"):
        load_program(path)


def test_load_program_refuses_absurdly_deep_nesting_without_crashing(tmp_path: Path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 50_000, encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"deep\.toml: "):
        load_program(path)


def test_two_files_defining_the_same_program_version_are_refused_naming_both(tmp_path: Path):
    (tmp_path / "copy.toml").write_text(SHIPPED_TEXT, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        ProgramLibrary.shipped([tmp_path])
    message = str(caught.value)
    assert "copy.toml" in message
    assert str(SHIPPED) in message
    assert "cscce-cm version 2023 is already defined" in message


def test_a_programs_folder_that_does_not_exist_is_refused(tmp_path: Path):
    with pytest.raises(DefinitionError, match="programs folder does not exist"):
        ProgramLibrary.from_dirs([tmp_path / "nowhere"])


def test_the_shipped_program_counts_three_quarters_of_a_meeting_as_present():
    assert load_program(SHIPPED).present_minutes_share == 0.75


def test_a_program_without_an_attendance_table_takes_the_default_share():
    line = "present_minutes_share = 0.75\n"
    start = SHIPPED_TEXT.index("[attendance]")
    end = SHIPPED_TEXT.index(line) + len(line)
    text = SHIPPED_TEXT[:start] + SHIPPED_TEXT[end:]
    assert "attendance]" not in text
    assert parse_program(text, source=SOURCE).present_minutes_share == (
        DEFAULT_PRESENT_MINUTES_SHARE)


def test_a_share_of_a_whole_meeting_is_allowed():
    program = parse_program(edited("present_minutes_share = 0.75", "present_minutes_share = 1"),
                            source=SOURCE)
    assert program.present_minutes_share == 1.0


@pytest.mark.parametrize(("value", "problem"), [
    ("0", "must be more than 0 and at most 1 (a share of the meeting), got 0"),
    ("1.5", "must be more than 0 and at most 1 (a share of the meeting), got 1.5"),
    ("-0.25", "must be more than 0 and at most 1 (a share of the meeting), got -0.25"),
    ("nan", "must be more than 0 and at most 1 (a share of the meeting), got nan"),
    ('"75%"', "expected a number, got '75%'"),
    ("true", "expected a number, got True"),
])
def test_a_share_outside_zero_to_one_is_refused_naming_file_and_key(value, problem):
    message = refusal(edited("present_minutes_share = 0.75", f"present_minutes_share = {value}"))
    assert message == f"{SOURCE}: attendance.present_minutes_share: {problem}"


def test_an_unknown_key_in_the_attendance_table_is_refused():
    message = refusal(edited("present_minutes_share = 0.75", "present_share = 0.75"))
    assert "attendance.present_share: unknown key (allowed: present_minutes_share)" in message
