"""Records files to start tests from, as parsed JSON (dicts), for the default program."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

from pathwise.core.program import SHIPPED_PROGRAMS_DIR


def complete_journey() -> list[dict[str, Any]]:
    """A complete, certifying journey for someone enrolled on 2023-09-21.

    The last requirement met is the capstone on 2024-08-01; the sixth distinct
    mini-workshop comes on 2024-05-15.
    """
    return [
        {"component": "ORIENT", "date": "2023-09-21", "outcome": "attended"},
        {"component": "MW-CORE-VALUES", "date": "2023-09-28", "outcome": "attended"},
        {"component": "MW-FEEDBACK", "date": "2023-10-05", "outcome": "attended"},
        {"component": "CODE", "offering": "CODE23F", "date": "2023-12-05",
         "attendance": {"attended": 11, "of": 12},
         "assessments": {"final-deliverable": "passed"}},
        {"component": "QSS", "date": "2023-12-14", "outcome": "attended"},
        {"component": "MW-MEETINGS", "date": "2024-01-15", "outcome": "attended"},
        {"component": "MW-FACILITATION", "date": "2024-02-15", "outcome": "attended"},
        {"component": "PBK", "offering": "PBK24W", "date": "2024-03-12", "outcome": "passed"},
        {"component": "QSS", "date": "2024-03-14", "outcome": "attended", "role": "presenter"},
        {"component": "MW-ONBOARDING", "date": "2024-04-15", "outcome": "attended"},
        {"component": "MW-METRICS", "date": "2024-05-15", "outcome": "attended"},
        {"component": "NOC", "offering": "NOC24S", "date": "2024-06-25", "outcome": "passed"},
        {"component": "CAPSTONE", "date": "2024-08-01", "outcome": "passed"},
    ]


def drop_components(records: Iterable[dict[str, Any]], *codes: str) -> list[dict[str, Any]]:
    """The records minus every record of the given components."""
    return [r for r in records if r["component"] not in codes]


def make_records_file(records: list[dict[str, Any]] | None = None, **top: Any) -> dict[str, Any]:
    """A records file (as parsed JSON) for the default program; `top` overrides top-level keys."""
    data: dict[str, Any] = {
        "program": "cscce-cm",
        "program_version": "2023",
        "participant": {"id": "P-001", "name": "Ada Lovelace", "timezone": "Europe/London"},
        "enrolled_on": "2023-09-21",
        "deadline_extended_to": None,
        "records": complete_journey() if records is None else records,
    }
    data.update(top)
    return data


#: A participant part of the way through: orientation, one mini-workshop, CODE, a
#: lightning talk, NOC credit from the pilot and the capstone; overdue since 2025-08-31.
ADA: dict[str, Any] = {
    "program": "cscce-cm",
    "program_version": "2023",
    "participant": {"id": "P-001", "name": "Ada Lovelace", "timezone": "Europe/London"},
    "enrolled_on": "2023-09-21",
    "deadline_extended_to": None,
    "records": [
        {"component": "ORIENT", "date": "2023-09-21", "outcome": "attended"},
        {"component": "MW-CORE-VALUES", "date": "2023-09-28", "outcome": "attended"},
        {"component": "CODE", "offering": "CODE23F", "date": "2023-12-05",
         "attendance": {"attended": 11, "of": 12},
         "assessments": {"final-deliverable": "passed"}},
        {"component": "QSS", "date": "2024-03-14", "outcome": "attended", "role": "presenter"},
        {"component": "NOC", "date": "2024-02-01", "outcome": "credited",
         "basis": "NOC pilot 2021", "conditions_met": True},
        {"component": "CAPSTONE", "date": "2025-06-01", "outcome": "passed"},
    ],
}


def ada_file(participant_id: str = "P-001", name: str = "Ada Lovelace",
                 **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ADA)
    data["participant"]["id"] = participant_id
    data["participant"]["name"] = name
    data.update(changes)
    return data


def ready_for_capstone(participant_id: str = "P-050", name: str = "Lin Chen", *,
                       today: dt.date | None = None, courses_done: int = 3) -> dict[str, Any]:
    """Someone enrolled a year ago whose three courses are complete (the last one
    passed 30 days ago), with `courses_done` of them when fewer."""
    today = today or dt.datetime.now(dt.UTC).date()

    def ago(days: int) -> str:
        return (today - dt.timedelta(days=days)).isoformat()

    courses = [
        {"component": "CODE", "offering": "CODE-X1", "date": ago(300), "outcome": "passed"},
        {"component": "PBK", "offering": "PBK-X1", "date": ago(200), "outcome": "passed"},
        {"component": "NOC", "offering": "NOC-X1", "date": ago(30), "outcome": "passed"},
    ]
    return make_records_file(
        [{"component": "ORIENT", "date": ago(360), "outcome": "attended"},
         *courses[:courses_done]],
        participant={"id": participant_id, "name": name, "timezone": "America/Chicago",
                     "email": f"{participant_id.lower()}@example.org"},
        enrolled_on=ago(365))


def version_with_three_shares(version: str) -> str:
    """The shipped 2023 definition as another `version` that needs three skills shares."""
    text = (SHIPPED_PROGRAMS_DIR / "cscce-cm" / "2023.toml").read_text(encoding="utf-8")
    for old, new in (('version = "2023"', f'version = "{version}"'),
                     ('title = "Two Quarterly Skills Shares"',
                      'title = "Three Quarterly Skills Shares"'),
                     ('component = "QSS"\ncount = 2', 'component = "QSS"\ncount = 3')):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text
