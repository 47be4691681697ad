from __future__ import annotations

from django import forms

from pathwise.core.evaluations import RECOMMEND_LABELS, TEXT_MAX


class EvaluationForm(forms.Form):
    recommend = forms.ChoiceField(label="Would you recommend this course to a colleague?",
                                  choices=list(RECOMMEND_LABELS.items()),
                                  widget=forms.RadioSelect)
    worked = forms.CharField(label="What worked well for you? (optional)", required=False,
                             max_length=TEXT_MAX, strip=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
    change = forms.CharField(label="What should we change? (optional)", required=False,
                             max_length=TEXT_MAX, strip=False,
                             widget=forms.Textarea(attrs={"rows": 4}))
