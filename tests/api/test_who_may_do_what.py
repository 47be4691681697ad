"""Who may do what through the API: anonymous, participant A (Grace), participant B (Ada),
staff, and staff's read-only token, against every kind of endpoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pathwise.auditlog.log import Actor
from pathwise.capstone.actions import Upload, submit_capstone
from pathwise.catalog.actions import OrientationPlan, open_intake, publish_intake
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.offerings import occurrences
from pathwise.credentials.actions import issue_earned
from pathwise.credentials.models import Credential
from pathwise.enrollment.actions import take_seat
from pathwise.enrollment.models import Seat
from pathwise.onboarding.actions import add_participant, express_interest
from pathwise.participants import models as m
from pathwise.participants.actions import request_extension
from tests.api.conftest import Api
from tests.builders import ready_for_capstone

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "a", "b", "staff", "reader")
#: A deadline Grace may be given: past hers, within three years of today.
NEW_DEADLINE = dt.date.today() + dt.timedelta(days=700)  # noqa: DTZ011


@pytest.fixture
def world(grace: m.Participant, ada: m.Participant, *, publish_run: Callable[..., Offering],
          import_files: Callable[..., list[str]], settings: Any,
          tmp_path: Any) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path
    run = publish_run("QSS-W", "QSS", starts_in=30)
    publish_run("QSS-PRIVATE", "QSS", starts_in=40, private_to="Elsewhere Inc")
    seat = take_seat(grace, run, Actor("test")).seat
    issue_earned(ada, dt.datetime.now(dt.UTC))
    credential = Credential.objects.filter(participant=ada).first()
    assert credential is not None
    day = next(occurrences(run.to_core()))[0].date()
    asked = request_extension(m.Enrollment.objects.get(participant=grace), "More time.",
                              Actor("grace"), wanted_until=NEW_DEADLINE)
    import_files(ready_for_capstone("P-050", "Lin Chen"))
    submission = submit_capstone(m.Participant.objects.get(public_id="P-050"), Actor("lin"),
                                 upload=Upload("capstone.md", b"# What I learned\n"))
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    intake = publish_intake(Actor("staff"), version, "W27", day + dt.timedelta(days=30))
    interest = express_interest(name="Lin Chen", email="lin@example.org",
                                timezone_name="Europe/Berlin")
    add_participant(name="Ravi Iyer", email="ravi@example.org", timezone_name="Asia/Kolkata",
                    intake=intake, actor=Actor("test"))
    return {"seat": seat, "credential": credential, "day": day, "interest": interest,
            "request": asked,
            "submission": submission}


@pytest.fixture
def apis(anonymous: Api, grace_api: Api, ada_api: Api, staff_api: Api,
         staff_reader: Api) -> dict[str, Api]:
    return {"anonymous": anonymous, "a": grace_api, "b": ada_api, "staff": staff_api,
            "reader": staff_reader}


READS: list[tuple[str, tuple[int, ...]]] = [
    # path, status for: anonymous, a (Grace), b (Ada), staff, read-only staff token
    ("/api/v1/programs/", (401, 200, 200, 200, 200)),
    ("/api/v1/offerings/", (401, 200, 200, 200, 200)),
    ("/api/v1/offerings/QSS-W/", (401, 200, 200, 200, 200)),
    ("/api/v1/offerings/QSS-PRIVATE/", (401, 404, 404, 200, 200)),
    ("/api/v1/participants/", (401, 200, 200, 200, 200)),
    ("/api/v1/participants/P-002/", (401, 200, 404, 200, 200)),
    ("/api/v1/participants/P-002/records/", (401, 200, 404, 200, 200)),
    ("/api/v1/participants/P-002/standing/", (401, 200, 404, 200, 200)),
    ("/api/v1/participants/P-002/schedule/", (401, 200, 404, 200, 200)),
    ("/api/v1/participants/P-001/version-preview/?to=2025", (401, 403, 403, 200, 200)),
    ("/api/v1/seats/", (401, 200, 200, 200, 200)),
    ("/api/v1/seats/{seat}/", (401, 200, 404, 200, 200)),
    ("/api/v1/seats/{seat}/change-quote/", (401, 200, 404, 200, 200)),
    ("/api/v1/credentials/{credential}/", (401, 404, 200, 200, 200)),
    ("/api/v1/audit-entries/", (401, 403, 403, 200, 200)),
    ("/api/v1/offerings/export/", (401, 403, 403, 200, 200)),
    ("/api/v1/demand-requests/", (401, 200, 200, 200, 200)),
    ("/api/v1/extension-requests/", (401, 200, 200, 200, 200)),
    ("/api/v1/at-risk/", (401, 403, 403, 200, 200)),
    ("/api/v1/participants/P-002/capstone/", (401, 200, 404, 200, 200)),
    ("/api/v1/capstone-submissions/", (401, 403, 403, 200, 200)),
    ("/api/v1/capstone-submissions/{submission}/file/", (401, 404, 404, 200, 200)),
    ("/api/v1/interest/", (401, 403, 403, 200, 200)),
]


def _path(template: str, world: dict[str, Any]) -> str:
    return template.format(seat=world["seat"].pk, credential=world["credential"].pk,
                           request=world["request"].pk, submission=world["submission"].pk,
                           interest=world["interest"].pk)


@pytest.mark.parametrize(("template", "expected"), READS, ids=[r[0] for r in READS])
def test_each_role_reads_what_it_may_and_nothing_else(
    template: str, expected: tuple[int, ...], world: dict[str, Any], apis: dict[str, Api],
) -> None:
    path = _path(template, world)
    got = tuple(apis[role].get(path).status_code for role in ROLES)
    assert got == expected, f"{path}: {dict(zip(ROLES, got, strict=True))}"


def test_a_participant_lists_only_their_own_seats_and_themself(world: dict[str, Any],
                                                               apis: dict[str, Api]) -> None:
    assert [s["participant"] for s in apis["a"].get("/api/v1/seats/").json()["results"]] == [
        "P-002"]
    assert apis["b"].get("/api/v1/seats/").json()["results"] == []
    assert [p["id"] for p in apis["b"].get("/api/v1/participants/").json()["results"]] == [
        "P-001"]
    codes = [o["code"] for o in apis["a"].get("/api/v1/offerings/").json()["results"]]
    assert "QSS-PRIVATE" not in codes
    assert "QSS-W" in codes


WRITES: list[tuple[str, str, dict[str, Any], tuple[int, ...]]] = [
    # what, path, body, status for: anonymous, a, b, staff, read-only staff token
    ("cancel a meeting", "/api/v1/offerings/QSS-W/cancel-meeting/", {"date": "{day}"},
     (401, 403, 403, 200, 403)),
    ("drop another's seat", "/api/v1/seats/{seat}/drop/", {}, (401, 200, 404, 200, 403)),
    ("revoke a credential", "/api/v1/credentials/{credential}/revoke/",
     {"reason": "issued in error"}, (401, 403, 403, 200, 403)),
    ("move Ada to another version", "/api/v1/participants/P-001/version/",
     {"version": "2025"}, (401, 403, 403, 200, 403)),
    ("take a seat for Grace", "/api/v1/seats/", {"participant": "P-002", "offering": "QSS-W"},
     (401, 200, 422, 200, 403)),
    ("create a run", "/api/v1/offerings/", {
        "code": "QSS-NEW", "program": "cscce-cm", "program_version": "2023",
        "component": "QSS", "starts_on": "2031-03-06", "ends_on": "2031-03-06", "capacity": 60,
        "meetings": {"days": ["TH"], "time": "16:00", "minutes": 90, "timezone": "UTC"}},
     (401, 403, 403, 201, 403)),
    ("publish a run", "/api/v1/offerings/QSS-PRIVATE/publish/", {}, (401, 403, 403, 200, 403)),
    ("unpublish a run with a seat", "/api/v1/offerings/QSS-W/unpublish/", {},
     (401, 403, 403, 409, 403)),
    ("open an intake", "/api/v1/intakes/", {
        "code": "CERT-W", "program": "cscce-cm", "program_version": "2023",
        "starts_on": "2031-03-03", "time": "11:00", "minutes": 90, "timezone": "UTC",
        "capacity": 20}, (401, 403, 403, 201, 403)),
    ("import an offerings file", "/api/v1/offerings/import/?dry_run=true",
     {"program": "cscce-cm", "program_version": "2023", "offerings": []},
     (401, 403, 403, 200, 403)),
    ("credit Grace a course", "/api/v1/participants/P-002/credit/",
     {"component": "PBK", "basis": "PBK pilot", "conditions_met": True},
     (401, 403, 403, 200, 403)),
    ("extend Grace's deadline", "/api/v1/participants/P-002/extend/",
     {"until": NEW_DEADLINE.isoformat(), "reason": "Moved house."},
     (401, 403, 403, 200, 403)),
    ("withdraw Grace", "/api/v1/participants/P-002/withdraw/", {"reason": "Left."},
     (401, 403, 403, 200, 403)),
    # Grace is not withdrawn: staff reach the action, which refuses.
    ("reinstate Grace", "/api/v1/participants/P-002/reinstate/", {"reason": "Back."},
     (401, 403, 403, 422, 403)),
    ("place Grace in an intake", "/api/v1/participants/P-002/intake/", {"intake": "W27"},
     (401, 403, 403, 200, 403)),
    ("change Grace's job", "/api/v1/participants/P-002/job-change/",
     {"organization": "Elsewhere Inc"}, (401, 200, 404, 200, 403)),
    ("grant Grace's extension request", "/api/v1/extension-requests/{request}/grant/", {},
     (401, 403, 403, 200, 403)),
    ("refuse Grace's extension request", "/api/v1/extension-requests/{request}/refuse/",
     {"reason": "No later run."}, (401, 403, 403, 200, 403)),
    ("record a contact with Grace", "/api/v1/participants/P-002/contacts/",
     {"channel": "phone", "date": "2026-01-05", "note": "Called about her plan."},
     (401, 403, 403, 201, 403)),
    # Grace's courses are not complete: refused (422) to those who may ask at all.
    ("submit Grace's capstone", "/api/v1/participants/P-002/capstone/", {"text": "Mine"},
     (401, 422, 404, 422, 403)),
    ("review a capstone", "/api/v1/capstone-submissions/{submission}/review/",
     {"result": "passed"}, (401, 403, 403, 200, 403)),
    ("express interest", "/api/v1/interest/",
     {"name": "Someone", "email": "someone@example.org", "timezone": "UTC"},
     (201, 201, 201, 201, 403)),
    ("accept interest", "/api/v1/interest/{interest}/accept/", {"intake": "W27"},
     (401, 403, 403, 200, 403)),
    ("decline interest", "/api/v1/interest/{interest}/decline/", {},
     (401, 403, 403, 200, 403)),
    ("add a participant", "/api/v1/participants/",
     {"name": "Ana Souza", "email": "ana@example.org", "timezone": "UTC", "intake": "W27"},
     (401, 403, 403, 201, 403)),
    ("send an invitation again", "/api/v1/participants/P-051/invitation/", {},
     (401, 403, 403, 201, 403)),
]


PATCHES: list[tuple[str, dict[str, Any]]] = [
    ("/api/v1/offerings/QSS-W/", {"capacity": 50}),
    ("/api/v1/intakes/CERT-P/", {"starts_on": "2031-04-07"}),
]


@pytest.mark.parametrize(("path", "body"), PATCHES, ids=[p[0] for p in PATCHES])
def test_only_staff_change_runs_and_intakes(path: str, body: dict[str, Any],
                                            world: dict[str, Any], apis: dict[str, Api]) -> None:
    open_intake(Actor("test"), ProgramVersion.objects.get(version="2023"), "CERT-P",
                dt.date(2031, 3, 3), OrientationPlan(dt.time(11), 90, "UTC", 20))
    got = tuple(apis[role].call("PATCH", path, body).status_code for role in ROLES)
    assert got == (401, 403, 403, 200, 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("what", "template", "body", "expected"), WRITES,
                         ids=[w[0] for w in WRITES])
def test_each_role_writes_what_it_may_and_a_read_token_writes_nothing(
    role: str, what: str, template: str, body: dict[str, Any], *, expected: tuple[int, ...],
    world: dict[str, Any], apis: dict[str, Api],
) -> None:
    filled = {k: v.format(day=world["day"].isoformat()) if isinstance(v, str) else v
              for k, v in body.items()}
    response = apis[role].post(_path(template, world), filled)
    assert response.status_code == expected[ROLES.index(role)], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
    if role == "reader":
        assert "read-only" in response.json()["detail"]
    if role in ("anonymous", "reader", "b") and what == "drop another's seat":
        assert Seat.objects.get(pk=world["seat"].pk).status == "enrolled"
    grace = m.Enrollment.objects.get(participant__public_id="P-002")
    if role != "staff":
        # Nobody but staff moves Grace's deadline or withdraws her, whatever they try.
        assert (grace.deadline_extended_to, grace.withdrawn_on) == (None, None)
        assert m.ExtensionRequest.objects.get(pk=world["request"].pk).status == "open"


@pytest.fixture
def evaluated(world: dict[str, Any], publish_run: Callable[..., Offering]) -> Offering:
    """A PBK run that ended twelve days ago, Grace held a seat on it and was asked."""
    from pathwise.evaluations.actions import ask_run

    grace = m.Participant.objects.get(public_id="P-002")
    run = publish_run("PBK-END", "PBK", starts_on=dt.date.today() - dt.timedelta(days=60))  # noqa: DTZ011
    take_seat(grace, run, Actor("test"), today=run.starts_on - dt.timedelta(days=1))
    ask_run(run, Actor("test"))
    return run


EVALUATION_READS: list[tuple[str, tuple[int, ...]]] = [
    ("/api/v1/participants/P-002/evaluations/PBK-END/", (401, 200, 404, 200, 200)),
    ("/api/v1/runs/PBK-END/evaluations/", (401, 403, 403, 200, 200)),
    ("/api/v1/evaluations/summary/", (401, 403, 403, 200, 200)),
]


@pytest.mark.parametrize(("path", "expected"), EVALUATION_READS,
                         ids=[r[0] for r in EVALUATION_READS])
def test_each_role_reads_the_evaluations_it_may(path: str, expected: tuple[int, ...],
                                                evaluated: Offering,
                                                apis: dict[str, Api]) -> None:
    got = tuple(apis[role].get(path).status_code for role in ROLES)
    assert got == expected, f"{path}: {dict(zip(ROLES, got, strict=True))}"


def test_only_the_participant_answers_their_evaluation(evaluated: Offering,
                                                       apis: dict[str, Api]) -> None:
    path = "/api/v1/participants/P-002/evaluations/PBK-END/"
    got = tuple(apis[role].call("PUT", path, {"recommend": "strongly"}).status_code
                for role in ROLES)
    assert got == (401, 200, 404, 403, 403)


@pytest.mark.parametrize("path", ["/api/v1/offerings/QSS-W/lms-link/",
                                  "/api/v1/programs/cscce-cm/versions/2023/lms-link/"])
def test_only_staff_set_a_learning_platform_link(path: str, world: dict[str, Any],
                                                 apis: dict[str, Api]) -> None:
    got = tuple(apis[role].call("PUT", path, {"url": "https://lms.example.org/x"}).status_code
                for role in ROLES)
    assert got == (401, 403, 403, 200, 403)
