"""The catalogue as the core reads it: a program version's runs with their seats left now."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Q, Sum

from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.offerings import OfferingsFile


@dataclass(frozen=True)
class Catalogue:
    """Every run of one program version: the rows, and the core's offerings file of them."""

    rows: dict[str, Offering]
    offerings: OfferingsFile

    @functools.cached_property
    def horizon(self) -> dt.date | None:
        """The day runs are published up to: the last one's start (None: no run yet)."""
        return max((o.starts_on for o in self.offerings.offerings), default=None)


#: The catalogue last read per program version, with the key it was read under.
_KEPT: dict[int, tuple[tuple[object, ...], Catalogue]] = {}
_KEEPING = threading.Lock()


def _key(version: ProgramVersion) -> tuple[object, ...]:
    """What `version`'s catalogue is as of now, in one aggregate (`pathwise.catalog.versions`);
    with the version's own load time, since its rows carry the version."""
    found = Offering.objects.filter(program_version=version).aggregate(
        runs=Count("pk"), newest=Max("pk"), revisions=Sum("revision"))
    return (found["runs"], found["newest"], found["revisions"], version.loaded_at)


def catalogue_for(version: ProgramVersion) -> Catalogue:
    """All runs of `version` (the planner keeps to those it may use), seats counted now.

    Kept per process and read again only once a run or a seat of the version has
    changed, so the planner's own preparation of it (runs sorted, meetings and
    fits worked out) carries over from one request to the next. Only outside a
    transaction: inside one, its own uncommitted changes (or, on SQLite, an older
    snapshot) could give a key that means something else once it is over.
    """
    if transaction.get_connection().in_atomic_block:
        return _read(version)
    key = _key(version)
    kept = _KEPT.get(version.pk)
    if kept is not None and kept[0] == key:
        return kept[1]
    catalogue = _read(version)
    # A change committed while it was read leaves it keyed by neither state: not kept.
    if _key(version) == key:
        with _KEEPING:
            _KEPT[version.pk] = (key, catalogue)
    return catalogue


def _read(version: ProgramVersion) -> Catalogue:
    rows: dict[str, Offering] = {}
    cores = []
    for o in (Offering.objects.filter(program_version=version, published=True)
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
