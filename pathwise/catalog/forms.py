"""Forms staff fill in on the catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from pathwise.catalog.models import WEEKDAY_CHOICES, Intake, Offering, ProgramVersion
from pathwise.core.inputs import identifier_problem
from pathwise.core.when import zone_named
from pathwise.site.validation import PlausibleDateField


class MeetingChangeForm(forms.Form):
    """Cancel one meeting of a run, or move it a week later."""

    date = PlausibleDateField(label="Meeting on")
    action = forms.ChoiceField(choices=[("cancel", "Cancel it"), ("move", "Move a week")])


class MoveMeetingForm(forms.Form):
    """Move one meeting to any day."""

    date = PlausibleDateField(label="Meeting on")
    to = PlausibleDateField(label="Move it to", widget=forms.DateInput(attrs={"type": "date"}))


def _code(value: str) -> str:
    problem = identifier_problem(value)
    if problem is not None:
        raise forms.ValidationError(problem)
    return value


def _zone(value: str) -> str:
    try:
        zone_named(value)
    except Exception as exc:
        raise forms.ValidationError(f"{value!r} is not a known IANA time zone, "
                                    "e.g. America/New_York") from exc
    return value


_DAY_NAMES = list(zip((code for code, _ in WEEKDAY_CHOICES),
                      ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                       "Sunday"), strict=True))
_DATE = forms.DateInput(attrs={"type": "date"})


class _Versioned(forms.Form):
    program_version = forms.ModelChoiceField(ProgramVersion.objects.all(), empty_label=None,
                                             label="Program version")


class IntakeForm(_Versioned):
    """A new intake and when its orientation meets."""

    code = forms.CharField(max_length=40, label="Code", help_text="e.g. CERT27SP")
    starts_on = PlausibleDateField(label="Starts on (the live orientation meeting)",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Meetings at", initial=dt.time(11),
                           widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label="Minutes each", min_value=1, max_value=600, initial=90)
    timezone = forms.CharField(max_length=64, initial="America/New_York", label="Time zone")
    capacity = forms.IntegerField(label="Seats per run (at most each component's)",
                                  min_value=1, max_value=10_000, initial=20)

    def clean_code(self) -> str:
        return _code(self.cleaned_data["code"])

    def clean_timezone(self) -> str:
        return _zone(self.cleaned_data["timezone"])


class IntakeMoveForm(forms.Form):
    starts_on = PlausibleDateField(label="Starts on",
                                   widget=forms.DateInput(attrs={"type": "date"}))


class RunForm(_Versioned):
    """A run of a component: dates, weekly meetings in their zone, seats, who teaches."""

    code = forms.CharField(max_length=40, label="Code", help_text="e.g. CODE27W")
    component = forms.ChoiceField(label="Component")
    intake = forms.ModelChoiceField(Intake.objects.all(), required=False, label="Intake",
                                    empty_label="(none)", to_field_name="code")
    starts_on = PlausibleDateField(label="First day", widget=_DATE)
    ends_on = PlausibleDateField(label="Last day", widget=_DATE)
    meeting_days = forms.MultipleChoiceField(choices=_DAY_NAMES, label="Meets on",
                                             widget=forms.CheckboxSelectMultiple)
    meeting_time = forms.TimeField(label="At", widget=forms.TimeInput(attrs={"type": "time"}))
    meeting_minutes = forms.IntegerField(label="Minutes each", min_value=1, max_value=600)
    timezone = forms.CharField(max_length=64, label="Time zone", initial="America/New_York")
    capacity = forms.IntegerField(label="Seats", min_value=1, max_value=10_000)
    private_to = forms.CharField(max_length=200, required=False,
                                 label="Private to organization (blank: public)")
    public_seats = forms.IntegerField(label="Of those, seats open to the public", min_value=0,
                                      max_value=10_000, initial=0, required=False)
    meeting_link = forms.URLField(max_length=500, required=False, label="Meeting link",
                                  assume_scheme="https")
    instructors = forms.CharField(max_length=1000, required=False,
                                  label="Instructors (user names, comma-separated)")

    def __init__(self, *args: Any, editing: Offering | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, str] = {}
        for version in ProgramVersion.objects.all():
            choices.update({c.code: f"{c.name} ({c.code})"
                            for c in version.program.components.values()
                            if c.kind != "capstone"})
        component = self.fields["component"]
        assert isinstance(component, forms.ChoiceField)
        component.choices = sorted(choices.items(), key=lambda item: str(item[1]))
        if editing is not None:
            self.fields["code"].disabled = True
            self.fields["program_version"].disabled = True

    def clean_code(self) -> str:
        return _code(self.cleaned_data["code"])

    def clean_timezone(self) -> str:
        return _zone(self.cleaned_data["timezone"])

    def clean_instructors(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["instructors"].split(",") if n.strip()]

    def run_fields(self) -> dict[str, Any]:
        """What `publish_offering` takes, from the cleaned form."""
        d = self.cleaned_data
        return {"component": d["component"], "intake": d["intake"],
                "starts_on": d["starts_on"], "ends_on": d["ends_on"],
                "meeting_days": list(d["meeting_days"]), "meeting_time": d["meeting_time"],
                "meeting_minutes": d["meeting_minutes"], "timezone": d["timezone"],
                "capacity": d["capacity"], "private_to": d["private_to"].strip(),
                "public_seats": d["public_seats"] or 0, "meeting_link": d["meeting_link"]}


def run_initial(offering: Offering, instructors: tuple[str, ...]) -> dict[str, Any]:
    return {"program_version": offering.program_version, "code": offering.code,
            "component": offering.component, "intake": offering.intake,
            "starts_on": offering.starts_on, "ends_on": offering.ends_on,
            "meeting_days": offering.meeting_days, "meeting_time": offering.meeting_time,
            "meeting_minutes": offering.meeting_minutes, "timezone": offering.timezone,
            "capacity": offering.capacity, "private_to": offering.private_to,
            "public_seats": offering.public_seats, "meeting_link": offering.meeting_link,
            "instructors": ", ".join(instructors)}


class OfferingsUploadForm(forms.Form):
    file = forms.FileField(label="Offerings file (JSON)")
