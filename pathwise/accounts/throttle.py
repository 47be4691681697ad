"""Sign-in throttling with django-axes: who the client is, and what a locked-out client sees.

Axes counts failed sign-ins per account and per client address (settings.AXES_*) in the
database, so every app process behind a load balancer sees the same counts.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from.

    Behind our reverse proxy (PATHWISE_BEHIND_PROXY) every request arrives from the proxy,
    which appends the real client to X-Forwarded-For; earlier entries are whatever the
    client sent, so only the last one is trusted.
    """
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        if forwarded:
            return forwarded
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def locked_out(request: HttpRequest, original_response: HttpResponse | None,
               credentials: dict[str, Any] | None) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    return render(request, "registration/locked_out.html", {"minutes": minutes},
                  status=429)
