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
    published = serializers.BooleanField(help_text="Only published runs are in participants' "
                                                   "catalogues and plans.")
    public_seats = serializers.IntegerField(help_text="Seats of a private run open to anyone.")
    meeting_link = serializers.CharField(allow_null=True, help_text="Staff only (null else).")


class OfferingDetailOut(OfferingOut):
    timezone = serializers.CharField(help_text="The zone the meetings are shown in.")
    meetings = MeetingOut(many=True)


class MeetingDayIn(S[Any_]):
    date = PlausibleDateField(help_text="The day of the meeting, in the offering's zone.")


class MoveMeetingIn(S[Any_]):
    date = PlausibleDateField(help_text="The meeting's day, in the offering's zone.")
    to = PlausibleDateField(help_text="Any other day; the meeting keeps its time.")


class MeetingsIn(S[Any_]):
    days = serializers.ListField(child=serializers.ChoiceField(choices=WEEKDAYS),
                                 min_length=1, max_length=7)
    time = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"],
                                 help_text="Local time in the run's own zone, HH:MM.")
    minutes = serializers.IntegerField(min_value=1, max_value=600)
    timezone = OneLineField(max_length=64, help_text="An IANA zone, e.g. America/New_York.")


class OfferingIn(S[Any_]):
    """A run to create; changing one (PATCH) takes any of these but the code and program."""

    code = IdentifierField()
    program = IdentifierField()
    program_version = OneLineField(max_length=30)
    component = IdentifierField()
    intake = IdentifierField(required=False, allow_null=True)
    starts_on = PlausibleDateField()
    ends_on = PlausibleDateField()
    capacity = serializers.IntegerField(min_value=1, max_value=10_000)
    meetings = MeetingsIn()
    private_to = OneLineField(required=False, allow_null=True)
    public_seats = serializers.IntegerField(min_value=0, max_value=10_000, required=False)
    meeting_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    instructors = serializers.ListField(child=OneLineField(max_length=150), required=False,
                                        max_length=50, help_text="User names: who teaches it.")
    published = serializers.BooleanField(required=False, help_text="Default false.")


class OfferingPatchIn(S[Any_]):
    component = IdentifierField(required=False)
    intake = IdentifierField(required=False, allow_null=True)
    starts_on = PlausibleDateField(required=False)
    ends_on = PlausibleDateField(required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    meetings = MeetingsIn(required=False)
    private_to = OneLineField(required=False, allow_null=True)
    public_seats = serializers.IntegerField(min_value=0, max_value=10_000, required=False)
    meeting_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    instructors = serializers.ListField(child=OneLineField(max_length=150), required=False,
                                        max_length=50)
    published = serializers.BooleanField(required=False)


class IntakeIn(S[Any_]):
    """A new intake; its orientation runs are created with it, at this time and zone."""

    code = IdentifierField()
    program = IdentifierField()
    program_version = OneLineField(max_length=30)
    starts_on = PlausibleDateField(help_text="The day of the live orientation meeting.")
    time = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"])
    minutes = serializers.IntegerField(min_value=1, max_value=600)
    timezone = OneLineField(max_length=64)
    capacity = serializers.IntegerField(min_value=1, max_value=10_000,
                                        help_text="Seats per run (at most each component's).")


class IntakePatchIn(S[Any_]):
    starts_on = PlausibleDateField(help_text="Its runs move by as many days.")


class ImportOut(S[Any_]):
    class RowOut(S[Any_]):
        code = serializers.CharField()
        component = serializers.CharField()
        starts_on = serializers.DateField()
        what = serializers.ChoiceField(choices=["new", "changed", "unchanged"])
        changes = serializers.ListField(child=serializers.CharField())

    file = serializers.CharField(help_text="The file's name (the API's: request body).")
    program = serializers.CharField()
    program_version = serializers.CharField()
    dry_run = serializers.BooleanField()
    new = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    offerings = RowOut(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class LmsRunOut(S[Any_]):
    run = serializers.CharField()
    url = serializers.CharField()


class LmsAccessOut(S[Any_]):
    url = serializers.CharField(allow_null=True, help_text="Their program version's link.")
    opens_on = serializers.DateField(help_text="The day they enrolled.")
    closes_on = serializers.DateField(help_text="Their program deadline.")
    open = serializers.BooleanField()
    runs = LmsRunOut(many=True, help_text="Runs they hold a seat on with a link of their own.")


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
    lms = LmsAccessOut(allow_null=True, help_text=(
        "The learning platform: null until staff set a link for their program version "
        "or one of their runs."))


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
    status = serializers.CharField(help_text="open, granted or refused.")
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField(allow_null=True, help_text="Who granted or refused it.")


class GrantIn(S[Any_]):
    until = PlausibleDateField(required=False, allow_null=True,
                               help_text="The new deadline; by default the day they asked for.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                   help_text="A note sent to the participant with the decision.")


class ReasonIn(S[Any_]):
    reason = serializers.CharField(max_length=2000, help_text="Why; recorded in the audit "
                                                              "log and sent to the participant.")


class ExtendIn(ReasonIn):
    until = PlausibleDateField(help_text="The new deadline: after the current one.")


class WithdrawIn(ReasonIn):
    on = PlausibleDateField(required=False, allow_null=True,
                            help_text="The day they left; by default today.")


class CreditIn(S[Any_]):
    component = IdentifierField(help_text="The course credited, e.g. NOC.")
    basis = OneLineField(help_text="What the credit is for, e.g. \"NOC pilot 2021\".")
    date = PlausibleDateField(required=False, help_text="The credit's date; by default today.")
    assessments = serializers.DictField(
        child=serializers.ChoiceField(choices=["passed", "failed"]), required=False,
        help_text="The short assessments its conditions ask for, by name.")
    conditions_met = serializers.BooleanField(
        required=False, default=False,
        help_text="Only when no assessment is named; otherwise met when all named are passed.")


class JobChangeIn(S[Any_]):
    organization = OneLineField(help_text="The new employer.")
    role = OneLineField(required=False, allow_null=True)
    on = PlausibleDateField(required=False,
                            help_text="The day the new job started (the last one ended); "
                                      "by default today.")


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


class VersionMoveIn(S[Any_]):
    version = OneLineField(max_length=100, help_text="The target version, e.g. 2025.")


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


# -- runs -----------------------------------------------------------------------------


class RunOut(S[Any_]):
    code = serializers.CharField()
    url = serializers.CharField()
    component = serializers.CharField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    capacity = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    instructors = serializers.ListField(child=serializers.CharField(),
                                        help_text="The usernames of who teaches it.")


class RunMeetingOut(MeetingOut):
    day = serializers.DateField(help_text="The meeting's day in the run's own zone: the "
                                          "register's address.")
    held = serializers.BooleanField(help_text="Started already: attendance can be taken.")
    attendance = serializers.CharField(help_text="The register's address.")


class RosterPersonOut(S[Any_]):
    participant = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField(allow_null=True)
    seat = serializers.IntegerField()
    waitlist_position = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True, help_text="Where they stand in the "
                                                              "program (on-track, …).")
    still_needs = serializers.ListField(child=serializers.CharField(),
                                        help_text="What they still need to earn the "
                                                  "certificate, as their progress page says.")


class RunDetailOut(RunOut):
    timezone = serializers.CharField(help_text="The run's own zone: meeting days are in it.")
    meetings = RunMeetingOut(many=True)
    roster = RosterPersonOut(many=True, help_text="Who holds a seat, by name.")
    waitlist = RosterPersonOut(many=True, help_text="Who waits, in order.")


class MarkOut(S[Any_]):
    participant = serializers.CharField()
    name = serializers.CharField()
    mark = serializers.ChoiceField(choices=["present", "absent", "presented"], allow_null=True,
                                   help_text="null: not recorded yet.")
    recorded_by = serializers.CharField(allow_null=True)


# `source` is a Field attribute: declared under its JSON name below.
MarkOut._declared_fields["source"] = serializers.CharField(
    allow_null=True, help_text="How it was taken: manual, or a meeting tool's export.")


class RegisterOut(S[Any_]):
    offering = serializers.CharField()
    day = serializers.DateField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    skills_share = serializers.BooleanField(help_text="A skills share: one person presents.")
    recorded = serializers.BooleanField()
    problem = serializers.CharField(allow_null=True,
                                    help_text="Why the register cannot be saved yet, if so.")
    people = MarkOut(many=True)


class AttendanceIn(S[Any_]):
    present = serializers.ListField(child=IdentifierField(), max_length=1000,
                                    help_text="The participant ids present; everyone else "
                                              "enrolled is absent.")
    presenter = IdentifierField(required=False, allow_null=True,
                                help_text="Who gave the lightning talk (a skills share).")


class AttendanceImportIn(S[Any_]):
    file = serializers.FileField(help_text="A Zoom, Teams or Google Meet attendance export, "
                                           "as downloaded (at most 5 MB).")
    dry_run = serializers.BooleanField(default=False,
                                       help_text="Only show the register; save nothing.")
    assign = serializers.ListField(
        child=serializers.RegexField(r"^[^=\s]+=[^=\s]+$", max_length=300), required=False,
        max_length=100,
        help_text="Unmatched addresses assigned by hand, each `address=participant id` "
                  "(`host@example.org=P-025`); remembered for later exports once saved.")


class UnmatchedOut(S[Any_]):
    name = serializers.CharField()
    email = serializers.CharField(allow_null=True)
    minutes = serializers.FloatField(help_text="Minutes in the scheduled meeting.")


class AttendanceImportOut(S[Any_]):
    offering = serializers.CharField()
    meeting = serializers.DateField(help_text="The meeting's day in the run's own zone.")
    format = serializers.ChoiceField(choices=["zoom", "teams", "meet"])
    present = serializers.ListField(child=serializers.CharField())
    absent = serializers.ListField(child=serializers.CharField())
    unmatched = UnmatchedOut(many=True, help_text="Rows that matched nobody on the roster "
                                                  "(by e-mail, then exact name).")


class GradeOut(S[Any_]):
    offering = serializers.CharField()
    participant = serializers.CharField()
    assessment = serializers.CharField()
    result = serializers.CharField()
    feedback = serializers.CharField(allow_blank=True)
    graded_by = serializers.CharField()
    graded_at = serializers.DateTimeField()


class AssessmentOut(S[Any_]):
    assessment = serializers.CharField()
    grade = GradeOut(allow_null=True)


class GradeRowOut(S[Any_]):
    participant = serializers.CharField()
    name = serializers.CharField()
    assessments = AssessmentOut(many=True)


class GradesOut(S[Any_]):
    offering = serializers.CharField()
    assessments = serializers.ListField(child=serializers.CharField(),
                                        help_text="As the program names them.")
    people = GradeRowOut(many=True)


class GradeIn(S[Any_]):
    participant = IdentifierField()
    assessment = OneLineField(max_length=40)
    result = OneLineField(max_length=20, help_text="passed or failed.")
    feedback = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                     help_text="Plain text, in lines; at most 4000 "
                                               "characters. The participant reads it.")


class OutcomeOut(S[Any_]):
    participant = serializers.CharField()
    name = serializers.CharField()
    result = serializers.ChoiceField(choices=["passed", "failed", "attended", "absent",
                                              "incomplete"])
    reasons = serializers.ListField(child=serializers.CharField())
    final = serializers.BooleanField(help_text="Its completion record is written.")
    recorded = serializers.CharField(allow_null=True,
                                     help_text="What the written record says, if final.")


class OutcomesOut(S[Any_]):
    offering = serializers.CharField()
    pending = serializers.IntegerField(help_text="Decided but not yet final.")
    corrections = serializers.ListField(child=serializers.CharField(),
                                        help_text="The results staff may correct a final "
                                                  "outcome to.")
    people = OutcomeOut(many=True)


class FinalisedOut(S[Any_]):
    finalised = serializers.ListField(child=serializers.CharField(),
                                      help_text="Whose records were written now.")
    outcomes = OutcomesOut()


class CorrectIn(S[Any_]):
    result = OneLineField(max_length=20)
    reason = serializers.CharField(help_text="Why: kept with the record and the audit log.")


class InstructorIn(S[Any_]):
    username = OneLineField(max_length=150)


class InstructorsOut(S[Any_]):
    offering = serializers.CharField()
    instructors = serializers.ListField(child=serializers.CharField())


# -- webhooks -------------------------------------------------------------------------


class WebhookOut(S[Any_]):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="Where deliveries are sent.")
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    disabled_reason = serializers.CharField(allow_null=True)
    disabled_at = serializers.DateTimeField(allow_null=True)
    disabled_by = serializers.CharField(allow_null=True)
    secret_rotated_at = serializers.DateTimeField(allow_null=True)
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()


class WebhookSecretOut(WebhookOut):
    secret = serializers.CharField(help_text="Shown this once: keep it to check signatures.")


class WebhookIn(S[Any_]):
    url = serializers.CharField(help_text="An absolute http(s) address.")
    events = serializers.ListField(child=serializers.CharField(), max_length=50)


class DisableIn(S[Any_]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AttemptOut(S[Any_]):
    at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True, help_text="null: no answer.")
    error = serializers.CharField(allow_null=True)
    duration_ms = serializers.IntegerField()


class DeliveryOut(S[Any_]):
    id = serializers.UUIDField()
    event = serializers.CharField()
    event_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["pending", "delivered", "failed", "gave_up"])
    created_at = serializers.DateTimeField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    gave_up_reason = serializers.CharField(allow_null=True)
    payload = serializers.JSONField()
    attempts = AttemptOut(many=True)


class LastContactOut(S[Any_]):
    on = serializers.DateField()
    channel = serializers.CharField(help_text="email (a message the outbox holds), or the "
                                              "channel of a contact staff recorded.")
    summary = serializers.CharField(help_text="The message's subject, or the contact's note.")
    recorded_by_hand = serializers.BooleanField()


class AtRiskOut(S[Any_]):
    participant = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["at_risk", "overdue"])
    since = serializers.DateField(help_text="The day this status was first seen.")
    days = serializers.IntegerField(help_text="Days since then.")
    reason_kind = serializers.ChoiceField(
        choices=["overdue", "ends_late", "no_run", "held_run", "blocked", "time"])
    reason = serializers.CharField()
    left = serializers.ListField(child=serializers.CharField())
    deadline = serializers.DateField()
    action = serializers.CharField(help_text="The action suggested for this kind of reason.")
    runs = serializers.ListField(child=serializers.CharField(),
                                 help_text="The runs they hold a seat in.")
    last_contact = LastContactOut(allow_null=True)
    url = serializers.CharField(help_text="Their page.")


class ContactIn(S[Any_]):
    channel = OneLineField(max_length=20,
                           help_text="email, phone, video, message or in_person.")
    date = PlausibleDateField()
    note = serializers.CharField(max_length=1000, trim_whitespace=False,
                                 help_text="Plain text, in lines; at most 1000 characters.")


class ContactOut(S[Any_]):
    id = serializers.IntegerField()
    participant = serializers.CharField()
    channel = serializers.CharField()
    date = serializers.DateField()
    note = serializers.CharField()
    recorded_by = serializers.CharField()
    created_at = serializers.CharField()


class CapstoneFileOut(S[Any_]):
    name = serializers.CharField(help_text="The name it was sent with, made safe.")
    size = serializers.IntegerField(help_text="Bytes.")
    kind = serializers.ChoiceField(choices=["pdf", "docx", "odt", "text", "markdown"],
                                   help_text="Found from its content.")
    url = serializers.CharField(help_text="Where the participant or staff download it.")


class CapstoneSubmissionOut(S[Any_]):
    id = serializers.IntegerField()
    participant = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["waiting", "passed", "needs_changes"])
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    file = CapstoneFileOut(allow_null=True)
    size = serializers.IntegerField(help_text="Bytes to read: the file's and the text's.")
    feedback = serializers.CharField(allow_blank=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviewed_by = serializers.CharField(allow_blank=True)


class CapstoneOut(S[Any_]):
    participant = serializers.CharField()
    component = serializers.CharField()
    state = serializers.ChoiceField(
        choices=["passed", "waiting", "open", "closed"],
        help_text="passed; waiting for review; open (they may submit now); closed (not "
                  "yet, see `refusal`).")
    refusal = serializers.CharField(allow_null=True,
                                    help_text="Why they may not submit today, if not.")
    passed_on = serializers.DateField(allow_null=True,
                                      help_text="The day its pass was recorded, if passed.")
    submissions = CapstoneSubmissionOut(many=True, help_text="Oldest first, with reviews.")


class CapstoneIn(S[Any_]):
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                 help_text="Plain text, in lines; at most 20,000 characters.")
    file = serializers.FileField(required=False, allow_empty_file=True,
                                 help_text="PDF, DOCX, ODT, plain text or Markdown, at most "
                                           "CAPSTONE_MAX_BYTES (10 MB unless set otherwise); "
                                           "the type is checked from its content.")


class CapstoneReviewIn(S[Any_]):
    result = serializers.ChoiceField(choices=["passed", "needs_changes"])
    feedback = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False,
                                     help_text="What the participant reads; required when it "
                                               "needs changes. At most 4000 characters.")
