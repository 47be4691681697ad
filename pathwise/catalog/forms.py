"""Forms staff fill in on the catalogue."""

from __future__ import annotations

from django import forms

from pathwise.site.validation import PlausibleDateField


class MeetingChangeForm(forms.Form):
    """Cancel one meeting of a run, or move it a week later."""

    date = PlausibleDateField(label="Meeting on")
    action = forms.ChoiceField(choices=[("cancel", "Cancel it"), ("move", "Move a week")])
