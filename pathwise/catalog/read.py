"""The catalogue as the core reads it: a program version's runs with their seats left now."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.offerings import OfferingsFile


@dataclass(frozen=True)
class Catalogue:
    """Every run of one program version: the rows, and the core's offerings file of them."""

    rows: dict[str, Offering]
    offerings: OfferingsFile


def catalogue_for(version: ProgramVersion) -> Catalogue:
    """All runs of `version` (the planner keeps to those it may use), seats counted now."""
    rows: dict[str, Offering] = {}
    cores = []
    for o in (Offering.objects.filter(program_version=version)
              .select_related("intake", "program_version")
              .annotate(taken=Count("seats", filter=Q(seats__status="enrolled")))
              .order_by("starts_on", "code")):
        rows[o.code] = o
        cores.append(o.to_core(seats_left=max(o.capacity - o.taken, 0)))
    return Catalogue(rows, OfferingsFile(tuple(cores)))


def program_names() -> list[str]:
    """The name of each program this deployment runs, from its newest version."""
    newest: dict[str, tuple[str, str]] = {}
    for program_id, version, name in ProgramVersion.objects.values_list(
            "program_id", "version", "name"):
        if program_id not in newest or version > newest[program_id][0]:
            newest[program_id] = (version, name)
    return sorted(name for _, name in newest.values())
