"""What a credential states about itself, read for the verification page: the achievement's
name and the day it was earned."""

from __future__ import annotations

import datetime as dt

from pathwise.core.credentials.openbadges import achievement_name, earned_day


def test_the_day_earned_is_the_awarded_date_when_given_else_the_valid_from_day() -> None:
    assert earned_day({"validFrom": "2024-08-01T00:00:00Z"}) == dt.date(2024, 8, 1)
    # As the issuer wrote it: not moved into any zone.
    assert earned_day({"awardedDate": "2024-07-30T23:00:00-07:00",
                       "validFrom": "2024-08-01T00:00:00Z"}) == dt.date(2024, 7, 30)
    assert earned_day({"awardedDate": "soon", "validFrom": "2024-08-01T00:00:00Z"}) == (
        dt.date(2024, 8, 1))
    assert earned_day({"validFrom": 20240801}) is None
    assert earned_day({}) is None


def test_the_achievement_name_is_read_only_where_the_credential_puts_it() -> None:
    assert achievement_name({"credentialSubject": {"achievement": {"name": "Content Design"}}}
                            ) == "Content Design"
    assert achievement_name({"credentialSubject": {"achievement": "Content Design"}}) is None
    assert achievement_name({"credentialSubject": []}) is None
    assert achievement_name({"name": "Content Design"}) is None
