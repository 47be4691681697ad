"""`pathwise verify`: who it trusts, and input it will not spend time on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pathwise.core.credentials.keys import KeyPair
from pathwise.core.credentials.proof import sign

AFTER_ALL = "2024-09-01"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("PATHWISE_DATA_DIR", str(folder))
    for name in ("PATHWISE_DID_WEB", "PATHWISE_BASE_URL", "PATHWISE_TRUSTED_ISSUERS"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def credential(pathwise, write_json, records_file) -> dict[str, Any]:
    """A CODE badge signed with this data directory's key."""
    run = pathwise("badge", write_json(records_file()), "--achievement", "CODE",
                   "--as-of", AFTER_ALL)
    assert run.code == 0, run.err
    result: dict[str, Any] = run.json()
    return result


@pytest.fixture
def credential_file(credential, write_json) -> Path:
    result: Path = write_json(credential, "credential.json")
    return result


def forged(credential: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The same credential re-signed by a stranger's own did:key, named as its issuer."""
    stranger = KeyPair.generate()
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    unsigned["issuer"] = {**unsigned["issuer"], "id": stranger.did_key}
    return sign(unsigned, stranger), stranger.did_key


def test_a_good_signature_by_an_unknown_issuer_is_not_verified(credential, pathwise,
                                                               write_json):
    document, did = forged(credential)
    run = pathwise("verify", write_json(document, "forged.json"))
    assert run.code == 1
    result = run.json()
    assert result["verified"] is False
    assert any(did in e and "not an issuer this verifier trusts" in e
               for e in result["errors"]), result["errors"]
    # the signature itself is fine: the checks say so
    assert any(c.startswith("proof:") for c in result["checks"])


def test_trust_issuer_and_the_setting_make_another_issuer_trusted(
        credential, pathwise, write_json, monkeypatch):
    document, did = forged(credential)
    path = write_json(document, "forged.json")
    other = KeyPair.generate().did_key
    run = pathwise("verify", path, "--trust-issuer", other, "--trust-issuer", did)
    assert (run.code, run.json()["verified"]) == (0, True), run.out
    assert any(f"issuer: {did} is a trusted issuer" in c for c in run.json()["checks"])

    monkeypatch.setenv("PATHWISE_TRUSTED_ISSUERS", f"{other}, {did}")
    run = pathwise("verify", path)
    assert (run.code, run.json()["verified"]) == (0, True), run.out


def test_every_key_in_the_store_is_trusted_also_after_rotation(credential, pathwise,
                                                              write_json):
    assert pathwise("keys", "--rotate").code == 0
    run = pathwise("verify", write_json(credential, "credential.json"))
    assert (run.code, run.json()["verified"]) == (0, True), run.out


def test_a_did_web_deployment_still_trusts_its_keys_did_key(credential, pathwise,
                                                           write_json, monkeypatch):
    monkeypatch.setenv("PATHWISE_DID_WEB", "did:web:badges.example.org")
    run = pathwise("verify", write_json(credential, "credential.json"))
    assert (run.code, run.json()["verified"]) == (0, True), run.out


def test_another_data_directory_does_not_trust_our_key(credential, pathwise, write_json,
                                                       monkeypatch, tmp_path):
    monkeypatch.setenv("PATHWISE_DATA_DIR", str(tmp_path / "elsewhere"))
    run = pathwise("verify", write_json(credential, "credential.json"))
    assert run.code == 1
    assert any("not an issuer this verifier trusts" in e for e in run.json()["errors"])
    assert not (tmp_path / "elsewhere" / "keys").exists()  # verifying creates no key


@pytest.mark.parametrize("case", [
    ("--trust-issuer", "https://badges.example.org"),
    ("--trust-issuer", "did:key:"),
    ("PATHWISE_TRUSTED_ISSUERS", "did:key:z6Mk, not a did"),
], ids=lambda case: f"{case[0]}={case[1]}")
def test_a_trusted_issuer_that_is_not_a_did_is_refused(credential_file, pathwise, refused,
                                                       monkeypatch, case):
    where, value = case
    argv = [where, value] if where.startswith("--") else []
    if not argv:
        monkeypatch.setenv(where, value)
    line = refused(pathwise("verify", credential_file, *argv), "verify")
    assert f"{where}: " in line
    assert "is not a DID" in line


# -- input it will not spend time on ------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ('{"proof": [], "n": ' + "7" * 5000 + "}", "a number with 5,000 digits; at most 100"),
    ('{"n": -' + "7" * 5000 + ".5}", "a number with 5,001 digits"),
    ('{"a":' * 40 + "1" + "}" * 40, "nested too deeply (more than 32 levels)"),
    ('{"n": Infinity}', "Infinity is not a JSON value"),
    ('{"pad": "' + "x" * 300_000 + '"}', "too large (300,011 bytes; at most 262,144"),
])
def test_hostile_json_is_refused_in_one_line(pathwise, refused, tmp_path, text, message):
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    line = refused(pathwise("verify", path), "verify")
    assert line.startswith(f"pathwise verify: {path}: ")
    assert message in line


def test_a_hostile_status_list_file_is_refused_in_one_line(credential, pathwise, write_json,
                                                           refused, tmp_path):
    status = tmp_path / "status.json"
    status.write_text('{"encodedList": ' + "1" * 5000 + "}", encoding="utf-8")
    line = refused(pathwise("verify", write_json(credential, "c.json"), "--status-list",
                            status), "verify")
    assert "a number with 5,000 digits" in line


def test_a_flood_of_proofs_is_not_verified_and_says_why(credential, pathwise, write_json):
    flood = {**credential, "proof": credential["proof"] * 100}
    run = pathwise("verify", write_json(flood, "flood.json"))
    assert run.code == 1
    assert run.json()["errors"] == ["the credential has 100 proofs; at most 8 are checked"]
