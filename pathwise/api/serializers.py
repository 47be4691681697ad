"""The API's shapes. Output serializers describe (and check) the dicts views build; input
serializers validate what a client sends, with the rules of `pathwise.core.inputs`."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from pathwise.api.fields import (
    IdentifierField,
    MoneyInput,
    MoneySerializer,
    OneLineField,
    PlausibleDateField,
)
from pathwise.core.demand import WEEKDAYS

S = serializers.Serializer
Any_ = Any


class ComponentOut(S[Any_]):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    sessions = serializers.IntegerField(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)


class RequirementOut(S[Any_]):
    id = serializers.CharField()
    title = serializers.CharField()
    track = serializers.CharField()


class ProgramVersionOut(S[Any_]):
    version = serializers.CharField()
    name = serializers.CharField()
    components = ComponentOut(many=True)
    requirements = RequirementOut(many=True)
    currency = serializers.CharField(allow_null=True)


class ProgramOut(S[Any_]):
    id = serializers.CharField()
    name = serializers.CharField()
    versions = ProgramVersionOut(many=True)


class IntakeOut(S[Any_]):
    code = serializers.CharField()
    program = serializers.CharField()
    program_version = serializers.CharField()
    starts_on = serializers.DateField()


class MeetingPatternOut(S[Any_]):
    days = serializers.ListField(child=serializers.CharField())
    time = serializers.CharField(help_text="Local time in the offering's own zone, HH:MM.")
    minutes = serializers.IntegerField()
    timezone = serializers.CharField()


class MoveOut(S[Any_]):
    # `from` is a keyword: declared under its JSON name below.
    to = serializers.DateField()


MoveOut._declared_fields["from"] = serializers.DateField()


class MeetingOut(S[Any_]):
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with offset, viewer's zone.")
    ends_at = serializers.DateTimeField()


class OfferingOut(S[Any_]):
    code = serializers.CharField()
    url = serializers.CharField()
    component = serializers.CharField()
    name = serializers.CharField()
    program = serializers.CharField()
    program_version = serializers.CharField()
    intake = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    capacity = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    private_to = serializers.CharField(allow_null=True)
    meeting_pattern = MeetingPatternOut()
    cancelled = serializers.ListField(child=serializers.DateField())
    moved = MoveOut(many=True)


class OfferingDetailOut(OfferingOut):
    timezone = serializers.CharField(help_text="The zone the meetings are shown in.")
    meetings = MeetingOut(many=True)


class MeetingDayIn(S[Any_]):
    date = PlausibleDateField(help_text="The day of the meeting, in the offering's zone.")


class MoveMeetingIn(S[Any_]):
    date = PlausibleDateField(help_text="The meeting's day, in the offering's zone.")
    to = PlausibleDateField(help_text="A week later (a meeting moves by one week).")


class ParticipantOut(S[Any_]):
    id = serializers.CharField()
    url = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField(allow_null=True)
    timezone = serializers.CharField()
    organization = serializers.CharField(allow_null=True)
    program = serializers.CharField(allow_null=True)
    program_version = serializers.CharField(allow_null=True)
    intake = serializers.CharField(allow_null=True)
    enrolled_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ProgressOut(S[Any_]):
    done = serializers.IntegerField()
    of = serializers.IntegerField()


class RequirementResultOut(S[Any_]):
    id = serializers.CharField()
    met = serializers.BooleanField()
    met_on = serializers.DateField(allow_null=True)
    progress = ProgressOut()
    explanation = serializers.CharField()


class BadgeOut(S[Any_]):
    achievement = serializers.CharField()
    earned_on = serializers.DateField()


class StepOut(S[Any_]):
    component = serializers.CharField()
    offering = serializers.CharField(allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    role = serializers.CharField(allow_null=True)
    held = serializers.BooleanField()


class PlanOut(S[Any_]):
    feasible = serializers.BooleanField()
    finishes_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField()
    steps = StepOut(many=True)
    reasons = serializers.ListField(child=serializers.CharField(), required=False)


class NextStepOut(S[Any_]):
    kind = serializers.CharField()
    text = serializers.CharField()
    offering = serializers.CharField(allow_null=True)


class StandingOut(S[Any_]):
    participant = serializers.CharField()
    program = serializers.CharField()
    program_version = serializers.CharField()
    as_of = serializers.DateField()
    deadline = serializers.DateField()
    status = serializers.ChoiceField(
        choices=["certified", "on_track", "at_risk", "overdue", "withdrawn"])
    certified = serializers.BooleanField()
    certified_on = serializers.DateField(allow_null=True)
    requirements = RequirementResultOut(many=True)
    badges = BadgeOut(many=True)
    plan = PlanOut(allow_null=True)
    next_step = NextStepOut()


class ScheduleSeatOut(S[Any_]):
    seat = serializers.IntegerField()
    offering = serializers.CharField()
    component = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    waitlist_position = serializers.IntegerField(allow_null=True)
    meetings = MeetingOut(many=True)


class ScheduleOut(S[Any_]):
    participant = serializers.CharField()
    timezone = serializers.CharField()
    seats = ScheduleSeatOut(many=True)


class RefusalOut(S[Any_]):
    rule = serializers.CharField(help_text="The rule's id (pathwise/core/enrollment.py).")
    message = serializers.CharField()


class SeatOut(S[Any_]):
    id = serializers.IntegerField()
    url = serializers.CharField()
    participant = serializers.CharField()
    offering = serializers.CharField()
    component = serializers.CharField()
    status = serializers.ChoiceField(choices=["enrolled", "waitlisted", "dropped"])
    waitlist_position = serializers.IntegerField(allow_null=True)
    fee = MoneySerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SeatQuoteOut(S[Any_]):
    participant = serializers.CharField()
    offering = serializers.CharField()
    allowed = serializers.BooleanField()
    refusal = RefusalOut(allow_null=True)
    fee = MoneySerializer()
    free = serializers.BooleanField()
    reason = serializers.CharField()
    full = serializers.BooleanField(help_text="Taking it now would join the waitlist.")


class SeatQuoteIn(S[Any_]):
    offering = IdentifierField()
    participant = IdentifierField(required=False,
                                  help_text="Staff: whom for. A participant: themself.")


class TakeSeatIn(SeatQuoteIn):
    accept_fee = MoneyInput(required=False, allow_null=True,
                            help_text="The quote's fee, when it is not free: accepting it.")


class AlternativeOut(S[Any_]):
    offering = serializers.CharField()
    starts_on = serializers.DateField()
    refusal = RefusalOut(allow_null=True)


class ChangeQuoteOut(S[Any_]):
    seat = serializers.IntegerField()
    free = serializers.BooleanField()
    fee = MoneySerializer()
    reason = serializers.CharField()
    free_until = serializers.DateField(allow_null=True)
    free_period_ends_at = serializers.DateTimeField(allow_null=True)
    alternatives = AlternativeOut(many=True)


class ChangeIn(S[Any_]):
    to = IdentifierField(help_text="Another run of the same component.")
    accept_fee = MoneyInput(required=False, allow_null=True,
                            help_text="The change quote's fee, when it is not free.")


class DropIn(S[Any_]):
    accept_fee = MoneyInput(required=False, allow_null=True,
                            help_text="The change quote's fee, when it is not free.")


class ChangeOut(S[Any_]):
    free = serializers.BooleanField()
    fee = MoneySerializer()
    reason = serializers.CharField()
    seat = SeatOut(allow_null=True, help_text="The new seat; null after a drop.")


class DemandOut(S[Any_]):
    id = serializers.IntegerField()
    participant = serializers.CharField()
    component = serializers.CharField()
    days = serializers.ListField(child=serializers.CharField())
    start = serializers.CharField(help_text="HH:MM in `timezone`.")
    end = serializers.CharField()
    timezone = serializers.CharField()
    created_at = serializers.DateTimeField()


class DemandIn(S[Any_]):
    participant = IdentifierField(required=False)
    component = IdentifierField()
    days = serializers.ListField(child=serializers.ChoiceField(choices=list(WEEKDAYS)),
                                 min_length=1, max_length=7)
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError(
                {"end": serializers.ErrorDetail(
                    "“To” must be later than “From” on the same day.", code="window")})
        return attrs


class ExtensionOut(S[Any_]):
    id = serializers.IntegerField()
    participant = serializers.CharField()
    reason = serializers.CharField()
    wanted_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExtensionIn(S[Any_]):
    participant = IdentifierField(required=False)
    reason = serializers.CharField(max_length=2000)
    wanted_until = PlausibleDateField(required=False, allow_null=True)


class CredentialOut(S[Any_]):
    id = serializers.UUIDField()
    url = serializers.CharField()
    page = serializers.CharField(help_text="The public verification page.")
    participant = serializers.CharField()
    achievement = serializers.CharField()
    earned_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    revoked = serializers.BooleanField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoke_reason = serializers.CharField(allow_null=True)
    copies = serializers.IntegerField()


class RevokeIn(S[Any_]):
    reason = OneLineField(max_length=500)


class AuditEntryOut(S[Any_]):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField()
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.CharField()
    participant = serializers.CharField(allow_null=True)
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)
