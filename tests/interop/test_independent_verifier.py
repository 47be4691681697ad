"""Credentials checked by a verifier someone else wrote (Digital Bazaar, on node, offline).

First the verifier itself against the published W3C vc-di-eddsa
eddsa-rdfc-2022 test vector, so that a failure later means our credential
and not the harness; then credentials signed through the core API (every
badge, tampering, status lists); then the installed `pathwise badge` and
`pathwise verify` commands with keys in tmp_path, against each other and
the independent verifier.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathwise.core.credentials.issuer import IssuerSettings, issue_credential, sign_status_list
from pathwise.core.credentials.keys import KeyPair, KeyStore
from pathwise.core.credentials.openbadges import Holder
from pathwise.core.credentials.proof import sign
from pathwise.core.credentials.statuslist import StatusList, status_list_credential
from pathwise.core.credentials.verify import verify_credential
from pathwise.core.program import Program, ProgramLibrary
from tests.builders import complete_journey, make_records_file
from tests.interop.conftest import NodeVerify
from tests.vectors import W3C_EXAMPLES_V2_CONTEXT, W3C_EXAMPLES_V2_URL, W3C_SIGNED

EXAMPLES_V2_URL, EXAMPLES_V2_CONTEXT = W3C_EXAMPLES_V2_URL, W3C_EXAMPLES_V2_CONTEXT


def one_character_changed(document: dict[str, Any], *path: str | int) -> dict[str, Any]:
    """A deep copy of `document` with one character of the string at `path` replaced."""
    changed = copy.deepcopy(document)
    parent: Any = changed
    for key in path[:-1]:
        parent = parent[key]
    value = parent[path[-1]]
    assert isinstance(value, str), path
    # the middle character, swapped for a different one of the same kind
    i = len(value) // 2
    ch = value[i]
    swap = ("1" if ch != "1" else "2") if ch.isdigit() else ("x" if ch != "x" else "y")
    if ch.isupper():
        swap = "X" if ch != "X" else "Y"
    parent[path[-1]] = value[:i] + swap + value[i + 1:]
    return changed


def verify_vector(node_verify: NodeVerify, document: dict[str, Any]) -> Any:
    # --proof-only: the vector's issuer (https://vc.example/...) is not its key's
    # controller, which a VC verifier rightly refuses (tested below).
    return node_verify(document, proof_only=True, contexts={EXAMPLES_V2_URL: EXAMPLES_V2_CONTEXT})


def test_w3c_eddsa_rdfc_2022_vector_verifies(node_verify: NodeVerify) -> None:
    verdict = verify_vector(node_verify, W3C_SIGNED)
    assert verdict.errors == []
    assert verdict.verified is True
    assert verdict.revoked is None


@pytest.mark.parametrize("path", [
    ("credentialSubject", "alumniOf"),
    ("name",),
    ("validFrom",),
    ("credentialSubject", "id"),
    ("proof", "created"),
    ("proof", "proofValue"),
])
def test_w3c_vector_with_one_character_changed_fails(node_verify: NodeVerify,
                                                     path: tuple[str, ...]) -> None:
    verdict = verify_vector(node_verify, one_character_changed(W3C_SIGNED, *path))
    assert verdict.verified is False
    assert verdict.errors, "a failed verification names its reason"


def test_w3c_vector_changed_key_fails(node_verify: NodeVerify) -> None:
    other = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    changed = copy.deepcopy(W3C_SIGNED)
    changed["proof"]["verificationMethod"] = f"did:key:{other}#{other}"
    verdict = verify_vector(node_verify, changed)
    assert verdict.verified is False


def test_verifier_never_fetches_a_context(node_verify: NodeVerify) -> None:
    """Without the local copy of the examples context, the verifier refuses; it fetches nothing."""
    verdict = node_verify(W3C_SIGNED, proof_only=True)
    assert verdict.verified is False
    assert any("offline document loader refuses" in e and EXAMPLES_V2_URL in e
               for e in verdict.errors), verdict.errors


def test_verifier_holds_the_issuer_to_the_key_controller(node_verify: NodeVerify) -> None:
    """As a credential (not just a proof) the vector fails: its issuer does not control its key."""
    verdict = node_verify(W3C_SIGNED, contexts={EXAMPLES_V2_URL: EXAMPLES_V2_CONTEXT})
    assert verdict.verified is False
    assert "Credential issuer must match the verification method controller." in verdict.errors


# --- Credentials Pathwise issues -------------------------------------------------------

ACHIEVEMENTS = ["CODE", "PBK", "NOC", "COP", "cscce-cm"]
NOW = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
STATUS_INDEX = 7


@pytest.fixture(scope="module")
def program() -> Program:
    found = ProgramLibrary.shipped().get("cscce-cm", "2023")
    assert found is not None
    return found


@pytest.fixture
def signer(tmp_path: Path) -> tuple[KeyPair, IssuerSettings]:
    """A fresh issuer key from a key store in tmp_path, as a deployment would have."""
    return (KeyStore(tmp_path).current(),
            IssuerSettings(base_url="https://badges.example.org"))


def issue(program: Program, signer: tuple[KeyPair, IssuerSettings],
          achievement: str = "cscce-cm") -> dict[str, Any]:
    key, settings = signer
    holder = Holder("P-001", "Ada Lovelace", "ada@example.org")
    return issue_credential(program, achievement, holder,
                            earned_on=dt.date(2024, 8, 1),
                            credential_uuid="0b6f1c9e-2f2e-4d59-9a55-6b1c0a1d2e3f",
                            status_index=STATUS_INDEX, key=key, settings=settings,
                            created=dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC))


def status_list(signer: tuple[KeyPair, IssuerSettings], *revoked: int) -> dict[str, Any]:
    key, settings = signer
    return sign_status_list(StatusList.with_revoked(revoked), key=key, settings=settings,
                            created=dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC))


@pytest.mark.parametrize("achievement", ACHIEVEMENTS)
def test_issued_credentials_verify_with_the_independent_verifier(
        node_verify: NodeVerify, program: Program, signer: tuple[KeyPair, IssuerSettings],
        achievement: str) -> None:
    credential = issue(program, signer, achievement)
    verdict = node_verify(credential)
    assert verdict.errors == []
    assert verdict.verified is True
    assert verdict.revoked is None  # no status list given: nothing to say


#: One changed character in each of these fails both verifiers.
TAMPERED_PATHS = [
    ("name",),
    ("validFrom",),
    ("issuer", "name"),
    ("credentialSubject", "identifier", 1, "identityHash"),  # the holder's name
    ("credentialSubject", "identifier", 0, "identityHash"),  # the hashed e-mail
    ("credentialSubject", "achievement", "name"),
    ("credentialSubject", "achievement", "description"),
    ("credentialSubject", "achievement", "criteria", "narrative"),
    ("credentialStatus", "statusListIndex"),
    ("proof", 0, "created"),
    ("proof", 0, "proofValue"),
]


@pytest.mark.parametrize("path", TAMPERED_PATHS, ids=lambda p: "/".join(map(str, p)))
def test_issued_credential_with_one_character_changed_fails_both_verifiers(
        node_verify: NodeVerify, program: Program, signer: tuple[KeyPair, IssuerSettings],
        path: tuple[str | int, ...]) -> None:
    credential = issue(program, signer)
    assert node_verify(credential).verified is True
    assert verify_credential(credential, trusted={signer[0].did_key}, now=NOW).verified is True
    changed = one_character_changed(credential, *path)
    assert changed != credential
    theirs = node_verify(changed)
    assert theirs.verified is False, theirs
    assert theirs.errors
    ours = verify_credential(changed, trusted={signer[0].did_key}, now=NOW)
    assert ours.verified is False, ours.checks


def test_revoked_credential_is_reported_revoked_by_the_independent_verifier(
        node_verify: NodeVerify, program: Program,
        signer: tuple[KeyPair, IssuerSettings]) -> None:
    credential = issue(program, signer)
    others_revoked = status_list(signer, STATUS_INDEX - 1, STATUS_INDEX + 1)
    verdict = node_verify(credential, others_revoked)
    assert (verdict.verified, verdict.revoked, verdict.errors) == (True, False, [])

    revoked = status_list(signer, STATUS_INDEX)
    verdict = node_verify(credential, revoked)
    # the library still says "verified" (the proof holds); the status bit says revoked
    assert verdict.verified is True
    assert verdict.revoked is True
    assert verdict.code == 1
    ours = verify_credential(credential, trusted={signer[0].did_key}, now=NOW,
                             status_list=revoked)
    assert ours.revoked is True
    assert ours.verified is False


def test_tampered_status_list_fails_the_independent_verifier(
        node_verify: NodeVerify, program: Program,
        signer: tuple[KeyPair, IssuerSettings]) -> None:
    credential = issue(program, signer)
    clean = status_list(signer)
    # an attacker flips the list to "not revoked" or the reverse: the list's proof breaks
    for path in [("credentialSubject", "encodedList"), ("validFrom",), ("proof", 0, "proofValue")]:
        verdict = node_verify(credential, one_character_changed(clean, *path))
        assert verdict.verified is False, (path, verdict)
        assert verdict.revoked is None


def test_status_list_signed_by_another_issuer_fails_the_independent_verifier(
        node_verify: NodeVerify, program: Program, signer: tuple[KeyPair, IssuerSettings],
        tmp_path: Path) -> None:
    """A well-signed list at our URL, but by another key: its bits are not believed."""
    credential = issue(program, signer)
    key, settings = signer
    impostor = KeyStore(tmp_path / "impostor").current()
    stamp = "2025-01-01T12:00:00Z"
    forged = sign(status_list_credential(settings.status_list_url(key), impostor.did_key,
                                         StatusList.with_revoked([STATUS_INDEX]), stamp),
                  impostor, verification_method=impostor.verification_method(), created=stamp)
    verdict = node_verify(credential, forged)
    assert verdict.verified is False
    assert verdict.revoked is None
    assert any("Issuers of the status list credential and verifiable credential do not match"
               in e for e in verdict.errors), verdict.errors
    assert verify_credential(credential, trusted={key.did_key}, now=NOW,
                             status_list=forged).verified is False


# --- `pathwise badge` and `pathwise verify`, the installed commands ---------------------

PATHWISE = Path(sys.executable).with_name("pathwise")
AFTER_ALL = "2024-09-01"  # the complete journey's last record is on 2024-08-01
#: What the complete journey earns (no COP: its elective is NOC).
EARNED = ["CODE", "PBK", "NOC", "cscce-cm"]


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `pathwise` with its keys in tmp_path/data."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PATHWISE_BASE_URL", "PATHWISE_DID_WEB")}
    env["PATHWISE_DATA_DIR"] = str(tmp_path / "data")

    def run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PATHWISE, *map(str, argv)], capture_output=True, text=True,
                              env=env, timeout=120, check=False)

    return run


@pytest.fixture
def badge_text(cli: Callable[..., subprocess.CompletedProcess[str]],
               tmp_path: Path) -> Callable[[str], str]:
    """`pathwise badge RECORDS --achievement ID` on a certifying records file: its output."""
    records = make_records_file(complete_journey())
    records["participant"]["email"] = "ada@example.org"
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records), encoding="utf-8")

    def run(achievement: str) -> str:
        done = cli("badge", path, "--achievement", achievement, "--as-of", AFTER_ALL)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


def pathwise_verify(cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path,
                    credential: dict[str, Any] | str,
                    status: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "to-verify.json"
    path.write_text(credential if isinstance(credential, str) else json.dumps(credential),
                    encoding="utf-8")
    argv: list[str | Path] = ["verify", path]
    if status is not None:
        status_path = tmp_path / "status-list.json"
        status_path.write_text(json.dumps(status), encoding="utf-8")
        argv += ["--status-list", status_path]
    done = cli(*argv)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize("achievement", EARNED)
def test_pathwise_badge_credentials_verify_with_the_independent_verifier(
        node_verify: NodeVerify, badge_text: Callable[[str], str], achievement: str) -> None:
    credential = json.loads(badge_text(achievement))
    assert credential["credentialSubject"]["achievement"]["id"].endswith(f"/{achievement}")
    verdict = node_verify(credential)
    assert (verdict.verified, verdict.revoked, verdict.errors) == (True, None, [])


def text_with_one_character_changed(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced by `new`, which differs by one character."""
    assert len(old) == len(new)
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.mark.parametrize("edit", [
    ('"identityHash": "Ada Lovelace"', '"identityHash": "Ada Lovelacf"'),  # the holder
    ('"validFrom": "2024-08-01T00:00:00Z"', '"validFrom": "2024-08-02T00:00:00Z"'),
    ('"description": "Completed the CSCCE', '"description": "Completed thE CSCCE'),
    ('"description": "Completed the CSCCE', '"descriptioN": "Completed the CSCCE'),  # a key
    ('"achievementType": "Certification"', '"achievementType": "Certificatioo"'),
])
def test_pathwise_badge_with_one_character_changed_fails_ours_and_theirs(
        node_verify: NodeVerify, badge_text: Callable[[str], str],
        cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path,
        edit: tuple[str, str]) -> None:
    text = badge_text("cscce-cm")
    code, ours = pathwise_verify(cli, tmp_path, text)
    assert (code, ours["verified"]) == (0, True), ours
    assert node_verify(text).verified is True

    changed = text_with_one_character_changed(text, *edit)
    code, ours = pathwise_verify(cli, tmp_path, changed)
    assert (code, ours["verified"]) == (1, False), ours
    assert ours["errors"]
    theirs = node_verify(changed)
    assert theirs.verified is False, theirs
    assert theirs.errors


@pytest.mark.parametrize("path", [("credentialStatus", "statusListIndex"),
                                  ("proof", 0, "proofValue"),
                                  ("proof", 0, "verificationMethod"),
                                  ("issuer", "id")], ids=lambda p: "/".join(map(str, p)))
def test_pathwise_badge_with_a_changed_signed_value_fails_ours_and_theirs(
        node_verify: NodeVerify, badge_text: Callable[[str], str],
        cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path,
        path: tuple[str | int, ...]) -> None:
    changed = one_character_changed(json.loads(badge_text("NOC")), *path)
    code, ours = pathwise_verify(cli, tmp_path, changed)
    assert (code, ours["verified"]) == (1, False), ours
    assert node_verify(changed).verified is False


def test_revoked_pathwise_badge_is_reported_revoked_by_theirs_and_ours(
        node_verify: NodeVerify, badge_text: Callable[[str], str],
        cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    credential = json.loads(badge_text("cscce-cm"))
    entry = credential["credentialStatus"]
    index = int(entry["statusListIndex"])
    # the list the deployment would serve, signed by the key that signed the credential
    multikey = credential["proof"][0]["verificationMethod"].rsplit("#", 1)[1]
    key = KeyStore(tmp_path / "data").find(multikey)
    assert key is not None
    settings = IssuerSettings()  # the CLI's default base URL, as `pathwise badge` used
    assert settings.status_list_url(key) == entry["statusListCredential"]

    def signed_list(*revoked: int) -> dict[str, Any]:
        return sign_status_list(StatusList.with_revoked(revoked), key=key, settings=settings)

    others = signed_list(index + 1)
    verdict = node_verify(credential, others)
    assert (verdict.verified, verdict.revoked, verdict.errors) == (True, False, [])
    code, ours = pathwise_verify(cli, tmp_path, credential, others)
    assert (code, ours["verified"]) == (0, True), ours

    revoked = signed_list(index)
    verdict = node_verify(credential, revoked)
    assert verdict.revoked is True
    assert verdict.verified is True  # the proof still holds; the status bit is the answer
    code, ours = pathwise_verify(cli, tmp_path, credential, revoked)
    assert (code, ours["verified"]) == (1, False), ours
    assert any("revoked" in e for e in ours["errors"]), ours["errors"]
