"""Forms for what participants ask of the catalogue."""

from __future__ import annotations

from typing import Any

from django import forms

from pathwise.core.demand import WEEKDAYS
from pathwise.core.program import Program

DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday"), strict=True))


class DemandForm(forms.Form):
    component = forms.ChoiceField(label="Course")
    days = forms.MultipleChoiceField(
        label="Days you could attend", widget=forms.CheckboxSelectMultiple,
        choices=list(DAY_NAMES.items()))
    start = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["component"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.code, f"{c.code} — {c.name}") for c in program.components.values()
                         if c.kind == "course"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", "“To” must be later than “From” on the same day.")
        return data
