"""The REST API under /api/v1/: the shapes webhooks' payloads point at too."""

from __future__ import annotations

from typing import Any

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from pathwise.api import pages
from pathwise.api.docs import Docs, not_found
from pathwise.api.views.base import ApiViewSet
from pathwise.api.views.capstone import CapstoneSubmissionViewSet, ParticipantCapstoneViewSet
from pathwise.api.views.catalogue import IntakeViewSet, OfferingViewSet, ProgramViewSet
from pathwise.api.views.evaluations import EvaluationViewSet
from pathwise.api.views.lms import LmsLinkViewSet
from pathwise.api.views.people import DemandViewSet, ExtensionViewSet, ParticipantViewSet
from pathwise.api.views.records import AuditEntryViewSet, CredentialViewSet
from pathwise.api.views.risk import AtRiskViewSet, ContactViewSet
from pathwise.api.views.runs import RunViewSet
from pathwise.api.views.seats import SeatViewSet
from pathwise.api.views.webhooks import WebhookViewSet
from pathwise.onboarding.api import InterestViewSet, OnboardingParticipantViewSet

v = "api/v1/"


def api(viewset: type[ApiViewSet], **methods: str) -> Any:
    """The view answering each HTTP method (`get="list"`) with that viewset method."""
    return viewset.as_view(methods)  # type: ignore[arg-type]  # str is a valid action name


LIST, ONE = {"get": "list"}, {"get": "retrieve"}

urlpatterns = [
    path("staff/api-tokens/", pages.api_tokens, name="staff-api-tokens"),
    path("staff/api-tokens/<int:token_id>/revoke/", pages.revoke_api_token,
         name="staff-api-token-revoke"),
    path(f"{v}schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(f"{v}docs/", Docs.as_view(url_name="api-schema"), name="api-docs"),
    path(f"{v}programs/", api(ProgramViewSet, **LIST), name="api-programs"),
    path(f"{v}programs/<str:program_id>/", api(ProgramViewSet, **ONE), name="api-program"),
    path(f"{v}programs/<str:program_id>/versions/<str:version>/lms-link/",
         api(LmsLinkViewSet, put="version"), name="api-version-lms-link"),
    path(f"{v}intakes/", api(IntakeViewSet, get="list", post="create"), name="api-intakes"),
    path(f"{v}intakes/<str:code>/", api(IntakeViewSet, get="retrieve", patch="partial_update"),
         name="api-intake"),
    path(f"{v}offerings/", api(OfferingViewSet, get="list", post="create"),
         name="api-offerings"),
    path(f"{v}offerings/import/", api(OfferingViewSet, post="import_file"),
         name="api-offerings-import"),
    path(f"{v}offerings/export/", api(OfferingViewSet, get="export_file"),
         name="api-offerings-export"),
    path(f"{v}offerings/<str:code>/", api(OfferingViewSet, get="retrieve",
                                          patch="partial_update"), name="api-offering"),
    path(f"{v}offerings/<str:code>/publish/", api(OfferingViewSet, post="publish"),
         name="api-offering-publish"),
    path(f"{v}offerings/<str:code>/unpublish/", api(OfferingViewSet, post="unpublish"),
         name="api-offering-unpublish"),
    path(f"{v}offerings/<str:code>/cancel-meeting/",
         api(OfferingViewSet, post="cancel_meeting"), name="api-cancel-meeting"),
    path(f"{v}offerings/<str:code>/move-meeting/",
         api(OfferingViewSet, post="move_meeting"), name="api-move-meeting"),
    path(f"{v}offerings/<str:code>/lms-link/", api(LmsLinkViewSet, put="run"),
         name="api-run-lms-link"),
    path(f"{v}participants/", api(OnboardingParticipantViewSet, get="list", post="create"),
         name="api-participants"),
    path(f"{v}participants/<str:public_id>/invitation/",
         api(OnboardingParticipantViewSet, post="invitation"), name="api-invitation"),
    path(f"{v}participants/<str:public_id>/intake/",
         api(OnboardingParticipantViewSet, post="place"), name="api-participant-intake"),
    path(f"{v}interest/", api(InterestViewSet, get="list", post="create"), name="api-interest"),
    path(f"{v}interest/<str:interest_id>/accept/", api(InterestViewSet, post="accept"),
         name="api-interest-accept"),
    path(f"{v}interest/<str:interest_id>/decline/", api(InterestViewSet, post="decline"),
         name="api-interest-decline"),
    path(f"{v}participants/<str:public_id>/", api(ParticipantViewSet, **ONE),
         name="api-participant"),
    path(f"{v}participants/<str:public_id>/records/",
         api(ParticipantViewSet, get="records"), name="api-records"),
    path(f"{v}participants/<str:public_id>/standing/",
         api(ParticipantViewSet, get="standing"), name="api-standing"),
    path(f"{v}participants/<str:public_id>/schedule/",
         api(ParticipantViewSet, get="schedule"), name="api-schedule"),
    path(f"{v}participants/<str:public_id>/credit/",
         api(ParticipantViewSet, post="credit"), name="api-participant-credit"),
    path(f"{v}participants/<str:public_id>/extend/",
         api(ParticipantViewSet, post="extend"), name="api-participant-extend"),
    path(f"{v}participants/<str:public_id>/withdraw/",
         api(ParticipantViewSet, post="withdraw"), name="api-participant-withdraw"),
    path(f"{v}participants/<str:public_id>/reinstate/",
         api(ParticipantViewSet, post="reinstate"), name="api-participant-reinstate"),
    path(f"{v}participants/<str:public_id>/job-change/",
         api(ParticipantViewSet, post="job_change"), name="api-participant-job-change"),
    path(f"{v}participants/<str:public_id>/contacts/",
         api(ContactViewSet, post="create"), name="api-contacts"),
    path(f"{v}at-risk/", api(AtRiskViewSet, **LIST), name="api-at-risk"),
    path(f"{v}participants/<str:public_id>/capstone/",
         api(ParticipantCapstoneViewSet, get="retrieve", post="submit"), name="api-capstone"),
    path(f"{v}capstone-submissions/", api(CapstoneSubmissionViewSet, **LIST),
         name="api-capstone-submissions"),
    path(f"{v}capstone-submissions/<str:submission_id>/review/",
         api(CapstoneSubmissionViewSet, post="review"), name="api-capstone-review"),
    path(f"{v}capstone-submissions/<str:submission_id>/file/",
         api(CapstoneSubmissionViewSet, get="file"), name="api-capstone-file"),
    path(f"{v}participants/<str:public_id>/version-preview/",
         api(ParticipantViewSet, get="version_preview"), name="api-version-preview"),
    path(f"{v}participants/<str:public_id>/version/",
         api(ParticipantViewSet, post="move_version"), name="api-move-version"),
    path(f"{v}participants/<str:public_id>/evaluations/<str:run>/",
         api(EvaluationViewSet, get="retrieve", put="answer"), name="api-evaluation"),
    path(f"{v}seats/", api(SeatViewSet, get="list", post="create"), name="api-seats"),
    path(f"{v}seats/quote/", api(SeatViewSet, get="quote"), name="api-seat-quote"),
    path(f"{v}seats/<str:seat_id>/", api(SeatViewSet, **ONE), name="api-seat"),
    path(f"{v}seats/<str:seat_id>/change-quote/", api(SeatViewSet, get="change_quote"),
         name="api-seat-change-quote"),
    path(f"{v}seats/<str:seat_id>/change/", api(SeatViewSet, post="change"),
         name="api-seat-change"),
    path(f"{v}seats/<str:seat_id>/drop/", api(SeatViewSet, post="drop"),
         name="api-seat-drop"),
    path(f"{v}demand-requests/", api(DemandViewSet, get="list", post="create"),
         name="api-demand-requests"),
    path(f"{v}extension-requests/", api(ExtensionViewSet, get="list", post="create"),
         name="api-extension-requests"),
    path(f"{v}extension-requests/<str:request_id>/grant/",
         api(ExtensionViewSet, post="grant"), name="api-extension-grant"),
    path(f"{v}extension-requests/<str:request_id>/refuse/",
         api(ExtensionViewSet, post="refuse"), name="api-extension-refuse"),
    path(f"{v}credentials/", api(CredentialViewSet, **LIST), name="api-credentials"),
    path(f"{v}credentials/<str:credential_id>/", api(CredentialViewSet, **ONE),
         name="api-credential"),
    path(f"{v}credentials/<str:credential_id>/revoke/",
         api(CredentialViewSet, post="revoke"), name="api-credential-revoke"),
    path(f"{v}credentials/<str:credential_id>/reissue/",
         api(CredentialViewSet, post="reissue"), name="api-credential-reissue"),
    path(f"{v}audit-entries/", api(AuditEntryViewSet, **LIST), name="api-audit-entries"),
    path(f"{v}runs/", api(RunViewSet, **LIST), name="api-runs"),
    path(f"{v}runs/<str:code>/", api(RunViewSet, **ONE), name="api-run"),
    path(f"{v}runs/<str:code>/meetings/<str:day>/attendance/",
         api(RunViewSet, get="attendance", put="record_attendance"), name="api-run-attendance"),
    path(f"{v}runs/<str:code>/meetings/<str:day>/attendance/import/",
         api(RunViewSet, post="import_attendance"), name="api-run-attendance-import"),
    path(f"{v}runs/<str:code>/grades/", api(RunViewSet, get="grades", post="record_grade"),
         name="api-run-grades"),
    path(f"{v}runs/<str:code>/outcomes/", api(RunViewSet, get="outcomes"),
         name="api-run-outcomes"),
    path(f"{v}runs/<str:code>/outcomes/finalise/", api(RunViewSet, post="finalise"),
         name="api-run-finalise"),
    path(f"{v}runs/<str:code>/outcomes/<str:participant>/correct/",
         api(RunViewSet, post="correct"), name="api-run-correct"),
    path(f"{v}runs/<str:code>/evaluations/", api(EvaluationViewSet, get="run"),
         name="api-run-evaluations"),
    path(f"{v}evaluations/summary/", api(EvaluationViewSet, get="summary"),
         name="api-evaluations-summary"),
    path(f"{v}runs/<str:code>/instructors/",
         api(RunViewSet, post="add_instructor", delete="remove_instructor"),
         name="api-run-instructors"),
    path(f"{v}webhooks/", api(WebhookViewSet, get="list", post="create"), name="api-webhooks"),
    path(f"{v}webhooks/<str:endpoint_id>/",
         api(WebhookViewSet, get="retrieve", delete="destroy"), name="api-webhook"),
    path(f"{v}webhooks/<str:endpoint_id>/disable/", api(WebhookViewSet, post="disable"),
         name="api-webhook-disable"),
    path(f"{v}webhooks/<str:endpoint_id>/enable/", api(WebhookViewSet, post="enable"),
         name="api-webhook-enable"),
    path(f"{v}webhooks/<str:endpoint_id>/rotate-secret/",
         api(WebhookViewSet, post="rotate_secret"), name="api-webhook-rotate-secret"),
    path(f"{v}webhooks/<str:endpoint_id>/ping/", api(WebhookViewSet, post="ping"),
         name="api-webhook-ping"),
    path(f"{v}webhooks/<str:endpoint_id>/deliveries/", api(WebhookViewSet, get="deliveries"),
         name="api-webhook-deliveries"),
    path(f"{v}webhooks/<str:endpoint_id>/deliveries/<str:delivery_id>/send-again/",
         api(WebhookViewSet, post="send_again"), name="api-webhook-send-again"),
    # Anything else under the API is a problem too, never the site's HTML 404 page.
    re_path(r"^api/.*$", not_found, name="api-not-found"),
]
