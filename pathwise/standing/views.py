"""Staff lists of where participants stand, read from the stored standing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pathwise.core.audit import STATUSES
from pathwise.site.access import staff_actor
from pathwise.standing.models import StandingRow

STATUS_LABELS = dict(StandingRow.STATUS_CHOICES)
PAGE_SIZE = 50
MAX_QUERY = 100

#: The orders the list can be sorted in, each with a tie-breaker so pages are stable.
SORTS = {
    "id": ("participant__public_id",),
    "name": ("participant__name", "participant__public_id"),
    "deadline": ("deadline", "participant__public_id"),
    "finish": ("plan_finishes_on", "participant__public_id"),
    "left": ("-left_count", "participant__public_id"),
    "status": ("status", "participant__public_id"),
}
SORT_LABELS = {"id": "Participant id", "name": "Name", "deadline": "Deadline",
               "finish": "Plan finishes", "left": "Most left", "status": "Status"}


def _search(rows: QuerySet[StandingRow], q: str) -> QuerySet[StandingRow]:
    for word in q.split():
        rows = rows.filter(Q(participant__name__icontains=word)
                           | Q(participant__public_id__icontains=word)
                           | Q(participant__email__icontains=word)
                           | Q(participant__organization__icontains=word))
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
    counts = dict(searched.values_list("status").annotate(n=Count("pk")).order_by())
    rows = searched.filter(status=wanted) if wanted else searched
    rows = rows.select_related("participant", "enrollment").order_by(*SORTS[sort])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = {k: v for k, v in (("status", wanted), ("q", q), ("sort", sort)) if v}
    return render(request, "standing/staff_list.html", {
        "page": page, "rows": page.object_list,
        "statuses": [(key, STATUS_LABELS[key], counts.get(key, 0)) for key in STATUSES],
        "wanted": wanted, "q": q, "sort": sort, "sorts": SORT_LABELS.items(),
        "total": sum(counts.values()), "today": timezone.localdate(), "errors": errors,
        "labels": STATUS_LABELS, "keep": keep,
    }, status=400 if errors else 200)
