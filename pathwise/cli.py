"""The `pathwise` command line: the contracts of DESIGN.md for operators and scripts.

Commands that only read files (`evaluate`, `plan`, `programs`) use the pure core and
never start Django; commands that touch the database set Django up first.
Every failure a user can cause ends with one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pathwise.core.audit import evaluate
from pathwise.core.credentials.issuer import (
    DEFAULT_BASE_URL,
    IssuerSettings,
    cli_credential_uuid,
    cli_status_index,
    earned_on,
    issue_credential,
)
from pathwise.core.credentials.keys import KeyStore
from pathwise.core.credentials.openbadges import Holder
from pathwise.core.credentials.trust import parse_did, parse_did_list, trusted_issuers
from pathwise.core.credentials.verify import load_credential_json, verify_credential
from pathwise.core.errors import PathwiseError
from pathwise.core.fees import Money
from pathwise.core.inputs import identifier_problem, one_line
from pathwise.core.offerings import load_offerings_json
from pathwise.core.planner import plan
from pathwise.core.program import PROGRAMS_DIR_VARIABLE, Program, ProgramLibrary, folders_named
from pathwise.core.records import ParticipantRecords, load_records_json, parse_as_of
from pathwise.core.standing import standing
from pathwise.core.webhooks import EVENTS as WEBHOOK_EVENTS
from pathwise.onboarding.cli import add_commands as add_onboarding_commands

if TYPE_CHECKING:
    from pathwise.catalog.models import Offering
    from pathwise.participants.models import Participant

EXIT_BAD_INPUT = 2
EXIT_NOT_VERIFIED = 1
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # what a shell reports for a tool killed by SIGPIPE


def _library(args: argparse.Namespace) -> ProgramLibrary:
    extra = [Path(p) for p in args.programs or []]
    return ProgramLibrary.shipped([*extra, *folders_named(os.environ.get(PROGRAMS_DIR_VARIABLE))])


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PathwiseError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PathwiseError(f"{path}: cannot read: {exc}") from exc


def _as_of(args: argparse.Namespace) -> dt.date:
    if args.as_of:
        return parse_as_of(args.as_of)
    return dt.datetime.now(dt.UTC).date()


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


# -- commands --------------------------------------------------------------------


def _program_and_records(args: argparse.Namespace) -> tuple[Program, ParticipantRecords]:
    """The records file named by `args.file`, and the program version it is for."""
    library = _library(args)
    records = load_records_json(_read(args.file), source=args.file, library=library)
    program = library.get(records.program, records.program_version)
    assert program is not None  # load_records_json refuses unknown versions
    return program, records


def cmd_evaluate(args: argparse.Namespace) -> int:
    """The audit; with --offerings, at risk is decided by the planner (see core.standing)."""
    program, records = _program_and_records(args)
    offerings = (load_offerings_json(_read(args.offerings), source=args.offerings)
                 if args.offerings else None)
    result = standing(program, records, _as_of(args), offerings, intake=args.intake,
                      records_source=args.file, offerings_source=args.offerings or "")
    _print_json(result.to_json())
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    program, records = _program_and_records(args)
    as_of = _as_of(args)
    offerings = load_offerings_json(_read(args.offerings), source=args.offerings)
    if args.intake is not None:
        _identifier("--intake", args.intake)
    result = plan(program, records, offerings, as_of, intake=args.intake,
                  records_source=args.file, offerings_source=args.offerings)
    _print_json(result.to_json())
    return 0


def cmd_programs(args: argparse.Namespace) -> int:
    if args.programs_command == "sync":
        return cmd_programs_sync(args)
    for program in sorted(_library(args), key=lambda p: p.key):
        print(f"{program.id}\t{program.version}\t{program.name}\t{program.source}")
    return 0


def cmd_programs_sync(args: argparse.Namespace) -> int:
    """Load every definition file listed by `pathwise programs` into the database."""
    definitions = _library(args)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.catalog.actions import sync_programs

        synced = sync_programs(Actor(_actor_label(args)), definitions)
    if args.json:
        _print_json([s.to_json() for s in synced])
        return 0
    for s in synced:
        print(f"{s.change}\t{s.version.program_id}\t{s.version.version}\t"
              f"{s.version.source_path}")
    return 0


def cmd_move_version(args: argparse.Namespace) -> int:
    """Staff's version move: the side-by-side audits as JSON, then (unless --dry-run) the move."""
    _identifier("PARTICIPANT", args.participant)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.participants.actions import (
            move_to_version,
            preview_version_move,
            version_named,
        )
        from pathwise.participants.models import Participant

        participant = Participant.objects.filter(public_id=args.participant).first()
        if participant is None:
            raise PathwiseError(f"no participant {args.participant!r}")
        target = version_named(participant, args.version)
        today = _as_of(args)
        found = preview_version_move(participant, target, today)
        if found.problem is not None:
            raise PathwiseError(found.problem)
        if not args.dry_run:
            move_to_version(participant, target, Actor(_actor_label(args)), today)
    _print_json({**found.to_json(), "moved": not args.dry_run})
    return 0


def _issuer_settings(args: argparse.Namespace) -> IssuerSettings:
    base_url = (getattr(args, "base_url", None) or os.environ.get("PATHWISE_BASE_URL")
                or DEFAULT_BASE_URL)
    return IssuerSettings(base_url=base_url, did_web=os.environ.get("PATHWISE_DID_WEB") or None)


def cmd_badge(args: argparse.Namespace) -> int:
    """Print the signed Open Badges 3.0 credential for an achievement the records earn."""
    program, records = _program_and_records(args)
    audit = evaluate(program, records, _as_of(args))
    day = earned_on(program, audit, args.achievement)
    settings = _issuer_settings(args)
    key = KeyStore.from_environment().current()
    credential_uuid = cli_credential_uuid(settings, audit, args.achievement)
    participant = records.participant
    credential = issue_credential(
        program, args.achievement,
        Holder(participant.id, participant.name, participant.email),
        earned_on=day, credential_uuid=credential_uuid,
        status_index=cli_status_index(credential_uuid), key=key, settings=settings)
    _print_json(credential)
    return 0


def _read_bytes(path: str, limit: int = 5_000_000) -> bytes:
    """The file's bytes; one larger than `limit` is read only that far (and refused later)."""
    try:
        with Path(path).open("rb") as file:
            return file.read(limit + 1)
    except FileNotFoundError as exc:
        raise PathwiseError(f"{path}: no such file") from exc
    except OSError as exc:
        raise PathwiseError(f"{path}: cannot read: {exc.strerror}") from exc


def _load_credential_file(path: str) -> object:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise PathwiseError(f"{path}: no such file") from exc
    except OSError as exc:
        raise PathwiseError(f"{path}: cannot read: {exc.strerror}") from exc
    head = data.lstrip()[:256].lower()
    try:
        if data.startswith(b"\x89PNG") or head.startswith((b"<svg", b"<?xml", b"<!--")):
            from pathwise.core.credentials.bake import extract

            return load_credential_json(extract(data))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PathwiseError("neither JSON, PNG nor SVG") from exc
        return load_credential_json(text)
    except PathwiseError as exc:
        raise PathwiseError(f"{path}: {exc}") from exc


def _trusted_issuers(args: argparse.Namespace, settings: IssuerSettings,
                     store: KeyStore) -> frozenset[str]:
    """This deployment's own DIDs (its key store, PATHWISE_DID_WEB), the ones
    PATHWISE_TRUSTED_ISSUERS names, and each --trust-issuer."""
    named = list(parse_did_list(os.environ.get("PATHWISE_TRUSTED_ISSUERS", ""),
                                source="PATHWISE_TRUSTED_ISSUERS"))
    named.extend(parse_did(did, source="--trust-issuer") for did in args.trust_issuer or [])
    return trusted_issuers(store.all_keys(), did_web=settings.did_web, named=named)


def cmd_verify(args: argparse.Namespace) -> int:
    """Check a credential (JSON, or a baked PNG/SVG) offline; exit 1 when it does not verify."""
    settings = _issuer_settings(args)
    store = KeyStore.from_environment()
    trusted = _trusted_issuers(args, settings, store)
    credential = _load_credential_file(args.file)
    status_list = None
    if args.status_list:
        loaded = _load_credential_file(args.status_list)
        if not isinstance(loaded, dict):
            raise PathwiseError(f"{args.status_list}: not a status list credential")
        status_list = loaded
    result = verify_credential(credential, trusted=trusted, status_list=status_list,
                               resolve=settings.resolver(store))
    _print_json(result.to_json())
    return 0 if result.verified else EXIT_NOT_VERIFIED


#: What says a deployment is configured; with none of them set, the CLI is on the demo's
#: own SQLite database and runs as scripts/demo does.
CONFIGURED_BY = ("DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL")
#: Management commands that serve pages: they never assume the demo's settings.
SERVING = ("runserver",)


def _settings(*, serving: bool = False) -> None:
    """Load the settings for a command on the database, or say in one line what is wrong.

    With none of CONFIGURED_BY set, the database is the local SQLite default that
    scripts/demo creates, and the command runs with the demo's DEBUG=true (and so
    its development key), saying so on stderr. A deployment sets SECRET_KEY (or
    names its database) and is never given these defaults; nor is a command that
    serves pages, nor the WSGI application, which only the environment configures.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathwise.site.settings")
    if not serving and not any(os.environ.get(name) for name in CONFIGURED_BY):
        os.environ["DEBUG"] = "true"
        print(f"pathwise: none of {', '.join(CONFIGURED_BY[:-1])} or {CONFIGURED_BY[-1]} is "
              f"set: using scripts/demo's settings (DEBUG=true, database "
              f"{Path.cwd() / 'pathwise.sqlite3'})", file=sys.stderr)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise PathwiseError(f"settings: {exc}") from exc


@contextmanager
def _database() -> Iterator[None]:
    """Set Django up; a missing or unmigrated database is bad input, not a crash."""
    _settings()
    from django.db import DatabaseError

    try:
        yield
    except DatabaseError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PathwiseError(
            f"database error: {first_line} (has `pathwise manage migrate` been run?)") from exc


def _actor_label(args: argparse.Namespace) -> str:
    return args.actor or f"cli:{getpass.getuser()}"


def cmd_import(args: argparse.Namespace) -> int:
    files = [(path, _read(path)) for path in args.files]
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.participants.actions import import_records_files

        imported = import_records_files(files, Actor(_actor_label(args)), _library(args))
    for participant_id in imported:
        print(f"imported {participant_id}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.participant:
        _identifier("--participant", args.participant)
    with _database():
        from pathwise.participants.exports import export_all, export_one

        if args.participant:
            _print_json(export_one(args.participant))
            return 0
        exported = list(export_all())
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        files = _export_paths(out, exported)
        for path, data in files:
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            print(path)
    except OSError as exc:
        raise PathwiseError(f"--out {args.out}: cannot write: {exc.strerror or exc}") from exc
    return 0


def _export_paths(out: Path, exported: list[tuple[str, dict[str, object]]]
                  ) -> list[tuple[Path, dict[str, object]]]:
    """Where each participant's file goes; refused, before anything is written, outside `out`.

    Ids are checked where they enter, but a row from before that rule, or a
    link placed in the folder, must still not lead a write elsewhere.
    """
    folder = out.resolve()
    files = []
    for participant_id, data in exported:
        problem = identifier_problem(participant_id)
        if problem is not None:
            raise PathwiseError(f"--out {out}: participant id {problem}; nothing written")
        path = out / f"{participant_id}.json"
        if path.resolve().parent != folder:
            raise PathwiseError(f"--out {out}: {path} leads outside the folder (to "
                                f"{path.resolve()}); nothing written")
        files.append((path, data))
    return files


def _identifier(option: str, value: str) -> str:
    problem = identifier_problem(value)
    if problem is not None:
        raise PathwiseError(f"{option}: {problem}")
    return value


def cmd_enroll(args: argparse.Namespace) -> int:
    """Enroll a participant in an offering, by the same rules and action as the pages."""
    _identifier("PARTICIPANT", args.participant)
    _identifier("OFFERING", args.offering)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.catalog.models import Offering
        from pathwise.enrollment.actions import (
            EnrollmentRefusedError,
            FeeNotAcceptedError,
            take_seat,
        )
        from pathwise.participants.models import Participant

        participant = Participant.objects.filter(public_id=args.participant).first()
        if participant is None:
            raise PathwiseError(f"no participant {args.participant!r}")
        offering = Offering.objects.filter(code=args.offering).first()
        if offering is None:
            raise PathwiseError(f"no offering {args.offering!r}")
        accept = None
        if args.accept_fee:
            fees = offering.program_version.program.fees
            accept = Money(_amount("--accept-fee", args.accept_fee),
                           fees.currency if fees else "USD")
        try:
            result = take_seat(participant, offering, Actor(_actor_label(args)),
                               today=_as_of(args), accept_fee=accept)
        except EnrollmentRefusedError as refused:
            raise PathwiseError(f"refused ({refused.refusal.rule}): {refused}") from refused
        except FeeNotAcceptedError as unpaid:
            raise PathwiseError(
                f"refused (fee): {unpaid.fee.reason}; to enroll at that fee, run again with "
                f"--accept-fee {unpaid.fee.fee.amount}") from unpaid
    _print_json({"participant": participant.public_id, "offering": offering.code,
                 "status": result.seat.status, "waitlist_position": result.waitlist_position})
    return 0


def _participant(public_id: str) -> Participant:
    """The participant `public_id` names (Django set up by the caller), or bad input naming it."""
    from pathwise.participants.models import Participant

    found: Participant | None = Participant.objects.filter(
        public_id=_identifier("PARTICIPANT", public_id)).first()
    if found is None:
        raise PathwiseError(f"no participant {public_id!r}")
    return found


def _assessments(values: Sequence[str]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, result = value.partition("=")
        if not sep or not name:
            raise PathwiseError(f"--assessment: {value[:40]!r} is not NAME=passed or "
                                "NAME=failed")
        out[name] = result
    return out


def _standing_json(participant: Participant) -> dict[str, object]:
    from pathwise.standing.models import StandingRow

    row = StandingRow.objects.filter(participant=participant).first()
    return {"participant": participant.public_id,
            "status": row.status if row else None,
            "deadline": row.deadline.isoformat() if row else None}


def cmd_credit(args: argparse.Namespace) -> int:
    """Grant prior-learning credit for a course, as the staff page does."""
    _identifier("PARTICIPANT", args.participant)
    _identifier("COMPONENT", args.component)
    day = _meeting_day("--date", args.date) if args.date else None
    assessments = _assessments(args.assessment or [])
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.participants.actions import grant_credit, today

        participant = _participant(args.participant)
        grant_credit(participant, args.component, basis=args.basis, on=day or today(),
                     actor=Actor(_actor_label(args)), assessments=assessments,
                     conditions_met=args.conditions_met)
        shown = _standing_json(participant)
    _print_json({**shown, "credited": args.component})
    return 0


def cmd_extend(args: argparse.Namespace) -> int:
    """Extend a participant's deadline (they are e-mailed), as the staff page does."""
    _identifier("PARTICIPANT", args.participant)
    day = _meeting_day("DATE", args.date)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.participants.actions import extend_deadline

        participant = _participant(args.participant)
        extend_deadline(participant, day, args.reason, Actor(_actor_label(args)))
        shown = _standing_json(participant)
    _print_json(shown)
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    """Withdraw a participant; their seats in runs not yet over are given up."""
    _identifier("PARTICIPANT", args.participant)
    day = _meeting_day("--date", args.date) if args.date else None
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.participants.actions import seats_to_drop, today, withdraw

        participant = _participant(args.participant)
        seats = [s.offering.code for s in seats_to_drop(participant, today())]
        enrollment = withdraw(participant, args.reason, Actor(_actor_label(args)), on=day)
        shown = _standing_json(participant)
    assert enrollment.withdrawn_on is not None
    _print_json({**shown, "withdrawn_on": enrollment.withdrawn_on.isoformat(),
                 "seats_dropped": seats})
    return 0


def cmd_reinstate(args: argparse.Namespace) -> int:
    """Undo a participant's withdrawal."""
    _identifier("PARTICIPANT", args.participant)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.participants.actions import reinstate

        participant = _participant(args.participant)
        reinstate(participant, args.reason, Actor(_actor_label(args)))
        shown = _standing_json(participant)
    _print_json(shown)
    return 0


def _add_participant_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("credit", help="grant prior-learning credit for a course")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-001")
    p.add_argument("component", metavar="COMPONENT", help="the course credited, e.g. NOC")
    p.add_argument("--basis", required=True, metavar="TEXT",
                   help="what the credit is for, e.g. 'NOC pilot 2021'")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the credit's date (default today)")
    p.add_argument("--assessment", action="append", metavar="NAME=passed|failed",
                   help="a short assessment the credit's conditions ask for (repeatable)")
    p.add_argument("--conditions-met", action="store_true",
                   help="the conditions are met (only when no assessment is named)")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_credit)

    p = sub.add_parser("extend", help="extend a participant's deadline (they are e-mailed)")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-001")
    p.add_argument("date", metavar="DATE", help="the new deadline, YYYY-MM-DD")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (sent to them)")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_extend)

    p = sub.add_parser("withdraw", help="withdraw a participant from the program")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-001")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="withdrawn on (default today)")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (sent to them)")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_withdraw)

    p = sub.add_parser("reinstate", help="undo a participant's withdrawal")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-001")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (sent to them)")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_reinstate)


def _run(code: str) -> Offering:
    """The run `code` names (Django set up by the caller), or bad input naming it."""
    from pathwise.catalog.models import Offering

    offering: Offering | None = Offering.objects.select_related("program_version").filter(
        code=_identifier("OFFERING", code)).first()
    if offering is None:
        raise PathwiseError(f"no offering {code!r}")
    return offering


def cmd_grade(args: argparse.Namespace) -> int:
    """Record (or change) one assessment's result, as the run's grades page does."""
    _identifier("PARTICIPANT", args.participant)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.runs.actions import record_grade

        grade = record_grade(_run(args.offering), args.participant, args.assessment,
                             args.result, Actor(_actor_label(args)),
                             feedback=args.feedback or "")
    _print_json({"offering": args.offering, "participant": args.participant,
                 "assessment": grade.assessment, "result": grade.result,
                 "feedback": grade.feedback})
    return 0


def _submission_json(row: Any) -> dict[str, Any]:
    participant = row.enrollment.participant
    return {"id": row.pk, "participant": participant.public_id, "name": participant.name,
            "status": row.status, "submitted_at": row.submitted_at.isoformat(),
            "size": row.size, "file": row.file_name or None, "file_size": row.file_size,
            "text_characters": len(row.text), "feedback": row.feedback,
            "reviewed_by": row.reviewed_by or None}


def cmd_capstone_list(args: argparse.Namespace) -> int:
    """The capstone submissions waiting for review, oldest first."""
    with _database():
        from pathwise.capstone.read import waiting_queue

        rows = [_submission_json(r) for r in waiting_queue()]
    _print_json(rows)
    return 0


def cmd_capstone_review(args: argparse.Namespace) -> int:
    """Review one submission, as the staff review page does (the participant is e-mailed)."""
    if not args.submission.isdigit():
        raise PathwiseError(f"SUBMISSION: {args.submission[:20]!r} is not a submission id "
                            "(a number, as `pathwise capstone list` shows)")
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.capstone.actions import review_capstone
        from pathwise.capstone.models import Submission

        row = Submission.objects.select_related("enrollment__participant").filter(
            pk=int(args.submission)).first()
        if row is None:
            raise PathwiseError(f"no capstone submission {args.submission}")
        reviewed = review_capstone(row, "passed" if args.passed else "needs_changes",
                                   Actor(_actor_label(args)), feedback=args.feedback or "")
        out = _submission_json(reviewed)
    _print_json(out)
    return 0


def _meeting_day(flag: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PathwiseError(f"{flag}: {text[:20]!r} is not a date such as 2026-03-03") from None


def cmd_attendance(args: argparse.Namespace) -> int:
    """Save one meeting's register: the ids given were present, everyone else absent."""
    day = _meeting_day("DAY", args.day)
    for public_id in args.present:
        _identifier("ID", public_id)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.runs.actions import record_attendance

        rows = record_attendance(_run(args.offering), day, args.present, Actor(_actor_label(args)),
                                 presenter=args.presenter)
    _print_json({"offering": args.offering, "day": day.isoformat(), "marks": {
        r.participant.public_id: "presented" if r.presented else
        "present" if r.present else "absent" for r in rows}})
    return 0


def cmd_attendance_import(args: argparse.Namespace) -> int:
    """Take a meeting's register from a Zoom, Teams or Google Meet export (or, with
    --dry-run, only show what it would be)."""
    day = None if args.meeting is None else _meeting_day("--meeting", args.meeting)
    data = _read_bytes(args.file)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.runs.actions import export_meeting, import_attendance

        offering = _run(args.offering)
        source = Path(args.file).name
        day = day or export_meeting(offering, data, source=source)
        result = import_attendance(offering, day, data, Actor(_actor_label(args)),
                                   dry_run=args.dry_run, source=source)
    _print_json({"offering": offering.code, "meeting": day.isoformat(),
                 "format": result.format, "present": list(result.present),
                 "absent": list(result.absent),
                 "unmatched": [u.to_json() for u in result.unmatched]})
    return 0


def cmd_offerings_import(args: argparse.Namespace) -> int:
    """Publish an offerings file whole (or, with --dry-run, only show what it would do)."""
    text = _read(args.file)
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.catalog.actions import ImportRefusedError, import_offerings

        try:
            report = import_offerings(Actor(_actor_label(args)), text, source=args.file,
                                      dry_run=args.dry_run)
        except ImportRefusedError as exc:
            for problem in exc.problems:
                print(f"pathwise offerings: {one_line(problem)}", file=sys.stderr)
            print(f"pathwise offerings: {args.file}: nothing imported "
                  f"({len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''})",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
    _print_json(report.as_json())
    return 0


def cmd_offerings_export(args: argparse.Namespace) -> int:
    """Write the offerings file of a program version's runs."""
    from_ = _meeting_day("--from", args.from_) if args.from_ else None
    with _database():
        from pathwise.catalog.actions import (
            export_offerings,
            newest_version,
            unknown_version,
            version_named,
        )

        if args.program_version:
            row = version_named(args.program_version)
            if row is None:
                raise PathwiseError(f"--program-version: {unknown_version(args.program_version)}")
        else:
            row = newest_version()
            if row is None:
                raise PathwiseError("no runs to export: the catalogue is empty")
        data = export_offerings(row, from_=from_)
    if args.out:
        try:
            Path(args.out).write_bytes(data)
        except OSError as exc:
            raise PathwiseError(f"--out {args.out}: cannot write: {exc.strerror or exc}"
                                ) from exc
        print(args.out)
    else:
        sys.stdout.write(data.decode())
    return 0


def _amount(flag: str, text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise PathwiseError(f"{flag}: {text!r} is not an amount such as 150.00") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.001")):
        raise PathwiseError(f"{flag}: {text!r} is not an amount such as 150.00")
    return amount


def cmd_keys(args: argparse.Namespace) -> int:
    """Show the issuer's signing keys; create the first or rotate to a new one."""
    from pathwise.core.credentials.keys import KeyStore

    store = KeyStore.from_environment()
    current = store.rotate() if args.rotate else store.current()
    _print_json({
        "folder": str(store.folder),
        "current": {"did": current.did_key, "publicKeyMultibase": current.public_multikey,
                    "created": current.created},
        "keys": [k.public_multikey for k in store.all_keys()],
    })
    return 0


def cmd_webhooks(args: argparse.Namespace) -> int:
    """List, register or disable webhook endpoints, by the actions the staff pages use."""
    with _database():
        from pathwise.auditlog.log import Actor
        from pathwise.notifications import webhooks
        from pathwise.notifications.models import WebhookEndpoint

        def shown(e: WebhookEndpoint) -> dict[str, object]:
            return {"id": e.pk, "url": e.url, "events": e.events, "active": e.active,
                    "disabled_reason": e.disabled_reason or None}

        if args.action == "list":
            _print_json([shown(e) for e in WebhookEndpoint.objects.all()])
            return 0
        actor = Actor(_actor_label(args))
        if args.action == "add":
            made = webhooks.register_endpoint(args.url, args.event or [], actor)
            # The only time the secret is shown: the receiver needs it to check signatures.
            _print_json({**shown(made.endpoint), "secret": made.secret})
            return 0
        endpoint = WebhookEndpoint.objects.filter(pk=args.id).first()
        if endpoint is None:
            raise PathwiseError(f"no webhook endpoint {args.id}")
        _print_json(shown(webhooks.disable(endpoint, args.reason or "disabled from the "
                                           "command line", actor)))
        return 0


def cmd_api_token(args: argparse.Namespace) -> int:
    """Create (printing the token, once), list or revoke API tokens; every change audited."""
    with _database():
        from django.contrib.auth import get_user_model

        from pathwise.api.actions import create_token, revoke_token
        from pathwise.api.models import ApiToken
        from pathwise.auditlog.log import Actor

        actor = Actor(_actor_label(args))
        if args.action == "create":
            user = get_user_model().objects.filter(username=args.username).first()
            if user is None:
                raise PathwiseError(f"no user {args.username!r}")
            _token, plain = create_token(user, args.scope, actor)
            print(plain)
            return 0
        if args.action == "revoke":
            found = ApiToken.objects.filter(prefix=args.prefix.rstrip("….")).first()
            if found is None:
                raise PathwiseError(f"no token starting {args.prefix!r}")
            revoke_token(found, actor)
            print(f"revoked {found.prefix}")
            return 0
        _print_json([{"prefix": t.prefix, "user": t.user.get_username(), "scope": t.scope,
                      "created_at": t.created_at.isoformat(), "created_by": t.created_by,
                      "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                      "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None}
                     for t in ApiToken.objects.select_related("user")])
    return 0


def cmd_at_risk(args: argparse.Namespace) -> int:
    """Everyone at risk or overdue, as /staff/at-risk/ lists them (all pages at once)."""
    with _database():
        from django.utils import timezone

        from pathwise.standing.atrisk import at_risk, entries

        rows = at_risk(intake=args.intake or "", run=args.run or "", kind=args.reason or "")
        today = timezone.localdate()
        found = [e.to_json() for e in entries(rows, today)]
    _print_json({"as_of": today.isoformat(), "intake": args.intake, "run": args.run,
                 "reason": args.reason, "count": len(found), "participants": found})
    return 0


def _add_at_risk_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("at-risk", help="who is at risk or overdue, why, since when, the last "
                                       "contact and the action to take, as JSON")
    p.add_argument("--intake", metavar="INTAKE", help="only those of this intake")
    p.add_argument("--run", metavar="RUN", help="only those holding a seat in this run")
    p.add_argument("--reason", metavar="KIND", help="only this kind of reason (overdue, "
                                                    "ends_late, no_run, held_run, blocked, time)")
    p.set_defaults(func=cmd_at_risk)


def cmd_evaluations(args: argparse.Namespace) -> int:
    """Per course and run: how many were asked and answered, and who would strongly
    recommend it (the staff summary page's figures)."""
    if args.course is not None:
        _identifier("--course", args.course)
    with _database():
        from pathwise.evaluations.read import summary_json

        _print_json(summary_json(args.course))
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _settings(serving=bool(args.args) and args.args[0] in SERVING)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pathwise manage", *args.args])
    return 0


def _add_program_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("programs", help="list the program definitions found; `programs sync` "
                       "loads them into the database")
    p.set_defaults(func=cmd_programs, programs_command=None)
    versions = p.add_subparsers(dest="programs_command", metavar="sync")
    q = versions.add_parser("sync", help="add or update the database's program versions from "
                            "the definition files (a version anyone is on never changes)")
    q.add_argument("--json", action="store_true", help="print what was done as JSON")
    q.add_argument("--actor", help="who is making the change (default cli:<login>)")

    p = sub.add_parser("move-version", help="move a participant to another version of their "
                       "program (prints both audits side by side)")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-001")
    p.add_argument("version", metavar="VERSION", help="the target version, e.g. 2025")
    p.add_argument("--dry-run", action="store_true", help="only show what the move changes")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="audit as of this day (default today)")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_move_version)


def _add_run_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("grade", help="record an assessment's result on a run (the participant "
                                     "is e-mailed)")
    p.add_argument("offering", metavar="OFFERING", help="the run's code, e.g. PBK2609")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-001")
    p.add_argument("assessment", metavar="ASSESSMENT",
                   help="as the program names it, e.g. final-deliverable")
    p.add_argument("result", metavar="RESULT", help="passed or failed")
    p.add_argument("--feedback", metavar="TEXT", help="what the participant reads with it")
    p.add_argument("--actor", help="who is grading (default cli:<login>)")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("attendance", help="a run's attendance registers")
    registers = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = registers.add_parser("record", help="save a meeting's register: those named were "
                                            "present, everyone else enrolled absent")
    q.add_argument("offering", metavar="OFFERING", help="the run's code, e.g. PBK2609")
    q.add_argument("day", metavar="DAY", help="the meeting's day, YYYY-MM-DD, in the run's zone")
    q.add_argument("present", metavar="ID", nargs="*", help="the participant ids present")
    q.add_argument("--presenter", metavar="ID",
                   help="who gave the lightning talk (a skills share)")
    q.add_argument("--actor", help="who took the register (default cli:<login>)")
    q.set_defaults(func=cmd_attendance)
    q = registers.add_parser("import", help="take a meeting's register from a Zoom, Teams or "
                                            "Google Meet attendance export")
    q.add_argument("offering", metavar="OFFERING", help="the run's code, e.g. PBK2609")
    q.add_argument("file", metavar="FILE", help="the export as downloaded (CSV)")
    q.add_argument("--meeting", metavar="DATE",
                   help="the meeting's day, YYYY-MM-DD, in the run's zone (default: the one "
                        "held meeting the export's dates and people fit)")
    q.add_argument("--dry-run", action="store_true",
                   help="show who would be present and absent; save nothing")
    q.add_argument("--actor", help="who took the register (default cli:<login>)")
    q.set_defaults(func=cmd_attendance_import)

    p = sub.add_parser("capstone", help="capstone submissions: the review queue, and reviews")
    capstones = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = capstones.add_parser("list", help="the submissions waiting for review, oldest first "
                                          "(JSON)")
    q.set_defaults(func=cmd_capstone_list)
    q = capstones.add_parser("review", help="pass a submission (it becomes the capstone's "
                                            "record) or ask for changes; the participant is "
                                            "e-mailed")
    q.add_argument("submission", metavar="SUBMISSION", help="its id, from `capstone list`")
    result = q.add_mutually_exclusive_group(required=True)
    result.add_argument("--passed", action="store_true", help="it passes")
    result.add_argument("--needs-changes", action="store_true",
                        help="they may send it again (say what to change with --feedback)")
    q.add_argument("--feedback", metavar="TEXT", help="what the participant reads")
    q.add_argument("--actor", help="who is reviewing (default cli:<login>)")
    q.set_defaults(func=cmd_capstone_review)


def _add_offerings_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("offerings", help="the catalogue's runs as an offerings file")
    files = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = files.add_parser("import", help="publish an offerings file: every row checked first, "
                                        "all or nothing; runs matched by code")
    q.add_argument("file", metavar="FILE", help="the offerings file (JSON), as export writes it")
    q.add_argument("--dry-run", action="store_true",
                   help="show what would be new, changed and left out; write nothing")
    q.add_argument("--actor", help="who is publishing (default cli:<login>)")
    q.set_defaults(func=cmd_offerings_import)
    q = files.add_parser("export", help="write the offerings file of the catalogue's runs "
                                        "(what `pathwise plan --offerings` reads)")
    q.add_argument("--from", dest="from_", metavar="DATE",
                   help="only runs ending on or after this day (YYYY-MM-DD)")
    q.add_argument("--program-version", metavar="PROGRAM/VERSION",
                   help="e.g. cscce-cm/2023 (default: the newest version with runs)")
    q.add_argument("--out", metavar="FILE", help="write it here (default: print it)")
    q.set_defaults(func=cmd_offerings_export)


def _add_webhooks_and_manage(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("webhooks", help="list, add or disable webhook endpoints")
    hooks = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    hooks.add_parser("list", help="the endpoints, as JSON")
    q = hooks.add_parser("add", help="register an endpoint; prints its secret, this once")
    q.add_argument("url", metavar="URL", help="https:// (or http://) address to POST to")
    q.add_argument("--event", action="append", metavar="EVENT", required=True,
                   help="an event to send (repeatable): " + ", ".join(WEBHOOK_EVENTS))
    q.add_argument("--actor", help="who is making the change (default cli:<login>)")
    q = hooks.add_parser("disable", help="stop sending to an endpoint")
    q.add_argument("id", metavar="ID", type=int, help="the endpoint's id (see list)")
    q.add_argument("--reason", help="why (kept with the endpoint and in the audit log)")
    q.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_webhooks)

    p = sub.add_parser("evaluations", help="course evaluations")
    q = p.add_subparsers(dest="what", required=True).add_parser(
        "summary", help="per course and run, the share who would strongly recommend it, as JSON")
    q.add_argument("--course", help="only this course, e.g. PBK")
    q.set_defaults(func=cmd_evaluations)

    p = sub.add_parser("manage", help="run a Django management command")
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)


def _operator_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The commands for keys and tokens: what an operator sets up once."""
    p = sub.add_parser("keys", help="show the signing keys (creating the first); --rotate "
                                    "adds a new current key, old ones keep verifying")
    p.add_argument("--rotate", action="store_true", help="make a new current signing key")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser("api-token", help="create, list or revoke REST API tokens")
    tokens = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    t = tokens.add_parser("create", help="make a token for a user and print it (only now)")
    t.add_argument("username", metavar="USERNAME", help="the user the token acts as")
    t.add_argument("--scope", choices=("read", "write"), default="read",
                   help="read (the default) or write")
    t.add_argument("--actor", help="who is making the change (default cli:<login>)")
    t = tokens.add_parser("list", help="every token: prefix, user, scope, last used")
    t = tokens.add_parser("revoke", help="stop a token working, by its prefix (pw_…)")
    t.add_argument("prefix", metavar="PREFIX", help="the token's visible start, e.g. pw_Ab12Cd34")
    t.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_api_token, actor=None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathwise", description="Run a cohort-based certification program.")
    parser.add_argument("--programs", action="append", metavar="DIR",
                        help="also load program definitions (*.toml) from DIR")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("evaluate", help="audit a records file and print JSON")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="audit as of this day (default today)")
    p.add_argument("--offerings", metavar="FILE",
                   help="the offerings file (JSON): at risk then means no plan finishes in time")
    p.add_argument("--intake", metavar="ID",
                   help="with --offerings: the participant's intake (for orientation)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("plan", help="plan the earliest finish from an offerings file")
    p.add_argument("file", metavar="RECORDS")
    p.add_argument("--offerings", metavar="FILE", required=True,
                   help="the offerings file (JSON) to plan from")
    p.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="plan from this day: only later offerings count (default today)")
    p.add_argument("--intake", metavar="ID",
                   help="the participant's intake (orientation is taken only in one's own)")
    p.set_defaults(func=cmd_plan)

    _add_program_commands(sub)

    p = sub.add_parser("badge", help="print the signed Open Badges 3.0 credential for an "
                       "achievement the records earn")
    p.add_argument("file", metavar="RECORDS")
    p.add_argument("--achievement", metavar="ID", required=True,
                   help="a course code, or the program id for the final badge")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="audit as of this day (default today)")
    p.add_argument("--base-url", metavar="URL",
                   help="where credentials are published (default $PATHWISE_BASE_URL or "
                        f"{DEFAULT_BASE_URL})")
    p.set_defaults(func=cmd_badge)

    p = sub.add_parser("verify", help="check a credential JSON or baked PNG/SVG offline")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--status-list", metavar="FILE",
                   help="the BitstringStatusListCredential to check revocation against")
    p.add_argument("--trust-issuer", metavar="DID", action="append",
                   help="also trust this issuer (repeatable); this deployment's own keys, "
                        "PATHWISE_DID_WEB and PATHWISE_TRUSTED_ISSUERS are always trusted")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("import", help="load records files into the database (all or nothing)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write records files from the database")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--participant", metavar="ID", help="print one participant's file")
    group.add_argument("--out", metavar="DIR", help="write one file per participant into DIR")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("enroll", help="enroll a participant in an offering (or its waitlist)")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-001")
    p.add_argument("offering", metavar="OFFERING", help="offering code, e.g. CODE25W")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the day of enrolling (default today)")
    p.add_argument("--accept-fee", metavar="AMOUNT",
                   help="the seat's fee (an extra mini-workshop), as quoted: enroll at it")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_enroll)

    _add_run_commands(sub)
    _add_at_risk_command(sub)
    _add_offerings_commands(sub)

    add_onboarding_commands(sub)
    _add_participant_commands(sub)

    _operator_parsers(sub)

    _add_webhooks_and_manage(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = int(args.func(args))
        sys.stdout.flush()  # here, so that a closed pipe is noticed in the try
        return status
    except PathwiseError as exc:
        # One line whatever the input held: a value quoted in the message is escaped.
        print(f"pathwise {args.command}: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`pathwise evaluate FILE | head`): stop quietly, as Unix
        # tools do, and keep Python's own flush at exit from failing on the pipe again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
