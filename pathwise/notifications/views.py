"""Staff: background work that keeps failing."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pathwise.notifications.background import failing
from pathwise.site.access import staff_actor


@login_required
def staff_tasks(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    return render(request, "notifications/staff_tasks.html",
                  {"failing": failing(), "attempts": settings.TASK_ATTEMPTS})
