"""What a participant may ask about their standing."""

from __future__ import annotations

from django import forms

from pathwise.participants.actions import MAX_REASON


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why you need more time", max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Staff read this when they decide; they will write to you.")
    wanted_until = forms.DateField(
        label="The deadline you would like (optional)", required=False,
        widget=forms.DateInput(attrs={"type": "date"}))
