"""Forms for expressing interest, adding people, and confirming one's zone and times.

The forms read what was typed; the actions (pathwise.onboarding.actions) decide
whether it is acceptable, and a refusal is shown against the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms

from pathwise.catalog.models import Intake
from pathwise.enrollment.forms import DAY_NAMES
from pathwise.onboarding.models import PAYMENT_CHOICES

#: How many weekly windows a form offers; a records file may hold more.
WINDOWS = 3


class WindowsMixin(forms.Form):
    """Up to three weekly windows (days, from, to) in the availability format."""

    def add_windows(self) -> None:
        for i in range(1, WINDOWS + 1):
            self.fields[f"w{i}_days"] = forms.MultipleChoiceField(
                label=f"Days (window {i})", required=False, choices=list(DAY_NAMES.items()),
                widget=forms.CheckboxSelectMultiple)
            self.fields[f"w{i}_from"] = forms.CharField(
                label=f"From (window {i})", required=False, max_length=5,
                widget=forms.TimeInput(attrs={"type": "time"}))
            self.fields[f"w{i}_to"] = forms.CharField(
                label=f"To (window {i})", required=False, max_length=5,
                widget=forms.TimeInput(attrs={"type": "time"}))

    def windows(self) -> list[dict[str, Any]] | None:
        """The windows given, in the records files' format; None when none were."""
        data = self.cleaned_data
        found = []
        for i in range(1, WINDOWS + 1):
            days, start, end = data.get(f"w{i}_days"), data.get(f"w{i}_from"), data.get(
                f"w{i}_to")
            if not (days or start or end):
                continue
            found.append({"days": list(days or []), "from": start or "", "to": end or ""})
        return found or None

    def window_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [(i, self[f"w{i}_days"], self[f"w{i}_from"], self[f"w{i}_to"])
                for i in range(1, WINDOWS + 1)]

    def initial_windows(self, windows: list[dict[str, Any]] | None) -> None:
        for i, window in enumerate(windows or [], start=1):
            if i > WINDOWS:
                break
            self.initial[f"w{i}_days"] = window.get("days", [])
            self.initial[f"w{i}_from"] = window.get("from", "")
            self.initial[f"w{i}_to"] = window.get("to", "")


class InterestForm(WindowsMixin):
    name = forms.CharField(max_length=200)
    email = forms.CharField(label="E-mail", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organization = forms.CharField(max_length=200, required=False)
    timezone = forms.CharField(label="Time zone", max_length=64,
                               help_text="Where you are, e.g. Europe/London or America/Chicago.",
                               widget=forms.TextInput(attrs={"list": "zones"}))
    courses = forms.MultipleChoiceField(label="Courses you would like to take first",
                                        required=False, widget=forms.CheckboxSelectMultiple)
    payment = forms.ChoiceField(label="How you would like to pay", choices=PAYMENT_CHOICES,
                                initial="undecided")
    message = forms.CharField(label="Anything else we should know", required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    # Left empty by people; filled by the robots that fill every field.
    website = forms.CharField(label="Leave this field empty", required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))

    def __init__(self, *args: Any, courses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["courses"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, f"{name} ({code})") for code, name in courses]
        self.add_windows()


class PersonForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.CharField(label="E-mail", max_length=254, widget=forms.EmailInput)
    organization = forms.CharField(max_length=200, required=False)
    timezone = forms.CharField(label="Time zone", max_length=64,
                               help_text="IANA name, e.g. Europe/London.",
                               widget=forms.TextInput(attrs={"list": "zones"}))
    intake = forms.ModelChoiceField(queryset=Intake.objects.none(), to_field_name="code",
                                    empty_label=None)

    def __init__(self, *args: Any, intakes: list[Intake], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_intakes(self, intakes)


class AcceptForm(forms.Form):
    intake = forms.ModelChoiceField(queryset=Intake.objects.none(), to_field_name="code",
                                    empty_label=None)

    def __init__(self, *args: Any, intakes: list[Intake], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_intakes(self, intakes)


class CsvForm(forms.Form):
    file = forms.FileField(label="CSV file", required=False,
                           help_text="Columns: name, email, organization, timezone and, "
                                     "optionally, intake.")
    text = forms.CharField(label="Or paste the CSV", required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))
    intake = forms.ModelChoiceField(label="Intake for rows that name none",
                                    queryset=Intake.objects.none(), to_field_name="code",
                                    required=False, empty_label="(each row names its intake)")

    def __init__(self, *args: Any, intakes: list[Intake], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_intakes(self, intakes)


def set_intakes(form: forms.Form, intakes: list[Intake]) -> None:
    """Offer the intakes still open; any intake's code is accepted, so a closed one is
    refused by the action naming its orientation day, not as a bad choice."""
    field = form.fields["intake"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = Intake.objects.all()
    field.choices = [*([("", field.empty_label)] if field.empty_label else []),
                     *((i.code, f"{i.code} (starts {i.starts_on:%d %b %Y})") for i in intakes)]


class PasswordForm(forms.Form):
    password1 = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="The same password again", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}))


class WelcomeForm(WindowsMixin):
    timezone = forms.CharField(label="Your time zone", max_length=64,
                               widget=forms.TextInput(attrs={"list": "zones"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_windows()
