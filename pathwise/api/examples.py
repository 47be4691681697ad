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
