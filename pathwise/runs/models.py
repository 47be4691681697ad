"""Running a run: who teaches it, who was at each meeting, and the grades of its assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pathwise.catalog.models import Offering
from pathwise.participants.models import Participant


class Instructor(models.Model):
    """A user who teaches a run: they see and act on its roster, register and grades only."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="instructors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="teaching")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ("offering", "user__username")
        constraints = [models.UniqueConstraint(fields=["offering", "user"],
                                               name="one_instructor_row_per_run")]

    def __str__(self) -> str:
        return f"{self.user} teaches {self.offering}"


class Attendance(models.Model):
    """Whether one participant was at one meeting of a run (its day in the run's own zone)."""

    MANUAL, ZOOM, TEAMS, MEET = "manual", "zoom", "teams", "meet"
    SOURCE_CHOICES = [(MANUAL, "By hand"), (ZOOM, "Zoom export"), (TEAMS, "Teams export"),
                      (MEET, "Google Meet export")]

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT,
                                    related_name="attendance")
    day = models.DateField()
    present = models.BooleanField()
    # The lightning talk at a skills share: presenting counts as attending.
    presented = models.BooleanField(default=False)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=SOURCE_CHOICES, default=MANUAL)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("offering", "day", "participant")
        constraints = [
            models.UniqueConstraint(fields=["offering", "participant", "day"],
                                    name="one_attendance_per_meeting"),
            models.CheckConstraint(condition=models.Q(presented=False) | models.Q(present=True),
                                   name="presenter_is_present"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {'present' if self.present else 'absent'} " \
               f"{self.offering_id} {self.day}"


class Grade(models.Model):
    """The result of one assessment (as the program names it) for one participant on a run."""

    PASSED, FAILED = "passed", "failed"
    RESULT_CHOICES = [(PASSED, "Passed"), (FAILED, "Failed")]

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="grades")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="grades")
    assessment = models.CharField(max_length=40)
    result = models.CharField(max_length=6, choices=RESULT_CHOICES)
    feedback = models.TextField(blank=True, default="")
    graded_by = models.CharField(max_length=150)
    graded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("offering", "participant", "assessment")
        constraints = [
            models.UniqueConstraint(fields=["offering", "participant", "assessment"],
                                    name="one_grade_per_assessment"),
            models.CheckConstraint(condition=models.Q(result__in=["passed", "failed"]),
                                   name="grade_result_known"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.assessment} {self.result} on {self.offering_id}"


class RememberedAddress(models.Model):
    """An e-mail address staff assigned by hand to a participant from a video-call export:
    later exports match it to them, on any run."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="remembered_addresses")
    email = models.EmailField(unique=True)
    assigned_by = models.CharField(max_length=150)
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("email",)

    def __str__(self) -> str:
        return f"{self.email} is {self.participant_id}"
