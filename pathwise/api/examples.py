"""Parameters and examples shared by the OpenAPI document's operations."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter

TZ = OpenApiParameter(
    "tz", str, description="Show times in this IANA zone (default: a participant's own, "
                           "else UTC), e.g. Europe/London.")

MONEY = {"amount": "100.00", "currency": "USD"}

SEAT = {"id": 41, "url": "/api/v1/seats/41/", "participant": "P-025", "offering": "MW-MEETINGS2607",
        "component": "MW-MEETINGS", "status": "enrolled", "waitlist_position": None,
        "fee": MONEY, "created_at": "2026-05-04T10:15:00-04:00",
        "updated_at": "2026-05-04T10:15:00-04:00"}

QUOTE_FEE = OpenApiExample("a seventh mini-workshop costs a fee", response_only=True, value={
    "participant": "P-025", "offering": "MW-MEETINGS2607", "allowed": True, "refusal": None,
    "fee": MONEY, "free": False, "reason": "the 7th distinct mini-workshop: 6 are included",
    "full": False})
QUOTE_REFUSED = OpenApiExample("refused, naming the rule", response_only=True, value={
    "participant": "P-025", "offering": "NOC2609", "allowed": False,
    "refusal": {"rule": "prerequisite",
                "message": "NOC needs CODE and PBK passed before it starts."},
    "fee": {"amount": "0.00", "currency": "USD"}, "free": True, "reason": "included",
    "full": False})
TAKE = OpenApiExample("take a seat, accepting the quoted fee", request_only=True, value={
    "offering": "MW-MEETINGS2607", "accept_fee": MONEY})
TAKE_STAFF = OpenApiExample("staff: take a seat for a participant", request_only=True, value={
    "participant": "P-025", "offering": "PBK2609"})
SEAT_OUT = OpenApiExample("a seat", response_only=True, value=SEAT)

PROBLEM_REFUSED = OpenApiExample("refused by a rule", response_only=True, status_codes=["422"],
                                 value={
    "type": "urn:pathwise:problem:enrollment-refused",
    "title": "The request cannot be carried out", "status": 422,
    "detail": "NOC needs CODE and PBK passed before it starts.",
    "errors": [{"field": "offering", "rule": "prerequisite",
                "message": "NOC needs CODE and PBK passed before it starts."}]})
PROBLEM_FEE = OpenApiExample("the fee was not accepted", response_only=True,
                             status_codes=["409"], value={
    "type": "urn:pathwise:problem:fee-not-accepted", "title": "Conflict",
    "status": 409,
    "detail": "Enrolling costs USD 100.00: the 7th distinct mini-workshop: 6 are included. "
              "Confirm the fee to enroll.",
    "errors": [{"field": "accept_fee", "rule": "fee-not-accepted",
                "message": "Enrolling costs USD 100.00: the 7th distinct mini-workshop: 6 are "
                           "included. Confirm the fee to enroll."}],
    "fee": MONEY})

RUN = {"code": "PBK2609", "url": "/api/v1/runs/PBK2609/", "component": "PBK",
       "name": "Playbook", "starts_on": "2026-09-01", "ends_on": "2026-10-19", "capacity": 20,
       "enrolled": 1, "waitlisted": 1, "instructors": ["ina"]}
RUN_DETAIL = OpenApiExample("a run's roster and meetings", response_only=True, value={
    **RUN, "timezone": "America/New_York",
    "meetings": [{"day": "2026-09-01", "starts_at": "2026-09-01T16:00:00+00:00",
                  "ends_at": "2026-09-01T17:30:00+00:00", "held": True,
                  "attendance": "/api/v1/runs/PBK2609/meetings/2026-09-01/attendance/"}],
    "roster": [{"participant": "P-025", "name": "Grace Hopper", "email": "grace@example.org",
                "seat": 41, "waitlist_position": None, "status": "on_track",
                "still_needs": ["the Playbook course (PBK)"]}],
    "waitlist": [{"participant": "P-031", "name": "Linus Pauling", "email": None, "seat": 52,
                  "waitlist_position": 1, "status": "on_track", "still_needs": []}]})
REGISTER = OpenApiExample("a meeting's register", response_only=True, value={
    "offering": "PBK2609", "day": "2026-09-01", "starts_at": "2026-09-01T16:00:00+00:00",
    "ends_at": "2026-09-01T17:30:00+00:00", "skills_share": False, "recorded": True,
    "problem": None,
    "people": [{"participant": "P-025", "name": "Grace Hopper", "mark": "present",
                "source": "manual", "recorded_by": "ina"}]})
ATTENDANCE_IN = OpenApiExample("who was there", request_only=True,
                               value={"present": ["P-025"], "presenter": None})
PROBLEM_NOT_ON_ROSTER = OpenApiExample("someone not on the roster", response_only=True,
                                       status_codes=["422"], value={
    "type": "https://pathwise.example/problems/run-refused",
    "title": "The request cannot be carried out", "status": 422,
    "detail": "present: P-099 is not enrolled on PBK2609",
    "errors": [{"field": "present", "rule": "on-roster",
                "message": "P-099 is not enrolled on PBK2609"}]})
ATTENDANCE_IMPORT_IN = OpenApiExample("preview a Zoom export with one address assigned",
                                      request_only=True, media_type="multipart/form-data",
                                      value={
    "file": "(the export's bytes: zoom_participants.csv)", "dry_run": True,
    "assign": ["host@example.org=P-031"]})
ATTENDANCE_IMPORTED = OpenApiExample("a register from a Zoom export", response_only=True,
                                     value={
    "offering": "PBK2609", "meeting": "2026-09-01", "format": "zoom",
    "present": ["P-025"], "absent": ["P-031"],
    "unmatched": [{"name": "Host Person", "email": "host@example.org", "minutes": 90.0}]})
PROBLEM_ATTENDANCE_FILE = OpenApiExample("a file that is not an export", response_only=True,
                                         status_codes=["422"], value={
    "type": "https://pathwise.example/problems/run-refused",
    "title": "The request cannot be carried out", "status": 422,
    "detail": "file: report.csv: line 1: the Zoom participants table has no 'Join time' "
              "column (its columns: Name (Original Name), User Email)",
    "errors": [{"field": "file", "rule": "attendance-export",
                "message": "report.csv: line 1: the Zoom participants table has no 'Join time' "
                           "column (its columns: Name (Original Name), User Email)"}]})
GRADE_IN = OpenApiExample("grade an assessment, with feedback", request_only=True, value={
    "participant": "P-025", "assessment": "playbook", "result": "passed",
    "feedback": "A clear playbook; the onboarding section is the strongest."})
GRADE_OUT = OpenApiExample("the grade as recorded", response_only=True, value={
    "offering": "PBK2609", "participant": "P-025", "assessment": "playbook",
    "result": "passed", "feedback": "A clear playbook; the onboarding section is the strongest.",
    "graded_by": "ina", "graded_at": "2026-10-20T14:05:00+00:00"})
CORRECT_IN = OpenApiExample("correct a final outcome", request_only=True, value={
    "result": "passed", "reason": "the second submission was graded late"})
INSTRUCTOR_IN = OpenApiExample("who teaches it", request_only=True, value={"username": "ina"})
INSTRUCTORS = OpenApiExample("the run's instructors", response_only=True,
                             value={"offering": "PBK2609", "instructors": ["ina"]})

WEBHOOK = {"id": 3, "url": "https://crm.example.org/hooks/pathwise",
           "events": ["seat.enrolled", "seat.dropped"], "active": True, "disabled_reason": None,
           "disabled_at": None, "disabled_by": None, "secret_rotated_at": None,
           "created_by": "sam", "created_at": "2026-05-04T10:15:00+00:00"}
WEBHOOK_IN = OpenApiExample("register an endpoint", request_only=True, value={
    "url": "https://crm.example.org/hooks/pathwise", "events": ["seat.enrolled",
                                                                "seat.dropped"]})
WEBHOOK_SECRET = OpenApiExample("the endpoint, with its secret this once", response_only=True,
                                value={**WEBHOOK, "secret": "whsec_2x1Q…"})
WEBHOOK_OUT = OpenApiExample("an endpoint", response_only=True, value=WEBHOOK)
PROBLEM_URL = OpenApiExample("an address that is not http(s)", response_only=True,
                             status_codes=["400"], value={
    "type": "https://pathwise.example/problems/invalid", "title": "The request is not valid",
    "status": 400,
    "detail": "url: 'ftp://example.org': the address must start with https:// or http://",
    "errors": [{"field": "url", "rule": "url", "message": "'ftp://example.org': the address "
                                                          "must start with https:// or http://"}]})
DISABLE_IN = OpenApiExample("disable, saying why", request_only=True,
                            value={"reason": "the CRM is being migrated"})
DELIVERY = OpenApiExample("a delivery and its attempts", response_only=True, value={
    "id": "8f0c3e1a-6a55-4d7e-9a53-0d1f4f1c2b11", "event": "seat.enrolled",
    "event_id": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed", "status": "failed",
    "created_at": "2026-05-04T10:15:00+00:00", "next_attempt_at": "2026-05-04T10:20:00+00:00",
    "gave_up_reason": None,
    "payload": {"id": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed", "type": "seat.enrolled",
                "created": "2026-05-04T10:15:00+00:00",
                "data": {"seat": 41, "url": "https://pathwise.example/api/v1/seats/41/"}},
    "attempts": [{"at": "2026-05-04T10:15:01+00:00", "status_code": 503, "error": None,
                  "duration_ms": 120}]})
