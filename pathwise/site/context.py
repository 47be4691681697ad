"""What every page may show about the site itself: the programs it runs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pathwise.catalog.read import program_names


def programs(request: HttpRequest) -> dict[str, Any]:
    """`program_names`, looked up only by a page that shows them, and once per page."""
    return {"program_names": SimpleLazyObject(program_names)}
