"""Staff manage the catalogue on its pages: intakes with their orientation, runs created,
edited within their seats, published and unpublished, meetings moved to any day, and
offerings files previewed, imported and downloaded."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.actions import export_offerings, publish_offering
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.enrollment.actions import new_calendar_token, take_seat
from pathwise.enrollment.models import Seat
from pathwise.notifications.background import run_ready_tasks
from pathwise.participants import models as m
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(staff: Any, publish_run: Callable[..., Offering]) -> Client:
    return signed_in("sam", "staff-password-1")


def version() -> ProgramVersion:
    return ProgramVersion.objects.get(program_id="cscce-cm", version="2023")


def later(days: int) -> dt.date:
    return timezone.now().date() + dt.timedelta(days=days)


def monday_after(days: int) -> dt.date:
    day = later(days)
    return day + dt.timedelta(days=(-day.weekday()) % 7)


def run_form(**changes: Any) -> dict[str, Any]:
    start = monday_after(120)
    form: dict[str, Any] = {
        "program_version": version().pk, "code": "CODE-NEW", "component": "CODE",
        "starts_on": start.isoformat(), "ends_on": (start + dt.timedelta(days=45)).isoformat(),
        "meeting_days": ["MO", "WE"], "meeting_time": "12:00", "meeting_minutes": "90",
        "timezone": "America/New_York", "capacity": "20", "private_to": "",
        "public_seats": "0", "meeting_link": "https://meet.example.org/code",
        "instructors": ""}
    form.update(changes)
    return form


def test_staff_open_an_intake_with_its_orientation_over_three_weeks(sam: Client) -> None:
    start = monday_after(60)
    response = sam.post("/staff/catalogue/intakes/new/", {
        "program_version": version().pk, "code": "CERT-NEW", "starts_on": start.isoformat(),
        "time": "11:00", "minutes": "90", "timezone": "Europe/London", "capacity": "30"})
    assert response.status_code == 302, response.content.decode()[:2000]
    intake = Intake.objects.get(code="CERT-NEW")
    runs = {o.component: o for o in intake.offerings.all()}
    assert set(runs) == {"ORIENT", "MW-CORE-VALUES", "MW-FEEDBACK"}
    assert runs["ORIENT"].starts_on == start
    assert runs["MW-CORE-VALUES"].starts_on == start + dt.timedelta(days=7)
    assert runs["MW-FEEDBACK"].starts_on == start + dt.timedelta(days=14)
    assert all(o.timezone == "Europe/London" and o.published for o in runs.values())
    assert [runs[c].capacity for c in ("ORIENT", "MW-CORE-VALUES")] == [30, 20]
    assert AuditEntry.objects.filter(action="intake.published", target_id="CERT-NEW",
                                     actor_label="sam").exists()


@pytest.mark.parametrize(("changes", "message"), [
    ({"code": "no spaces"}, "is not an identifier"),
    ({"timezone": "Mars/Olympus"}, "is not a known IANA time zone"),
    ({"starts_on": "1700-01-01"}, "plausible"),
    ({"minutes": "30"}, "a mini-workshop meets 90 to 120 minutes"),
])
def test_a_bad_intake_is_refused_and_nothing_is_created(
        sam: Client, changes: dict[str, str], message: str) -> None:
    form = {"program_version": version().pk, "code": "CERT-BAD",
            "starts_on": monday_after(60).isoformat(), "time": "11:00", "minutes": "90",
            "timezone": "Europe/London", "capacity": "30", **changes}
    response = sam.post("/staff/catalogue/intakes/new/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Intake.objects.exists()
    assert not Offering.objects.filter(component="ORIENT").exists()


def test_moving_an_intake_moves_its_runs_until_a_seat_is_taken(
        sam: Client, grace: m.Participant) -> None:
    start = monday_after(60)
    sam.post("/staff/catalogue/intakes/new/", {
        "program_version": version().pk, "code": "CERT-MV", "starts_on": start.isoformat(),
        "time": "11:00", "minutes": "90", "timezone": "Europe/London", "capacity": "30"})
    moved = start + dt.timedelta(days=7)
    response = sam.post("/staff/catalogue/intakes/CERT-MV/", {"starts_on": moved.isoformat()})
    assert response.status_code == 302
    assert Offering.objects.get(code="MW-FEEDBACK-CERT-MV").starts_on == moved + dt.timedelta(14)
    # Someone waits for a place (grace has had her orientation; the seat is what counts).
    Seat.objects.create(offering=Offering.objects.get(code="ORIENT-CERT-MV"),
                        participant=grace, status=Seat.WAITLISTED, queue_number=1,
                        created_by="test", updated_by="test")
    response = sam.post("/staff/catalogue/intakes/CERT-MV/", {"starts_on": start.isoformat()})
    assert response.status_code == 400
    assert "seat(s) taken or waitlisted, so its dates and meetings stay" in (
        response.content.decode())
    assert Intake.objects.get(code="CERT-MV").starts_on == moved
    assert Offering.objects.get(code="ORIENT-CERT-MV").starts_on == moved


def test_a_new_run_is_unpublished_until_staff_publish_it(
        sam: Client, grace_client: Client, django_user_model: Any) -> None:
    django_user_model.objects.create_user("ina", password="ina-password-1")
    response = sam.post("/staff/catalogue/runs/new/", run_form(instructors="ina"))
    assert response.status_code == 302, response.content.decode()[:3000]
    run = Offering.objects.get(code="CODE-NEW")
    assert not run.published
    assert run.meeting_link == "https://meet.example.org/code"
    assert list(run.instructors.values_list("user__username", flat=True)) == ["ina"]
    assert "CODE-NEW" not in grace_client.get("/catalogue/?show=all").content.decode()
    assert sam.get("/staff/catalogue/CODE-NEW/publish/").status_code == 200
    assert sam.post("/staff/catalogue/CODE-NEW/publish/", {"published": "yes"}).status_code == 302
    assert "CODE-NEW" in grace_client.get("/catalogue/?show=all").content.decode()
    page = sam.get("/staff/catalogue/?q=CODE-NEW").content.decode()
    assert "Unpublish" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"meeting_days": ["MO"]}, "meets 7 times but CODE has 12 sessions; runs are never condensed"),
    ({"capacity": "30"}, "capacity 30 is more than CODE&#x27;s 25"),
    ({"ends_on": "2020-01-01"}, "is before starts_on"),
    ({"timezone": "Nowhere/Town"}, "is not a known IANA time zone"),
    ({"instructors": "nobody-here"}, "no account is called"),
    ({"public_seats": "5"}, "only a private run opens some of its seats to the public"),
    ({"component": "MW-ROLES", "meeting_minutes": "60", "meeting_days": ["MO"]},
     "a mini-workshop meets 90 to 120 minutes"),
    ({"meeting_link": "http://insecure.example.org"}, "is not an https:// address"),
])
def test_a_run_that_breaks_a_rule_is_refused_and_not_saved(
        sam: Client, changes: dict[str, Any], message: str) -> None:
    response = sam.post("/staff/catalogue/runs/new/", run_form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Offering.objects.filter(code="CODE-NEW").exists()


@pytest.fixture
def taken(publish_run: Callable[..., Offering], grace: m.Participant) -> Offering:
    """A published PBK run a quarter away that grace is enrolled on."""
    m.Participant.objects.filter(pk=grace.pk).update(email="grace@example.org")
    run = publish_run("PBK-SEAT", starts_in=100, meeting_link="https://meet.example.org/a")
    take_seat(m.Participant.objects.get(pk=grace.pk), run, Actor("test"))
    mail.outbox.clear()
    return run


def about_the_run(outbox: list[Any]) -> list[Any]:
    """The mail sent, but the badges mail her import queued (it goes with the first run)."""
    return [msg for msg in outbox if not msg.subject.startswith("Badges issued")]


def _edit_form(run: Offering, **changes: Any) -> dict[str, Any]:
    return run_form(**{"program_version": version().pk, "code": run.code,
                       "component": run.component, "starts_on": run.starts_on.isoformat(),
                       "ends_on": run.ends_on.isoformat(), "meeting_days": run.meeting_days,
                       "capacity": str(run.capacity), "meeting_link": run.meeting_link,
                       **changes})


@pytest.mark.parametrize(("changes", "message"), [
    ({"capacity": "0"}, "Ensure this value is greater than or equal to 1"),
    ({"starts_on": "later"}, "&#x27;later&#x27; is not a date"),
    ({"meeting_time": "13:00"}, "has 1 seat(s) taken or waitlisted, so its dates and meetings"),
])
def test_changes_that_would_break_seats_are_refused(
        sam: Client, taken: Offering, changes: dict[str, Any], message: str) -> None:
    response = sam.post(f"/staff/catalogue/{taken.code}/edit/", _edit_form(taken, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    before = Offering.objects.get(pk=taken.pk)
    assert (before.meeting_time, before.capacity) == (taken.meeting_time, taken.capacity)


def test_capacity_below_the_seats_taken_is_refused(
        taken: Offering, publish_run: Callable[..., Offering], import_files: Any) -> None:
    from pathwise.core.errors import PathwiseError

    with pytest.raises(PathwiseError, match="0 is fewer than the 1 seats taken"):
        publish_offering(Actor("sam"), version(), taken.code, capacity=0)


@pytest.mark.django_db(transaction=True)  # the worker sends the mail
def test_a_new_meeting_link_is_mailed_to_those_enrolled(sam: Client, taken: Offering) -> None:
    response = sam.post(f"/staff/catalogue/{taken.code}/edit/",
                        _edit_form(taken, meeting_link="https://meet.example.org/b",
                                   capacity="24"))
    assert response.status_code == 302, response.content.decode()[:3000]
    run_ready_tasks()
    sent = about_the_run(mail.outbox)
    assert [msg.subject for msg in sent] == ["PBK-SEAT: a new meeting link"]
    assert "https://meet.example.org/b" in sent[0].body
    assert Offering.objects.get(pk=taken.pk).capacity == 24


def test_a_run_with_seats_is_not_unpublished(sam: Client, taken: Offering) -> None:
    page = sam.get(f"/staff/catalogue/{taken.code}/publish/").content.decode()
    assert "1 person holds a seat on it" in page
    response = sam.post(f"/staff/catalogue/{taken.code}/publish/", {"published": "no"})
    assert response.status_code == 400
    assert "drop them before unpublishing it" in response.content.decode()
    assert Offering.objects.get(pk=taken.pk).published


@pytest.mark.django_db(transaction=True)  # the worker sends the mail
def test_a_meeting_moves_to_any_day_and_those_enrolled_are_told(
        sam: Client, taken: Offering) -> None:
    grace = m.Participant.objects.get(public_id="P-002")
    token = new_calendar_token(grace, Actor("test"))
    first = taken.starts_on
    to = first + dt.timedelta(days=3)
    assert sam.get(f"/staff/catalogue/{taken.code}/meetings/move/?date={first}").status_code == 200
    response = sam.post(f"/staff/catalogue/{taken.code}/meetings/move/",
                        {"date": first.isoformat(), "to": to.isoformat()})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Offering.objects.get(pk=taken.pk).moved == [
        {"from": first.isoformat(), "to": to.isoformat()}]
    run_ready_tasks()
    sent = about_the_run(mail.outbox)
    assert len(sent) == 1
    assert sent[0].to == ["grace@example.org"]
    assert "moves to" in sent[0].subject
    feed = Client().get(f"/calendar/{token}.ics").content.decode()
    assert f"DTSTART;TZID=America/New_York:{to:%Y%m%d}T120000" in feed
    assert f"DTSTART;TZID=America/New_York:{first:%Y%m%d}T120000" not in feed

    # Moved again, it moves from its new day; moved back, no move is left.
    sam.post(f"/staff/catalogue/{taken.code}/meetings/move/",
             {"date": to.isoformat(), "to": first.isoformat()})
    assert Offering.objects.get(pk=taken.pk).moved == []


@pytest.mark.parametrize(("form", "message"), [
    ({"date": "2001-01-02", "to": "2001-01-03"}, "has no meeting on 2001-01-02"),
    ({"date": "soon", "to": "2030-01-01"}, "&#x27;soon&#x27; is not a date"),
    ({"to": "1600-01-01"}, "plausible"),
])
def test_a_bad_move_is_refused_and_nothing_moves(
        sam: Client, taken: Offering, form: dict[str, str], message: str) -> None:
    data = {"date": taken.starts_on.isoformat(), **form}
    response = sam.post(f"/staff/catalogue/{taken.code}/meetings/move/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Offering.objects.get(pk=taken.pk).moved == []


def _file(publish_run: Callable[..., Offering], **row: Any) -> dict[str, Any]:
    start = monday_after(150)
    entry: dict[str, Any] = {
        "id": "MW-ROLES-T1", "component": "MW-ROLES", "starts_on": start.isoformat(),
        "ends_on": start.isoformat(), "capacity": 20,
        "meetings": {"days": ["MO"], "time": "16:00", "minutes": 90,
                     "timezone": "Europe/London"}}
    entry.update(row)
    return {"program": "cscce-cm", "program_version": "2023", "offerings": [entry]}


def _upload(client: Client, data: Any, name: str = "term.json") -> Any:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post("/staff/catalogue/import/", {
        "file": SimpleUploadedFile(name, body, content_type="application/json"),
        "action": "preview"})


def test_an_offerings_file_is_previewed_then_imported(
        sam: Client, publish_run: Callable[..., Offering]) -> None:
    preview = _upload(sam, _file(publish_run))
    page = preview.content.decode()
    assert preview.status_code == 200, page[:3000]
    assert 'data-offering="MW-ROLES-T1"' in page
    assert "no run of MW-CORE-VALUES" in page
    assert "no skills-share between" in page
    assert not Offering.objects.filter(code="MW-ROLES-T1").exists()
    done = sam.post("/staff/catalogue/import/", {"action": "import"})
    assert done.status_code == 302
    assert Offering.objects.get(code="MW-ROLES-T1").published
    assert AuditEntry.objects.filter(action="offerings.imported", actor_label="sam").exists()


def test_a_bad_offerings_file_names_every_problem_and_imports_nothing(
        sam: Client, publish_run: Callable[..., Offering]) -> None:
    data = _file(publish_run, meetings={"days": ["MO"], "time": "16:00", "minutes": 45,
                                        "timezone": "Europe/London"})
    data["offerings"].append({**data["offerings"][0], "id": "MW-GOOD", "meetings": {
        **data["offerings"][0]["meetings"], "minutes": 90}})
    data["offerings"].append({**data["offerings"][1], "id": "QSS-X", "component": "NOPE"})
    response = _upload(sam, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "term.json: offerings[0] (MW-ROLES-T1).meetings: meets" not in page
    assert "term.json: offerings[0] (MW-ROLES-T1).meetings: meetings of 45 minutes" in page
    assert "term.json: offerings[2] (QSS-X).meetings: unknown component &#x27;NOPE&#x27;" in page
    assert not Offering.objects.filter(code__in=["MW-ROLES-T1", "MW-GOOD", "QSS-X"]).exists()
    for bad, message in ((b"{not json", "not valid JSON"),
                         (json.dumps({"offerings": []}).encode(), "program: missing")):
        response = _upload(sam, bad)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_the_export_downloads_and_imports_again_unchanged(
        sam: Client, publish_run: Callable[..., Offering]) -> None:
    publish_run("PBK-EXP", starts_in=100)
    response = sam.get("/staff/catalogue/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["program"] == "cscce-cm"
    row = next(o for o in data["offerings"] if o["id"] == "PBK-EXP")
    assert (row["capacity"], row["seats_left"]) == (25, 25)
    preview = _upload(sam, response.content, "export.json")
    assert 'data-offering="PBK-EXP"' in preview.content.decode()
    assert "unchanged" in preview.content.decode()
    sam.post("/staff/catalogue/import/", {"action": "import"})
    assert export_offerings(version()) == response.content


def test_the_staff_catalogue_warns_of_a_quarter_without_a_skills_share(
        sam: Client, publish_run: Callable[..., Offering]) -> None:
    publish_run("QSS-ONE", "QSS", starts_on=dt.date(2031, 1, 9))
    publish_run("QSS-TWO", "QSS", starts_on=dt.date(2031, 9, 11))
    page = sam.get("/staff/catalogue/").content.decode()
    gap = page.split('data-gap="2031"')[1].split("</li>")[0]
    assert "no skills-share between 2031-01-09 and 2031-09-11" in gap
    assert "no run of MW-CORE-VALUES" in gap


def test_only_staff_manage_the_catalogue(grace_client: Client,
                                         publish_run: Callable[..., Offering]) -> None:
    publish_run("PBK-X")
    for url in ("/staff/catalogue/intakes/new/", "/staff/catalogue/runs/new/",
                "/staff/catalogue/import/", "/staff/catalogue/export/",
                "/staff/catalogue/PBK-X/edit/", "/staff/catalogue/PBK-X/publish/",
                "/staff/catalogue/PBK-X/meetings/move/"):
        assert grace_client.get(url).status_code == 403, url
    assert grace_client.post("/staff/catalogue/PBK-X/publish/",
                             {"published": "no"}).status_code == 403
    assert Offering.objects.get(code="PBK-X").published


def _run_of_2025(code: str) -> Offering:
    start = monday_after(120)
    return publish_offering(
        Actor("staff"), ProgramVersion.objects.get(program_id="cscce-cm", version="2025"),
        code, component="PBK", starts_on=start, ends_on=start + dt.timedelta(days=45),
        capacity=25, meeting_days=["MO", "WE"], meeting_time=dt.time(12), meeting_minutes=90,
        timezone="America/New_York")


def test_staff_download_the_offerings_file_of_the_version_they_choose(
        sam: Client, publish_run: Callable[..., Offering]) -> None:
    publish_run("PBK-2023", starts_in=100)
    _run_of_2025("PBK-2025")
    page = sam.get("/staff/catalogue/").content.decode()
    assert 'data-export="cscce-cm/2023"' in page
    assert 'data-export="cscce-cm/2025"' in page

    older = sam.get("/staff/catalogue/export/?version=cscce-cm/2023")
    assert older.status_code == 200
    assert 'filename="offerings-cscce-cm-2023.json"' in older["Content-Disposition"]
    data = json.loads(older.content)
    assert data["program_version"] == "2023"
    assert [o["id"] for o in data["offerings"]] == ["PBK-2023"]
    newest = json.loads(sam.get("/staff/catalogue/export/").content)
    assert [o["id"] for o in newest["offerings"]] == ["PBK-2025"]

    bad = sam.get("/staff/catalogue/export/?version=cscce-cm/1999")
    assert bad.status_code == 400
    assert bad.content.decode() == (
        "version: no 'cscce-cm/1999' is loaded (give it as PROGRAM/VERSION, e.g. "
        "cscce-cm/2023)\n")
