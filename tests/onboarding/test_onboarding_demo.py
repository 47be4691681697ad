"""The demo opens with expressions of interest waiting, and loading it again adds none."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from pathwise.onboarding.models import ExpressionOfInterest

# The demo runs its signing worker, which closes the connection: committed for real, as
# the other demo tests are (an open test transaction would be lost with it).
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_pending_interest_once(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    pending = ExpressionOfInterest.objects.filter(status="pending")
    assert pending.count() == 3
    assert {r.timezone for r in pending} == {"Europe/Berlin", "Asia/Kolkata",
                                             "America/Sao_Paulo"}
