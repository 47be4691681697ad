"""The capstone a participant sends in, and a staff review of it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from pathwise.core.capstone import ACCEPTED, FEEDBACK_MAX, TEXT_MAX, size_text


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label="Your capstone (or a note about the file)", required=False, max_length=TEXT_MAX,
        strip=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Plain text, at most {TEXT_MAX:,} characters.")
    file = forms.FileField(
        label="A file (optional)", required=False, allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.txt,.md,.markdown"}),
        help_text="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (f"{ACCEPTED}; at most "
                                         f"{size_text(settings.CAPSTONE_MAX_BYTES)}.")


class ReviewForm(forms.Form):
    result = forms.ChoiceField(
        label="Result", widget=forms.RadioSelect,
        choices=[("passed", "Passed: record the capstone as passed today"),
                 ("needs_changes", "Needs changes: they may send it again")])
    feedback = forms.CharField(
        label="Feedback the participant reads", required=False, max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required when it needs changes: say what to change.")
