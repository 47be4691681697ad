"""The only writer of LMS links: staff set (or clear) a program version's or a run's."""

from __future__ import annotations

from django.db import transaction

from pathwise.auditlog.log import Actor, log
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.core.errors import PathwiseError
from pathwise.core.lms import url_problem
from pathwise.lms.models import LmsLink


def set_lms_link(actor: Actor, url: str, *, version: ProgramVersion | None = None,
                 offering: Offering | None = None) -> LmsLink | None:
    """Set the link of `version` or of `offering` (exactly one); an empty `url` removes
    it (a run then uses its program version's). Returns the link, or None if removed."""
    if (version is None) == (offering is None):
        raise PathwiseError("say which program version or which run the link is for")
    text = url.strip()
    if text:
        problem = url_problem(text)
        if problem is not None:
            raise PathwiseError(f"link: {problem}")
    target = ({"offering": offering} if offering is not None
              else {"program_version": version})
    name = offering.code if offering is not None else f"{version.program_id} {version.version}"  # type: ignore[union-attr]
    with transaction.atomic():
        if offering is not None:
            Offering.objects.select_for_update().get(pk=offering.pk)
        found = LmsLink.objects.select_for_update().filter(**target).first()
        old = found.url if found else None
        if not text:
            if found is not None:
                found.delete()
            row = None
        elif found is None:
            row = LmsLink.objects.create(url=text, updated_by=actor.label, **target)
        else:
            found.url, found.updated_by = text, actor.label
            found.save()
            row = found
        if old != (text or None):
            log(actor, "lms.link_set", target_type="offering" if offering else "program_version",
                target_id=name, old=old, new=text or None)
        return row
