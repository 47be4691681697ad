"""Program versions, stored as the TOML text they were loaded from."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import models

from pathwise.core.offerings import Meetings, Move
from pathwise.core.offerings import Offering as CoreOffering
from pathwise.core.program import Program, parse_program

_parsed: dict[str, Program] = {}


class ProgramVersion(models.Model):
    program_id = models.CharField(max_length=60)
    version = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    source_path = models.CharField(max_length=300)
    definition = models.TextField(help_text="The TOML definition, verbatim.")
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program_id", "version"],
                                    name="unique_program_version"),
        ]
        ordering = ("program_id", "version")

    def __str__(self) -> str:
        return f"{self.program_id} {self.version}"

    @property
    def program(self) -> Program:
        """The parsed definition; parsed once per process per distinct text."""
        digest = hashlib.sha256(self.definition.encode()).hexdigest()
        if digest not in _parsed:
            _parsed[digest] = parse_program(self.definition, source=self.source_path)
        return _parsed[digest]


class Intake(models.Model):
    """A cohort's start: it opens with an orientation offering."""

    code = models.CharField(max_length=40, unique=True)
    program_version = models.ForeignKey(ProgramVersion, on_delete=models.PROTECT,
                                        related_name="intakes")
    starts_on = models.DateField()

    class Meta:
        ordering = ("starts_on",)

    def __str__(self) -> str:
        return self.code


WEEKDAY_CHOICES = [(d, d) for d in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")]


class Offering(models.Model):
    """One run of a component: a course run, a mini-workshop, a skills share, an orientation."""

    code = models.CharField(max_length=40, unique=True)
    program_version = models.ForeignKey(ProgramVersion, on_delete=models.PROTECT,
                                        related_name="offerings")
    component = models.CharField(max_length=40)
    intake = models.ForeignKey(Intake, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="offerings")
    starts_on = models.DateField()
    ends_on = models.DateField()
    capacity = models.PositiveIntegerField()
    # An organization's name when the run is private to it (a custom cohort).
    private_to = models.CharField(max_length=200, blank=True, default="")
    # Weekly meetings, in the offering's own zone (IANA name).
    meeting_days = models.JSONField(default=list, help_text='e.g. ["TU", "TH"]')
    meeting_time = models.TimeField()
    meeting_minutes = models.PositiveIntegerField()
    timezone = models.CharField(max_length=64)
    meeting_link = models.URLField(max_length=500, blank=True, default="")
    # Seats of a private run anyone may take too (the rest are the organization's).
    public_seats = models.PositiveIntegerField(default=0)
    # Only a published run is in participants' catalogues and plans.
    published = models.BooleanField(default=True)
    cancelled = models.JSONField(default=list, blank=True, help_text="ISO dates")
    moved = models.JSONField(default=list, blank=True, help_text='[{"from": …, "to": …}]')
    # The last change to the run (a calendar feed's DTSTAMP and Last-Modified read it).
    updated_at = models.DateTimeField(auto_now=True)
    # One more on every change to the run or to a seat on it, in that change's
    # transaction (`pathwise.catalog.versions`): what the catalogue kept per process
    # is checked against.
    revision = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ("starts_on", "code")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="offering_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.code

    def to_core(self, seats_left: int | None = None,
                instructors: tuple[str, ...] = ()) -> CoreOffering:
        return CoreOffering(
            id=self.code,
            component=self.component,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            seats_left=seats_left,
            meetings=Meetings(
                days=tuple(self.meeting_days),
                time=self.meeting_time.strftime("%H:%M"),
                minutes=self.meeting_minutes,
                timezone=self.timezone,
                cancelled=tuple(dt.date.fromisoformat(d) for d in self.cancelled),
                moved=tuple(Move(from_=dt.date.fromisoformat(m["from"]),
                                 to=dt.date.fromisoformat(m["to"])) for m in self.moved),
            ),
            private_to=self.private_to or None,
            intake=self.intake.code if self.intake is not None else None,
            capacity=self.capacity,
            instructors=instructors,
            meeting_link=self.meeting_link or None,
            public_seats=self.public_seats,
            published=self.published,
        )
