"""Public verification, badge images and certificates; staff revocation and re-issuing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import conditional_page, require_POST

from pathwise.catalog.actions import library
from pathwise.core.credentials.bake import bake_png, bake_svg, extract
from pathwise.core.credentials.certificate import certificate_pdf
from pathwise.core.credentials.images import badge_png, badge_svg
from pathwise.core.credentials.linkedin import add_to_profile_url, cv_instructions
from pathwise.core.credentials.openbadges import (
    AchievementError,
    AchievementInfo,
    achievement_info,
    achievement_name,
    earned_day,
    holder_name,
)
from pathwise.core.credentials.verify import (
    Verification,
    issuer_id,
    load_credential_json,
    verify_credential,
)
from pathwise.core.errors import PathwiseError
from pathwise.core.program import Program
from pathwise.credentials.actions import (
    issuer_settings,
    key_store,
    reissue,
    revoke,
    status_list_for,
    trusted,
)
from pathwise.credentials.models import Credential, SignedCopy
from pathwise.participants.progress import current_enrollment
from pathwise.site.access import staff_actor
from pathwise.site.downloads import download

MAX_UPLOAD = 2 * 1024 * 1024


@dataclass(frozen=True)
class Checked:
    state: str  # "valid", "revoked", "untrusted" (signed well, by a stranger) or "invalid"
    result: Verification
    # What the credential states, shown only once its signature and issuer are known good.
    achievement: str | None = None
    holder: str | None = None
    earned_on: dt.date | None = None


def check(document: object) -> Checked:
    """Verify offline against the issuers this deployment trusts, with our own status
    list when the credential points at one of ours."""
    now = timezone.now()
    status_list = None
    entry = document.get("credentialStatus") if isinstance(document, dict) else None
    url = entry.get("statusListCredential") if isinstance(entry, dict) else None
    prefix = f"{issuer_settings().base_url}/credentials/status/"
    if isinstance(url, str) and url.startswith(prefix):
        status_list = status_list_for(url[len(prefix):], now)
    result = verify_credential(document, trusted=trusted(), now=now, status_list=status_list,
                               resolve=issuer_settings().resolver(key_store()))
    if result.revoked:
        state = "revoked"
    elif result.verified:
        state = "valid"
    else:
        state = "untrusted" if result.untrusted_issuer else "invalid"
    if state in ("valid", "revoked") and isinstance(document, dict):
        return Checked(state, result, achievement_name(document), holder_name(document),
                       earned_day(document))
    return Checked(state, result)


def _program_of(credential: Credential) -> Program | None:
    enrollment = current_enrollment(credential.participant)
    return enrollment.program_version.program if enrollment is not None else None


def _artwork(program: Program, info: AchievementInfo) -> str:
    return badge_svg(achievement_id=f"{program.id}/{info.code}", code=info.code, name=info.name,
                     issuer_name=program.issuer)


def _credential_artwork(credential: Credential) -> str:
    program = _program_of(credential)
    if program is None:
        raise Http404("This credential's holder is no longer enrolled.")
    return _artwork(program, achievement_info(program, credential.achievement))


def _stored(document: object) -> Credential | None:
    """Our own credential when `document` is one of its signed copies, as signed."""
    doc_id = document.get("id") if isinstance(document, dict) else None
    prefix = issuer_settings().credential_url("")
    if not isinstance(doc_id, str) or not doc_id.startswith(prefix):
        return None
    try:
        pk = uuid.UUID(doc_id.removeprefix(prefix))
    except ValueError:
        return None
    credential = Credential.objects.select_related("participant").filter(pk=pk).first()
    if credential is None:
        return None
    copies = credential.copies.exclude(document="").values_list("document", flat=True)
    return credential if any(json.loads(c) == document for c in copies) else None


def _issuer_name(credential: Credential | None, checked: Checked) -> str | None:
    """The issuer's name from our own program data, never from the credential: only for
    a copy we signed, verified."""
    if credential is None or checked.state not in ("valid", "revoked"):
        return None
    program = _program_of(credential)
    return program.issuer if program is not None else None


@dataclass(frozen=True)
class CopyState:
    copy: SignedCopy
    checked: Checked | None  # None: its document was not kept (re-issued before copies were)


def credential_page(request: HttpRequest, credential_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.select_related("participant"),
                                   pk=credential_id)
    copies = [CopyState(c, check(json.loads(c.document)) if c.document else None)
              for c in credential.copies.all()]
    latest = next(c for c in reversed(copies) if c.checked is not None)
    assert latest.checked is not None
    document = json.loads(latest.copy.document)
    return render(request, "credentials/credential.html", {
        "credential": credential, "checked": latest.checked, "copies": copies,
        "achievement": document.get("credentialSubject", {}).get("achievement", {}),
        "issuer_id": issuer_id(document),
        "issuer_name": _issuer_name(credential, latest.checked),
        "document": document, "holder": credential.participant.name,
        "final": credential.achievement == getattr(_program_of(credential), "id", None),
    })


def credential_json(request: HttpRequest, credential_id: str) -> HttpResponse:
    credential = get_object_or_404(Credential, pk=credential_id)
    return download(credential.document, content_type="application/ld+json",
                    filename=f"{credential.achievement}.json")


def _revoked(request: HttpRequest, credential: Credential, what: str) -> HttpResponse:
    """Badge images and certificates are not handed out once the credential is revoked."""
    return render(request, "credentials/revoked.html",
                  {"credential": credential, "what": what}, status=410)


def credential_image(request: HttpRequest, credential_id: str, kind: str) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.select_related("participant"),
                                   pk=credential_id)
    if credential.revoked:
        return _revoked(request, credential, "badge image")
    svg = _credential_artwork(credential)
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
    if credential.revoked:
        return _revoked(request, credential, "certificate")
    program = enrollment.program_version.program
    pdf = certificate_pdf(title=program.final_badge.certificate_title,
                          holder_name=credential.participant.name,
                          certified_on=credential.earned_on, issuer_name=program.issuer,
                          verify_url=issuer_settings().credential_url(str(credential.id)),
                          credential_id=str(credential.id))
    return download(pdf, content_type="application/pdf", filename="certificate.pdf", inline=True)


def _achievement(program_id: str, code: str) -> tuple[Program, AchievementInfo]:
    """The achievement a credential's `achievement.id` names, from the newest version of
    its program that has it (the id names the program, not the version)."""
    programs = library()
    for version in reversed(programs.versions(program_id)):
        program = programs.get(program_id, version)
        if program is None:
            continue
        try:
            return program, achievement_info(program, code)
        except AchievementError:
            continue
    raise Http404("No such achievement.")


def achievement_page(request: HttpRequest, program_id: str, code: str) -> HttpResponse:
    """The public description of an achievement: where a badge's achievement id leads."""
    program, info = _achievement(program_id, code)
    return render(request, "credentials/achievement.html", {"program": program, "info": info})


def achievement_image(request: HttpRequest, program_id: str, code: str) -> HttpResponse:
    """The achievement's badge artwork (no credential baked in): the badge's `image`."""
    program, info = _achievement(program_id, code)
    response = HttpResponse(badge_png(_artwork(program, info)), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@conditional_page
def status_list(request: HttpRequest, multikey: str) -> HttpResponse:
    """Verifiers poll it: the same signed list until a revocation changes it, with a strong
    ETag of its content and its signing time as Last-Modified, so a poll may get 304."""
    document = status_list_for(multikey, timezone.now())
    if document is None:
        raise Http404("No status list for this key.")
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response.headers["Last-Modified"] = http_date(
        dt.datetime.fromisoformat(document["validFrom"]).timestamp())
    return response


def verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone pastes a credential or uploads a JSON file or a baked PNG/SVG."""
    context: dict[str, Any] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        text: str | bytes = request.POST.get("credential", "").strip()
        try:
            if upload is not None:
                if upload.size is not None and upload.size > MAX_UPLOAD:
                    raise PathwiseError("the file is larger than 2 MB")
                data = upload.read()
                text = data if data.lstrip()[:1] == b"{" else extract(data)
            if not text:
                raise PathwiseError("paste a credential or choose a file")
            document = load_credential_json(text)
        except PathwiseError as exc:
            context["error"] = str(exc)
        else:
            checked = check(document)
            stored = _stored(document)
            context.update({
                "checked": checked, "document": document if isinstance(document, dict) else {},
                "issuer_id": issuer_id(document) if isinstance(document, dict) else None,
                "issuer_name": _issuer_name(stored, checked),
                "credential": stored if checked.state in ("valid", "revoked") else None,
            })
    status = 400 if "error" in context else 200
    return render(request, "credentials/verify.html", context, status=status)


# -- staff ---------------------------------------------------------------------------



CREDENTIALS_PAGE = 25
STATES = {"": "Valid and revoked", "valid": "Valid", "revoked": "Revoked"}


@login_required
def staff_credentials(request: HttpRequest) -> HttpResponse:
    """Issued credentials, newest first: search by holder or achievement, filter by state."""
    staff_actor(request)
    q = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    if state not in STATES:
        state = ""
    credentials = (Credential.objects.select_related("participant")
                   .annotate(signed_copies=Count("copies")).order_by("-issued_at"))
    for word in q.split():
        credentials = credentials.filter(Q(participant__name__icontains=word)
                                         | Q(participant__public_id__icontains=word)
                                         | Q(achievement__icontains=word))
    if state:
        credentials = credentials.filter(revoked_at__isnull=state == "valid")
    page = Paginator(credentials, CREDENTIALS_PAGE).get_page(request.GET.get("page"))
    return render(request, "credentials/staff_list.html", {
        "page": page, "credentials": page.object_list, "q": q, "state": state,
        "states": STATES.items()})


@login_required
def confirm_revoke(request: HttpRequest, credential_id: str) -> HttpResponse:
    """What revoking does, and the reason it needs, before it is done."""
    staff_actor(request)
    credential = get_object_or_404(Credential.objects.select_related("participant"),
                                   pk=credential_id)
    if credential.revoked:
        messages.info(request, f"{credential.achievement} of {credential.participant.name} "
                               "is already revoked.")
        return redirect("staff-credentials")
    return render(request, "credentials/confirm_revoke.html", {"credential": credential})


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
