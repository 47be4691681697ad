"""`pathwise participants add`, `participants import-csv [--dry-run]` and `pathwise invite`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core import mail

from pathwise.auditlog.models import AuditEntry
from pathwise.catalog.models import Intake
from pathwise.onboarding.models import Invitation
from pathwise.participants.models import Enrollment, Participant
from tests.cli.conftest import Run
from tests.onboarding.conftest import begun_intake, invitation_link, open_intake

# Transactional, so that the worker sends the invitation e-mails after a real commit.
pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["begun_intake", "open_intake"]  # fixtures, used by name

ADD = ("participants", "add", "--name", "Ravi Iyer", "--email", "ravi@example.org",
       "--timezone", "Asia/Kolkata", "--intake", "NEW27")


def test_add_one_person_who_is_invited(open_intake: Intake,
                                       pathwise: Callable[..., Run]) -> None:
    run = pathwise(*ADD, "--actor", "sam")
    assert run.code == 0, run.err
    assert run.json()["participant"] == "P-001"
    assert run.json()["username"] == "p-001"
    assert Enrollment.objects.get().intake == open_intake
    assert AuditEntry.objects.filter(action="participant.added", actor_label="sam").exists()
    assert invitation_link("ravi@example.org")


@pytest.mark.parametrize(("change", "message"), [
    (("--timezone", "Nowhere/City"), "timezone: 'Nowhere/City' is not an IANA time zone"),
    (("--intake", "OLD26"), "orientation started on"),
    (("--intake", "NOPE"), "intake: no intake 'NOPE'"),
    (("--email", "not-an-address"), "is not one e-mail address"),
    (("--name", "Line\nBreak"), "control character"),
])
def test_bad_input_is_one_line_and_adds_no_one(
        change: tuple[str, str], message: str, *, open_intake: Intake, begun_intake: Intake,
        pathwise: Callable[..., Run], refused: Callable[..., str]) -> None:
    argv = list(ADD)
    argv[argv.index(change[0]) + 1] = change[1]
    assert message in refused(pathwise(*argv), "participants")
    assert not Participant.objects.exists()


CSV = ("name,email,organization,timezone\n"
       "Ana Souza,ana@example.org,Marine Observatory,America/Sao_Paulo\n"
       "Kofi Mensah,kofi@example.org,,Africa/Accra\n")


def test_import_a_csv_after_a_dry_run(open_intake: Intake, pathwise: Callable[..., Run],
                                      tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    dry = pathwise("participants", "import-csv", path, "--intake", "NEW27", "--dry-run")
    assert dry.code == 0, dry.err
    assert "line 2: would add Ana Souza <ana@example.org> to NEW27" in dry.out
    assert not Participant.objects.exists()
    done = pathwise("participants", "import-csv", path, "--intake", "NEW27")
    assert done.code == 0, done.err
    assert list(Participant.objects.values_list("public_id", flat=True)) == ["P-001", "P-002"]
    assert Invitation.objects.count() == 2


def test_a_bad_csv_names_its_lines_and_adds_no_one(
        open_intake: Intake, pathwise: Callable[..., Run], refused: Callable[..., str],
        tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(CSV + "Bad,bad@example.org,,Mars/Base\n", encoding="utf-8")
    for extra in ((), ("--dry-run",)):
        message = refused(pathwise("participants", "import-csv", path, "--intake", "NEW27",
                                   *extra), "participants")
        assert "line 4: timezone: 'Mars/Base' is not an IANA time zone" in message
    assert not Participant.objects.exists()
    assert "no intake 'NOPE'" in refused(
        pathwise("participants", "import-csv", path, "--intake", "NOPE"), "participants")


def test_invite_sends_a_new_link(open_intake: Intake, pathwise: Callable[..., Run],
                                 refused: Callable[..., str]) -> None:
    pathwise(*ADD)
    first = invitation_link("ravi@example.org")
    run = pathwise("invite", "P-001")
    assert run.code == 0, run.err
    assert invitation_link("ravi@example.org") != first
    assert len([m for m in mail.outbox if m.to == ["ravi@example.org"]]) == 2
    assert "no participant 'P-404'" in refused(pathwise("invite", "P-404"), "invite")
    assert "is not an identifier" in refused(pathwise("invite", "../x"), "invite")
