"""Staff: the API tokens page: create a token for any user (shown once), revoke one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from pathwise.api.actions import create_token, revoke_token
from pathwise.api.models import ApiToken
from pathwise.core.errors import PathwiseError
from pathwise.site.access import staff_actor


class TokenForm(forms.Form):
    username = forms.CharField(label="For the user (their sign-in name)", max_length=150)
    scope = forms.ChoiceField(label="Scope", choices=ApiToken.SCOPE_CHOICES,
                              initial=ApiToken.READ, widget=forms.RadioSelect)

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(f"There is no user {name!r}.")
        return user


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Every token, newest first; a POST creates one and shows it this once."""
    actor = staff_actor(request)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            row, plain = create_token(form.cleaned_data["username"], form.cleaned_data["scope"],
                                      actor)
        except PathwiseError as exc:
            form.add_error("username", str(exc))
        else:
            created = {"token": plain, "row": row}
            form = TokenForm()
    tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")
    response = render(request, "api/staff_tokens.html", {
        "form": form, "created": created, "tokens": tokens,
    }, status=400 if form.errors else 200)
    if created is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Asks first (GET), as every destructive action does; revokes on the POST."""
    actor = staff_actor(request)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id)
    if request.method != "POST":
        return render(request, "api/confirm_revoke.html", {"token": token})
    try:
        revoke_token(token, actor)
        messages.success(request, f"Revoked token {token.prefix}… of {token.user}.")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return redirect("staff-api-tokens")
