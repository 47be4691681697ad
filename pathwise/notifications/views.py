"""Staff: background work that keeps failing, webhook endpoints with their deliveries, and
the outbox of messages to participants."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import is_identifier
from pathwise.core.webhooks import GIVE_UP_AFTER
from pathwise.notifications import outbox, webhooks
from pathwise.notifications.actions import record_contact
from pathwise.notifications.background import failing
from pathwise.notifications.forms import ContactForm, EndpointForm
from pathwise.notifications.mail import KINDS
from pathwise.notifications.models import (
    OutboxMessage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from pathwise.notifications.outbox import STATES
from pathwise.site.access import participant_for, staff_actor

DELIVERIES_PAGE = 25
WINDOW_HOURS = round(GIVE_UP_AFTER.total_seconds() / 3600)


@login_required
def staff_tasks(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    return render(request, "notifications/staff_tasks.html",
                  {"failing": failing(), "attempts": settings.TASK_ATTEMPTS})


@login_required
def staff_webhooks(request: HttpRequest) -> HttpResponse:
    """The endpoints, and registering one; its secret is shown on the answer, this once."""
    actor = staff_actor(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = webhooks.register_endpoint(form.cleaned_data["url"],
                                              form.cleaned_data["events"], actor)
        except PathwiseError as exc:
            form.add_error(None, str(exc))
        else:
            return _secret_page(request, made, created=True)
    endpoints = WebhookEndpoint.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.DELIVERED)),
        failing=Count("deliveries", filter=Q(deliveries__status__in=(
            WebhookDelivery.FAILED, WebhookDelivery.GAVE_UP))))
    return render(request, "notifications/webhooks.html",
                  {"form": form, "endpoints": endpoints, "window_hours": WINDOW_HOURS},
                  status=400 if form.is_bound else 200)


def _secret_page(request: HttpRequest, made: webhooks.Registered, *,
                 created: bool) -> HttpResponse:
    response = render(request, "notifications/webhook_secret.html",
                      {"endpoint": made.endpoint, "secret": made.secret, "created": created},
                      status=201 if created else 200)
    response["Cache-Control"] = "no-store"  # the secret is on it
    return response


@login_required
def staff_webhook(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """One endpoint: its deliveries, newest first, each with every attempt made."""
    staff_actor(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    deliveries = endpoint.deliveries.prefetch_related(
        Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("at", "id")))
    page = Paginator(deliveries, DELIVERIES_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/webhook.html", {
        "endpoint": endpoint, "page": page, "deliveries": page.object_list,
        "window_hours": WINDOW_HOURS})


@login_required
@require_POST
def staff_webhook_action(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    actor = staff_actor(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    action = request.POST.get("action")
    try:
        if action == "rotate":
            return _secret_page(request, webhooks.rotate_secret(endpoint, actor), created=False)
        if action == "disable":
            webhooks.disable(endpoint, request.POST.get("reason", "")[:200], actor)
            messages.success(request, "Disabled: nothing more is sent to it.")
        elif action == "enable":
            webhooks.enable(endpoint, actor)
            messages.success(request, "Enabled: events from now on are sent to it.")
        elif action == "ping":
            webhooks.ping(endpoint, actor)
            messages.success(request, "A ping is on its way; reload to see how it went.")
        else:
            messages.error(request, "Choose what to do with the endpoint.")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return redirect("staff-webhook", endpoint_id=endpoint.pk)


@login_required
def staff_webhook_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """What deleting removes, asked first; the POST deletes."""
    actor = staff_actor(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    if request.method == "POST":
        webhooks.delete_endpoint(endpoint, actor)
        messages.success(request, f"Deleted the endpoint {endpoint.url}.")
        return redirect("staff-webhooks")
    return render(request, "notifications/webhook_delete.html",
                  {"endpoint": endpoint, "deliveries": endpoint.deliveries.count()})


@login_required
@require_POST
def staff_webhook_redeliver(request: HttpRequest, endpoint_id: int,
                            delivery_id: str) -> HttpResponse:
    actor = staff_actor(request)
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"),
                                 pk=delivery_id, endpoint_id=endpoint_id)
    try:
        webhooks.redeliver(delivery, actor)
        messages.success(request, f"{delivery.event} is being sent again.")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return redirect("staff-webhook", endpoint_id=endpoint_id)


MESSAGES_PAGE = 25
MAX_QUERY = 100


@login_required
def staff_messages(request: HttpRequest) -> HttpResponse:
    """The outbox: what each participant was told and when, and whether it reached them."""
    staff_actor(request)
    errors = []
    q = request.GET.get("q", "").strip()
    if len(q) > MAX_QUERY:
        errors.append(f"The search is {len(q)} characters long; at most {MAX_QUERY}.")
        q = ""
    kind = request.GET.get("kind", "")
    if kind and kind not in KINDS:
        errors.append(f"Unknown kind {kind[:40]!r}; choose one of the listed kinds.")
        kind = ""
    state = request.GET.get("state", "")
    if state and state not in STATES:
        errors.append(f"Unknown state {state[:40]!r}; choose one of the listed states.")
        state = ""
    rows = outbox.search(OutboxMessage.objects.select_related("participant"), q)
    # One participant's messages, from their page (an id, matched exactly, not searched).
    who = request.GET.get("participant", "")
    if who and not is_identifier(who):
        errors.append(f"{who[:40]!r} is not a participant id.")
        who = ""
    if who:
        rows = rows.filter(participant__public_id=who)
    if kind:
        rows = rows.filter(kind=kind)
    if state:
        rows = outbox.in_state(rows, state)
    page = Paginator(rows.order_by("-created_at", "-id"), MESSAGES_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/messages.html", {
        "page": page, "q": q, "kind": kind, "state": state, "kinds": KINDS.items(),
        "participant": who,
        "states": STATES.items(), "errors": errors, "attempts": settings.TASK_ATTEMPTS,
    }, status=400 if errors else 200)


@login_required
def staff_contact(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a contact made with a participant by hand (a call, a meeting, a message)."""
    actor = staff_actor(request)
    participant = participant_for(request, public_id)
    form = ContactForm(request.POST or None, initial={"contacted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record_contact(participant, form.cleaned_data["channel"],
                           form.cleaned_data["contacted_on"], form.cleaned_data["note"], actor)
        except PathwiseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The contact with {participant.name} is recorded.")
            return redirect(reverse("progress", args=[participant.public_id]) + "#messages")
    return render(request, "notifications/contact.html",
                  {"participant": participant, "form": form},
                  status=400 if form.is_bound else 200)
