"""The hourly pass recomputes only the rows whose day has come; the rows it leaves are
exactly what recomputing everyone would have written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from pathwise.standing.actions import refresh_all
from pathwise.standing.models import StandingRow

# The demo signs its badges with the worker, which closes its connection when done: on
# PostgreSQL that would end a test transaction, so this test commits for real.
pytestmark = pytest.mark.django_db(transaction=True)

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _keys_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


def rows() -> dict[int, dict[str, Any]]:
    return {row["participant_id"]: row
            for row in StandingRow.objects.values().order_by("participant_id")
            if row.pop("updated_at")}


def moments() -> list[dt.datetime]:
    """Noon UTC every other day for four months (runs start, meetings pass, deadlines
    fall), and late evenings, when some zones are already a day on."""
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    days = [noon + dt.timedelta(days=n) for n in range(1, 120, 2)]
    evenings = [noon + dt.timedelta(days=n, hours=11) for n in (3, 20, 45)]
    return sorted([*days, *evenings, noon + dt.timedelta(days=400)])


def test_the_incremental_pass_leaves_the_rows_a_full_refresh_writes_day_after_day() -> None:
    call_command("seed_demo", today=TODAY.isoformat(), stdout=None)
    recomputed = 0
    for now in moments():
        brought = refresh_all(now=now, stale_only=True)
        incremental = rows()
        assert refresh_all(now=now) == len(incremental)
        assert rows() == incremental, f"as of {now:%Y-%m-%d %H:%M}"
        recomputed += brought
    # Not everyone every day: most rows had nothing that could change.
    assert any(row["changes_on"] is None or row["changes_on"] > row["as_of"]
               for row in rows().values())
    assert recomputed
