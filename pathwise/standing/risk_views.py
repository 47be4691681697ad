"""Staff: the at-risk dashboard, who is at risk or overdue and what to do about it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pathwise.catalog.models import Intake, Offering
from pathwise.core.risk import KINDS
from pathwise.enrollment.models import Seat
from pathwise.site.access import staff_actor
from pathwise.standing.atrisk import AT_RISK, at_risk, check_filters, entries

PAGE_SIZE = 25


@login_required
def staff_at_risk(request: HttpRequest) -> HttpResponse:
    """Who is at risk or overdue, longest first: why, since when, the last contact, the
    action to take; by intake, run and kind of reason."""
    staff_actor(request)
    wanted = {key: request.GET.get(key, "").strip()[:100] for key in ("intake", "run", "reason")}
    errors = check_filters(intake=wanted["intake"], run=wanted["run"], kind=wanted["reason"])
    if errors:
        wanted = dict.fromkeys(wanted, "")
    rows = at_risk(intake=wanted["intake"], run=wanted["run"], kind=wanted["reason"])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    runs = (Offering.objects.filter(seats__status=Seat.ENROLLED,
                                    seats__participant__standing__status__in=AT_RISK)
            .distinct().order_by("code").values_list("code", flat=True))
    return render(request, "standing/at_risk.html", {
        "page": page, "entries": entries(page.object_list, today), "wanted": wanted,
        "errors": errors, "today": today,
        "intakes": Intake.objects.order_by("-starts_on").values_list("code", flat=True),
        "runs": runs, "kinds": KINDS.items(),
    }, status=400 if errors else 200)
