"""Staff set the learning platform's link per program version and per run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import is_identifier
from pathwise.core.lms import URL_MAX
from pathwise.lms.actions import set_lms_link
from pathwise.lms.models import LmsLink
from pathwise.site.access import staff_actor

#: Runs that ended longer ago than this are left off the page (unless they have a link).
SHOWN_AFTER_END = dt.timedelta(days=90)


def _context(error: str | None = None, target: str = "", url: str = "") -> dict[str, Any]:
    since = timezone.localdate() - SHOWN_AFTER_END
    links = {(link.program_version_id, link.offering_id): link.url
             for link in LmsLink.objects.all()}
    versions = [{"key": f"version:{v.pk}", "label": f"{v.program_id} {v.version}", "row": v,
                 "current": links.get((v.pk, None), "")}
                for v in ProgramVersion.objects.order_by("program_id", "version")]
    runs = [{"key": f"run:{r.code}", "label": r.code, "row": r,
             "current": links.get((None, r.pk), "")}
            for r in Offering.objects.filter(Q(ends_on__gte=since) | Q(lms_link__isnull=False))
            .order_by("starts_on", "code")]
    return {"versions": versions, "runs": runs, "error": error, "target": target, "url": url,
            "url_max": URL_MAX}


@login_required
def staff_lms(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    if request.method != "POST":
        return render(request, "lms/staff_lms.html", _context())
    target = request.POST.get("target", "")
    url = request.POST.get("url", "")
    kind, _, key = target.partition(":")
    try:
        if kind == "version" and key.isdigit():
            version = ProgramVersion.objects.filter(pk=int(key)).first()
            if version is None:
                raise PathwiseError("no such program version")
            set_lms_link(actor, url, version=version)
        elif kind == "run" and is_identifier(key):
            offering = Offering.objects.filter(code=key).first()
            if offering is None:
                raise PathwiseError(f"no run {key!r}")
            set_lms_link(actor, url, offering=offering)
        else:
            raise PathwiseError("say which program version or which run the link is for")
    except PathwiseError as exc:
        return render(request, "lms/staff_lms.html", _context(str(exc), target, url[:URL_MAX]),
                      status=400)
    messages.success(request, "Link saved." if url.strip() else "Link removed.")
    return redirect("staff-lms")
