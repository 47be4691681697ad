"""The learning platform's link for a program version or for one run (which overrides it)."""

from __future__ import annotations

from django.db import models

from pathwise.catalog.models import Offering, ProgramVersion


class LmsLink(models.Model):
    program_version = models.OneToOneField(ProgramVersion, null=True, blank=True,
                                           on_delete=models.CASCADE, related_name="lms_link")
    offering = models.OneToOneField(Offering, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="lms_link")
    url = models.CharField(max_length=500)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(program_version__isnull=False, offering__isnull=True)
                           | models.Q(program_version__isnull=True, offering__isnull=False)),
                name="lms_link_for_a_version_or_a_run"),
        ]

    def __str__(self) -> str:
        return f"{self.offering or self.program_version}: {self.url}"
