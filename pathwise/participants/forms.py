"""The forms of staff's actions on a participant, and of a participant's own job change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from pathwise.core.inputs import TEXT_MAX
from pathwise.core.program import Program
from pathwise.participants.actions import MAX_REASON

NOT_NAMED = ""
RESULTS = [(NOT_NAMED, "Not taken"), ("passed", "Passed"), ("failed", "Failed")]


def _date(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}),
                           **kwargs)


def _reason(label: str, help_text: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=MAX_REASON, required=required,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": 3}))


class CreditForm(forms.Form):
    """Prior-learning credit for a course of the participant's program."""

    def __init__(self, program: Program, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = [c for c in program.components.values() if c.kind == "course"]
        self.fields["component"] = forms.ChoiceField(
            label="Course credited", choices=[(c.code, f"{c.name} ({c.code})") for c in courses])
        self.fields["basis"] = forms.CharField(
            label="Basis", max_length=TEXT_MAX,
            help_text="What the credit is for, e.g. “NOC pilot 2021”.")
        self.fields["date"] = _date("Date of the credit", initial=timezone.localdate)
        self.assessments = sorted({a for c in courses for a in c.known_assessments})
        for name in self.assessments:
            self.fields[f"assessment_{name}"] = forms.ChoiceField(
                label=f"Assessment “{name}”", choices=RESULTS, required=False,
                help_text="The short assessment the credit's conditions ask for, if taken.")
        self.fields["conditions_met"] = forms.BooleanField(
            label="Its conditions are met", required=False,
            help_text="Tick only when no assessment is named; with assessments, the "
                      "conditions are met when every one named is passed.")

    def assessment_results(self) -> dict[str, str]:
        results: dict[str, str] = {}
        for name in self.assessments:
            result = self.cleaned_data.get(f"assessment_{name}") or NOT_NAMED
            if result != NOT_NAMED:
                results[name] = str(result)
        return results


class ExtendForm(forms.Form):
    until = _date("New deadline")
    reason = _reason("Why", "Recorded in the audit log and sent to the participant.")


class GrantForm(forms.Form):
    until = _date("New deadline", required=False,
                  help_text="Leave empty for the date they asked for.")
    reason = _reason("Note to the participant (optional)", "Sent with the decision.",
                     required=False)


class RefuseForm(forms.Form):
    reason = _reason("Why it is refused", "Recorded and sent to the participant.")


class WithdrawForm(forms.Form):
    on = _date("Withdrawn on", required=False, initial=timezone.localdate,
               help_text="Empty means today.")
    reason = _reason("Why", "Recorded in the audit log and sent to the participant.")


class ReinstateForm(forms.Form):
    reason = _reason("Why", "Recorded in the audit log and sent to the participant.")


class JobForm(forms.Form):
    organization = forms.CharField(label="New employer", max_length=TEXT_MAX)
    role = forms.CharField(label="Role (optional)", max_length=TEXT_MAX, required=False)
    on = _date("Started on", initial=timezone.localdate,
               help_text="The previous job is recorded as ending that day.")


class IntakeForm(forms.Form):
    intake = forms.ChoiceField(label="Intake", help_text="Those still open to join: their "
                               "orientation has not started.")

    def __init__(self, choices: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["intake"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
