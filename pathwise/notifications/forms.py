"""The forms staff register a webhook endpoint and record a contact with; the rules are the
core's and the actions'."""

from __future__ import annotations

from django import forms

from pathwise.core.webhooks import EVENTS, URL_MAX, WebhookError, check_events, check_url
from pathwise.notifications.actions import NOTE_MAX
from pathwise.notifications.models import Contact

EVENT_HELP = {
    "seat.enrolled": "a participant took a seat",
    "seat.waitlisted": "a participant joined a waitlist",
    "seat.promoted": "a waitlisted participant was given a freed seat",
    "seat.dropped": "a seat or waitlist place was given up",
    "record.created": "a participant's records were imported or replaced",
    "standing.changed": "a participant's status or next step changed",
    "credential.issued": "a badge or certificate was signed (or signed again)",
    "credential.revoked": "a credential was revoked",
}


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Address to send to", required=False, strip=True,
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/hooks",
                                     "autocomplete": "off", "maxlength": URL_MAX}),
        help_text="https:// (or http://), at most 500 characters.")
    events = forms.MultipleChoiceField(
        label="Events to send", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(e, f"{e}: {EVENT_HELP[e]}") for e in EVENTS])

    def clean_url(self) -> str:
        try:
            return check_url(self.cleaned_data["url"])
        except WebhookError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_events(self) -> list[str]:
        try:
            return check_events(self.cleaned_data["events"])
        except WebhookError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ContactForm(forms.Form):
    """A contact staff made with a participant outside the app; the rules are the action's."""

    channel = forms.ChoiceField(label="How", choices=Contact.CHANNELS)
    contacted_on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="What was said or agreed", max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=f"Plain text, at most {NOTE_MAX} characters. Staff read "
                                     "it on the participant's page and the at-risk list.")
