"""The journey map (pathwise.core.journey): the program's main line and rows alongside, each
stop with what counts already and what is held or planned, and the current stop marked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pathwise.core.journey import journey
from pathwise.core.standing import standing
from tests.builders import make_records_file
from tests.core.test_planner import MIDWAY_RECORDS, catalogue, offering

D = dt.date.fromisoformat

OFFERINGS = catalogue(
    offering("CODE24F", "CODE", "2024-10-08"),
    offering("PBK25W", "PBK", "2025-01-07"),
    offering("NOC25S", "NOC", "2025-04-01"),
)


def midway(**top: Any) -> dict[str, Any]:
    return make_records_file(list(MIDWAY_RECORDS), **top)


def test_the_main_line_and_the_rows_alongside_follow_the_programs_tracks(program, parse):
    s = standing(program, parse(midway()), D("2024-10-01"), OFFERINGS)
    j = journey(program, s)
    assert [st.id for st in j.main] == [r.id for r in program.requirements if r.track == "main"]
    assert [st.id for st in j.alongside] == ["mini-workshops", "skills-share", "lightning-talk"]
    assert j.deadline == D("2025-08-31")
    assert j.finishes_on == s.plan.finishes_on


def test_each_stop_has_what_counts_with_its_day_and_what_is_planned_with_its_dates(
    program, parse
):
    s = standing(program, parse(midway()), D("2024-10-01"), OFFERINGS)
    stops = {st.id: st for st in (*journey(program, s).main, *journey(program, s).alongside)}

    orientation = stops["orientation"]
    assert orientation.state == "done"
    assert orientation.met_on == D("2023-09-21")
    assert [(i.component, i.state, i.starts_on, i.how) for i in orientation.items] == [
        ("ORIENT", "done", D("2023-09-21"), "attended")]

    code = stops["code"]
    assert code.state == "planned"
    assert [(i.name, i.state, i.offering, i.starts_on, i.ends_on) for i in code.items] == [
        ("Content Design", "planned", "CODE24F", D("2024-10-08"), D("2024-11-25"))]
    assert stops["elective"].items[0].offering == "NOC25S"
    capstone = stops["capstone"].items[0]
    assert (capstone.state, capstone.offering) == ("planned", None)

    talk = stops["lightning-talk"]
    assert [(i.how, i.starts_on) for i in talk.items] == [("presented", D("2024-03-14"))]
    workshops = stops["mini-workshops"]
    assert (workshops.done, workshops.needed, workshops.open) == (6, 6, 0)


def test_a_held_run_is_drawn_as_held_and_a_stop_with_nothing_planned_says_how_many_are_open(
    program, parse
):
    records = [r for r in MIDWAY_RECORDS if r["component"] not in ("MW-METRICS", "QSS")]
    s = standing(program, parse(make_records_file(records, holding=["CODE24F"])),
                 D("2024-10-01"), OFFERINGS)
    j = journey(program, s, next_offering="CODE24F")
    code = next(st for st in j.main if st.id == "code")
    assert code.state == "held"
    assert [(i.state, i.offering, i.next) for i in code.items] == [("held", "CODE24F", True)]
    # No mini-workshop or skills share run is published: nothing planned for them.
    workshops = next(st for st in j.alongside if st.id == "mini-workshops")
    assert (workshops.state, workshops.done, workshops.open) == ("unplanned", 5, 1)
    shares = next(st for st in j.alongside if st.id == "skills-share")
    assert (shares.state, shares.open) == ("unplanned", 2)


def test_the_current_stop_is_the_unmet_one_whose_run_starts_first(program, parse):
    s = standing(program, parse(midway()), D("2024-10-01"), OFFERINGS)
    j = journey(program, s)
    assert j.current is not None
    assert j.current.id == "code"
    assert [st.id for st in j.main if st.current] == ["code"]

    # PBK before CODE is allowed: when only a PBK run comes first, PBK is the current stop.
    pbk_first = catalogue(offering("PBK24F", "PBK", "2024-10-08"),
                          offering("CODE25W", "CODE", "2025-01-07"),
                          offering("NOC25S", "NOC", "2025-04-01"))
    s = standing(program, parse(midway()), D("2024-10-01"), pbk_first)
    assert journey(program, s).current.id == "pbk"

    # Without a catalogue nothing is planned: the first unmet stop in order.
    s = standing(program, parse(midway()), D("2024-10-01"))
    assert journey(program, s).current.id == "code"


def test_a_certified_journey_has_no_current_stop_and_its_courses_carry_their_badges(
    program, parse
):
    s = standing(program, parse(make_records_file()), D("2024-09-01"), catalogue())
    j = journey(program, s)
    assert j.current is None
    assert j.certified_on == D("2024-08-01")
    assert all(st.state == "done" for st in (*j.main, *j.alongside))
    badges = [(st.id, [i.component for i in st.badges]) for st in j.main if st.badges]
    assert badges == [("code", ["CODE"]), ("pbk", ["PBK"]), ("elective", ["NOC"])]


def test_a_credited_course_counts_as_credited(program, parse):
    records = [*MIDWAY_RECORDS, {"component": "NOC", "date": "2024-02-01",
                                 "outcome": "credited", "basis": "NOC pilot 2021",
                                 "conditions_met": True}]
    s = standing(program, parse(make_records_file(records)), D("2024-10-01"))
    elective = next(st for st in journey(program, s).main if st.id == "elective")
    assert [(i.component, i.how, i.badge) for i in elective.items] == [
        ("NOC", "credited", True)]


def test_withdrawn_or_overdue_journeys_draw_no_planned_runs(program, parse):
    gone = standing(program, parse(midway(withdrawn_on="2024-09-15")), D("2024-10-01"),
                    OFFERINGS)
    j = journey(program, gone)
    assert j.current is None
    assert not [i for st in j.main for i in st.items if i.state == "planned"]
    late = standing(program, parse(midway()), D("2025-09-10"), OFFERINGS)
    assert not [i for st in journey(program, late).main for i in st.items
                if i.state == "planned"]


def test_a_run_that_ends_after_the_deadline_is_marked_late(program, parse):
    late = catalogue(offering("CODE24F", "CODE", "2024-10-08"),
                     offering("PBK25W", "PBK", "2025-01-07"),
                     offering("NOC25S", "NOC", "2025-08-05"))  # ends 22 Sep, after 31 Aug
    s = standing(program, parse(midway(holding=["NOC25S"])), D("2024-10-01"), late)
    items = {i.component: i for st in journey(program, s).main for i in st.items}
    assert not items["CODE"].late
    assert items["NOC"].late
