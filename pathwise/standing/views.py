"""Where participants stand: a participant's own page, and the staff list of everyone.

Views read (`standing_of`, the stored rows) and call actions; they never write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape
from typing import Any, overload

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pathwise.auditlog.log import Actor
from pathwise.core.audit import STATUSES, record_passes
from pathwise.core.errors import PathwiseError
from pathwise.core.journey import journey
from pathwise.core.offerings import occurrences
from pathwise.core.program import Program, Requirement
from pathwise.core.standing import reason_text
from pathwise.core.when import day_text, end_of_day
from pathwise.credentials.models import Credential
from pathwise.credentials.views import linkedin_for
from pathwise.enrollment.models import Seat
from pathwise.onboarding.models import still_to_welcome
from pathwise.participants import models as m
from pathwise.participants.actions import request_extension
from pathwise.participants.convert import to_core_record
from pathwise.runs.models import Instructor
from pathwise.runs.read import grades_for
from pathwise.site.access import participant_for, staff_actor
from pathwise.standing.forms import ExtensionRequestForm
from pathwise.standing.models import StandingRow
from pathwise.standing.read import ParticipantStanding, standing_of

STATUS_LABELS = dict(StandingRow.STATUS_CHOICES)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        return redirect("staff-participants")
    participant = getattr(request.user, "participant", None)
    if participant is not None:
        if still_to_welcome(participant):
            return redirect("welcome")  # first sign-in, left before confirming zone and times
        return redirect("progress", public_id=participant.public_id)
    if (request.user.is_authenticated
            and Instructor.objects.filter(user_id=request.user.pk).exists()):
        return redirect("runs")  # an instructor's work is the runs they teach
    raise PermissionDenied("This account is not linked to a participant.")


def _covers(program: Program, req: Requirement, component: str) -> bool:
    if req.rule == "distinct":
        return program.components[component].kind == req.kind
    return component in req.components


@dataclass(frozen=True)
class SeatView:
    """A seat or waitlist place as the progress page shows it."""

    seat: Seat
    name: str
    first: dt.datetime | None  # its next meeting
    position: int | None  # place in line, for a waitlist place


def _first_meeting(seat: Seat) -> dt.datetime | None:
    now = timezone.now()
    return next((start for start, _ in occurrences(seat.offering.to_core()) if start > now),
                None)


def _place_in_line(seat: Seat) -> int | None:
    if seat.status != Seat.WAITLISTED:
        return None
    return Seat.objects.filter(offering_id=seat.offering_id, status=Seat.WAITLISTED,
                               queue_number__lte=seat.queue_number).count()


@dataclass(frozen=True)
class RecordView:
    """A completion record as the progress page shows it: names, not codes, and the result."""

    record: m.CompletionRecord
    name: str
    outcome: str


def _record_views(program: Program, records: Iterable[m.CompletionRecord]) -> list[RecordView]:
    out = []
    for r in records:
        component = program.components[r.component]
        if r.outcome:
            outcome = r.outcome
        else:  # the course's graduation rule decides from attendance and assessments
            outcome = "passed" if record_passes(to_core_record(r), component) else "not passed"
        out.append(RecordView(r, component.name, outcome))
    return out


def progress_context(found: ParticipantStanding, *, own: bool,
                     form: ExtensionRequestForm | None = None) -> dict[str, Any]:
    """Everything the progress page shows, from one standing."""
    s, program, enrollment = found.standing, found.program, found.enrollment
    audit = s.audit
    results = {r.id: r for r in audit.requirements}
    seats = [SeatView(seat, program.components[seat.offering.component].name,
                      _first_meeting(seat), _place_in_line(seat)) for seat in found.seats]
    covering = {req.id: [e for e in seats if e.seat.status == Seat.ENROLLED
                         and _covers(program, req, e.seat.offering.component)]
                for req in program.requirements if not results[req.id].met}
    requirements = [{"result": results[req.id], "held": covering.get(req.id, [])}
                    for req in program.requirements]
    open_request = enrollment.extension_requests.filter(status=m.ExtensionRequest.OPEN).first()
    badges = _badges(found)
    return {
        "participant": found.participant, "enrollment": enrollment, "program": program,
        "standing": s, "audit": audit, "status": s.status,
        "status_label": STATUS_LABELS[s.status], "next": found.next,
        "journey": journey(program, s, next_offering=found.next.offering),
        "requirements": requirements, "seats": seats,
        "reasons": [reason_text(program, r) for r in s.reasons],
        "badges": badges, "final": next((b for b in badges if b["final"]), None),
        "zone": found.participant.timezone, "today": found.today,
        "deadline_at": end_of_day(audit.deadline, found.participant.timezone),
        "days_left": (audit.deadline - found.today).days, "own": own,
        "open_request": open_request,
        "decided_request": enrollment.extension_requests.exclude(
            status=m.ExtensionRequest.OPEN).order_by(F("decided_at").desc(nulls_last=True),
                                                      "-pk").first(),
        "form": form or (ExtensionRequestForm() if own and open_request is None else None),
        "employment": list(found.participant.employment.all()),
        "records": _record_views(program, enrollment.records.all()),
        "grades": grades_for(found.participant),
    }


def _badges(found: ParticipantStanding) -> list[dict[str, Any]]:
    """Each badge earned, with its signed credential (once the worker has issued it)."""
    program = found.program
    issued = {c.achievement: c for c in Credential.objects.filter(participant=found.participant)}
    out = []
    for badge in found.standing.audit.badges:
        credential = issued.get(badge.achievement)
        name = (program.final_badge.name if badge.achievement == program.id
                else program.components[badge.achievement].name)
        entry: dict[str, Any] = {
            "badge": badge, "name": name, "credential": credential,
            "final": badge.achievement == program.id,
            "image": reverse("achievement-image", args=[program.id, badge.achievement])}
        if credential is not None and not credential.revoked:
            entry.update(linkedin_for(credential, name, program.issuer))
        out.append(entry)
    return out


def _found(request: HttpRequest, public_id: str) -> tuple[ParticipantStanding, bool]:
    participant = participant_for(request, public_id)
    found = standing_of(participant)
    if found is None:
        raise Http404
    return found, getattr(request.user, "participant", None) == participant


@login_required
def progress(request: HttpRequest, public_id: str) -> HttpResponse:
    found, own = _found(request, public_id)
    return render(request, "standing/progress.html", progress_context(found, own=own))


@login_required
@require_POST
def extension_request(request: HttpRequest, public_id: str) -> HttpResponse:
    """A participant asks staff for more time (recorded; staff decide)."""
    found, own = _found(request, public_id)
    if not own:
        raise Http404
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            request_extension(found.enrollment, form.cleaned_data["reason"],
                              Actor(request.user.get_username(), found.participant.user),
                              wanted_until=form.cleaned_data["wanted_until"])
        except PathwiseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your request for more time is with staff; they will "
                                      "write to you.")
            return redirect("progress", public_id=public_id)
    return render(request, "standing/progress.html", progress_context(found, own=own, form=form),
                  status=400)
PAGE_SIZE = 25
MAX_QUERY = 100

#: The orders the list can be sorted in, each with a tie-breaker so pages are stable.
SORTS = {
    "id": ("public_id",),
    "name": ("name", "public_id"),
    "deadline": ("deadline", "public_id"),
    "finish": ("plan_finishes_on", "public_id"),
    "left": ("-left_count", "public_id"),
    "status": ("status", "public_id"),
}
SORT_LABELS = {"id": "Participant id", "name": "Name", "deadline": "Deadline",
               "finish": "Plan finishes", "left": "Most left", "status": "Status"}


type ListRow = dict[str, Any]
LIST_FIELDS = ("public_id", "name", "organization", "timezone",
               "status", "status_since", "deadline", "certified_on", "left", "plan_feasible",
               "plan_finishes_on", "reason", "extended")


class Counted:
    """The list's rows with their number already known, for the paginator."""

    def __init__(self, rows: QuerySet[StandingRow, ListRow], count: int) -> None:
        self.rows, self._count = rows, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[ListRow]:
        return iter(self.rows)

    @overload
    def __getitem__(self, index: int) -> ListRow: ...
    @overload
    def __getitem__(self, index: slice) -> QuerySet[StandingRow, ListRow]: ...
    def __getitem__(self, index: int | slice) -> ListRow | QuerySet[StandingRow, ListRow]:
        return self.rows[index]


# The list is the page staff open most: its rows are written here, every value
# escaped, rather than looked up one by one in the template, which costs
# several times the rest of the page.
def _plan_cell(row: ListRow) -> str:
    if row["status"] == "certified":
        return f"Certified {day_text(row['certified_on'])}" if row["certified_on"] else ""
    if row["status"] == "withdrawn":
        return "Withdrawn"
    if row["status"] == "overdue":
        return "The deadline has passed"
    if row["plan_feasible"]:
        return f"Finishes {day_text(row['plan_finishes_on'])}" if row["plan_finishes_on"] else ""
    if row["plan_feasible"] is False:
        return ('<span class="refusal">No plan finishes in time</span><br>'
                f"<small>{escape(row['reason'])}</small>")
    return "\N{EM DASH}"


def _list_row(row: ListRow, url: tuple[str, str]) -> str:
    public_id, status, org = row["public_id"], row["status"], row["organization"]
    detail = escape(public_id + (f" · {org}" if org else ""))
    since = "" if status == "certified" else f"since {day_text(row['status_since'])}"
    extended = " <small>(extended)</small>" if row["extended"] else ""
    left = escape(", ".join(row["left"]) or "Nothing")
    return (f'<tr data-participant="{escape(public_id)}" data-status="{status}">'
            f'<td><a href="{url[0]}{public_id}{url[1]}">'
            f"{escape(row['name'])}</a><br><small>{detail}</small></td>"
            f'<td data-label="Status"><span class="status status-{status}">'
            f"{STATUS_LABELS[status]}</span><br><small>{since}</small></td>"
            f'<td data-label="Deadline">{day_text(row["deadline"])}{extended}<br>'
            f"<small>end of the day in {escape(row['timezone'])}</small></td>"
            f'<td data-label="What is left">{left}</td>'
            f'<td data-label="Plan">{_plan_cell(row)}</td></tr>')


_ID = "P-0"  # stands for each participant's id in the progress address (ids need no quoting)


def _list_rows(rows: Iterable[ListRow]) -> str:
    head, _, tail = reverse("progress", args=[_ID]).partition(_ID)
    return mark_safe("\n".join(_list_row(row, (head, tail)) for row in rows))  # noqa: S308 (each value escaped above)


def _search(rows: QuerySet[StandingRow], q: str) -> QuerySet[StandingRow]:
    for word in q.split():
        rows = rows.filter(Q(name__icontains=word) | Q(public_id__icontains=word)
                           | Q(organization__icontains=word)
                           | Q(participant__email__icontains=word))
    return rows


@login_required
def staff_participants(request: HttpRequest) -> HttpResponse:
    """Everyone's standing: filter by status, search, sort, a page at a time."""
    staff_actor(request)
    errors = []
    wanted = request.GET.get("status", "")
    if wanted and wanted not in STATUSES:
        errors.append(f"Unknown status {wanted!r}; choose one of the listed statuses.")
        wanted = ""
    sort = request.GET.get("sort", "id")
    if sort not in SORTS:
        errors.append(f"Unknown order {sort!r}; choose one of the listed orders.")
        sort = "id"
    q = request.GET.get("q", "").strip()
    if len(q) > MAX_QUERY:
        errors.append(f"The search is {len(q)} characters long; at most {MAX_QUERY}.")
        q = ""
    searched = _search(StandingRow.objects.all(), q)
    # Counting `status` (not the key) lets the database count from the status index alone.
    counts = dict(searched.values_list("status").annotate(n=Count("status")).order_by())
    rows = searched.filter(status=wanted) if wanted else searched
    rows = rows.order_by(*SORTS[sort]).values(*LIST_FIELDS)
    # The counts per status are known already: the pages need not count again.
    total = counts.get(wanted, 0) if wanted else sum(counts.values())
    paginator: Paginator[ListRow] = Paginator(Counted(rows, total), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "standing/staff_list.html", {
        "page": page, "rows": _list_rows(page.object_list),
        "statuses": [(key, STATUS_LABELS[key], counts.get(key, 0)) for key in STATUSES],
        "wanted": wanted, "q": q, "sort": sort, "sorts": SORT_LABELS.items(),
        "total": sum(counts.values()), "today": timezone.localdate(), "errors": errors,
    }, status=400 if errors else 200)
