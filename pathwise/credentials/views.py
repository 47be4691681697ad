"""Public verification, badge images and certificates; staff revocation and re-issuing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathwise.core.credentials.bake import bake_png, bake_svg, extract
from pathwise.core.credentials.certificate import certificate_pdf
from pathwise.core.credentials.images import badge_png, badge_svg
from pathwise.core.credentials.linkedin import add_to_profile_url, cv_instructions
from pathwise.core.credentials.openbadges import achievement_info
from pathwise.core.credentials.verify import Verification, verify_credential
from pathwise.core.errors import PathwiseError
from pathwise.credentials.actions import (
    issuer_settings,
    key_store,
    reissue,
    revoke,
    status_list_for,
)
from pathwise.credentials.models import Credential
from pathwise.participants.progress import current_enrollment
from pathwise.site.access import staff_actor
from pathwise.site.downloads import download

MAX_UPLOAD = 2 * 1024 * 1024


@dataclass(frozen=True)
class Checked:
    state: str  # "valid", "revoked" or "invalid"
    result: Verification


def check(document: object) -> Checked:
    """Verify offline, with our own status list when the credential points at one of ours."""
    now = timezone.now()
    status_list = None
    entry = document.get("credentialStatus") if isinstance(document, dict) else None
    url = entry.get("statusListCredential") if isinstance(entry, dict) else None
    prefix = f"{issuer_settings().base_url}/credentials/status/"
    if isinstance(url, str) and url.startswith(prefix):
        status_list = status_list_for(url[len(prefix):], now)
    result = verify_credential(document, now=now, status_list=status_list,
                               resolve=issuer_settings().resolver(key_store()))
    state = "revoked" if result.revoked else ("valid" if result.verified else "invalid")
    return Checked(state, result)


def _artwork(credential: Credential) -> str:
    enrollment = current_enrollment(credential.participant)
    if enrollment is None:
        raise Http404("This credential's holder is no longer enrolled.")
    program = enrollment.program_version.program
    info = achievement_info(program, credential.achievement)
    return badge_svg(achievement_id=f"{program.id}/{info.code}", code=info.code, name=info.name,
                     issuer_name=program.issuer)


def credential_page(request: HttpRequest, credential_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.select_related("participant"),
                                   pk=credential_id)
    document = json.loads(credential.document)
    checked = check(document)
    achievement = document.get("credentialSubject", {}).get("achievement", {})
    issuer = document.get("issuer", {})
    return render(request, "credentials/credential.html", {
        "credential": credential, "checked": checked, "achievement": achievement,
        "issuer": issuer, "document": document,
        "holder": credential.participant.name,
    })


def credential_json(request: HttpRequest, credential_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential, pk=credential_id)
    return download(credential.document, content_type="application/ld+json",
                    filename=f"{credential.achievement}.json")


def credential_image(request: HttpRequest, credential_id: str, kind: str) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.select_related("participant"),
                                   pk=credential_id)
    svg = _artwork(credential)
    name = f"{credential.achievement}-{credential.participant.public_id}"
    if kind == "png":
        return download(bake_png(badge_png(svg), credential.document),
                        content_type="image/png", filename=f"{name}.png")
    return download(bake_svg(svg, credential.document), content_type="image/svg+xml",
                    filename=f"{name}.svg")


def certificate(request: HttpRequest, credential_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.select_related("participant"),
                                   pk=credential_id)
    enrollment = current_enrollment(credential.participant)
    if enrollment is None or credential.achievement != enrollment.program_version.program_id:
        raise Http404("Only the final credential comes with a certificate.")
    program = enrollment.program_version.program
    pdf = certificate_pdf(title=program.final_badge.certificate_title,
                          holder_name=credential.participant.name,
                          certified_on=credential.earned_on, issuer_name=program.issuer,
                          verify_url=issuer_settings().credential_url(str(credential.id)),
                          credential_id=str(credential.id))
    return download(pdf, content_type="application/pdf", filename="certificate.pdf", inline=True)


def status_list(request: HttpRequest, multikey: str) -> HttpResponse:
    document = status_list_for(multikey, timezone.now())
    if document is None:
        raise Http404("No status list for this key.")
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


def verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone pastes a credential or uploads a JSON file or a baked PNG/SVG."""
    context: dict[str, Any] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = request.POST.get("credential", "").strip()
        try:
            if upload is not None:
                if upload.size is not None and upload.size > MAX_UPLOAD:
                    raise PathwiseError("the file is larger than 2 MB")
                data = upload.read()
                text = data.decode("utf-8") if data.lstrip()[:1] == b"{" else extract(data)
            if not text:
                raise PathwiseError("paste a credential or choose a file")
            try:
                document = json.loads(text)
            except json.JSONDecodeError as exc:
                raise PathwiseError(f"not JSON: {exc.msg} at line {exc.lineno}") from exc
            context["checked"] = check(document)
            context["document"] = document if isinstance(document, dict) else {}
        except (PathwiseError, UnicodeDecodeError) as exc:
            context["error"] = str(exc)
    status = 400 if "error" in context else 200
    return render(request, "credentials/verify.html", context, status=status)


# -- staff ---------------------------------------------------------------------------



@login_required
def staff_credentials(request: HttpRequest) -> HttpResponse:
    staff_actor(request)
    credentials = Credential.objects.select_related("participant").order_by("-issued_at")
    return render(request, "credentials/staff_list.html", {"credentials": credentials})


@login_required
@require_POST
def staff_action(request: HttpRequest, credential_id: str) -> HttpResponse:
    actor = staff_actor(request)
    credential = get_object_or_404(Credential, pk=credential_id)
    try:
        if request.POST.get("action") == "revoke":
            revoke(credential, request.POST.get("reason", ""), actor, timezone.now())
            messages.success(request, f"Revoked {credential.achievement} of "
                                      f"{credential.participant.name}.")
        else:
            reissue(credential, actor, timezone.now())
            messages.success(request, f"Re-issued {credential.achievement}.")
    except PathwiseError as exc:
        messages.error(request, str(exc))
    return redirect("staff-credentials")


def linkedin_for(credential: Credential, program_name: str, issuer: str) -> dict[str, str]:
    """The add-to-profile link and CV steps for one credential."""
    url = issuer_settings().credential_url(str(credential.id))
    name = json.loads(credential.document).get("name", program_name)
    return {
        "linkedin": add_to_profile_url(name=name, organization_name=issuer,
                                       issued_on=credential.earned_on, cert_url=url,
                                       cert_id=str(credential.id)),
        "instructions": cv_instructions(name=name, organization_name=issuer,
                                        issued_on=credential.earned_on, cert_url=url,
                                        cert_id=str(credential.id)),
    }
