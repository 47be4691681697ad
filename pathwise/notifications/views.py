"""Staff: background work that keeps failing, and webhook endpoints with their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pathwise.core.errors import PathwiseError
from pathwise.core.webhooks import GIVE_UP_AFTER
from pathwise.notifications import webhooks
from pathwise.notifications.background import failing
from pathwise.notifications.forms import EndpointForm
from pathwise.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from pathwise.site.access import staff_actor

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
