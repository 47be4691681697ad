"""The form staff register a webhook endpoint with; the rules are the core's."""

from __future__ import annotations

from django import forms

from pathwise.core.webhooks import EVENTS, URL_MAX, WebhookError, check_events, check_url

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
