"""`pathwise participants add|import-csv` and `pathwise invite`: onboarding from a shell,
through the same actions as the staff pages."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from pathwise.core.errors import PathwiseError

if TYPE_CHECKING:
    from pathwise.participants.models import Participant


def _shown(participant: Participant) -> dict[str, Any]:
    from pathwise.onboarding.actions import username_of

    enrollment = participant.enrollments.select_related("intake").last()
    return {"participant": participant.public_id, "name": participant.name,
            "email": participant.email, "timezone": participant.timezone,
            "intake": enrollment.intake.code if enrollment and enrollment.intake else None,
            "username": username_of(participant), "invited": True}


def cmd_participants_add(args: argparse.Namespace) -> int:
    from pathwise import cli

    with cli._database():
        from pathwise.auditlog.log import Actor
        from pathwise.onboarding.actions import add_participant

        participant = add_participant(
            name=args.name, email=args.email, timezone_name=args.timezone,
            organization=args.organization or "", intake=args.intake,
            actor=Actor(cli._actor_label(args)))
        cli._print_json(_shown(participant))
    return 0


def cmd_participants_import(args: argparse.Namespace) -> int:
    from pathwise import cli

    text = cli._read(args.file)
    with cli._database():
        from pathwise.auditlog.log import Actor
        from pathwise.onboarding.actions import check_csv, import_csv

        if args.dry_run:
            checked = check_csv(text, intake=args.intake)
            if not checked.ok:
                problems = checked.problems()
                raise PathwiseError(f"{args.file}: {len(problems)} problem"
                                    f"{'s' if len(problems) != 1 else ''}, nothing would be "
                                    f"added: " + "; ".join(problems))
            for row in checked.rows:
                assert row.person is not None
                print(f"line {row.line}: would add {row.person.name} <{row.person.email}> to "
                      f"{row.person.intake.code}")
            return 0
        try:
            added = import_csv(text, Actor(cli._actor_label(args)), intake=args.intake)
        except PathwiseError as exc:
            raise PathwiseError(f"{args.file}: {exc}") from exc
        for participant in added:
            print(json.dumps(_shown(participant), ensure_ascii=False))
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    from pathwise import cli

    cli._identifier("PARTICIPANT", args.participant)
    with cli._database():
        from pathwise.auditlog.log import Actor
        from pathwise.onboarding.actions import send_invitation, username_of
        from pathwise.participants.models import Participant

        participant = Participant.objects.filter(public_id=args.participant).first()
        if participant is None:
            raise PathwiseError(f"no participant {args.participant!r}")
        sent = send_invitation(participant, Actor(cli._actor_label(args)))
        cli._print_json({"participant": participant.public_id, "email": participant.email,
                         "username": username_of(participant),
                         "expires_at": sent.expires_at.isoformat()})
    return 0


def cmd_participants_place(args: argparse.Namespace) -> int:
    from pathwise import cli

    cli._identifier("PARTICIPANT", args.participant)
    with cli._database():
        from pathwise.auditlog.log import Actor
        from pathwise.onboarding.actions import place_in_intake
        from pathwise.participants.models import Participant

        participant = Participant.objects.filter(public_id=args.participant).first()
        if participant is None:
            raise PathwiseError(f"no participant {args.participant!r}")
        place_in_intake(participant, args.intake, Actor(cli._actor_label(args)))
        cli._print_json(_shown(participant))
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("participants", help="add people to an intake, one or from a CSV "
                                            "(each is e-mailed an invitation)")
    people = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = people.add_parser("add", help="add one person to an intake and invite them")
    q.add_argument("--name", required=True)
    q.add_argument("--email", required=True)
    q.add_argument("--timezone", required=True, help="IANA zone, e.g. Europe/London")
    q.add_argument("--organization")
    q.add_argument("--intake", required=True, metavar="CODE",
                   help="the intake's code (joined until its orientation starts)")
    q.add_argument("--actor", help="who is making the change (default cli:<login>)")
    q.set_defaults(func=cmd_participants_add)
    q = people.add_parser("import-csv", help="add everyone in a CSV (name, email, organization, "
                                             "timezone[, intake]), or no one")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--intake", metavar="CODE", help="the intake of rows that name none")
    q.add_argument("--dry-run", action="store_true",
                   help="check every row and say what would be added; add nothing")
    q.add_argument("--actor", help="who is making the change (default cli:<login>)")
    q.set_defaults(func=cmd_participants_import)
    q = people.add_parser("place", help="record the intake of someone enrolled without one "
                                        "(until its orientation starts)")
    q.add_argument("participant", metavar="PARTICIPANT")
    q.add_argument("intake", metavar="INTAKE")
    q.add_argument("--actor", help="who is making the change (default cli:<login>)")
    q.set_defaults(func=cmd_participants_place)

    p = sub.add_parser("invite", help="e-mail a participant a new link to set their password "
                                      "(older links stop working)")
    p.add_argument("participant", metavar="PARTICIPANT", help="participant id, e.g. P-037")
    p.add_argument("--actor", help="who is making the change (default cli:<login>)")
    p.set_defaults(func=cmd_invite)
