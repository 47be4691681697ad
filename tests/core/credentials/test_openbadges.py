"""OpenBadgeCredentials built from the program data: the shape that verifies everywhere."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathwise.core.credentials.issuer import IssuerSettings, issue_credential
from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.openbadges import (
    OB_SCHEMA_URL,
    AchievementError,
    Holder,
    email_matches,
    holder_name,
    schema_errors,
)
from pathwise.core.credentials.verify import verify_credential
from pathwise.core.program import Program

ADA = Holder("P-001", "Ada Lovelace", "Ada@Example.org")
NOW = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


def issue(program: Program, achievement: str, key: KeyPair, issuer: IssuerSettings,
          holder: Holder = ADA) -> dict:
    return issue_credential(program, achievement, holder, earned_on=dt.date(2024, 3, 5),
                            credential_uuid="0b6f1c9e-2f2e-4d59-9a55-6b1c0a1d2e3f",
                            status_index=7, key=key, settings=issuer,
                            created=dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC), salt="pepper")


@pytest.mark.parametrize("achievement", ["CODE", "PBK", "NOC", "COP", "cscce-cm"])
def test_every_badge_of_the_program_builds_a_schema_valid_credential_that_verifies(
        program: Program, key: KeyPair, issuer: IssuerSettings, achievement: str) -> None:
    credential = issue(program, achievement, key, issuer)
    assert schema_errors(credential) == []
    result = verify_credential(credential, trusted={key.did_key}, now=NOW)
    assert result.verified, result.errors


def test_course_credential_has_the_interoperable_shape(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    c = issue(program, "CODE", key, issuer)
    assert c["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    assert c["id"] == "https://badges.example.org/credentials/0b6f1c9e-2f2e-4d59-9a55-6b1c0a1d2e3f"
    assert c["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert c["issuer"] == {"id": key.did_key, "type": ["Profile"], "name": program.issuer}
    assert c["validFrom"] == "2024-03-05T00:00:00Z"
    achievement = c["credentialSubject"]["achievement"]
    assert achievement["id"] == "https://badges.example.org/achievements/cscce-cm/CODE"
    assert achievement["name"] == "Content Design"
    assert achievement["description"] == program.components["CODE"].description
    assert achievement["criteria"] == {"narrative": (
        "Passed Content Design (CODE): attended at least 11 of 12 sessions and passed the "
        "final-deliverable assessment.")}
    assert achievement["image"]["type"] == "Image"
    assert c["credentialSchema"] == [{"id": OB_SCHEMA_URL,
                                      "type": "1EdTechJsonSchemaValidator2019"}]
    assert c["credentialStatus"] == {
        "id": f"{issuer.status_list_url(key)}#7", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "7",
        "statusListCredential": issuer.status_list_url(key)}
    proof = c["proof"]
    assert isinstance(proof, list)
    assert len(proof) == 1
    assert proof[0]["verificationMethod"] == f"{key.did_key}#{key.public_multikey}"
    assert proof[0]["created"] == "2025-01-01T12:00:00Z"


def test_holder_is_identified_by_salted_email_hash_and_named(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    c = issue(program, "CODE", key, issuer)
    email_id = c["credentialSubject"]["identifier"][0]
    assert email_id == {
        "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
        "salt": "pepper",
        "identityHash": "sha256$" + hashlib.sha256(b"ada@example.orgpepper").hexdigest(),
    }
    assert "ada@example.org" not in str(c).lower()
    assert email_matches(c, "ada@example.org")
    assert not email_matches(c, "eve@example.org")
    assert holder_name(c) == "Ada Lovelace"


def test_final_badge_comes_from_the_program_data(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    c = issue(program, "cscce-cm", key, issuer)
    achievement = c["credentialSubject"]["achievement"]
    assert c["name"] == achievement["name"] == program.final_badge.name
    assert achievement["criteria"]["narrative"] == program.final_badge.criteria
    assert achievement["achievementType"] == "Certification"


def test_a_holder_without_email_is_identified_by_hashed_participant_id(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    c = issue(program, "PBK", key, issuer, Holder("P-002", "Grace Hopper"))
    identity = c["credentialSubject"]["identifier"][0]
    assert identity["identityType"] == "systemId"
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(b"P-002pepper").hexdigest()
    assert schema_errors(c) == []


@pytest.mark.parametrize("achievement", ["ORIENT", "MW-FEEDBACK", "QSS", "NOPE"])
def test_components_without_a_badge_are_not_achievements(
        program: Program, key: KeyPair, issuer: IssuerSettings, achievement: str) -> None:
    with pytest.raises(AchievementError, match="not an achievement"):
        issue(program, achievement, key, issuer)


def test_schema_catches_the_known_traps(
        program: Program, key: KeyPair, issuer: IssuerSettings) -> None:
    c = issue(program, "CODE", key, issuer)
    assert schema_errors({**c, "credentialStatus": [c["credentialStatus"]]})
    no_valid_from = {k: v for k, v in c.items() if k != "validFrom"}
    assert any("validFrom" in e for e in schema_errors(no_valid_from))
    subject = dict(c["credentialSubject"])
    subject["identifier"] = [{**subject["identifier"][0], "extra": 1}]
    assert schema_errors({**c, "credentialSubject": subject})


def test_the_schema_validator_is_built_once_not_on_every_check(
        program: Program, key: KeyPair, issuer: IssuerSettings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    c = issue(program, "CODE", key, issuer)
    assert schema_errors(c) == []
    built: list[object] = []
    validator_class = jsonschema_rs.Draft201909Validator

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return validator_class(*args, **kwargs)

    monkeypatch.setattr(jsonschema_rs, "Draft201909Validator", counting)
    for _ in range(3):
        assert schema_errors(c) == []
        assert schema_errors({k: v for k, v in c.items() if k != "validFrom"})
    assert built == []


@settings(max_examples=40, deadline=None)
@given(name=st.text(min_size=1, max_size=40), position=st.integers(0, 39))
def test_any_holder_name_signs_verifies_and_any_change_to_it_fails(
        program: Program, key: KeyPair, issuer: IssuerSettings, name: str,
        position: int) -> None:
    credential = issue(program, "CODE", key, issuer, Holder("P-001", name, "a@example.org"))
    assert verify_credential(credential, trusted={key.did_key}, now=NOW).verified
    i = position % len(name)
    changed = name[:i] + ("b" if name[i] != "b" else "c") + name[i + 1:]
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["identifier"][1]["identityHash"] = changed
    assert not verify_credential(tampered, trusted={key.did_key}, now=NOW).verified
