"""The public pages' sentences come from the program data: change the data, the words follow."""

from __future__ import annotations

from pathlib import Path

from pathwise.core.describe import (
    completion_text,
    component_facts,
    requirement_text,
    window_text,
)
from pathwise.core.program import ProgramLibrary, parse_program

SHIPPED = Path(__file__).resolve().parents[2] / "pathwise" / "programs" / "cscce-cm" / "2023.toml"


def variant(*changes: tuple[str, str]):
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_program(text, source="variant.toml")


def test_the_shipped_program_reads_as_the_seeds_describe_it() -> None:
    program = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert program is not None
    code = component_facts(program, "CODE")
    assert code.completion == "Attend at least 11 of the 12 sessions and pass the final " \
                              "deliverable."
    assert code.load == "About 4 hours a week, class included, while it runs"
    assert code.sessions == "12 sessions over 7 weeks"
    assert code.before is None
    assert code.counts_for == ("CODE course",)
    capstone = component_facts(program, "CAPSTONE")
    assert capstone.before == ("Pass Content Design (CODE), Community Playbooks (PBK) and one "
                               "of Nurturing and Stewarding Engaged Online Communities (NOC) "
                               "or Communities of Practice (COP) first.")
    assert component_facts(program, "MW-FEEDBACK").counts_for == (
        "Orientation mini-workshops", "Six mini-workshops")


def test_another_graduation_rule_and_load_are_said_as_the_data_says() -> None:
    program = variant(('graduation = { min_sessions = 11, assessments = ["final-deliverable"] }',
                       'graduation = { min_sessions = 10, assessments = ["quiz-1", '
                       '"final-deliverable"] }'),
                      ("weekly_hours = 4", "weekly_hours = 6"))
    assert completion_text(program.components["CODE"]) == (
        "Attend at least 10 of the 12 sessions and pass the quiz 1 and final deliverable.")
    assert component_facts(program, "CODE").load == ("About 6 hours a week, class included, "
                                                     "while it runs")


def test_requirements_and_the_window_follow_the_data() -> None:
    program = variant(('component = "QSS"\ncount = 2', 'component = "QSS"\ncount = 3'),
                      ("months = 24", "months = 36"))
    texts = {r.id: requirement_text(program, r) for r in program.requirements}
    assert texts["skills-share"] == "Attend 3 Quarterly Skills Share (QSS) sessions."
    assert texts["elective"] == ("Pass one of Nurturing and Stewarding Engaged Online "
                                 "Communities (NOC) or Communities of Practice (COP).")
    assert window_text(program).startswith("Everything is completed within 3 years of "
                                           "enrolling")
    assert "the deadline is Mon 31 Aug 2026" in window_text(program)
