"""When offerings meet: weekly meetings in their own zone, cancellations, moves, clock changes."""

from __future__ import annotations

import datetime as dt

from pathwise.core.offerings import Meetings, Move, Offering, occurrences


def run(**meetings: object) -> Offering:
    values: dict[str, object] = {"days": ("TU", "TH"), "time": "12:00", "minutes": 90,
                                 "timezone": "America/New_York"}
    values.update(meetings)
    return Offering(id="CODE25W", component="CODE", starts_on=dt.date(2025, 1, 28),
                    ends_on=dt.date(2025, 3, 18), meetings=Meetings(**values))  # type: ignore[arg-type]


def test_meetings_keep_their_local_hour_across_daylight_saving() -> None:
    starts = [s.astimezone(dt.UTC) for s, _ in occurrences(run())]
    assert starts[0] == dt.datetime(2025, 1, 28, 17, tzinfo=dt.UTC)
    assert starts[-1] == dt.datetime(2025, 3, 18, 16, tzinfo=dt.UTC)
    assert len(starts) == 15


def test_cancelled_meetings_are_gone_and_moved_ones_happen_a_week_later() -> None:
    got = [s.date() for s, _ in occurrences(run(
        cancelled=(dt.date(2025, 2, 4),),
        moved=(Move(from_=dt.date(2025, 2, 6), to=dt.date(2025, 2, 13)),)))]
    assert dt.date(2025, 2, 4) not in got
    assert got.count(dt.date(2025, 2, 13)) == 2
    assert dt.date(2025, 2, 6) not in got


def test_a_meeting_across_a_clock_change_lasts_its_real_length() -> None:
    sunday = Offering(id="X", component="CODE", starts_on=dt.date(2025, 3, 9),
                      ends_on=dt.date(2025, 3, 9),
                      meetings=Meetings(days=("SU",), time="01:30", minutes=90,
                                        timezone="America/New_York"))
    ((start, end),) = list(occurrences(sunday))
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(minutes=90)
    assert end.hour == 4  # 01:30 EST + 90 minutes = 04:00 EDT
