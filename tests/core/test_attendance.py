"""Attendance exports: each format read, joins merged, rows matched to a roster, bad files refused.

The fixtures in `attendance_fixtures/` follow the exports as the services write
them: Zoom with and without its meeting block, Teams in UTF-16 with tabs, with
and without its in-meeting activities, and Google Meet's sheet. Every meeting
is a CODE session on Wed 11 Mar 2026, 90 minutes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.attendance import (
    MAX_BYTES,
    Export,
    Join,
    Person,
    read_export,
    seconds_present,
    take_attendance,
)
from pathwise.core.errors import AttendanceFileError, PathwiseError

FIXTURES = Path(__file__).parent / "attendance_fixtures"
DAY = dt.date(2026, 3, 11)
NEW_YORK = "America/New_York"
LONDON = "Europe/London"


def utc(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 11, hour, minute, second, tzinfo=dt.UTC)


def read(name: str, zone: str = NEW_YORK, day: dt.date = DAY) -> Export:
    return read_export((FIXTURES / name).read_bytes(), day=day, zone=zone, source=name)


def refusal(data: bytes, zone: str = NEW_YORK, day: dt.date = DAY) -> str:
    with pytest.raises(AttendanceFileError) as caught:
        read_export(data, day=day, zone=zone, source="export.csv")
    message = str(caught.value)
    assert "\n" not in message, "errors are one line"
    assert message.startswith("export.csv: ")
    return message


def utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


# -- reading each format --------------------------------------------------------------


def test_a_zoom_report_with_its_meeting_block_gives_one_row_per_join_in_utc():
    export = read("zoom_with_meeting.csv")
    assert export.format == "zoom"
    assert len(export.joins) == 8
    ada = [j for j in export.joins if j.name == "Ada Lovelace"]
    # 08:58:10 in New York on 11 March 2026 (daylight time since the 8th) is 12:58:10 UTC.
    assert [(j.joined, j.left) for j in ada] == [
        (utc(12, 58, 10), utc(13, 40)), (utc(13, 41, 30), utc(14, 31))]
    assert ada[0].email == "ada@example.org"
    assert ada[0].seconds is None


def test_a_zoom_row_without_an_email_has_none_and_a_renamed_one_keeps_both_names():
    joins = {j.name: j for j in read("zoom_with_meeting.csv").joins}
    assert joins["Alan Turing"].email is None
    assert joins["Katherine J (Katherine Johnson)"].aliases == ("Katherine J", "Katherine Johnson")


def test_a_zoom_report_without_the_block_in_day_month_order_is_read_by_the_meetings_day():
    export = read("zoom_participants_only.csv", zone=LONDON)
    assert export.format == "zoom"
    # 11/03/2026 is 11 March, not 3 November: only that reading is the meeting's day.
    assert export.joins[0].joined == utc(13, 58)
    assert [j.name for j in export.joins].count("Grace Hopper") == 2


def test_a_teams_report_in_utf16_with_tabs_uses_its_in_meeting_activities_per_join():
    export = read("teams_with_activities.csv")
    assert export.format == "teams"
    assert len(export.joins) == 6
    ada = [j for j in export.joins if j.name == "Ada Lovelace"]
    assert [(j.joined, j.left, j.seconds) for j in ada] == [
        (utc(12, 58), utc(13, 40), None), (utc(13, 41, 30), utc(14, 31), None)]
    guest = next(j for j in export.joins if j.name == "Guest Viewer")
    assert (guest.email, guest.left) == (None, utc(13, 15, 59))


def test_a_teams_report_without_activities_uses_first_join_last_leave_and_the_duration():
    export = read("teams_participants_only.csv", zone=LONDON)
    assert export.format == "teams"
    grace = next(j for j in export.joins if j.name == "Grace Hopper")
    assert (grace.joined, grace.left, grace.seconds) == (utc(14, 0), utc(15, 30), 58 * 60)
    ada = next(j for j in export.joins if j.name == "Ada Lovelace")
    assert ada.seconds == 3600 + 31 * 60 + 30


def test_a_google_meet_sheet_is_read_with_times_on_the_meetings_day_and_its_durations():
    export = read("meet.csv")
    assert export.format == "meet"
    assert [(j.name, j.email, j.joined, j.seconds) for j in export.joins] == [
        ("Ada Lovelace", "ada@example.org", utc(12, 58), 88 * 60),
        ("Grace Hopper", "grace@example.org", utc(13, 0), 58 * 60),
        ("Alan Turing", None, utc(13, 10), 40 * 60),
        ("Guest Viewer", None, utc(13, 5), 45),
    ]


def test_a_teams_report_saved_as_utf8_reads_the_same():
    text = (FIXTURES / "teams_with_activities.csv").read_bytes().decode("utf-16")
    export = read_export(text.encode("utf-8"), day=DAY, zone=NEW_YORK, source="t.csv")
    assert export == read("teams_with_activities.csv")


def test_a_meet_exit_before_its_join_with_no_date_is_after_midnight():
    data = (b"First name,Last name,Email,Duration,Time joined,Time exited\n"
            b"Ada,Lovelace,,30 min,11:50 PM,12:20 AM\n")
    (join,) = read_export(data, day=DAY, zone="UTC", source="m.csv").joins
    assert join.left - join.joined == dt.timedelta(minutes=30)


def test_an_iso_dated_zoom_report_is_read_whatever_the_locale():
    data = (b"Name (Original Name),User Email,Join Time,Leave Time\n"
            b"Ada Lovelace,ada@example.org,2026-03-11 09:00:00,2026-03-11 10:00:00\n")
    (join,) = read_export(data, day=DAY, zone="UTC", source="z.csv").joins
    assert join.joined == utc(9, 0)


def test_dst_applies_to_the_zone_the_caller_gives():
    data = (b"Name (Original Name),User Email,Join Time,Leave Time\n"
            b"Ada Lovelace,,03/06/2026 09:00:00 AM,03/06/2026 10:00:00 AM\n")
    # 6 March 2026 is before the US change: New York is five hours behind UTC.
    (join,) = read_export(data, day=dt.date(2026, 3, 6), zone=NEW_YORK, source="z.csv").joins
    assert join.joined == dt.datetime(2026, 3, 6, 14, 0, tzinfo=dt.UTC)
    assert join.joined.astimezone(ZoneInfo(NEW_YORK)).hour == 9


# -- refusing what cannot be read -------------------------------------------------------

ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"


def test_an_empty_file_is_refused():
    assert refusal(b"") == "export.csv: the file is empty"
    assert refusal(b"\n\n  \n") == "export.csv: the file is empty"


def test_a_file_of_another_kind_is_refused_naming_its_first_line():
    message = refusal(b'{"program": "cscce-cm"}\n')
    assert "not a Zoom, Teams or Google Meet attendance export" in message
    assert "'{\"program\": \"cscce-cm\"}'" in message


def test_a_file_in_another_encoding_is_refused_naming_the_line_and_byte():
    data = (ZOOM_HEADER + "Ana Mar\xeda,,03/11/2026 09:00:00 AM,03/11/2026 10:00:00 AM,60,No\n"
            ).encode("latin-1")
    message = refusal(data)
    assert "line 2: byte 0xed cannot be read as UTF-8" in message


def test_utf16_without_its_byte_order_mark_is_refused():
    data = "1. Summary\n".encode("utf-16-le")
    assert "line 1: a NUL byte: not text, or UTF-16 without its byte-order mark" in refusal(data)


def test_a_file_over_the_size_cap_is_refused_before_reading():
    message = refusal(ZOOM_HEADER.encode() + b"x" * MAX_BYTES)
    assert "bytes; an attendance export is at most 5,000,000" in message


def test_more_rows_than_the_cap_are_refused_naming_the_line():
    row = "Ada Lovelace,,03/11/2026 09:00:00 AM,03/11/2026 10:00:00 AM,60,No\n"
    message = refusal((ZOOM_HEADER + row * 20_001).encode())
    assert "line 20002: more than 20,000 rows" in message


def test_a_zoom_table_missing_a_required_column_is_refused_naming_it_and_the_columns():
    data = b"Name (Original Name),User Email,Leave Time\nAda,,03/11/2026 10:00:00 AM\n"
    message = refusal(data)
    assert ("line 1: the Zoom participants table has no 'Join time' column "
            "(its columns: Name (Original Name), User Email, Leave Time)") in message


def test_a_teams_report_without_its_participants_section_is_refused():
    message = refusal(utf16("1. Summary\nMeeting title\tCODE\n"))
    assert "the Teams report has no '2. Participants' section" in message


def test_a_meet_sheet_missing_its_duration_is_refused():
    message = refusal(b"First name,Last name,Email,Time joined,Time exited\nA,B,,9:00 AM,9:30 AM\n")
    assert "the Google Meet attendance sheet has no 'Duration' column" in message


def test_a_date_in_a_form_this_reader_does_not_know_is_refused_naming_line_column_value():
    data = (ZOOM_HEADER + "Ada,,11 mars 2026 09:00,11 mars 2026 10:00,60,No\n").encode()
    message = refusal(data)
    assert "line 2, column 'Join time': '11 mars 2026 09:00' is not a date and time" in message


def test_a_date_neither_order_puts_on_the_meetings_day_is_refused():
    data = (ZOOM_HEADER + "Ada,,05/12/2026 09:00:00,05/12/2026 10:00:00,60,No\n").encode()
    message = refusal(data)
    assert ("line 2, column 'Join time': '05/12/2026 09:00:00' is not on or next to the "
            "meeting's day, 2026-03-11, read as month/day or as day/month") in message


def test_dates_in_two_orders_in_one_file_are_refused_naming_both():
    # 03/11 can only be 11 March (month/day); 12/03 can only be 12 March (day/month).
    data = (ZOOM_HEADER
            + "Ada,,03/11/2026 09:00:00,03/11/2026 10:00:00,60,No\n"
            + "Grace,,12/03/2026 00:10:00,12/03/2026 00:20:00,10,No\n").encode()
    message = refusal(data)
    assert ("line 3, column 'Join time': '12/03/2026 00:10:00' can only be day/month "
            "(2026-03-12), but '03/11/2026 09:00:00' on line 2 can only be month/day") in message


def test_a_leave_before_the_join_is_refused():
    data = (ZOOM_HEADER + "Ada,,03/11/2026 10:00:00,03/11/2026 09:00:00,60,No\n").encode()
    assert "line 2, column 'Leave time': left at '03/11/2026 09:00:00', before joining" in (
        refusal(data))


def test_a_pm_hour_past_twelve_is_refused():
    data = (ZOOM_HEADER + "Ada,,03/11/2026 13:00:00 PM,03/11/2026 14:00:00,60,No\n").encode()
    assert "'03/11/2026 13:00:00 PM': hour 13 with PM" in refusal(data)


def test_a_duration_that_is_not_one_is_refused():
    data = (b"First name,Last name,Email,Duration,Time joined,Time exited\n"
            b"Ada,Lovelace,,about an hour,9:00 AM,10:00 AM\n")
    assert ("line 2, column 'Duration': 'about an hour' is not a duration such as "
            "1 hr 5 min") in refusal(data)


def test_an_email_that_is_not_one_is_refused():
    data = (ZOOM_HEADER + "Ada,ada at example,03/11/2026 09:00:00,03/11/2026 10:00:00,60,No\n"
            ).encode()
    assert "column 'User Email': 'ada at example' is not an e-mail address" in refusal(data)


def test_an_unknown_zone_is_refused():
    assert "'Mars/Olympus' is not a known IANA time zone" in refusal(b"x", zone="Mars/Olympus")


def test_the_error_is_one_the_core_raises_for_bad_input():
    assert issubclass(AttendanceFileError, PathwiseError)


def test_rows_are_joins_with_aware_times():
    for name, zone in (("zoom_with_meeting.csv", NEW_YORK), ("meet.csv", NEW_YORK),
                       ("teams_participants_only.csv", LONDON)):
        for join in read(name, zone).joins:
            assert isinstance(join, Join)
            assert join.joined.tzinfo is dt.UTC
            assert join.left >= join.joined


# -- merging a person's joins -----------------------------------------------------------

STARTS_NY = utc(13, 0)  # 09:00 in New York
ENDS_NY = utc(14, 30)
STARTS_LONDON = utc(14, 0)
ENDS_LONDON = utc(15, 30)


def join(start: int, end: int, seconds: int | None = None, name: str = "Ada Lovelace",
         email: str | None = None) -> Join:
    """A join from `start` to `end` minutes after 13:00 UTC."""
    return Join(name, email, STARTS_NY + dt.timedelta(minutes=start),
                STARTS_NY + dt.timedelta(minutes=end), seconds)


def test_overlapping_joins_count_once():
    assert seconds_present([join(0, 60), join(30, 75)], STARTS_NY, ENDS_NY) == 75 * 60


def test_a_gap_between_joins_is_not_counted():
    assert seconds_present([join(0, 40), join(50, 90)], STARTS_NY, ENDS_NY) == 80 * 60


def test_joins_are_clipped_to_the_scheduled_window():
    assert seconds_present([join(-20, 10), join(80, 120)], STARTS_NY, ENDS_NY) == 20 * 60
    assert seconds_present([join(-30, -5), join(95, 100)], STARTS_NY, ENDS_NY) == 0


def test_a_join_with_its_time_in_the_meeting_counts_no_more_than_that_time():
    assert seconds_present([join(0, 75, seconds=58 * 60)], STARTS_NY, ENDS_NY) == 58 * 60
    # ... and no more than its span inside the window.
    assert seconds_present([join(-10, 100, seconds=110 * 60)], STARTS_NY, ENDS_NY) == 90 * 60


def test_a_duration_join_adds_only_what_the_other_joins_leave_uncovered():
    # 0-60 covered; the capped row spans 30-90, 40 minutes in it, 30 of them uncovered.
    assert seconds_present([join(0, 60), join(30, 90, seconds=40 * 60)],
                           STARTS_NY, ENDS_NY) == 90 * 60
    assert seconds_present([join(0, 80), join(30, 90, seconds=40 * 60)],
                           STARTS_NY, ENDS_NY) == 90 * 60
    assert seconds_present([join(0, 60), join(30, 90, seconds=20 * 60)],
                           STARTS_NY, ENDS_NY) == 80 * 60


# -- matching and presence --------------------------------------------------------------

ROSTER = (
    Person("P-001", "Ada Lovelace", ("ada@example.org",)),
    Person("P-002", "Grace Hopper", ("grace@example.org", "g.hopper@navy.example")),
    Person("P-003", "Alan Turing", ("alan@example.org",)),
    Person("P-004", "Katherine Johnson", ("kj@example.org",)),
)


def attendance(name: str, roster=ROSTER, zone=NEW_YORK, share=0.75):
    starts, ends = (STARTS_NY, ENDS_NY) if zone == NEW_YORK else (STARTS_LONDON, ENDS_LONDON)
    return take_attendance(read(name, zone), roster, starts=starts, ends=ends, share=share)


def test_a_zoom_report_gives_present_absent_minutes_and_the_rows_no_one_matched():
    result = attendance("zoom_with_meeting.csv")
    assert result.format == "zoom"
    assert result.present == ("P-001", "P-002", "P-004")
    assert result.absent == ("P-003",)
    assert result.minutes == {"P-001": 88.5, "P-002": 75.0, "P-003": 40.0, "P-004": 88.0}
    assert [u.to_json() for u in result.unmatched] == [
        {"name": "Host Person", "email": "host@example.org", "minutes": 90.0},
        {"name": "Mystery Guest", "email": None, "minutes": 15.0},
    ]


def test_every_format_agrees_on_the_same_meeting():
    for name, zone in (("zoom_participants_only.csv", LONDON),
                       ("teams_with_activities.csv", NEW_YORK)):
        result = attendance(name, zone=zone)
        assert result.present == ("P-001", "P-002"), name
        assert set(result.absent) == {"P-003", "P-004"}, name


def test_teams_without_activities_and_meet_use_the_time_in_the_meeting():
    teams = attendance("teams_participants_only.csv", zone=LONDON)
    assert (teams.present, teams.minutes["P-002"]) == (("P-001",), 58.0)
    meet = attendance("meet.csv")
    assert meet.present == ("P-001",)
    assert meet.minutes["P-002"] == 58.0
    assert [u.to_json() for u in meet.unmatched] == [
        {"name": "Guest Viewer", "email": None, "minutes": 0.8}]


def test_emails_match_whatever_their_case_and_any_known_address_counts():
    export = Export("zoom", (join(0, 90, name="G. H.", email="G.Hopper@NAVY.example"),))
    result = take_attendance(export, ROSTER, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
    assert result.present == ("P-002",)
    assert result.unmatched == ()


def test_an_address_assigned_by_hand_before_is_remembered_through_the_roster():
    export = Export("meet", (join(0, 90, name="ada's laptop", email="lab-7@uni.example"),))
    before = take_attendance(export, ROSTER, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
    assert [u.email for u in before.unmatched] == ["lab-7@uni.example"]
    remembered = (Person("P-001", "Ada Lovelace", ("ada@example.org", "lab-7@uni.example")),
                  *ROSTER[1:])
    after = take_attendance(export, remembered, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
    assert (after.present, after.unmatched) == (("P-001",), ())


def test_an_unknown_email_falls_back_to_the_exact_name():
    export = Export("zoom", (join(0, 90, name="  alan   TURING ", email="a@home.example"),))
    result = take_attendance(export, ROSTER, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
    assert result.present == ("P-003",)


def test_a_name_two_roster_people_share_stays_unmatched():
    roster = (*ROSTER, Person("P-005", "Ada Lovelace", ("other.ada@example.org",)))
    export = Export("zoom", (join(0, 90, name="Ada Lovelace"),))
    result = take_attendance(export, roster, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
    assert result.present == ()
    assert [u.to_json() for u in result.unmatched] == [
        {"name": "Ada Lovelace", "email": None, "minutes": 90.0}]


def test_an_address_two_roster_people_share_stays_unmatched_rather_than_guessed():
    roster = (Person("P-001", "Ada Lovelace", ("shared@lab.example",)),
              Person("P-002", "Grace Hopper", ("shared@lab.example",)))
    export = Export("zoom", (join(0, 90, name="Ada Lovelace", email="shared@lab.example"),))
    result = take_attendance(export, roster, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
    assert result.present == ()
    assert len(result.unmatched) == 1


@pytest.mark.parametrize("near_miss", [
    "Ada Lovelac", "Ada Lovelace-King", "Ada", "A. Lovelace", "Lovelace Ada", "Ada  Lovelace.",
])
def test_a_name_that_only_looks_alike_is_never_matched(near_miss):
    export = Export("zoom", (join(0, 90, name=near_miss),))
    result = take_attendance(export, ROSTER, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
    assert result.present == ()
    assert [u.name for u in result.unmatched] == [near_miss]


def test_a_renamed_zoom_participant_is_matched_by_their_original_name():
    result = attendance("zoom_with_meeting.csv")
    assert "P-004" in result.present


def test_exactly_the_share_of_the_meeting_is_present_and_a_second_less_is_not():
    exact = Export("zoom", (join(0, 67.5),))  # 0.75 x 90 minutes
    short = Export("zoom", (Join("Ada Lovelace", None, STARTS_NY,
                                 STARTS_NY + dt.timedelta(minutes=67.5, seconds=-1)),))
    for export, present in ((exact, ("P-001",)), (short, ())):
        result = take_attendance(export, ROSTER, starts=STARTS_NY, ends=ENDS_NY, share=0.75)
        assert result.present == present


def test_a_share_is_taken_exactly_not_as_the_float_below_it():
    # 0.7 x 90 minutes is 63 minutes exactly; the float 0.7 is a hair less than 0.7.
    export = Export("zoom", (join(0, 63),))
    result = take_attendance(export, ROSTER, starts=STARTS_NY, ends=ENDS_NY, share=0.7)
    assert result.present == ("P-001",)
    export = Export("zoom", (Join("Ada Lovelace", None, STARTS_NY,
                                  STARTS_NY + dt.timedelta(minutes=63, seconds=-1)),))
    result = take_attendance(export, ROSTER, starts=STARTS_NY, ends=ENDS_NY, share=0.7)
    assert result.present == ()


def test_someone_on_the_roster_with_no_rows_is_absent_with_no_minutes():
    result = take_attendance(Export("zoom", ()), ROSTER, starts=STARTS_NY, ends=ENDS_NY,
                             share=0.75)
    assert result.absent == ("P-001", "P-002", "P-003", "P-004")
    assert set(result.minutes.values()) == {0.0}


def test_the_result_as_json_has_what_the_attendance_command_prints():
    data = attendance("zoom_with_meeting.csv").to_json()
    assert set(data) == {"format", "present", "absent", "minutes", "unmatched"}
    assert data["present"] == ["P-001", "P-002", "P-004"]


# -- properties -----------------------------------------------------------------------

minutes = st.integers(min_value=-60, max_value=180)


@st.composite
def joins(draw: st.DrawFn) -> list[Join]:
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        start = draw(minutes)
        end = start + draw(st.integers(min_value=0, max_value=150))
        cap = draw(st.none() | st.integers(min_value=0, max_value=(end - start) * 60))
        out.append(join(start, end, seconds=cap))
    return out


def within(j: Join) -> int:
    """One join's own seconds inside the window."""
    alone = seconds_present([j], STARTS_NY, ENDS_NY)
    start = max(j.joined, STARTS_NY)
    end = min(j.left, ENDS_NY)
    span = max(0, round((end - start).total_seconds()))
    assert alone == (span if j.seconds is None else min(span, j.seconds))
    return alone


@given(joins())
def test_merged_time_never_exceeds_the_meeting(rows):
    assert 0 <= seconds_present(rows, STARTS_NY, ENDS_NY) <= 90 * 60


@given(joins())
def test_merged_time_is_never_less_than_the_longest_single_join_in_the_window(rows):
    assert seconds_present(rows, STARTS_NY, ENDS_NY) >= max(within(j) for j in rows)


@given(joins(), st.randoms(use_true_random=False))
def test_the_order_of_the_rows_does_not_matter(rows, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)
    assert seconds_present(shuffled, STARTS_NY, ENDS_NY) == seconds_present(
        rows, STARTS_NY, ENDS_NY)


@given(joins(), st.randoms(use_true_random=False))
def test_the_order_of_an_exports_rows_does_not_change_the_result(rows, rng):
    named = [Join(n, e, j.joined, j.left, j.seconds) for j, (n, e) in zip(
        rows, [("Ada Lovelace", None), ("Guest", None), ("G", "grace@example.org"),
               ("Someone", "x@y.example")] * 2, strict=False)]
    shuffled = list(named)
    rng.shuffle(shuffled)
    results = [take_attendance(Export("zoom", tuple(r)), ROSTER, starts=STARTS_NY,
                               ends=ENDS_NY, share=0.75) for r in (named, shuffled)]
    assert results[0] == results[1]


@given(joins())
def test_spans_without_durations_merge_to_their_union(rows):
    plain = [Join(j.name, None, j.joined, j.left) for j in rows]
    covered = set()
    for j in plain:
        start = round((j.joined - STARTS_NY).total_seconds()) // 60
        end = round((j.left - STARTS_NY).total_seconds()) // 60
        covered |= {m for m in range(start, end) if 0 <= m < 90}
    assert seconds_present(plain, STARTS_NY, ENDS_NY) == len(covered) * 60
