"""The demo's expressions of interest: a few people waiting for staff to accept them."""

from __future__ import annotations

from typing import Any

from pathwise.onboarding.actions import express_interest
from pathwise.onboarding.models import ExpressionOfInterest

PENDING: list[dict[str, Any]] = [
    {"name": "Lin Chen", "email": "lin.chen@example.org", "organization": "Open Science Lab",
     "timezone_name": "Europe/Berlin", "courses": ["CODE"], "payment": "invoice",
     "availability": [{"days": ["MO", "WE"], "from": "09:00", "to": "17:00"}],
     "message": "My institute would like to send two community managers next year."},
    {"name": "Ravi Iyer", "email": "ravi.iyer@example.org", "organization": "Genome Society",
     "timezone_name": "Asia/Kolkata", "courses": ["CODE", "PBK"], "payment": "card",
     "availability": [{"days": ["TU", "TH"], "from": "14:00", "to": "22:00"}]},
    {"name": "Ana Souza", "email": "ana.souza@example.org", "organization": "",
     "timezone_name": "America/Sao_Paulo", "payment": "undecided"},
]


def load_demo_interest() -> int:
    """Send the demo's expressions of interest through the public form's action, once."""
    made = 0
    for person in PENDING:
        if ExpressionOfInterest.objects.filter(email=person["email"]).exists():
            continue
        express_interest(**person)
        made += 1
    return made
